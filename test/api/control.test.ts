// The control plane (issue 13 §1–3): access, reset, runtime provisioning, inspection and the
// virtual clock, in-process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoProvisioning } from '../../src/provisioning/provisioning.ts';
import { ACCOUNT, AGENT, agentAccepted, agentOnline, APP_KEY, BASE, KEY_HEADER, SKILL, startChat, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';

const C = '/_serverchat';
const control = { control: { virtualClock: true } };

async function get(t: TestApp, url: string, status = 200): Promise<Record<string, unknown>> {
  const res = await t.inject({ method: 'GET', url });
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return res.json() as Record<string, unknown>;
}

async function call(t: TestApp, method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, status = 200): Promise<Record<string, unknown>> {
  const res = await t.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  assert.equal(res.statusCode, status, res.body);
  return res.body === '' ? {} : (res.json() as Record<string, unknown>);
}

describe('control plane: access', () => {
  it('is absent without --control: its paths are vendor 404s', async () => {
    await withApp({}, async (t) => {
      const res = await t.inject({ method: 'GET', url: `${C}/clock` });
      assert.equal(res.statusCode, 404);
      assert.equal((res.json() as { error: { reason: string } }).error.reason, 'NOT_FOUND');
    });
  });
  it('answers loopback clients without a token, others 403', async () => {
    await withApp(control, async (t) => {
      await get(t, `${C}/clock`);
      const res = await t.inject({ method: 'GET', url: `${C}/clock`, remoteAddress: '10.1.2.3' });
      assert.equal(res.statusCode, 403);
      assert.equal((res.json() as { error: { code: string } }).error.code, 'forbidden');
    });
  });
  it('with a token requires Authorization: Bearer T, from anywhere', async () => {
    await withApp({ control: { token: 'sekret-token', virtualClock: true } }, async (t) => {
      for (const headers of [{}, { authorization: 'Bearer wrong-token!' }]) {
        const res = await t.inject({ method: 'GET', url: `${C}/clock`, headers });
        assert.equal(res.statusCode, 401);
        assert.match((res.json() as { error: { message: string } }).error.message, /Bearer/);
      }
      const ok = await t.inject({ method: 'GET', url: `${C}/clock`, headers: { authorization: 'Bearer sekret-token' }, remoteAddress: '10.1.2.3' });
      assert.equal(ok.statusCode, 200);
    });
  });
  it('answers unknown control paths and bad bodies with JSON errors', async () => {
    await withApp(control, async (t) => {
      const nf = await get(t, `${C}/nope`, 404);
      assert.deepEqual(Object.keys(nf.error as object), ['code', 'message']);
      const bad = await call(t, 'POST', `${C}/clock/advance`, { ms: -5 }, 400);
      assert.match((bad.error as { message: string }).message, /ms/);
    });
  });
});

describe('control plane: reset', () => {
  it('removes chats, events, sessions, tokens and timers, and is fast', async () => {
    await withApp(control, async (t) => {
      const { agentChat } = await agentAccepted(t);
      await startChat(t);
      assert.equal(((await get(t, `${C}/chats`)).chats as unknown[]).length, 2);
      assert.ok(t.domain.scheduler.size > 0);
      const started = performance.now();
      const res = await call(t, 'POST', `${C}/reset`);
      assert.ok(performance.now() - started < 50, 'reset took 50 ms or more');
      assert.equal(res.reset, 'all');
      assert.deepEqual((await get(t, `${C}/chats`)).chats, []);
      assert.equal(t.domain.scheduler.size, 0);
      const agents = (await get(t, `${C}/agents`)).agents as Array<{ availability: string; sessions: unknown[] }>;
      assert.deepEqual(agents.map((a) => [a.availability, a.sessions.length]), [['Offline', 0]]);
      // The agent's bearer is gone with the reset; the chat too.
      const old = await t.inject({ method: 'GET', url: agentChat, headers: { authorization: 'Bearer x' } });
      assert.equal(old.statusCode, 401);
      // The provisioning stays: a new visitor chats as before.
      const chat = await startChat(t);
      assert.equal((await visitorEvents(t, chat)).length, 2);
    });
  });
  it('resets one account only with {"accountId"}; an unknown account is 404', async () => {
    const two = { accounts: [...demoProvisioning.accounts, { ...demoProvisioning.accounts[0]!, id: 'other', appKeys: ['other-key'], agents: [] }] };
    await withApp({ ...control, provisioning: two }, async (t) => {
      await startChat(t);
      const res = await t.inject({ method: 'POST', url: '/api/account/other/chat/request.json?v=1', headers: { authorization: 'LivePerson appKey=other-key' }, payload: { request: {} } });
      assert.equal(res.statusCode, 201);
      await call(t, 'POST', `${C}/reset`, { accountId: ACCOUNT });
      const left = (await get(t, `${C}/chats`)).chats as Array<{ accountId: string }>;
      assert.deepEqual(left.map((c) => c.accountId), ['other']);
      const unknown = await call(t, 'POST', `${C}/reset`, { accountId: 'nobody' }, 404);
      assert.equal((unknown.error as { code: string }).code, 'not-found');
    });
  });
});

describe('control plane: provisioning', () => {
  it('GET shows what is in force without password hashes', async () => {
    await withApp(control, async (t) => {
      const doc = await get(t, `${C}/provisioning`);
      const [account] = doc.accounts as Array<{ id: string; appKeys: string[]; agents: Array<Record<string, unknown>> }>;
      assert.equal(account?.id, ACCOUNT);
      assert.deepEqual(account?.appKeys, [APP_KEY]);
      assert.equal(account?.agents[0]?.loginName, AGENT.loginName);
      assert.ok(!JSON.stringify(doc).includes('passwordHash'));
      assert.ok(!JSON.stringify(doc).includes('"password"'));
    });
  });
  it('PUT applies a document at runtime; a bad one lists every problem and changes nothing', async () => {
    await withApp(control, async (t) => {
      const bad = await call(t, 'PUT', `${C}/provisioning`, { accounts: [{ id: 'x y', appKeys: [] }] }, 400);
      const err = bad.error as { code: string; problems: string[] };
      assert.equal(err.code, 'bad-provisioning');
      assert.equal(err.problems.length, 2, err.problems.join('\n'));
      assert.equal(((await get(t, `${C}/provisioning`)).accounts as unknown[]).length, 1);
      const added = { id: 'acme', appKeys: ['acme-key'], skills: [{ id: 7, name: 'Help' }], agents: [{ id: 70, name: 'Ann', loginName: 'ann', password: 'pw', skills: [7] }] };
      const doc = await call(t, 'PUT', `${C}/provisioning`, { accounts: [added] });
      assert.deepEqual((doc.accounts as Array<{ id: string }>).map((a) => a.id), ['12345678', 'acme'].sort());
      const login = await t.inject({ method: 'POST', url: '/api/account/acme/login?v=1.3', payload: { username: 'ann', password: 'pw' } });
      assert.equal(login.statusCode, 200);
    });
  });
});

describe('control plane: inspection', () => {
  it('lists chats with state, skill, agent, times and deadline; filters by account and state', async () => {
    await withApp(control, async (t) => {
      await agentAccepted(t);
      await startChat(t);
      const all = (await get(t, `${C}/chats`)).chats as Array<Record<string, unknown>>;
      assert.equal(all.length, 2);
      const chatting = (await get(t, `${C}/chats?accountId=${ACCOUNT}&state=chatting`)).chats as Array<Record<string, unknown>>;
      assert.equal(chatting.length, 1);
      const c = chatting[0]!;
      assert.deepEqual(c.skill, { id: SKILL.id, name: SKILL.name });
      assert.deepEqual(c.agent, { id: AGENT.id, name: AGENT.name });
      assert.equal(c.state, 'chatting');
      assert.equal(c.start, new Date(t.clock.now()).toISOString());
      assert.equal(c.deadline, new Date(t.clock.now() + 40_000).toISOString());
      assert.deepEqual(Object.keys(c), ['id', 'accountId', 'state', 'skill', 'agent', 'ringingAgent', 'start', 'lastUpdate', 'deadline', 'end']);
      await get(t, `${C}/chats?state=gone`, 400);
      await get(t, `${C}/chats?accountId=nobody`, 404);
    });
  });
  it('returns a whole chat: agent-only lines, typing, custom variables, surveys and pending timers', async () => {
    await withApp(control, async (t) => {
      const { agent, visitorChat, agentChat } = await agentAccepted(t);
      const note = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'for reps', subType: 'ONLY_TO_REP' } } });
      assert.equal(note.statusCode, 201, note.body);
      await t.inject({ method: 'POST', url: `${visitorChat}/info/visitorTyping.json?v=1`, headers: { ...KEY_HEADER, 'x-http-method-override': 'PUT' }, payload: { visitorTyping: 'typing' } });
      await t.inject({ method: 'POST', url: `${visitorChat}/customVariables.json?v=1`, headers: { ...KEY_HEADER, 'x-http-method-override': 'PUT' }, payload: { customVariables: { customVariable: [{ name: 'plan', value: 'gold' }] } } });
      const chatId = visitorChat.split('/').pop()!;
      const rec = await get(t, `${C}/chats/${ACCOUNT}/${chatId}`);
      const events = rec.events as Array<{ text?: string; subType?: string }>;
      assert.ok(events.some((e) => e.text === 'for reps' && e.subType === 'ONLY_TO_REP'));
      assert.deepEqual(rec.typing, { visitor: 'typing', agent: 'not-typing' });
      assert.deepEqual(rec.customVariables, [{ name: 'plan', value: 'gold' }]);
      assert.deepEqual(rec.surveys, { preChat: null, exit: null, agent: null });
      const timers = rec.timers as Array<{ kind: string; due: string }>;
      assert.deepEqual(timers.map((x) => x.kind), ['visitorTyping', 'chatTimeout']);
      assert.equal(timers[1]!.due, new Date(t.clock.now() + 40_000).toISOString());
      await get(t, `${C}/chats/${ACCOUNT}/nope`, 404);
    });
  });
  it('lists agents with availability, sessions and load', async () => {
    await withApp(control, async (t) => {
      await agentOnline(t);
      await startChat(t);
      const [a] = (await get(t, `${C}/agents?accountId=${ACCOUNT}`)).agents as Array<{ availability: string; sessions: Array<{ expires: string }>; load: number; bot: boolean }>;
      assert.equal(a?.availability, 'Online');
      assert.equal(a?.sessions.length, 1);
      assert.equal(a?.sessions[0]?.expires, new Date(t.clock.now() + 300_000).toISOString());
      assert.equal(a?.load, 1);
      assert.equal(a?.bot, false);
    });
  });
});

