// The one store contract (design.md): every ChatStore backend runs this suite and must pass
// it unchanged. Each test gets a fresh, empty store from `make` and closes it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Account, Agent, AgentSession, Chat, ChatEvent, LineEvent, LoginToken, OfflineSurveySubmission, StateEvent, VisitorIdentity } from '../../src/chat/core/types.ts';
import type { ChatStore } from '../../src/store/store.ts';

const T0 = Date.UTC(2017, 1, 27, 11, 30, 0, 695);

export function account(id: string, over: Partial<Account> = {}): Account {
  return { id, appKeys: [`key-${id}`], chatTimeout: 40, language: 'en-US', skills: [{ id: 10, name: 'Sales' }], ...over };
}

export function agent(accountId: string, id: number, over: Partial<Agent> = {}): Agent {
  return {
    accountId, id, name: `Agent ${id}`, loginName: `agent${id}`, passwordHash: 'ab12:cd34',
    skills: [10], maxChats: 4, availability: 'Offline', ...over,
  };
}

export function chat(accountId: string, id: string, over: Partial<Chat> = {}): Chat {
  return {
    accountId, id, state: 'waiting', skillId: 10, agentId: null, ringingAgentId: null,
    queuedAt: T0, startTime: T0, endTime: null, lastUpdate: T0, chatTimeout: 40, visitorId: 7,
    visitorName: null, visitorTypingUntil: null, agentTypingUntil: null, rtSessionId: 4294967297,
    origin: { sharkVisitorId: 'sv', sharkSessionId: 'ss', sharkContextId: 'sc', engagementId: 'e1', campaignId: 'c1', language: 'en-US' },
    nextEventId: 1, version: 1, ...over,
  };
}

export function stateEvent(id: number, state: StateEvent['state'], time = T0): StateEvent {
  return { type: 'state', id, time, state };
}

export function lineEvent(id: number, text: string, over: Partial<LineEvent> = {}): LineEvent {
  return { type: 'line', id, time: T0 + id, text, textType: 'plain', by: 'Visitor', source: 'visitor', subType: 'REGULAR', ...over };
}

const ids = (chats: Chat[]): string[] => chats.map((c) => c.id);
const byId = <T extends { id: string | number }>(xs: T[]): T[] => [...xs].sort((a, b) => String(a.id).localeCompare(String(b.id)));

