// Restart persistence: chats, events, cursors, logins and timers survive closing the app and
// opening a new one on the same SQLite file.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatTime } from '../../src/api/representations/time.ts';
import { ManualClock } from '../../src/clock.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ACCOUNT, agentAccepted, KEY_HEADER, startChat, testApp, visitorEvents, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { asArray, lastSegment, type ChatDoc } from '../helpers/wire.ts';

const nextOf = (doc: ChatDoc): string => {
  const next = doc.chat.link.find((l) => l['@rel'] === 'next');
  assert.ok(next);
  const u = new URL(next['@href']);
  return u.pathname + u.search;
};

/** Runs `fn` with a fresh temp dir and closes every app it opened, even on failure. */
async function withDataDir(fn: (open: (clock: ManualClock) => Promise<TestApp>, close: (t: TestApp) => Promise<void>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-restart-'));
  const live = new Set<TestApp>();
  const open = async (clock: ManualClock): Promise<TestApp> => {
    // A long accept window: these tests are about chat timeouts (ring-timeout.test.ts covers the window).
    const t = await testApp({ store: new SqliteStore(join(dir, 'serverchat.db')), clock, ringTimeout: 3600 });
    live.add(t);
    return t;
  };
  const close = async (t: TestApp): Promise<void> => {
    live.delete(t);
    await t.close();
  };
  try {
    await fn(open, close);
  } finally {
    for (const t of live) await t.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function agentChatDoc(t: TestApp, agent: AgentHandle, url: string): Promise<ChatDoc> {
  const res = await t.inject({ method: 'GET', url, headers: agent.auth });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as ChatDoc;
}

test('a chat, its events, the next cursor and the agent carry on after a restart', async () => {
  await withDataDir(async (open, close) => {
    const clock = new ManualClock();
    const t1 = await open(clock);
    const { agent, visitorChat: chat, agentChat } = await agentAccepted(t1);
    const v = await t1.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hello' } } });
    assert.equal(v.statusCode, 201);
    const a = await t1.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: '<b>hi</b>', textType: 'html' } } });
    assert.equal(a.statusCode, 201);
    const before = await agentChatDoc(t1, agent, `${agentChat}.json`);
    const next = nextOf(before);
    assert.equal(next, `${agentChat}?from=6`);
    await close(t1);

    const t2 = await open(new ManualClock(clock.now() + 10_000));
    // The same bearer and agent session still work; availability was kept.
    const avail = await t2.inject({ method: 'GET', url: `${agent.session}/availability.json`, headers: agent.auth });
    assert.equal(avail.statusCode, 200);
    assert.equal((avail.json() as { availability: { chat: string } }).availability.chat, 'Online');
    const after = await agentChatDoc(t2, agent, `${agentChat}.json`);
    assert.deepEqual(after.chat.events, before.chat.events);
    assert.equal(after.chat.info.state, 'chatting');
    assert.equal(nextOf(after), next);
    // Polling the old cursor finds nothing new...
    const empty = await agentChatDoc(t2, agent, next);
    assert.equal(empty.chat.events.event, undefined);

    // ...and new events continue the numbering.
    const v2 = await t2.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'still there?' } } });
    assert.equal(v2.statusCode, 201);
    assert.equal(new URL(String(v2.headers.location)).pathname, `${chat}/events/6`);
    const a2 = await t2.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'yes' } } });
    assert.equal(a2.statusCode, 201);
    assert.equal(new URL(String(a2.headers.location)).pathname, `${agentChat}/events/7`);
    const polled = await agentChatDoc(t2, agent, next);
    assert.deepEqual(asArray(polled.chat.events.event).map((e) => [e['@id'], e.text]), [['6', 'still there?'], ['7', 'yes']]);
    assert.equal(nextOf(polled), `${agentChat}?from=8`);

    const ids = (await visitorEvents(t2, chat)).map((e) => e['@id']);
    assert.deepEqual(ids, ['0', '1', '2', '3', '4', '5', '6', '7']);

    // The agent still holds the chat and can end it.
    const ir = await t2.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth });
    assert.equal((ir.json() as { incomingRequests: { ringingCount: string } }).incomingRequests.ringingCount, '0');
    const end = await t2.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(end.statusCode, 201);
    assert.equal(new URL(String(end.headers.location)).pathname, `${agentChat}/events/9`);
    await close(t2);

    // A third start sees the ended chat as it was left.
    const t3 = await open(new ManualClock(clock.now() + 20_000));
    const last = await visitorEvents(t3, chat);
    assert.deepEqual(last.slice(-2).map((e) => e.systemMessageId ?? e.state), [5, 'ended']);
  });
});

test('timers carry on: a deadline that passed while down ends the chat on start, stamped at the deadline', async () => {
  await withDataDir(async (open, close) => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const t1 = await open(clock);
    const { agent, visitorChat: overdue, agentChat } = await agentAccepted(t1); // overdue: deadline t0 + 40 s
    await t1.tick(30_000);
    const pending = await startChat(t1); // deadline t0 + 70 s
    await close(t1);

    const t2 = await open(new ManualClock(t0 + 55_000));
    // Ended by start() itself, before any request.
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(overdue)))?.state, 'ended');
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(pending)))?.state, 'waiting');
    const events = await visitorEvents(t2, overdue);
    assert.deepEqual(
      events.slice(-2).map((e) => [e['@type'], e.systemMessageId ?? e.state, e.time]),
      [
        ['line', 6, formatTime(t0 + 40_000)],
        ['state', 'ended', formatTime(t0 + 40_000)],
      ],
    );
    assert.deepEqual(events.map((e) => e['@id']), ['0', '1', '2', '3', '4', '5']);
    const info = await agentChatDoc(t2, agent, `${agentChat}.json`);
    assert.equal(info.chat.info.state, 'ended');
    assert.equal(info.chat.info.duration, 40);

    // With its chat gone, the agent gets the pending chat.
    const ir = await t2.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth });
    assert.equal((ir.json() as { incomingRequests: { ringingCount: string } }).incomingRequests.ringingCount, '1');

    // The chat whose deadline had not passed still times out at its own deadline.
    await t2.tick(14_999); // t0 + 69.999 s
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(pending)))?.state, 'waiting');
    await t2.tick(1);
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(pending)))?.state, 'ended');
    const pendingEvents = await visitorEvents(t2, pending);
    assert.deepEqual(
      pendingEvents.slice(-2).map((e) => [e.systemMessageId ?? e.state, e.time]),
      [
        [6, formatTime(t0 + 70_000)],
        ['ended', formatTime(t0 + 70_000)],
      ],
    );
  });
});

test('a visitor request before the restart still counts after it', async () => {
  await withDataDir(async (open, close) => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const t1 = await open(clock);
    const chat = await startChat(t1);
    await t1.tick(30_000);
    assert.equal((await t1.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).statusCode, 200); // deadline t0 + 70 s
    await close(t1);

    const t2 = await open(new ManualClock(t0 + 50_000));
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(chat)))?.state, 'waiting');
    await t2.tick(19_999);
    assert.equal((await t2.store.getChat(ACCOUNT, lastSegment(chat)))?.state, 'waiting');
    await t2.tick(1);
    const events = await visitorEvents(t2, chat);
    assert.deepEqual(events.slice(-1).map((e) => [e.state, e.time]), [['ended', formatTime(t0 + 70_000)]]);
  });
});