describe('control plane: virtual clock', () => {
  it('GET says the time and mode; the system clock cannot be moved', async () => {
    await withApp(control, async (t) => {
      assert.deepEqual(await get(t, `${C}/clock`), { now: new Date(t.clock.now()).toISOString(), mode: 'manual' });
    });
    await withApp({ control: {} }, async (t) => {
      assert.equal((await get(t, `${C}/clock`)).mode, 'system');
      const res = await call(t, 'POST', `${C}/clock/advance`, { ms: 1000 }, 409);
      assert.equal((res.error as { code: string }).code, 'system-clock');
    });
  });
  it('advance fires the chat timeout at its own time before answering; PUT only jumps forward', async () => {
    await withApp(control, async (t) => {
      const chat = await startChat(t);
      const start = t.clock.now();
      const moved = await call(t, 'POST', `${C}/clock/advance`, { ms: 60_000 });
      assert.equal(moved.now, new Date(start + 60_000).toISOString());
      const events = await visitorEvents(t, chat);
      const ended = events.find((e) => e['@type'] === 'state' && e.state === 'ended');
      assert.ok(ended, JSON.stringify(events));
      // Stamped when it fell due (40 s), not when the clock stopped (60 s).
      assert.equal(ended.time, new Date(start + 40_000).toISOString().replace('Z', '+00:00'));
      const back = await call(t, 'PUT', `${C}/clock`, { now: new Date(start).toISOString() }, 400);
      assert.match((back.error as { message: string }).message, /forward/);
      const jumped = await call(t, 'PUT', `${C}/clock`, { now: '2030-01-01T00:00:00Z' });
      assert.equal(jumped.now, '2030-01-01T00:00:00.000Z');
    });
  });
  it('advance fires ring timeouts, maxWaitTime and agent-session expiry in deadline order', async () => {
    await withApp(control, async (t) => {
      await agentOnline(t);
      // Rings for Natalie (20 s window) and may wait 30 s: the window closes first, she goes
      // Away, nobody else can take it, and maxWaitTime ends it at 30 s; her session expires at 300 s.
      const chat = await startChat(t, { skill: 'Sales', maxWaitTime: 30 });
      const start = t.clock.now();
      const rec = await get(t, `${C}/chats/${ACCOUNT}/${chat.split('/').pop()}`);
      assert.deepEqual((rec.timers as Array<{ kind: string }>).map((x) => x.kind), ['ringTimeout', 'maxWaitTime', 'chatTimeout']);
      await call(t, 'POST', `${C}/clock/advance`, { ms: 300_000 });
      const events = await visitorEvents(t, chat);
      const ended = events.find((e) => e['@type'] === 'state' && e.state === 'ended');
      assert.equal(ended?.time, new Date(start + 30_000).toISOString().replace('Z', '+00:00'));
      const [a] = (await get(t, `${C}/agents`)).agents as Array<{ availability: string; sessions: unknown[] }>;
      assert.deepEqual([a?.availability, a?.sessions.length], ['Offline', 0]);
    });
  });
});
