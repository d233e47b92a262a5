// chatTimeout and typing expiry (spec §3 "Timers"), driven by the ManualClock: no sleeping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTime } from '../../src/api/representations/time.ts';
import { ACCOUNT, agentAccepted, agentOnline, KEY_HEADER, startChat, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';
import { lastSegment } from '../helpers/wire.ts';

/** The chat's state straight from the store: reading it this way is not a request that keeps it alive. */
async function storedState(t: TestApp, chat: string): Promise<string | undefined> {
  return (await t.store.getChat(ACCOUNT, lastSegment(chat)))?.state;
}

/** Asserts the chat ended by timeout: system message 6, then `ended`, both stamped at `at`. */
async function assertTimedOut(t: TestApp, chat: string, at: number): Promise<void> {
  const events = await visitorEvents(t, chat);
  const tail = events.slice(-2);
  assert.deepEqual(
    tail.map((e) => [e['@type'], e.systemMessageId ?? e.state, e.time]),
    [
      ['line', 6, formatTime(at)],
      ['state', 'ended', formatTime(at)],
    ],
  );
  assert.equal(tail[0]?.source, 'system');
  // Exactly one disconnect: the timer fired once.
  assert.equal(events.filter((e) => e.systemMessageId === 6).length, 1);
  const info = (await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).json() as { info: { state: string } };
  assert.equal(info.info.state, 'ended');
}

test('a chat with chatTimeout 40 ends 40 s after the last visitor request', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const { agent, visitorChat: chat } = await agentAccepted(t);
    await t.tick(39_999);
    assert.equal(await storedState(t, chat), 'chatting');
    await t.tick(1);
    assert.equal(await storedState(t, chat), 'ended');
    await assertTimedOut(t, chat, start + 40_000);
    // The agent is free again.
    const ir = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth });
    assert.equal((ir.json() as { incomingRequests: { ringingCount: string } }).incomingRequests.ringingCount, '0');
  });
});

test('the timeout event is stamped at the deadline even when the clock jumps past it', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const chat = await startChat(t);
    await t.tick(3_600_000);
    assert.equal(await storedState(t, chat), 'ended');
    await assertTimedOut(t, chat, start + 40_000);
  });
});

test('a visitor request at 30 s pushes the deadline to 70 s', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const { visitorChat: chat } = await agentAccepted(t);
    await t.tick(30_000);
    const info = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER });
    assert.equal(info.statusCode, 200);
    assert.equal((info.json() as { info: { lastUpdate: string } }).info.lastUpdate, formatTime(start + 30_000));
    await t.tick(10_000); // 40 s: the old deadline
    assert.equal(await storedState(t, chat), 'chatting');
    await t.tick(29_999);
    assert.equal(await storedState(t, chat), 'chatting');
    await t.tick(1);
    assert.equal(await storedState(t, chat), 'ended');
    await assertTimedOut(t, chat, start + 70_000);
  });
});

test('every kind of visitor request keeps the chat alive', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const chat = await startChat(t);
    const requests: Array<{ method: 'GET' | 'POST' | 'PUT'; url: string; payload?: Record<string, unknown> }> = [
      { method: 'GET', url: `${chat}.json` },
      { method: 'GET', url: `${chat}/events.json` },
      { method: 'GET', url: `${chat}/info/visitorName.json` },
      { method: 'GET', url: `${chat}/info/agentTyping.json` },
      { method: 'PUT', url: `${chat}/info/visitorTyping.json`, payload: { visitorTyping: 'typing' } },
      { method: 'PUT', url: `${chat}/info/visitorName.json`, payload: { visitorName: 'Ann' } },
      { method: 'POST', url: `${chat}/events.json`, payload: { event: { '@type': 'line', text: 'anyone there?' } } },
    ];
    for (const r of requests) {
      await t.tick(35_000);
      const res = await t.inject({ ...r, headers: KEY_HEADER });
      assert.ok(res.statusCode < 300, `${r.method} ${r.url}: ${res.statusCode} ${res.body}`);
      assert.equal(await storedState(t, chat), 'waiting', `${r.method} ${r.url}`);
    }
    const last = start + 35_000 * requests.length;
    await t.tick(40_000);
    await assertTimedOut(t, chat, last + 40_000);
  });
});

test('agent requests do not keep the chat alive', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const { agent, visitorChat: chat, agentChat } = await agentAccepted(t);
    for (let s = 5; s < 40; s += 5) {
      await t.tick(5_000);
      const polls = [
        await t.inject({ method: 'GET', url: `${agentChat}.json`, headers: agent.auth }),
        await t.inject({ method: 'GET', url: `${agentChat}/info.json`, headers: agent.auth }),
        await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: `still here at ${s} s` } } }),
        await t.inject({ method: 'PUT', url: `${agentChat}/info/agentTyping.json`, headers: agent.auth, payload: { agentTyping: 'typing' } }),
      ];
      assert.deepEqual(polls.map((p) => p.statusCode), [200, 200, 201, 200]);
    }
    await t.tick(5_000); // 40 s since the visitor's last request
    assert.equal(await storedState(t, chat), 'ended');
    await assertTimedOut(t, chat, start + 40_000);
    const info = await t.inject({ method: 'GET', url: `${agentChat}/info.json`, headers: agent.auth });
    assert.equal((info.json() as { info: { state: string; duration: number } }).info.state, 'ended');
    assert.equal((info.json() as { info: { duration: number } }).info.duration, 40);
  });
});

