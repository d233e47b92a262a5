// Bot agents (issue 13 §4): provisioned with a script, Online from the start, routed like a
// person, acting on the server's (virtual) clock through the agent operations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { ACCOUNT, BASE, KEY_HEADER, SKILL, startChat, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';
import type { Event } from '../helpers/wire.ts';

const C = '/_serverchat';
const BOT = { id: 900, name: 'Robo', loginName: 'robo', password: 'bot-pass', skills: [SKILL.id], maxChats: 2 };
const SUPPORT = { id: 31, name: 'Support' };

function withBot(bot: Record<string, unknown>, extraAgents: Provisioning['accounts'][number]['agents'] = []): Provisioning {
  const parsed = parseProvisioning({
    accounts: demoProvisioning.accounts.map((a) => ({ ...a, skills: [...a.skills, SUPPORT], agents: [{ ...BOT, bot }, ...extraAgents] })),
  });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  return parsed.value;
}

async function advance(t: TestApp, ms: number): Promise<void> {
  const res = await t.inject({ method: 'POST', url: `${C}/clock/advance`, payload: { ms } });
  assert.equal(res.statusCode, 200, res.body);
}

async function say(t: TestApp, chat: string, text: string): Promise<void> {
  const res = await t.inject({ method: 'POST', url: `${chat}/events.json?v=1`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text } } });
  assert.equal(res.statusCode, 201, res.body);
}

async function stateOf(t: TestApp, chat: string): Promise<string> {
  const res = await t.inject({ method: 'GET', url: `${C}/chats/${ACCOUNT}/${chat.split('/').pop()}` });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { state: string }).state;
}

const agentLines = (events: Event[]): string[] => events.filter((e) => e['@type'] === 'line' && e.source === 'agent').map((e) => String(e.text));
const opts = (p: Provisioning) => ({ provisioning: p, control: { virtualClock: true } });