export function storeContract(name: string, make: () => Promise<ChatStore>): void {
  describe(`ChatStore contract: ${name}`, () => {
    const withStore = (title: string, fn: (s: ChatStore) => Promise<void>): void => {
      it(title, async () => {
        const s = await make();
        try {
          await fn(s);
        } finally {
          await s.close();
        }
      });
    };

    describe('accounts', () => {
      withStore('putAccount then getAccount round-trips; unknown is null', async (s) => {
        const a = account('A1', { appKeys: ['k1', 'k2'], chatTimeout: 90, language: 'de-DE', skills: [{ id: 1, name: 'x' }, { id: 2, name: 'y' }] });
        await s.putAccount(a);
        assert.deepEqual(await s.getAccount('A1'), a);
        assert.equal(await s.getAccount('nope'), null);
      });
      withStore('putAccount replaces an existing account', async (s) => {
        await s.putAccount(account('A1'));
        const changed = account('A1', { appKeys: ['new'], skills: [], chatTimeout: 5 });
        await s.putAccount(changed);
        assert.deepEqual(await s.getAccount('A1'), changed);
        assert.equal((await s.listAccounts()).length, 1);
      });
      withStore('listAccounts returns every account', async (s) => {
        assert.deepEqual(await s.listAccounts(), []);
        await s.putAccount(account('B'));
        await s.putAccount(account('A'));
        assert.deepEqual(byId(await s.listAccounts()), [account('A'), account('B')]);
      });
    });

    describe('agents', () => {
      withStore('putAgent then getAgent / findAgentByLogin round-trip; scoped by account', async (s) => {
        const g = agent('A', 5, { skills: [10, 11], maxChats: -1, availability: 'Online' });
        await s.putAgent(g);
        assert.deepEqual(await s.getAgent('A', 5), g);
        assert.deepEqual(await s.findAgentByLogin('A', 'agent5'), g);
        assert.equal(await s.getAgent('A', 6), null);
        assert.equal(await s.getAgent('B', 5), null);
        assert.equal(await s.findAgentByLogin('A', 'nobody'), null);
        assert.equal(await s.findAgentByLogin('B', 'agent5'), null);
      });
      withStore('putAgent replaces the agent but keeps the availability of an existing one', async (s) => {
        await s.putAgent(agent('A', 5, { availability: 'Offline' }));
        await s.setAgentAvailability('A', 5, 'Away');
        await s.putAgent(agent('A', 5, { name: 'Renamed', loginName: 'renamed', skills: [], maxChats: 2, passwordHash: 'ff:ee', availability: 'Online' }));
        const got = await s.getAgent('A', 5);
        assert.deepEqual(got, agent('A', 5, { name: 'Renamed', loginName: 'renamed', skills: [], maxChats: 2, passwordHash: 'ff:ee', availability: 'Away' }));
        assert.equal(await s.findAgentByLogin('A', 'agent5'), null);
        assert.equal((await s.findAgentByLogin('A', 'renamed'))?.id, 5);
        assert.equal((await s.listAgents('A')).length, 1);
      });
      withStore('listAgents lists the agents of one account only', async (s) => {
        await s.putAgent(agent('A', 2));
        await s.putAgent(agent('A', 1));
        await s.putAgent(agent('B', 3));
        assert.deepEqual([...(await s.listAgents('A'))].sort((x, y) => x.id - y.id), [agent('A', 1), agent('A', 2)]);
        assert.deepEqual(await s.listAgents('B'), [agent('B', 3)]);
        assert.deepEqual(await s.listAgents('C'), []);
      });
      withStore('setAgentAvailability changes one agent only', async (s) => {
        await s.putAgent(agent('A', 1));
        await s.putAgent(agent('A', 2));
        await s.putAgent(agent('B', 1));
        await s.setAgentAvailability('A', 1, 'Online');
        assert.equal((await s.getAgent('A', 1))?.availability, 'Online');
        assert.equal((await s.getAgent('A', 2))?.availability, 'Offline');
        assert.equal((await s.getAgent('B', 1))?.availability, 'Offline');
        await s.setAgentAvailability('A', 1, 'Occupied');
        assert.equal((await s.findAgentByLogin('A', 'agent1'))?.availability, 'Occupied');
      });
      withStore('setAgentAvailability with a chatReasonId sets both in one write; null clears the reason; none keeps it', async (s) => {
        await s.putAgent(agent('A', 1));
        await s.putAgent(agent('A', 2));
        await s.setAgentAvailability('A', 1, 'Away', 'lunch-7');
        assert.deepEqual(await s.getAgent('A', 1), { ...agent('A', 1), availability: 'Away', chatReasonId: 'lunch-7' });
        assert.deepEqual(await s.getAgent('A', 2), agent('A', 2));
        await s.setAgentAvailability('A', 1, 'Occupied');
        assert.deepEqual(await s.getAgent('A', 1), { ...agent('A', 1), availability: 'Occupied', chatReasonId: 'lunch-7' });
        await s.setAgentAvailability('A', 1, 'Online', null);
        assert.deepEqual(await s.getAgent('A', 1), { ...agent('A', 1), availability: 'Online' });
        await s.setAgentAvailability('A', 9, 'Online', 'x');
        assert.equal(await s.getAgent('A', 9), null);
      });
    });

    describe('chats and events', () => {
      withStore('getChat round-trips every field, with nullable fields null', async (s) => {
        const c = chat('A', 'c1');
        await s.createChat(c, []);
        assert.deepEqual(await s.getChat('A', 'c1'), c);
        assert.equal(await s.getChat('A', 'c2'), null);
        assert.equal(await s.getChat('B', 'c1'), null);
      });
      withStore('getChat round-trips every field, with nullable fields set and a full origin', async (s) => {
        const c = chat('A', 'c1', {
          state: 'chatting', skillId: 11, agentId: 5, ringingAgentId: 6, queuedAt: T0 + 1, startTime: T0 + 2, endTime: T0 + 3,
          lastUpdate: T0 + 4, chatTimeout: 120, visitorId: 99, visitorName: 'Jo "<&>"', visitorTypingUntil: T0 + 5, agentTypingUntil: T0 + 6,
          rtSessionId: 4294967524, nextEventId: 17, version: 9,
          origin: {
            sharkVisitorId: 'v', sharkSessionId: 's', sharkContextId: 'x', engagementId: 'e', campaignId: 'k', language: 'fr-FR',
            participantId: 'p', conversationId: 'cv', visitorIp: '10.0.0.1', userAgent: 'Mozilla/5.0', chatReferrer: 'https://example.com/?a=1&b=2',
          },
        });
        await s.createChat(c, []);
        assert.deepEqual(await s.getChat('A', 'c1'), c);
      });
      withStore('the routing fields round-trip, and read as absent once cleared', async (s) => {
        const c = chat('A', 'c1', { ringingAgentId: 6, ringingSince: T0 + 1, maxWaitTime: 30, requestedAgentId: 6, transferredFromAgentId: 5 });
        await s.createChat(c, [stateEvent(0, 'waiting')]);
        assert.deepEqual(await s.getChat('A', 'c1'), c);
        const cleared = { ...c, ringingAgentId: null, ringingSince: null, maxWaitTime: null, requestedAgentId: null, transferredFromAgentId: null, version: 2 };
        assert.equal(await s.updateChat(cleared, []), true);
        const back = await s.getChat('A', 'c1');
        assert.equal(back?.ringingSince ?? null, null);
        assert.equal(back?.maxWaitTime ?? null, null);
        assert.equal(back?.requestedAgentId ?? null, null);
        assert.equal(back?.transferredFromAgentId ?? null, null);
      });
      withStore('the same chat id in two accounts is two chats', async (s) => {
        await s.createChat(chat('A', 'c1', { visitorId: 1 }), [stateEvent(0, 'waiting')]);
        await s.createChat(chat('B', 'c1', { visitorId: 2 }), [lineEvent(0, 'other')]);
        assert.equal((await s.getChat('A', 'c1'))?.visitorId, 1);
        assert.equal((await s.getChat('B', 'c1'))?.visitorId, 2);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), [stateEvent(0, 'waiting')]);
      });
      withStore('getChats: many chats in the order asked, null for unknown ones, other accounts apart', async (s) => {
        const a = chat('A', 'a', { visitorName: 'Ann', acceptedAt: T0 + 5 });
        const b = chat('A', 'b', { state: 'chatting', agentId: 3 });
        const other = chat('B', 'a', { visitorName: 'Bob' });
        for (const c of [a, b, other]) await s.createChat(c, []);
        assert.deepEqual(
          await s.getChats([{ accountId: 'A', chatId: 'b' }, { accountId: 'A', chatId: 'nope' }, { accountId: 'B', chatId: 'a' }, { accountId: 'A', chatId: 'a' }]),
          [b, null, other, a],
        );
        assert.deepEqual(await s.getChats([]), []);
      });
      withStore('createChat stores the chat with its events; events round-trip every field', async (s) => {
        const events: ChatEvent[] = [
          stateEvent(0, 'waiting'),
          lineEvent(1, 'Hello <b>&</b>', { textType: 'html', by: 'System', source: 'system', systemMessageId: 23, subType: 'ONLY_TO_REP' }),
          lineEvent(2, '', { textType: 'rich-content', source: 'agent', json: { type: 'vertical', elements: [{ type: 'text', text: 'x' }], n: 1 } }),
        ];
        await s.createChat(chat('A', 'c1', { nextEventId: 3 }), events);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), events);
      });
      withStore('createChat is atomic: a failing create writes neither chat nor events', async (s) => {
        await s.createChat(chat('A', 'c1'), [stateEvent(0, 'waiting')]);
        await assert.rejects(s.createChat(chat('A', 'c1', { visitorId: 2 }), [lineEvent(1, 'dup')]));
        assert.equal((await s.getChat('A', 'c1'))?.visitorId, 7);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), [stateEvent(0, 'waiting')]);
        await assert.rejects(s.createChat(chat('A', 'c2'), [lineEvent(0, 'a'), lineEvent(0, 'same id')]));
        assert.equal(await s.getChat('A', 'c2'), null);
        assert.deepEqual(await s.listEvents('A', 'c2', 0), []);
      });
      withStore('updateChat writes the chat and appends events when the version follows', async (s) => {
        const c = chat('A', 'c1');
        await s.createChat(c, [stateEvent(0, 'waiting')]);
        const next = { ...c, state: 'chatting' as const, agentId: 5, version: 2, nextEventId: 3, lastUpdate: T0 + 10 };
        assert.equal(await s.updateChat(next, [stateEvent(1, 'chatting'), lineEvent(2, 'hi')]), true);
        assert.deepEqual(await s.getChat('A', 'c1'), next);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), [stateEvent(0, 'waiting'), stateEvent(1, 'chatting'), lineEvent(2, 'hi')]);
        const third = { ...next, visitorName: 'Ann', version: 3 };
        assert.equal(await s.updateChat(third, []), true);
        assert.deepEqual(await s.getChat('A', 'c1'), third);
      });
      withStore('updateChat on a stale version returns false and writes nothing', async (s) => {
        const c = chat('A', 'c1', { version: 4 });
        await s.createChat(c, [stateEvent(0, 'waiting')]);
        for (const version of [4, 3, 6]) {
          const stale = { ...c, state: 'ended' as const, endTime: T0 + 1, version };
          assert.equal(await s.updateChat(stale, [stateEvent(1, 'ended')]), false, `version ${version}`);
        }
        assert.deepEqual(await s.getChat('A', 'c1'), c);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), [stateEvent(0, 'waiting')]);
        assert.equal(await s.updateChat(chat('A', 'missing', { version: 2 }), [lineEvent(0, 'x')]), false);
        assert.equal(await s.getChat('A', 'missing'), null);
        assert.deepEqual(await s.listEvents('A', 'missing', 0), []);
      });
      withStore('of two concurrent updates from the same version exactly one wins', async (s) => {
        const c = chat('A', 'c1');
        await s.createChat(c, []);
        const results = await Promise.all([
          s.updateChat({ ...c, visitorName: 'one', version: 2 }, [lineEvent(0, 'one')]),
          s.updateChat({ ...c, visitorName: 'two', version: 2 }, [lineEvent(0, 'two')]),
        ]);
        assert.deepEqual([...results].sort(), [false, true]);
        const winner = results[0] ? 'one' : 'two';
        assert.equal((await s.getChat('A', 'c1'))?.visitorName, winner);
        assert.deepEqual(await s.listEvents('A', 'c1', 0), [lineEvent(0, winner)]);
      });
      withStore('updateChats writes each chat whose version follows, in one go, and says which', async (s) => {
        const a = chat('A', 'a');
        const b = chat('A', 'b', { version: 5 });
        await s.createChat(a, [stateEvent(0, 'waiting')]);
        await s.createChat(b, [stateEvent(0, 'waiting')]);
        await s.touchChat('A', 'a', T0 + 9000);
        const endA = { ...a, state: 'ended' as const, endTime: T0 + 1, version: 2, nextEventId: 3 };
        const staleB = { ...b, state: 'ended' as const, endTime: T0 + 1, version: 5 };
        const missing = chat('A', 'missing', { version: 2 });
        assert.deepEqual(
          await s.updateChats([
            { chat: endA, events: [lineEvent(1, 'bye'), stateEvent(2, 'ended', T0 + 1)] },
            { chat: staleB, events: [stateEvent(1, 'ended')] },
            { chat: missing, events: [lineEvent(0, 'x')] },
          ]),
          [true, false, false],
        );
        // lastUpdate never moves back past a keep-alive, as with updateChat.
        assert.deepEqual(await s.getChat('A', 'a'), { ...endA, lastUpdate: T0 + 9000 });
        assert.deepEqual(await s.listEvents('A', 'a', 0), [stateEvent(0, 'waiting'), lineEvent(1, 'bye'), stateEvent(2, 'ended', T0 + 1)]);
        assert.deepEqual(await s.getChat('A', 'b'), b);
        assert.deepEqual(await s.listEvents('A', 'b', 0), [stateEvent(0, 'waiting')]);
        assert.equal(await s.getChat('A', 'missing'), null);
        assert.deepEqual(await s.updateChats([]), []);
      });
      withStore('updateChats that fails part-way writes none of the batch', async (s) => {
        const a = chat('A', 'a');
        const b = chat('A', 'b');
        await s.createChat(a, [stateEvent(0, 'waiting')]);
        await s.createChat(b, [stateEvent(0, 'waiting')]);
        await assert.rejects(
          s.updateChats([
            { chat: { ...a, visitorName: 'x', version: 2 }, events: [lineEvent(1, 'kept?')] },
            { chat: { ...b, visitorName: 'y', version: 2 }, events: [lineEvent(0, 'same id as the stored one')] },
          ]),
        );
        assert.deepEqual(await s.getChat('A', 'a'), a);
        assert.deepEqual(await s.listEvents('A', 'a', 0), [stateEvent(0, 'waiting')]);
        assert.deepEqual(await s.getChat('A', 'b'), b);
      });
      withStore('touchChat only moves lastUpdate forward and does not bump the version', async (s) => {
        const c = chat('A', 'c1', { version: 3 });
        await s.createChat(c, []);
        await s.touchChat('A', 'c1', T0 + 5000);
        assert.deepEqual(await s.getChat('A', 'c1'), { ...c, lastUpdate: T0 + 5000 });
        await s.touchChat('A', 'c1', T0 + 1000);
        assert.equal((await s.getChat('A', 'c1'))?.lastUpdate, T0 + 5000);
        assert.equal(await s.updateChat({ ...c, version: 4, lastUpdate: T0 + 5000 }, []), true);
        await s.touchChat('A', 'missing', T0);
        assert.equal(await s.getChat('A', 'missing'), null);
      });
      withStore('touchChats moves each lastUpdate forward only, skips unknown chats, bumps no version', async (s) => {
        const a = chat('A', 'a', { version: 3 });
        const b = chat('A', 'b', { lastUpdate: T0 + 50_000 });
        const other = chat('B', 'a');
        await s.createChat(a, []);
        await s.createChat(b, []);
        await s.createChat(other, []);
        await s.touchChats([
          { accountId: 'A', chatId: 'a', lastUpdate: T0 + 7000 },
          { accountId: 'A', chatId: 'b', lastUpdate: T0 + 1000 },
          { accountId: 'A', chatId: 'missing', lastUpdate: T0 + 1 },
        ]);
        assert.deepEqual(await s.getChat('A', 'a'), { ...a, lastUpdate: T0 + 7000 });
        assert.deepEqual(await s.getChat('A', 'b'), b, 'an earlier keep-alive does not move lastUpdate back');
        assert.deepEqual(await s.getChat('B', 'a'), other, 'scoped by account');
        assert.equal(await s.getChat('A', 'missing'), null);
        await s.touchChats([]);
        assert.equal(await s.updateChat({ ...a, version: 4, lastUpdate: T0 + 7000 }, []), true);
        assert.deepEqual((await s.listOpenDeadlines()).find((d) => d.accountId === 'A' && d.chatId === 'a')?.deadline, T0 + 7000 + a.chatTimeout * 1000);
      });
      withStore('updateChat never moves lastUpdate back past a keep-alive that landed meanwhile', async (s) => {
        const c = chat('A', 'c1', { lastUpdate: T0 });
        await s.createChat(c, []);
        await s.touchChat('A', 'c1', T0 + 9000);
        assert.equal(await s.updateChat({ ...c, version: 2, lastUpdate: T0 + 1000, visitorName: 'late' }, []), true);
        const stored = await s.getChat('A', 'c1');
        assert.equal(stored?.lastUpdate, T0 + 9000);
        assert.equal(stored?.visitorName, 'late');
        assert.deepEqual(await s.listOpenDeadlines(), [{ accountId: 'A', chatId: 'c1', deadline: T0 + 9000 + c.chatTimeout * 1000 }]);
      });
      withStore('listEvents returns events with id >= from, in id order, of that chat only', async (s) => {
        const c = chat('A', 'c1');
        await s.createChat(c, [stateEvent(0, 'waiting'), lineEvent(1, 'a')]);
        await s.createChat(chat('A', 'c2'), [lineEvent(0, 'other chat'), lineEvent(2, 'other chat')]);
        assert.equal(await s.updateChat({ ...c, version: 2 }, [lineEvent(3, 'd'), lineEvent(2, 'c')]), true);
        const all = await s.listEvents('A', 'c1', 0);
        assert.deepEqual(all.map((e) => e.id), [0, 1, 2, 3]);
        assert.deepEqual((await s.listEvents('A', 'c1', 2)).map((e) => e.id), [2, 3]);
        assert.deepEqual(await s.listEvents('A', 'c1', 3), [lineEvent(3, 'd')]);
        assert.deepEqual(await s.listEvents('A', 'c1', 4), []);
        assert.deepEqual(await s.listEvents('B', 'c1', 0), []);
      });
      withStore('listEventsPage: listEvents from `from`, at most `limit`, in id order', async (s) => {
        const c = chat('A', 'c1');
        await s.createChat(c, [stateEvent(0, 'waiting'), lineEvent(1, 'a'), lineEvent(2, 'b'), lineEvent(3, 'c')]);
        await s.createChat(chat('A', 'c2'), [lineEvent(0, 'other chat')]);
        assert.deepEqual((await s.listEventsPage('A', 'c1', 0, 2)).map((e) => e.id), [0, 1]);
        assert.deepEqual((await s.listEventsPage('A', 'c1', 2, 2)), [lineEvent(2, 'b'), lineEvent(3, 'c')]);
        assert.deepEqual((await s.listEventsPage('A', 'c1', 3, 10)).map((e) => e.id), [3]);
        assert.deepEqual(await s.listEventsPage('A', 'c1', 4, 10), []);
        assert.deepEqual(await s.listEventsPage('B', 'c1', 0, 10), []);
      });
    });

    describe('queries', () => {
      withStore('countWaitingChats: all waiting chats, and those not ringing per skill, of one account', async (s) => {
        await s.createChat(chat('A', 'w1'), []);
        await s.createChat(chat('A', 'w2'), []);
        await s.createChat(chat('A', 'w3', { skillId: 11 }), []);
        await s.createChat(chat('A', 'none', { skillId: null }), []);
        await s.createChat(chat('A', 'asked', { skillId: 11, requestedAgentId: 3 }), []);
        await s.createChat(chat('A', 'asked-ringing', { requestedAgentId: 3, ringingAgentId: 3 }), []);
        await s.createChat(chat('A', 'ringing', { ringingAgentId: 4 }), []);
        await s.createChat(chat('A', 'busy', { state: 'chatting', agentId: 1 }), []);
        await s.createChat(chat('A', 'over', { state: 'ended', endTime: T0 }), []);
        await s.createChat(chat('B', 'elsewhere'), []);
        const a = await s.countWaitingChats('A');
        assert.equal(a.total, 7);
        assert.deepEqual([...a.unassigned.entries()].sort(([x], [y]) => (x ?? -1) - (y ?? -1)), [[null, 1], [10, 2], [11, 2]]);
        assert.equal(a.directed, 1);
        assert.deepEqual(await s.countWaitingChats('C'), { total: 0, unassigned: new Map(), directed: 0 });
        // As listWaitingChats sees them.
        assert.equal((await s.listWaitingChats('A')).length, a.total);
        // Writes that drop the request for an agent, and that make one (each write form).
        const asked = await s.getChat('A', 'asked');
        const w1 = await s.getChat('A', 'w1');
        assert.ok(asked && w1);
        assert.equal(await s.updateChat({ ...asked, requestedAgentId: null, version: asked.version + 1 }, []), true);
        assert.deepEqual(await s.updateChats([{ chat: { ...w1, requestedAgentId: 7, version: w1.version + 1 }, events: [] }]), [true]);
        assert.equal((await s.countWaitingChats('A')).directed, 1);
        const w2 = await s.getChat('A', 'w2');
        assert.ok(w2);
        assert.equal(await s.updateChat({ ...w2, requestedAgentId: 8, version: w2.version + 1 }, []), true);
        assert.equal((await s.countWaitingChats('A')).directed, 2);
      });
      withStore('listWaitingChats: waiting chats of one account, oldest queuedAt first', async (s) => {
        await s.createChat(chat('A', 'late', { queuedAt: T0 + 300 }), []);
        await s.createChat(chat('A', 'early', { queuedAt: T0 + 100 }), []);
        await s.createChat(chat('A', 'mid', { queuedAt: T0 + 200, ringingAgentId: 4 }), []);
        await s.createChat(chat('A', 'busy', { queuedAt: T0, state: 'chatting', agentId: 1 }), []);
        await s.createChat(chat('A', 'over', { queuedAt: T0, state: 'ended', endTime: T0 }), []);
        await s.createChat(chat('B', 'elsewhere', { queuedAt: T0 }), []);
        assert.deepEqual(ids(await s.listWaitingChats('A')), ['early', 'mid', 'late']);
        assert.deepEqual(ids(await s.listWaitingChats('B')), ['elsewhere']);
        assert.deepEqual(await s.listWaitingChats('C'), []);
        const requeued = { ...chat('A', 'busy', { queuedAt: T0 + 400 }), version: 2 };
        assert.equal(await s.updateChat(requeued, []), true);
        assert.deepEqual(ids(await s.listWaitingChats('A')), ['early', 'mid', 'late', 'busy']);
        assert.deepEqual((await s.listWaitingChats('A'))[1], chat('A', 'mid', { queuedAt: T0 + 200, ringingAgentId: 4 }));
      });
      withStore('listAgentChats: open chats the agent holds or has ringing', async (s) => {
        await s.createChat(chat('A', 'held', { state: 'chatting', agentId: 5 }), []);
        await s.createChat(chat('A', 'ringing', { ringingAgentId: 5 }), []);
        await s.createChat(chat('A', 'ended', { state: 'ended', agentId: 5, endTime: T0 }), []);
        await s.createChat(chat('A', 'theirs', { state: 'chatting', agentId: 6 }), []);
        await s.createChat(chat('A', 'ringsOther', { ringingAgentId: 6 }), []);
        await s.createChat(chat('A', 'queued'), []);
        await s.createChat(chat('B', 'otherAccount', { state: 'chatting', agentId: 5 }), []);
        assert.deepEqual(ids(await s.listAgentChats('A', 5)).sort(), ['held', 'ringing']);
        assert.deepEqual(ids(await s.listAgentChats('A', 6)).sort(), ['ringsOther', 'theirs']);
        assert.deepEqual(await s.listAgentChats('A', 7), []);
        const held = (await s.listAgentChats('A', 5)).find((c) => c.id === 'held');
        assert.deepEqual(held, chat('A', 'held', { state: 'chatting', agentId: 5 }));
      });
      withStore('listAgentChats: held and ringing chats together, oldest queuedAt first, each once', async (s) => {
        await s.createChat(chat('A', 'c3', { state: 'chatting', agentId: 5, queuedAt: T0 + 3 }), []);
        await s.createChat(chat('A', 'c1', { ringingAgentId: 5, queuedAt: T0 + 1 }), []);
        await s.createChat(chat('A', 'c2', { agentId: 5, ringingAgentId: 5, queuedAt: T0 + 2 }), []);
        await s.createChat(chat('A', 'c0', { state: 'chatting', agentId: 5, ringingAgentId: 6, queuedAt: T0 }), []);
        assert.deepEqual(ids(await s.listAgentChats('A', 5)), ['c0', 'c1', 'c2', 'c3']);
        assert.deepEqual(ids(await s.listAgentChats('A', 6)), []);
      });
      withStore('listOpenDeadlines: lastUpdate + chatTimeout seconds, open chats of every account', async (s) => {
        await s.createChat(chat('A', 'w', { lastUpdate: T0, chatTimeout: 40 }), []);
        await s.createChat(chat('B', 'c', { state: 'chatting', agentId: 1, lastUpdate: T0 + 7, chatTimeout: 300 }), []);
        await s.createChat(chat('A', 'e', { state: 'ended', endTime: T0 }), []);
        const sort = (xs: Array<{ chatId: string }>) => [...xs].sort((x, y) => x.chatId.localeCompare(y.chatId));
        assert.deepEqual(sort(await s.listOpenDeadlines()), [
          { accountId: 'B', chatId: 'c', deadline: T0 + 7 + 300_000 },
          { accountId: 'A', chatId: 'w', deadline: T0 + 40_000 },
        ]);
        await s.touchChat('A', 'w', T0 + 1000);
        assert.deepEqual((await s.listOpenDeadlines()).find((d) => d.chatId === 'w')?.deadline, T0 + 41_000);
      });
      withStore('nextAccountSequence: 1, 2, 3… per account, unique under concurrent callers', async (s) => {
        await s.putAccount(account('A'));
        await s.putAccount(account('B'));
        const seen: number[] = [];
        for (let i = 0; i < 5; i++) seen.push(await s.nextAccountSequence('A'));
        assert.deepEqual(seen, [1, 2, 3, 4, 5]);
        assert.equal(await s.nextAccountSequence('B'), 1);
        const burst = await Promise.all(Array.from({ length: 20 }, () => s.nextAccountSequence('A')));
        assert.equal(new Set([...seen, ...burst]).size, 25);
        assert.ok(Math.min(...burst) > Math.max(...seen));
        await s.putAccount(account('A', { chatTimeout: 99 }));
        assert.equal(await s.nextAccountSequence('A'), 26, 'replacing the account keeps its sequence');
      });
      withStore('listOpenDeadlines with dueBy: open chats due by then, earliest first, limited', async (s) => {
        await s.createChat(chat('A', 'late', { lastUpdate: T0 + 5000, chatTimeout: 40 }), []);
        await s.createChat(chat('A', 'soon', { lastUpdate: T0, chatTimeout: 40 }), []);
        await s.createChat(chat('B', 'mid', { state: 'chatting', agentId: 1, lastUpdate: T0 + 1000, chatTimeout: 40 }), []);
        await s.createChat(chat('A', 'gone', { state: 'ended', endTime: T0, lastUpdate: T0 - 99_000 }), []);
        assert.deepEqual(await s.listOpenDeadlines(T0 + 41_000, 10), [
          { accountId: 'A', chatId: 'soon', deadline: T0 + 40_000 },
          { accountId: 'B', chatId: 'mid', deadline: T0 + 41_000 },
        ]);
        assert.deepEqual((await s.listOpenDeadlines(T0 + 99_000, 2)).map((d) => d.chatId), ['soon', 'mid']);
        assert.deepEqual(await s.listOpenDeadlines(T0 + 39_999, 10), []);
      });
      withStore('listOpenDeadlines with dueBy after keep-alives: each chat is due by its deadline as kept alive', async (s) => {
        const due = async (by: number): Promise<string[]> => (await s.listOpenDeadlines(by, 10)).map((d) => `${d.chatId}@${d.deadline - T0}`).sort();
        const kept = chat('A', 'kept', { lastUpdate: T0, chatTimeout: 40 });
        await s.createChat(kept, []);
        await s.createChat(chat('A', 'idle', { lastUpdate: T0 + 1000, chatTimeout: 40 }), []);
        // Keep-alives far from the deadline and near it (PostgreSQL moves its floor only for the latter).
        await s.touchChat('A', 'kept', T0 + 5000);
        assert.deepEqual(await due(T0 + 41_000), ['idle@41000']);
        assert.deepEqual(await due(T0 + 45_000), ['idle@41000', 'kept@45000']);
        await s.touchChats([{ accountId: 'A', chatId: 'kept', lastUpdate: T0 + 30_000 }]);
        assert.deepEqual(await due(T0 + 69_999), ['idle@41000']);
        assert.deepEqual(await due(T0 + 70_000), ['idle@41000', 'kept@70000']);
        // A full write carrying an older lastUpdate keeps the later deadline.
        assert.equal(await s.updateChat({ ...kept, version: 2, lastUpdate: T0 + 2000, visitorName: 'v' }, []), true);
        assert.deepEqual(await due(T0 + 69_999), ['idle@41000']);
        // Over a limit, only due chats count against it.
        await s.touchChat('A', 'idle', T0 + 60_000);
        assert.deepEqual(await due(T0 + 99_999), ['kept@70000']);
        assert.deepEqual((await s.listOpenDeadlines(T0 + 200_000, 1)).length, 1);
      });
      withStore('listOpenDeadlines with dueBy after full writes: lines move the deadline as keep-alives do, a shorter chatTimeout brings it forward', async (s) => {
        const due = async (by: number): Promise<string[]> => (await s.listOpenDeadlines(by, 10)).map((d) => `${d.chatId}@${d.deadline - T0}`).sort();
        let c = chat('A', 'lines', { state: 'chatting', agentId: 1, lastUpdate: T0, chatTimeout: 40 });
        await s.createChat(c, []);
        const write = async (changes: Partial<Chat>): Promise<void> => {
          c = { ...c, ...changes, version: c.version + 1 };
          assert.equal(await s.updateChat(c, []), true);
        };
        // Far from the deadline and near it (PostgreSQL keeps its floor for the former).
        await write({ lastUpdate: T0 + 5000, visitorName: 'a' });
        assert.deepEqual(await due(T0 + 44_999), []);
        assert.deepEqual(await due(T0 + 45_000), ['lines@45000']);
        await write({ lastUpdate: T0 + 30_000, visitorName: 'b' });
        assert.deepEqual(await due(T0 + 69_999), []);
        assert.deepEqual(await due(T0 + 70_000), ['lines@70000']);
        // The same by the batched write.
        c = { ...c, lastUpdate: T0 + 35_000, version: c.version + 1 };
        assert.deepEqual(await s.updateChats([{ chat: c, events: [] }]), [true]);
        assert.deepEqual(await due(T0 + 74_999), []);
        assert.deepEqual(await due(T0 + 75_000), ['lines@75000']);
        await write({ chatTimeout: 10 });
        assert.deepEqual(await due(T0 + 44_999), []);
        assert.deepEqual(await due(T0 + 45_000), ['lines@45000']);
        await write({ state: 'ended', endTime: T0 + 46_000 });
        assert.deepEqual(await due(T0 + 200_000), []);
      });
      withStore('withLock: callers of one key run one at a time; other keys do not wait', async (s) => {
        const log: string[] = [];
        let releaseA = (): void => undefined;
        const aHeld = new Promise<void>((resolve) => (releaseA = resolve));
        // `a` holds `k` until `c`, under another key, has run: were keys not independent, this would never end.
        const a = s.withLock('k', async () => {
          log.push('a+');
          await aHeld;
          log.push('a-');
          return 'a';
        });
        const b = s.withLock('k', async () => {
          log.push('b');
          return 'b';
        });
        const c = s.withLock('other', async () => {
          log.push('c');
          releaseA();
          return 'c';
        });
        let timer: NodeJS.Timeout | undefined;
        const stuck = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`stuck: ${log.join(' ')}`)), 10_000)));
        try {
          assert.deepEqual(await Promise.race([Promise.all([a, b, c]), stuck]), ['a', 'b', 'c']);
        } finally {
          clearTimeout(timer);
        }
        assert.ok(log.indexOf('a+') < log.indexOf('a-') && log.indexOf('a-') < log.indexOf('b'), `b waits for a: ${log.join(' ')}`);
        assert.ok(log.indexOf('c') < log.indexOf('a-'), `c ran while a held k: ${log.join(' ')}`);
        await assert.rejects(s.withLock('k', async () => { throw new Error('boom'); }), /boom/);
        assert.equal(await s.withLock('k', async () => 'after'), 'after', 'a failure releases the lock');
      });
      withStore('countAgentChats: per agent, exactly what listAgentChats returns', async (s) => {
        await s.createChat(chat('A', 'held', { state: 'chatting', agentId: 5 }), []);
        await s.createChat(chat('A', 'held2', { state: 'chatting', agentId: 5 }), []);
        await s.createChat(chat('A', 'ringing', { ringingAgentId: 5 }), []);
        await s.createChat(chat('A', 'ringsOther', { ringingAgentId: 6 }), []);
        await s.createChat(chat('A', 'requeuedRings', { agentId: 6, ringingAgentId: 6 }), []);
        await s.createChat(chat('A', 'heldRingsOther', { agentId: 7, ringingAgentId: 6 }), []);
        await s.createChat(chat('A', 'ended', { state: 'ended', agentId: 5, endTime: T0 }), []);
        await s.createChat(chat('A', 'queued'), []);
        await s.createChat(chat('B', 'otherAccount', { state: 'chatting', agentId: 5 }), []);
        const counts = await s.countAgentChats('A');
        assert.deepEqual([...counts].sort((x, y) => x[0] - y[0]), [[5, 3], [6, 3], [7, 1]]);
        for (const id of [5, 6, 7]) assert.equal(counts.get(id), (await s.listAgentChats('A', id)).length, `agent ${id}`);
        assert.deepEqual([...(await s.countAgentChats('B'))], [[5, 1]]);
        assert.equal((await s.countAgentChats('C')).size, 0);
      });
      withStore('listHandledChats: chats with an acceptedAt ended since a time, latest end first, limited', async (s) => {
        const handled = async (id: string, accept: number | null, end: number, over: Partial<Chat> = {}, accountId = 'A'): Promise<void> => {
          const events: ChatEvent[] = [stateEvent(0, 'waiting', T0), stateEvent(1, 'ended', end)];
          await s.createChat(chat(accountId, id, { state: 'ended', agentId: 5, endTime: end, ...(accept === null ? {} : { acceptedAt: accept }), ...over }), events);
        };
        await handled('old', T0 + 1000, T0 + 5000);
        await handled('a', T0 + 2000, T0 + 62_000);
        await handled('b', T0 + 3000, T0 + 90_000, { skillId: null });
        await handled('never', null, T0 + 95_000);
        await handled('c', T0 + 4000, T0 + 80_000, { skillId: 11 });
        await handled('elsewhere', T0 + 1000, T0 + 99_000, {}, 'B');
        await s.createChat(chat('A', 'open', { state: 'chatting', agentId: 5, acceptedAt: T0 }), [stateEvent(0, 'chatting', T0)]);
        assert.deepEqual(await s.listHandledChats('A', T0 + 6000, 10), [
          { chatId: 'b', skillId: null, acceptedAt: T0 + 3000, endedAt: T0 + 90_000 },
          { chatId: 'c', skillId: 11, acceptedAt: T0 + 4000, endedAt: T0 + 80_000 },
          { chatId: 'a', skillId: 10, acceptedAt: T0 + 2000, endedAt: T0 + 62_000 },
        ]);
        assert.deepEqual((await s.listHandledChats('A', 0, 2)).map((h) => h.chatId), ['b', 'c']);
        assert.deepEqual((await s.listHandledChats('A', T0 + 62_000, 10)).map((h) => h.chatId), ['b', 'c', 'a']);
        assert.deepEqual(await s.listHandledChats('A', T0 + 99_000, 10), []);
        assert.deepEqual(await s.listHandledChats('C', 0, 10), []);
      });
    });

    describe('agent sessions and login tokens', () => {
      withStore('putAgentSession / getAgentSession round-trip, replace, scoped by account', async (s) => {
        const session: AgentSession = { accountId: 'A', id: 'sess-1', agentId: 5, createdAt: T0, lastSeen: T0 };
        await s.putAgentSession(session);
        assert.deepEqual(await s.getAgentSession('A', 'sess-1'), session);
        assert.equal(await s.getAgentSession('B', 'sess-1'), null);
        assert.equal(await s.getAgentSession('A', 'sess-2'), null);
        await s.putAgentSession({ ...session, lastSeen: T0 + 60_000 });
        assert.deepEqual(await s.getAgentSession('A', 'sess-1'), { ...session, lastSeen: T0 + 60_000 });
      });
      withStore('listAgentSessions lists an account\'s sessions; deleteAgentSession removes one, once', async (s) => {
        const a1: AgentSession = { accountId: 'A', id: 'sess-1', agentId: 5, createdAt: T0, lastSeen: T0 };
        const a2: AgentSession = { ...a1, id: 'sess-2', agentId: 6 };
        const b1: AgentSession = { ...a1, accountId: 'B' };
        for (const x of [a2, a1, b1]) await s.putAgentSession(x);
        assert.deepEqual(await s.listAgentSessions('A'), [a1, a2]);
        assert.equal(await s.deleteAgentSession('A', 'sess-1'), true);
        assert.equal(await s.deleteAgentSession('A', 'sess-1'), false);
        assert.equal(await s.getAgentSession('A', 'sess-1'), null);
        assert.deepEqual(await s.listAgentSessions('A'), [a2]);
        assert.deepEqual(await s.listAgentSessions('B'), [b1]);
        assert.deepEqual(await s.listAgentSessions('C'), []);
      });
      withStore('putLoginToken / getLoginToken / deleteLoginToken', async (s) => {
        const token: LoginToken = { accountId: 'A', agentId: 5, tokenHash: 'a'.repeat(64), csrf: 'csrf-1', expiresAt: T0 + 3_600_000 };
        const other: LoginToken = { ...token, tokenHash: 'b'.repeat(64), csrf: 'csrf-2' };
        await s.putLoginToken(token);
        await s.putLoginToken(other);
        assert.deepEqual(await s.getLoginToken(token.tokenHash), token);
        assert.equal(await s.getLoginToken('c'.repeat(64)), null);
        await s.deleteLoginToken(token.tokenHash);
        assert.equal(await s.getLoginToken(token.tokenHash), null);
        assert.deepEqual(await s.getLoginToken(other.tokenHash), other);
        await s.deleteLoginToken(token.tokenHash);
      });
      withStore('agent changes: the latest time wins, listed per account since a time, reset', async (s) => {
        await s.markAgentsChanged('A', [1, 2], T0);
        await s.markAgentsChanged('A', [2], T0 + 10);
        await s.markAgentsChanged('A', [1], T0 - 5); // an older mark never moves it back
        await s.markAgentsChanged('B', [1], T0 + 20);
        await s.markAgentsChanged('A', [], T0 + 30);
        assert.deepEqual(await s.agentsChangedSince('A', T0), [1, 2]);
        assert.deepEqual(await s.agentsChangedSince('A', T0 + 1), [2]);
        assert.deepEqual(await s.agentsChangedSince('A', T0 + 11), []);
        assert.deepEqual(await s.agentsChangedSince('B', 0), [1]);
        // Ids in any order, one twice: each agent marked once.
        await s.markAgentsChanged('B', [9, 3, 9, 1], T0 + 40);
        assert.deepEqual(await s.agentsChangedSince('B', T0 + 40), [1, 3, 9]);
        await s.markAgentsChanged('B', [9, 3, 9, 1], T0 + 40);
        await s.deleteActivity('A');
        assert.deepEqual(await s.agentsChangedSince('A', 0), []);
        assert.deepEqual(await s.agentsChangedSince('B', 0), [1, 3, 9]);
      });
      withStore('visitor identities: put, get by account and participant, expire, reset', async (s) => {
        const id: VisitorIdentity = {
          accountId: 'A', participantId: 'p-1', conversationId: 'c-1', expiresAt: T0 + 60_000,
          visitor: { participantInfo: { customerId: 'cust-1', balance: -400.99, registrationDate: { year: 2015, month: 6, day: 12 } }, personalInfo: { name: 'Ann', contacts: [{ email: 'a@example.com' }] } },
        };
        const old: VisitorIdentity = { ...id, participantId: 'p-2', expiresAt: T0 };
        const elsewhere: VisitorIdentity = { ...id, accountId: 'B' };
        for (const x of [id, old, elsewhere]) await s.putVisitorIdentity(x);
        assert.deepEqual(await s.getVisitorIdentity('A', 'p-1'), id);
        assert.deepEqual(await s.getVisitorIdentity('B', 'p-1'), elsewhere);
        assert.equal(await s.getVisitorIdentity('C', 'p-1'), null);
        // expiresAt == now is expired, as for login tokens.
        assert.equal(await s.deleteExpiredVisitorIdentities(T0), 1);
        assert.equal(await s.getVisitorIdentity('A', 'p-2'), null);
        await s.deleteActivity('A');
        assert.equal(await s.getVisitorIdentity('A', 'p-1'), null);
        assert.deepEqual(await s.getVisitorIdentity('B', 'p-1'), elsewhere);
      });
      withStore('deleteExpiredLoginTokens removes exactly the tokens expired at now', async (s) => {
        const base: LoginToken = { accountId: 'A', agentId: 5, tokenHash: 'a'.repeat(64), csrf: 'c', expiresAt: T0 };
        const live: LoginToken = { ...base, tokenHash: 'b'.repeat(64), expiresAt: T0 + 1 };
        const old: LoginToken = { ...base, tokenHash: 'c'.repeat(64), accountId: 'B', expiresAt: T0 - 60_000 };
        for (const t of [base, live, old]) await s.putLoginToken(t);
        // expiresAt == now is expired: authentication refuses a token at its expiry instant.
        assert.equal(await s.deleteExpiredLoginTokens(T0), 2);
        assert.equal(await s.getLoginToken(base.tokenHash), null);
        assert.equal(await s.getLoginToken(old.tokenHash), null);
        assert.deepEqual(await s.getLoginToken(live.tokenHash), live);
        assert.equal(await s.deleteExpiredLoginTokens(T0), 0);
        assert.equal(await s.deleteExpiredLoginTokens(T0 + 1), 1);
        assert.equal(await s.getLoginToken(live.tokenHash), null);
      });
    });

    describe('surveys', () => {
      const answers = [{ questionId: 11, values: ['yes'] }, { questionId: 12, values: ['a', 'b'] }];
      const offline = (accountId: string, id: string, time: number, over: Partial<OfflineSurveySubmission> = {}): OfflineSurveySubmission => ({
        accountId, id, time, surveyId: 40290, skillId: 10, answers, ...over,
      });
      withStore('survey answers kept with a chat round-trip through createChat and updateChat', async (s) => {
        const c = chat('A', 'c1', { preChatSurvey: { surveyId: 1, time: T0, answers } });
        await s.createChat(c, []);
        assert.deepEqual(await s.getChat('A', 'c1'), c);
        const ended = { ...c, version: 2, state: 'ended' as const, exitSurvey: { surveyId: 2, time: T0 + 1, answers }, agentSurvey: { surveyId: 3, time: T0 + 2, answers, agentId: 5 } };
        assert.equal(await s.updateChat(ended, []), true);
        assert.deepEqual(await s.getChat('A', 'c1'), ended);
      });
      withStore('an account\'s provisioned surveys round-trip with the account', async (s) => {
        const q = { id: 11, type: 'Radio Button' as const, validationType: 'alpha_numeric' as const, logicId: 1, order: 0, mandatory: true, label: 'Q?', maxLength: 0,
          entries: [{ value: 'yes', displayValue: 'Yes', checked: false, showLogicIds: [2] }] };
        const a = account('A', { surveys: { account: { exit: { id: 2, name: 'Exit', title: '', header: 'H', questions: [q] } }, skills: { '10': { offline: { id: 3, title: '', header: '', questions: [q] } } } } });
        await s.putAccount(a);
        assert.deepEqual(await s.getAccount('A'), a);
      });
      withStore('putOfflineSurvey / listOfflineSurveys: every field, oldest first, per account', async (s) => {
        assert.deepEqual(await s.listOfflineSurveys('A'), []);
        const full = offline('A', 'o2', T0 + 5, { visitorId: '123', visitorIp: '10.0.0.1', userAgent: 'UA', chatReferrer: 'http://x', sharkVisitorId: 'sv', sharkSessionId: 'ss', sharkContextId: '5', visitorSessionId: 'vs' });
        await s.putOfflineSurvey(full);
        await s.putOfflineSurvey(offline('A', 'o1', T0, { skillId: null }));
        await s.putOfflineSurvey(offline('B', 'o1', T0));
        await s.putOfflineSurvey(offline('A', 'o3', T0 + 5));
        assert.deepEqual(await s.listOfflineSurveys('A'), [offline('A', 'o1', T0, { skillId: null }), full, offline('A', 'o3', T0 + 5)]);
        assert.deepEqual(await s.listOfflineSurveys('B'), [offline('B', 'o1', T0)]);
      });
      withStore('putOfflineSurvey refuses a second submission with the same id in an account', async (s) => {
        await s.putOfflineSurvey(offline('A', 'o1', T0));
        await assert.rejects(s.putOfflineSurvey(offline('A', 'o1', T0 + 1)));
        assert.deepEqual(await s.listOfflineSurveys('A'), [offline('A', 'o1', T0)]);
      });
    });

    describe('listChats (inspection)', () => {
      withStore('lists an account\'s chats newest first, by state, up to a limit', async (s) => {
        await s.createChat(chat('A', 'old', { startTime: T0, state: 'ended', endTime: T0 + 5 }), []);
        await s.createChat(chat('A', 'mid', { startTime: T0 + 1000, state: 'chatting', agentId: 5 }), []);
        await s.createChat(chat('A', 'new', { startTime: T0 + 2000 }), []);
        await s.createChat(chat('B', 'other', { startTime: T0 + 3000 }), []);
        assert.deepEqual((await s.listChats('A', null, 10)).map((c) => c.id), ['new', 'mid', 'old']);
        assert.deepEqual((await s.listChats('A', 'chatting', 10)).map((c) => c.id), ['mid']);
        assert.deepEqual((await s.listChats('A', null, 2)).map((c) => c.id), ['new', 'mid']);
        assert.deepEqual(await s.listChats('C', null, 10), []);
        assert.deepEqual(await s.listChats('A', 'ended', 10), [await s.getChat('A', 'old')]);
      });
    });

    describe('reset (deleteActivity)', () => {
      const fill = async (s: ChatStore, acc: string): Promise<void> => {
        await s.putAccount(account(acc));
        await s.putAgent(agent(acc, 5, { availability: 'Online' }));
        await s.createChat(chat(acc, 'c1', { state: 'chatting', agentId: 5 }), [stateEvent(0, 'chatting'), lineEvent(1, 'hi')]);
        await s.putAgentSession({ accountId: acc, id: 'sess-1', agentId: 5, createdAt: T0, lastSeen: T0 });
        await s.putLoginToken({ accountId: acc, agentId: 5, tokenHash: acc.padEnd(64, 'x'), csrf: 'c', expiresAt: T0 + 60_000 });
        await s.putOfflineSurvey({ accountId: acc, id: 'o1', time: T0, surveyId: 1, skillId: null, answers: [] });
      };
      const activity = async (s: ChatStore, acc: string): Promise<unknown[]> => [
        await s.getChat(acc, 'c1'),
        (await s.listEvents(acc, 'c1', 0)).length,
        (await s.listAgentSessions(acc)).length,
        await s.getLoginToken(acc.padEnd(64, 'x')),
        (await s.listOfflineSurveys(acc)).length,
        (await s.listOpenDeadlines()).filter((d) => d.accountId === acc).length,
      ];
      withStore('deleteActivity(account) empties that account only and keeps its provisioning and sequence', async (s) => {
        await fill(s, 'A');
        await fill(s, 'B');
        assert.equal(await s.nextAccountSequence('A'), 1);
        await s.deleteActivity('A');
        assert.deepEqual(await activity(s, 'A'), [null, 0, 0, null, 0, 0]);
        const b = await activity(s, 'B');
        assert.notEqual(b[0], null);
        assert.deepEqual(b.slice(1), [2, 1, b[3], 1, 1]);
        assert.notEqual(b[3], null);
        assert.deepEqual(await s.getAccount('A'), account('A'));
        assert.equal((await s.getAgent('A', 5))?.availability, 'Online');
        assert.equal(await s.nextAccountSequence('A'), 2);
        // The chat id may be used again: nothing of the old chat is left behind.
        await s.createChat(chat('A', 'c1'), [stateEvent(0, 'waiting')]);
        assert.equal((await s.listEvents('A', 'c1', 0)).length, 1);
      });
      withStore('deleteActivity(null) empties every account', async (s) => {
        await fill(s, 'A');
        await fill(s, 'B');
        await s.deleteActivity(null);
        assert.deepEqual(await activity(s, 'A'), [null, 0, 0, null, 0, 0]);
        assert.deepEqual(await activity(s, 'B'), [null, 0, 0, null, 0, 0]);
        assert.equal((await s.listAccounts()).length, 2);
      });
    });

    it('ping resolves on an open, migrated store and rejects once it is closed', async () => {
      const s = await make();
      assert.equal(await s.ping(), undefined);
      await s.close();
      await assert.rejects(s.ping());
    });

    it('close resolves after writes', async () => {
      const s = await make();
      await s.putAccount(account('A'));
      assert.equal(await s.close(), undefined);
    });
  });
}
