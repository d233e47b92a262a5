// `url` and `a2a-transfer` events (spec §4.9, §4.21): the visitor reports a page, the agent
// pushes one; the agent moves a chat to another account and the visitor follows the event's
// chatRequestParameters there. JSON and XML.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Provisioning } from '../../src/provisioning/provisioning.ts';
import { agentAccepted, agentOnline, KEY_HEADER, locationPath, startChat, TOM, visitorEvents, withApp, withTom, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { asArray, FORMATS, lastSegment, list, obj, ORIGIN, parseXmlRoot, read, type ErrorDoc, type Event, type Fmt } from '../helpers/wire.ts';

const TARGET = { id: '87654321', appKey: 'target-key-0001', skill: { id: 31000001, name: 'Support' } };
const twoAccounts: Provisioning = {
  accounts: [
    ...withTom.accounts,
    { id: TARGET.id, appKeys: [TARGET.appKey], chatTimeout: 40, language: 'en-US', skills: [TARGET.skill], agents: [] },
  ],
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** POSTs one url event to `eventsUrl` in `fmt`. */
function postUrl(t: TestApp, eventsUrl: string, fmt: Fmt, url: string | undefined, headers: Record<string, string>): Promise<LightMyRequestResponse> {
  if (fmt === 'json') return t.inject({ method: 'POST', url: `${eventsUrl}.json`, headers, payload: { event: { '@type': 'url', ...(url === undefined ? {} : { url }) } } });
  const body = `<event type="url">${url === undefined ? '' : `<url>${esc(url)}</url>`}</event>`;
  return t.inject({ method: 'POST', url: eventsUrl, headers: { ...headers, 'content-type': 'application/xml', accept: 'application/xml' }, payload: body });
}

/** The chat's events in `fmt`, as the visitor (or, with `agent`, the agent) sees them. */
async function events(t: TestApp, chat: string, fmt: Fmt, headers: Record<string, string> = KEY_HEADER): Promise<Record<string, unknown>[]> {
  const res = await t.inject({ method: 'GET', url: `${chat}/events${fmt === 'json' ? '.json' : ''}`, headers: { ...headers, ...(fmt === 'xml' ? { accept: 'application/xml' } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  if (fmt === 'json') return asArray((res.json() as { events: { event?: Record<string, unknown> | Record<string, unknown>[] } }).events.event);
  return list(obj(parseXmlRoot(res.body).events).event);
}

const attr = (e: Record<string, unknown>, name: string): unknown => e[`@${name}`];

for (const fmt of FORMATS) {
  describe(`url events (${fmt})`, () => {
    test('the visitor reports a page and the agent pushes one; both sides see both', async () => {
      await withApp({}, async (t) => {
        const { agent, visitorChat, agentChat } = await agentAccepted(t);
        const mine = await postUrl(t, `${visitorChat}/events`, fmt, 'https://shop.example.com/cart?id=1&x=2', KEY_HEADER);
        assert.equal(mine.statusCode, 201, mine.body);
        const pushed = await postUrl(t, `${agentChat}/events`, fmt, 'https://help.example.com/returns', agent.auth);
        assert.equal(pushed.statusCode, 201, pushed.body);
        const seen = (await events(t, visitorChat, fmt)).filter((e) => attr(e, 'type') === 'url');
        assert.deepEqual(seen.map((e) => [e.url, e.by, e.source]), [
          ['https://shop.example.com/cart?id=1&x=2', 'You', 'visitor'],
          ['https://help.example.com/returns', 'Natalie', 'agent'],
        ]);
        assert.equal(typeof attr(seen[0] ?? {}, 'id'), 'string');
        const agentSeen = (await events(t, agentChat, fmt, agent.auth)).filter((e) => attr(e, 'type') === 'url');
        assert.deepEqual(agentSeen.map((e) => e.by), ['visitor', 'Natalie']);
        // The Location of the posted event answers with it.
        const one = await t.inject({ method: 'GET', url: `${locationPath(mine)}.json`, headers: KEY_HEADER });
        assert.equal((one.json() as { event: Event & { url: string } }).event.url, 'https://shop.example.com/cart?id=1&x=2');
      });
    });

    test('a bad url is 400 and stores nothing; an ended chat is 409; an agent must hold the chat', async () => {
      await withApp({}, async (t) => {
        const { agent, visitorChat, agentChat } = await agentAccepted(t);
        const before = (await visitorEvents(t, visitorChat)).length;
        for (const bad of ['javascript:alert(1)', 'not a url', '/relative/path', 'ftp://files.example.com/x', `https://example.com/${'a'.repeat(2048)}`, undefined]) {
          const res = await postUrl(t, `${visitorChat}/events`, fmt, bad, KEY_HEADER);
          assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
          assert.match(read<ErrorDoc>(res, fmt).error.message, /url/);
        }
        assert.equal((await postUrl(t, `${agentChat}/events`, fmt, 'mailto:x@example.com', agent.auth)).statusCode, 400);
        assert.equal((await visitorEvents(t, visitorChat)).length, before, 'nothing stored');
        // Another chat rings for the agent: it may not push there before accepting.
        const second = await startChat(t);
        const ringing = `${agent.session}/chat/${lastSegment(second)}`;
        assert.equal((await postUrl(t, `${ringing}/events`, fmt, 'https://a.example.com/', agent.auth)).statusCode, 409);
        await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
        assert.equal((await postUrl(t, `${visitorChat}/events`, fmt, 'https://a.example.com/', KEY_HEADER)).statusCode, 409);
      });
    });
  });

  describe(`a2a transfer (${fmt})`, () => {
    const transfer = (t: TestApp, agent: AgentHandle, agentChat: string, body: unknown) =>
      t.inject({ method: 'POST', url: `${agentChat}/transferAccount${fmt === 'json' ? '.json' : ''}`, headers: { ...agent.auth, ...(fmt === 'xml' ? { 'content-type': 'application/xml', accept: 'application/xml' } : {}) }, payload: fmt === 'json' ? (body as object) : String(body) });
    const xmlBody = (remote: string, skill: string) => `<transferAccount><remoteSiteId>${remote}</remoteSiteId><skill>${skill}</skill></transferAccount>`;
    const body = (remote: string, skill: string) => (fmt === 'json' ? { transferAccount: { remoteSiteId: remote, skill } } : xmlBody(remote, skill));

    test('the visitor gets an a2a-transfer event, the chat ends, and its parameters start a chat on the target', async () => {
      await withApp({ provisioning: twoAccounts }, async (t) => {
        const { agent, visitorChat, agentChat } = await agentAccepted(t);
        const rt = (await t.store.getChat('12345678', lastSegment(visitorChat)))?.rtSessionId;
        const res = await transfer(t, agent, agentChat, body(TARGET.id, 'support'));
        assert.equal(res.statusCode, 200, res.body);
        const all = await events(t, visitorChat, fmt);
        const [a2a, ended] = all.slice(-2);
        assert.equal(attr(a2a ?? {}, 'type'), 'a2a-transfer');
        assert.equal(attr(ended ?? {}, 'type'), 'state');
        assert.equal(ended?.state, 'ended');
        const e = a2a ?? {};
        const link = obj(e.link);
        assert.equal(link['@href'], `${ORIGIN}/api/account/${TARGET.id}/chat/request`);
        assert.equal(link['@rel'], 'a2a-transfer');
        assert.equal(e.domain, 'localhost:80');
        assert.equal(String(e.remoteSiteId), TARGET.id);
        const params = obj(e.chatRequestParameters);
        assert.deepEqual(
          Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
          { a2aEventId: String(attr(e, 'id')), a2aSourceSessionId: String(rt), a2aSourceSiteId: '12345678', skill: 'Support' },
        );
        if (fmt === 'json') assert.equal(typeof e.remoteSiteId, 'number', 'numeric account ids are JSON numbers, as in the vendor example');
        // The agent sees the same event; the agent's chat has ended.
        const agentEvents = await events(t, agentChat, fmt, agent.auth);
        assert.ok(agentEvents.some((x) => attr(x, 'type') === 'a2a-transfer'));
        // The visitor follows: chatRequestParameters as the Start Chat body on the target.
        const json = (await t.inject({ method: 'GET', url: `${visitorChat}/events.json`, headers: KEY_HEADER })).json() as { events: { event: Record<string, unknown>[] } };
        const crp = asArray(json.events.event).find((x) => x['@type'] === 'a2a-transfer')?.chatRequestParameters;
        const start = await t.inject({ method: 'POST', url: new URL(String(link['@href'])).pathname + '.json', headers: { authorization: `LivePerson appKey=${TARGET.appKey}` }, payload: { request: crp } });
        assert.equal(start.statusCode, 201, start.body);
        const moved = await t.store.getChat(TARGET.id, lastSegment(locationPath(start)));
        assert.equal(moved?.skillId, TARGET.skill.id);
        assert.deepEqual([moved?.origin.a2aSourceSiteId, moved?.origin.a2aSourceSessionId, moved?.origin.a2aEventId], ['12345678', String(rt), String(attr(e, 'id'))]);
        // The three ids go together: one alone is 400 and creates no chat.
        const waiting = (await t.store.listWaitingChats(TARGET.id)).length;
        const partial = await t.inject({ method: 'POST', url: `/api/account/${TARGET.id}/chat/request.json`, headers: { authorization: `LivePerson appKey=${TARGET.appKey}` }, payload: { request: { skill: 'Support', a2aEventId: 4 } } });
        assert.equal(partial.statusCode, 400, partial.body);
        assert.equal((await t.store.listWaitingChats(TARGET.id)).length, waiting);
      });
    });

    test('bad targets are 400, a chat the agent does not hold is refused, and nothing changes', async () => {
      await withApp({ provisioning: twoAccounts }, async (t) => {
        const { agent, visitorChat, agentChat } = await agentAccepted(t);
        const before = (await visitorEvents(t, visitorChat)).length;
        for (const [remote, skill, status] of [
          ['99999999', 'Support', 400],
          ['12345678', 'Sales', 400],
          [TARGET.id, 'Nope', 400],
        ] as const) {
          const res = await transfer(t, agent, agentChat, body(remote, skill));
          assert.equal(res.statusCode, status, `${remote}/${skill}: ${res.body}`);
          read<ErrorDoc>(res, fmt);
        }
        const missing = await transfer(t, agent, agentChat, fmt === 'json' ? { transferAccount: { skill: 'Support' } } : '<transferAccount><skill>Support</skill></transferAccount>');
        assert.equal(missing.statusCode, 400);
        const other = await agentOnline(t, { online: false, login: TOM.loginName, password: TOM.password });
        const notMine = await transfer(t, other, `${other.session}/chat/${lastSegment(visitorChat)}`, body(TARGET.id, 'Support'));
        assert.equal(notMine.statusCode, 403, notMine.body);
        const unknownChat = await transfer(t, agent, `${agent.session}/chat/H1-0K1`, body(TARGET.id, 'Support'));
        assert.equal(unknownChat.statusCode, 404);
        assert.equal((await visitorEvents(t, visitorChat)).length, before, 'nothing stored');
        assert.equal((await t.store.getChat('12345678', lastSegment(visitorChat)))?.state, 'chatting');
        assert.equal((await t.store.listWaitingChats(TARGET.id)).length, 0);
      });
    });
  });
}