test('waiting chats time out too, and stop ringing', async () => {
  // A long accept window, so that only chatTimeout acts here (the ring timeout has its own tests).
  await withApp({ ringTimeout: 3600 }, async (t) => {
    const start = t.clock.now();
    const unrouted = await startChat(t);
    await t.tick(20_000);
    const agent = await agentOnline(t);
    const ringing = await startChat(t);
    const ir = async (): Promise<string> =>
      ((await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth })).json() as { incomingRequests: { ringingCount: string } }).incomingRequests
        .ringingCount;
    assert.equal(await ir(), '2');
    await t.tick(20_000);
    assert.equal(await storedState(t, unrouted), 'ended');
    assert.equal(await storedState(t, ringing), 'waiting');
    assert.equal(await ir(), '1');
    await t.tick(20_000);
    assert.equal(await ir(), '0');
    await assertTimedOut(t, unrouted, start + 40_000);
    await assertTimedOut(t, ringing, start + 60_000);
    // state waiting (0), system 4 (1), then the timeout: nothing in between.
    assert.deepEqual((await visitorEvents(t, unrouted)).map((e) => e['@id']), ['0', '1', '2', '3']);
    const accept = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests.json`, headers: agent.auth, payload: {} });
    assert.equal(accept.statusCode, 409);
  });
});

test('interactionTimeout from the request is the chat timeout', async () => {
  await withApp({}, async (t) => {
    const start = t.clock.now();
    const long = await startChat(t, { skill: 'Sales', interactionTimeout: 120 });
    const short = await startChat(t, { skill: 'Sales', interactionTimeout: 5 });
    assert.equal((await t.store.getChat(ACCOUNT, lastSegment(long)))?.chatTimeout, 120);
    await t.tick(5_000);
    assert.equal(await storedState(t, short), 'ended');
    assert.equal(await storedState(t, long), 'waiting');
    await t.tick(114_999);
    assert.equal(await storedState(t, long), 'waiting');
    await t.tick(1);
    assert.equal(await storedState(t, long), 'ended');
    await assertTimedOut(t, short, start + 5_000);
    await assertTimedOut(t, long, start + 120_000);
    const info = (await t.inject({ method: 'GET', url: `${long}/info.json`, headers: KEY_HEADER })).json() as { info: { chatTimeout: number } };
    assert.equal(info.info.chatTimeout, 120);
  });
});

test('typing flags expire after the typing timeout unless renewed', async () => {
  await withApp({ typingTimeout: 3 }, async (t) => {
    const { agent, visitorChat: chat, agentChat } = await agentAccepted(t);
    const visitorTypingSeenByAgent = async (): Promise<string> =>
      ((await t.inject({ method: 'GET', url: `${agentChat}/info/visitorTyping.json`, headers: agent.auth })).json() as { visitorTyping: string }).visitorTyping;
    const agentTypingSeenByVisitor = async (): Promise<string> =>
      ((await t.inject({ method: 'GET', url: `${chat}/info/agentTyping.json`, headers: KEY_HEADER })).json() as { agentTyping: string }).agentTyping;
    const visitorInfo = async (): Promise<{ agentTyping: string; visitorTyping: string }> =>
      ((await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).json() as { info: { agentTyping: string; visitorTyping: string } }).info;

    assert.equal((await t.inject({ method: 'PUT', url: `${chat}/info/visitorTyping.json`, headers: KEY_HEADER, payload: { visitorTyping: 'typing' } })).statusCode, 200);
    assert.equal((await t.inject({ method: 'PUT', url: `${agentChat}/info/agentTyping.json`, headers: agent.auth, payload: { agentTyping: 'typing' } })).statusCode, 200);
    await t.tick(2_999);
    assert.equal(await visitorTypingSeenByAgent(), 'typing');
    assert.equal(await agentTypingSeenByVisitor(), 'typing');
    // The visitor renews its flag at 2.999 s; the agent does not.
    await t.inject({ method: 'PUT', url: `${chat}/info/visitorTyping.json`, headers: KEY_HEADER, payload: { visitorTyping: 'typing' } });
    await t.tick(1);
    assert.equal(await agentTypingSeenByVisitor(), 'not-typing');
    assert.equal(await visitorTypingSeenByAgent(), 'typing');
    const mid = await visitorInfo();
    assert.equal(mid.agentTyping, 'not-typing');
    assert.equal(mid.visitorTyping, 'typing');
    // The renewed flag lasts until 2.999 s + 3 s.
    await t.tick(2_998);
    assert.equal(await visitorTypingSeenByAgent(), 'typing');
    await t.tick(1);
    assert.equal(await visitorTypingSeenByAgent(), 'not-typing');
    const info = await visitorInfo();
    assert.equal(info.visitorTyping, 'not-typing');
    assert.equal(info.agentTyping, 'not-typing');
  });
});