describe('bot agents', () => {
  it('is Online from the start with no session, accepts after acceptAfterMs and greets', async () => {
    await withApp(opts(withBot({ acceptAfterMs: 2000, greeting: 'Hi, I am Robo.' })), async (t) => {
      const agents = (await t.inject({ method: 'GET', url: `${C}/agents` })).json() as { agents: Array<{ loginName: string; availability: string; bot: boolean }> };
      assert.deepEqual(agents.agents.find((a) => a.loginName === 'robo'), { ...agents.agents.find((a) => a.loginName === 'robo'), availability: 'Online', bot: true });
      const chat = await startChat(t);
      await advance(t, 1999);
      assert.equal(await stateOf(t, chat), 'waiting');
      await advance(t, 1);
      const events = await visitorEvents(t, chat);
      assert.ok(events.some((e) => e['@type'] === 'state' && e.state === 'chatting'));
      assert.deepEqual(agentLines(events), ['Hi, I am Robo.']);
      assert.equal(events.find((e) => e.text === 'Hi, I am Robo.')?.by, 'Robo');
    });
  });

  it('shows typing for typingMs before a matching reply, after afterMs; default answers the rest', async () => {
    const script = { replies: [{ match: 'price|cost', reply: 'It is 10 EUR.', afterMs: 1000, typingMs: 3000 }], default: 'Tell me more.' };
    await withApp(opts(withBot(script)), async (t) => {
      const chat = await startChat(t);
      await advance(t, 0);
      await say(t, chat, 'What is the PRICE?');
      const typing = async (): Promise<string> => (await t.inject({ method: 'GET', url: `${chat}/info/agentTyping.json?v=1`, headers: KEY_HEADER })).json().agentTyping;
      await advance(t, 999);
      assert.equal(await typing(), 'not-typing');
      await advance(t, 1);
      assert.equal(await typing(), 'typing');
      // The control plane shows what the bot will do, and when.
      const rec = (await t.inject({ method: 'GET', url: `${C}/chats/${ACCOUNT}/${chat.split('/').pop()}` })).json() as { timers: Array<{ kind: string }> };
      assert.ok(rec.timers.some((x) => x.kind === 'bot-line'), JSON.stringify(rec.timers));
      assert.deepEqual(agentLines(await visitorEvents(t, chat)), []);
      await advance(t, 3000);
      assert.equal(await typing(), 'not-typing');
      await say(t, chat, 'hmm');
      await advance(t, 0);
      assert.deepEqual(agentLines(await visitorEvents(t, chat)), ['It is 10 EUR.', 'Tell me more.']);
    });
  });

  it('ends the chat on endOn, and after endAfterLines lines', async () => {
    await withApp(opts(withBot({ greeting: 'Hello', default: 'OK', endOn: '^bye', endAfterLines: 3 })), async (t) => {
      const a = await startChat(t);
      await advance(t, 0);
      await say(t, a, 'Bye now');
      await advance(t, 0);
      const ea = await visitorEvents(t, a);
      assert.deepEqual(agentLines(ea), ['Hello']);
      assert.equal(ea.at(-1)?.state, 'ended');
      const b = await startChat(t);
      await advance(t, 0);
      await say(t, b, 'one');
      await advance(t, 0);
      await say(t, b, 'two');
      await advance(t, 0);
      const eb = await visitorEvents(t, b);
      assert.deepEqual(agentLines(eb), ['Hello', 'OK', 'OK']);
      assert.equal(eb.at(-1)?.state, 'ended');
    });
  });

  it('transfers to a skill on a matching line; routing respects maxChats', async () => {
    const human = { id: 901, name: 'Hugo', loginName: 'hugo', password: 'pw', skills: [SUPPORT.id], maxChats: 4 };
    await withApp(opts(withBot({ replies: [{ match: 'human', reply: 'Passing you on.', transferTo: SUPPORT.id }] }, [human])), async (t) => {
      const login = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload: { username: 'hugo', password: 'pw' } });
      const auth = { authorization: `Bearer ${login.json().bearer}` };
      const s = await t.inject({ method: 'POST', url: `${BASE}/agentSession.json?v=1`, headers: auth, payload: { loginData: '' } });
      const session = new URL(s.headers.location as string).pathname;
      await t.inject({ method: 'POST', url: `${session}/availability.json?v=1`, headers: { ...auth, 'x-http-method-override': 'PUT' }, payload: { availability: { chat: 'Online' } } });
      const chat = await startChat(t);
      await advance(t, 0);
      await say(t, chat, 'a human please');
      await advance(t, 0);
      const rec = (await t.inject({ method: 'GET', url: `${C}/chats/${ACCOUNT}/${chat.split('/').pop()}` })).json() as { state: string; skill: { id: number }; ringingAgent: { id: number } | null };
      assert.equal(rec.skill.id, SUPPORT.id);
      assert.equal(rec.ringingAgent?.id, human.id);
      assert.deepEqual(agentLines(await visitorEvents(t, chat)), ['Passing you on.']);
      // maxChats 2: a third chat waits.
      await startChat(t);
      await startChat(t);
      const third = await startChat(t);
      await advance(t, 0);
      assert.equal(await stateOf(t, third), 'waiting');
    });
  });

  it('a bad script is listed with its place', () => {
    const parsed = parseProvisioning({
      accounts: [{ id: 'a', appKeys: ['k'], skills: [{ id: 1, name: 'S' }], agents: [{ ...BOT, skills: [1], bot: { acceptAfterMs: -1, replies: [{ match: '(', reply: '' , transferTo: 99 }], endOn: '[', x: 1 } }] }],
    });
    assert.ok(!parsed.ok);
    assert.deepEqual(parsed.problems.map((p) => p.split(':')[0]), [
      'accounts[0].agents[0].bot.x',
      'accounts[0].agents[0].bot.acceptAfterMs',
      'accounts[0].agents[0].bot.endOn',
      'accounts[0].agents[0].bot.replies[0].match',
      'accounts[0].agents[0].bot.replies[0].reply',
      'accounts[0].agents[0].bot.replies[0].transferTo',
    ]);
  });

  it('reset puts bots back Online; a bot added by PUT /provisioning takes waiting chats', async () => {
    await withApp({ control: { virtualClock: true } }, async (t) => {
      const chat = await startChat(t);
      const res = await t.inject({ method: 'PUT', url: `${C}/provisioning`, payload: withBot({ greeting: 'Here now.' }) });
      assert.equal(res.statusCode, 200, res.body);
      await advance(t, 0);
      assert.deepEqual(agentLines(await visitorEvents(t, chat)), ['Here now.']);
      await t.inject({ method: 'POST', url: `${C}/reset` });
      const agents = (await t.inject({ method: 'GET', url: `${C}/agents` })).json() as { agents: Array<{ loginName: string; availability: string }> };
      assert.deepEqual(agents.agents.map((a) => [a.loginName, a.availability]).sort(), [['natalie', 'Offline'], ['robo', 'Online']]);
    });
  });
});
