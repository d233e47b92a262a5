// The shared-store timer rules (docs/architecture.md), in process: two apps on one store that
// says it is shared, one clock. A deadline waits its grace before firing; one nobody here
// armed is adopted by the sweep once overdue; fired by both apps it still ends the chat once.
// The same rules across real processes on PostgreSQL: test/e2e/multi-instance.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { DelegatingStore } from '../../src/store/delegating-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ACCOUNT, agentOnline, KEY_HEADER, startChat, testApp, type TestApp } from '../helpers/app.ts';
import { asArray, lastSegment, type EventsDoc } from '../helpers/wire.ts';

/** One SQLite store that claims to be shared, as PostgreSQL is (its withLock is still one process's). */
class SharedStore extends DelegatingStore {
  override get shared(): boolean {
    return true;
  }
  /** Each app closes its store; the one underneath closes when both have. */
  override async close(): Promise<void> {}
}

async function twoApps(opts: { agentSessionTimeout?: number } = {}): Promise<{ a: TestApp; b: TestApp; clock: ManualClock; close(): Promise<void> }> {
  const sqlite = new SqliteStore(':memory:');
  const store = new SharedStore(sqlite);
  const clock = new ManualClock();
  const a = await testApp({ store, clock, ...opts });
  const b = await testApp({ store, clock, ...opts });
  return {
    a,
    b,
    clock,
    async close() {
      await a.close();
      await b.close();
      await sqlite.close();
    },
  };
}

/** The chat's events through the visitor API: a keep-alive while the chat is open, so read them once it ended. */
async function eventsVia(t: TestApp, chat: string): Promise<Array<{ type: string; state?: string; systemMessageId?: number | string; time: string }>> {
  const res = await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  return asArray((res.json() as EventsDoc).events.event).map((e) => ({ type: e['@type'], state: e.state, systemMessageId: e.systemMessageId, time: e.time }));
}

const endings = (events: Awaited<ReturnType<typeof eventsVia>>): number => events.filter((e) => e.type === 'state' && e.state === 'ended').length;
const disconnects = (events: Awaited<ReturnType<typeof eventsVia>>): number => events.filter((e) => String(e.systemMessageId) === '6').length;

describe('timers on a shared store', () => {
  it('a chat timeout fires its grace (1 s) after the deadline, stamped at the deadline', async () => {
    const { a, close } = await twoApps();
    try {
      const chat = await startChat(a);
      const id = lastSegment(chat);
      await a.tick(40_000);
      assert.equal((await a.store.getChat(ACCOUNT, id))?.state, 'waiting', 'not at the deadline itself: a keep-alive held elsewhere may still land');
      await a.tick(999);
      assert.equal((await a.store.getChat(ACCOUNT, id))?.state, 'waiting');
      await a.tick(1);
      const ended = await a.store.getChat(ACCOUNT, id);
      assert.equal(ended?.state, 'ended');
      assert.equal(ended?.endTime, (ended?.startTime ?? 0) + 40_000);
    } finally {
      await close();
    }
  });

  it('a timeout nobody here armed is adopted by the sweep once 2 s overdue, and ends the chat once', async () => {
    const { a, b, close } = await twoApps();
    try {
      const chat = await startChat(a); // armed in A only; A is never ticked again, as if it died
      const id = lastSegment(chat);
      await b.tick(41_000);
      assert.equal((await b.store.getChat(ACCOUNT, id))?.state, 'waiting', 'B does not know the chat yet');
      await b.tick(900);
      await b.domain.sweep();
      assert.equal((await b.store.getChat(ACCOUNT, id))?.state, 'waiting', 'overdue by 1.9 s only: its owner still has the chance');
      await b.tick(200);
      await b.domain.sweep();
      const events = await eventsVia(b, chat);
      assert.equal(endings(events), 1);
      assert.equal(disconnects(events), 1);
      const end = events.find((e) => e.type === 'state' && e.state === 'ended');
      const first = events[0];
      assert.ok(end && first && Date.parse(end.time) - Date.parse(first.time) === 40_000, 'stamped at the deadline, not when the sweep found it');
      // A wakes up and fires its own copy: nothing more happens.
      await a.tick(0);
      const after = await eventsVia(a, chat);
      assert.equal(endings(after), 1);
      assert.equal(disconnects(after), 1);
    } finally {
      await close();
    }
  });

  it('both apps firing the same timeout end the chat once', async () => {
    const { a, b, close } = await twoApps();
    try {
      const chat = await startChat(a);
      // B serves the chat too (a visitor poll through B): both now hold the deadline.
      assert.equal((await b.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).statusCode, 200);
      await Promise.all([a.tick(45_000), b.tick(0)]);
      await Promise.all([a.domain.runDue(), b.domain.runDue(), b.domain.sweep()]);
      const events = await eventsVia(b, chat);
      assert.equal(endings(events), 1);
      assert.equal(disconnects(events), 1);
    } finally {
      await close();
    }
  });

  it('one agent accepting one chat through both apps at once: one 201, one nothing-ringing', async () => {
    const { a, b, close } = await twoApps();
    try {
      const agent = await agentOnline(a);
      await startChat(b);
      const sessionPath = agent.session;
      const accept = (t: TestApp) => t.inject({ method: 'POST', url: `${sessionPath}/incomingRequests.json`, headers: agent.auth, payload: {} });
      const [ra, rb] = await Promise.all([accept(a), accept(b)]);
      assert.deepEqual([ra.statusCode, rb.statusCode].sort(), [201, 409]);
      const refused = ra.statusCode === 409 ? ra : rb;
      assert.match(refused.body, /No chat is ringing/);
    } finally {
      await close();
    }
  });

  it('maxWaitTime fired by both apps ends the chat once, with line 2', async () => {
    const { a, b, close } = await twoApps();
    try {
      const chat = await startChat(a, { skill: 'Sales', maxWaitTime: 30, interactionTimeout: 3600 });
      await b.domain.sweep(); // B adopts the waiting chat's wait deadline
      await Promise.all([a.tick(31_000), b.tick(0)]);
      await Promise.all([a.domain.runDue(), b.domain.runDue()]);
      const events = await eventsVia(b, chat);
      assert.equal(endings(events), 1);
      assert.equal(events.filter((e) => String(e.systemMessageId) === '2').length, 1);
    } finally {
      await close();
    }
  });

  it('an agent session expiring in both apps requeues its chat once, with line 23', async () => {
    const { a, b, close } = await twoApps({ agentSessionTimeout: 60 });
    try {
      const agent = await agentOnline(a);
      const chat = await startChat(a, { skill: 'Sales', interactionTimeout: 3600 });
      const accepted = await a.inject({ method: 'POST', url: `${agent.session}/incomingRequests.json`, headers: agent.auth, payload: {} });
      assert.equal(accepted.statusCode, 201);
      await b.domain.sweep(); // B adopts the session's expiry
      await Promise.all([a.tick(61_500), b.tick(0)]);
      await Promise.all([a.domain.runDue(), b.domain.runDue(), b.domain.sweep()]);
      const id = lastSegment(chat);
      const stored = await b.store.getChat(ACCOUNT, id);
      assert.ok(stored && stored.agentId === null, 'the chat left the agent');
      const events = await b.store.listEvents(ACCOUNT, id, 0);
      assert.equal(events.filter((e) => e.type === 'line' && e.systemMessageId === 23).length + events.filter((e) => e.type === 'line' && e.systemMessageId === 6).length, 1, 'requeued (or, with no other agent, ended) once');
    } finally {
      await close();
    }
  });
});
