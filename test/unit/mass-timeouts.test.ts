// Many chat timeouts falling due at once (spec §3 "Timers"; timeout-batch.ts): they end a
// scheduler chunk at a time in one store transaction, each stamped at its deadline, chats
// touched meanwhile live on, a chat written under the batch still ends once, and routing
// runs once per chunk rather than once per chat.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildDomain, type DomainRuntime } from '../../src/chat/domain.ts';
import { DRAIN_CHUNK, manualTimerHost } from '../../src/chat/core/timers.ts';
import type { Chat, ChatEvent } from '../../src/chat/core/types.ts';
import { ManualClock } from '../../src/clock.ts';
import { sequentialIds } from '../../src/ids.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ChatStore } from '../../src/store/store.ts';
import { account, agent, chat, stateEvent } from '../contract/store.contract.ts';

function domainOn(store: ChatStore, clock: ManualClock, onBackgroundError: (err: unknown) => void = () => undefined): DomainRuntime {
  const settings = { typingTimeout: 6, ringTimeout: 20, agentSessionTimeout: 300, mailFrom: 'chat@example.com' };
  return buildDomain({ store, clock, ids: sequentialIds(), timerHost: manualTimerHost, mailer: null, settings, onBackgroundError });
}

test('chats timing out together end in chunks, at their deadline, and free the agent once per chunk', async () => {
  const real = new SqliteStore(':memory:');
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 12));
  const t0 = clock.now();
  const n = DRAIN_CHUNK * 2 + 5;
  const calls = { updateChats: 0, listWaitingChats: 0 };
  let conflictDone = false;
  // Counts the batched writes and routing passes; on the first batch, a concurrent write
  // (a visitor renaming itself) lands on chat c1 so that its batched write loses the version check.
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'updateChats') {
        return async (batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> => {
          calls.updateChats++;
          const c1 = await target.getChat('A', 'c1');
          if (!conflictDone && c1 && batch.some((b) => b.chat.id === 'c1')) {
            conflictDone = true;
            assert.equal(await target.updateChat({ ...c1, visitorName: 'Renamed', version: c1.version + 1 }, []), true);
          }
          return target.updateChats(batch);
        };
      }
      if (prop === 'listWaitingChats') calls.listWaitingChats++;
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as ChatStore;
  await real.putAccount(account('A'));
  await real.putAgent(agent('A', 1, { availability: 'Online', maxChats: n }));
  for (let i = 0; i < n; i++) {
    await real.createChat(chat('A', `c${i}`, { state: 'chatting', agentId: 1, lastUpdate: t0, chatTimeout: 40, nextEventId: 2 }), [stateEvent(0, 'waiting', t0), stateEvent(1, 'chatting', t0)]);
  }
  // The agent is full: this chat waits until the timeouts free a slot.
  await real.createChat(chat('A', 'queued', { lastUpdate: t0, chatTimeout: 3600, nextEventId: 1 }), [stateEvent(0, 'waiting', t0)]);
  const errors: unknown[] = [];
  const service = domainOn(store, clock, (e) => errors.push(e));
  try {
    await service.start();
    assert.equal((await real.getChat('A', 'queued'))?.ringingAgentId, null);
    // A keep-alive the scheduler has not heard of yet: found when the old deadline pops.
    await real.touchChat('A', 'c0', t0 + 30_000);
    clock.advance(3_600_000 - 1); // long past 40 s: the events still carry the deadline
    calls.listWaitingChats = 0;
    await service.runDue();
    assert.deepEqual(errors, []);
    assert.ok(calls.updateChats >= 3, `${calls.updateChats} batched writes`);
    assert.ok(calls.listWaitingChats <= calls.updateChats + 1, `${calls.listWaitingChats} routing passes for ${n} ended chats`);
    for (let i = 1; i < n; i++) {
      const events = await real.listEvents('A', `c${i}`, 0);
      const tail = events.slice(-2).map((e) => [e.type, e.type === 'line' ? e.systemMessageId : e.type === 'state' ? e.state : null, e.time]);
      assert.deepEqual(tail, [['line', 6, t0 + 40_000], ['state', 'ended', t0 + 40_000]], `c${i}`);
      assert.equal(events.filter((e) => e.type === 'line' && e.systemMessageId === 6).length, 1, `c${i} ended once`);
      assert.equal((await real.getChat('A', `c${i}`))?.endTime, t0 + 40_000);
    }
    // The chat written under the batch ended by the one-chat path, keeping the concurrent write.
    assert.ok(conflictDone);
    assert.equal((await real.getChat('A', 'c1'))?.visitorName, 'Renamed');
    assert.equal((await real.getChat('A', 'c0'))?.state, 'ended', 'touched to 30 s, so due at 70 s — long past too');
    assert.equal((await real.getChat('A', 'queued'))?.ringingAgentId, 1, 'the freed agent is offered the queued chat');
  } finally {
    service.stop();
    await real.close();
  }
});

test('a chat touched after its deadline was armed lives on until the new deadline', async () => {
  const store = new SqliteStore(':memory:');
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 12));
  const t0 = clock.now();
  await store.putAccount(account('A'));
  for (const id of ['a', 'b']) await store.createChat(chat('A', id, { state: 'chatting', agentId: 1, lastUpdate: t0, chatTimeout: 40, nextEventId: 1 }), [stateEvent(0, 'chatting', t0)]);
  const service = domainOn(store, clock);
  try {
    await service.start();
    await store.touchChat('A', 'a', t0 + 30_000);
    clock.advance(40_000);
    await service.runDue();
    assert.equal((await store.getChat('A', 'a'))?.state, 'chatting');
    assert.equal((await store.getChat('A', 'b'))?.state, 'ended');
    assert.equal(service.scheduler.deadlineOf('A/a'), t0 + 70_000, 're-armed at the new deadline');
    clock.advance(30_000);
    await service.runDue();
    const events = await store.listEvents('A', 'a', 0);
    assert.deepEqual(events.slice(-1).map((e) => [e.type === 'state' ? e.state : e.type, e.time]), [['ended', t0 + 70_000]]);
  } finally {
    service.stop();
    await store.close();
  }
});
