// Coalesced keep-alives (src/store/keep-alive-store.ts): a touch is seen at once by every read
// through the store, reaches SQLite in one batch per flush, rides along with a guarded write,
// and is never lost on a clean stop.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { TimerHost } from '../../src/chat/core/timers.ts';
import { DelegatingStore } from '../../src/store/delegating-store.ts';
import { KeepAliveStore, sortedChunks } from '../../src/store/keep-alive-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ChatTouch } from '../../src/store/store.ts';
import { chat } from '../contract/store.contract.ts';
import { ACCOUNT, KEY_HEADER, startChat, testApp } from '../helpers/app.ts';
import { lastSegment } from '../helpers/wire.ts';

const T0 = Date.UTC(2017, 1, 27, 11, 30, 0, 695);

/** A TimerHost whose timers fire when the test says so. */
class StepTimers implements TimerHost {
  readonly due: Array<{ fn: () => void; ms: number }> = [];
  set(fn: () => void, ms: number): unknown {
    const t = { fn, ms };
    this.due.push(t);
    return t;
  }
  clear(handle: unknown): void {
    const i = this.due.indexOf(handle as { fn: () => void; ms: number });
    if (i >= 0) this.due.splice(i, 1);
  }
  fire(): void {
    for (const t of this.due.splice(0)) t.fn();
  }
}

/** The bare SQLite store, recording every batch of touches written to it. */
class Recording extends DelegatingStore {
  readonly batches: ChatTouch[][] = [];
  readonly single: number[] = [];
  /** Runs once a batch is written (a request arriving while a flush is under way). */
  afterBatch: (() => Promise<void>) | null = null;
  override async touchChats(batch: ChatTouch[]): Promise<void> {
    this.batches.push(batch.map((t) => ({ ...t })));
    await super.touchChats(batch);
    await this.afterBatch?.();
  }
  override touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    this.single.push(lastUpdate);
    return super.touchChat(accountId, chatId, lastUpdate);
  }
}

async function setup(opts: { chunk?: number } = {}) {
  const raw = new SqliteStore(':memory:');
  const inner = new Recording(raw);
  const timers = new StepTimers();
  const store = new KeepAliveStore(inner, { timerHost: timers, flushMs: 1000, ...opts });
  for (const id of ['c1', 'c2', 'c3']) await raw.createChat(chat('A', id, { state: 'chatting', agentId: 5 }), []);
  await raw.createChat(chat('A', 'w'), []);
  return { raw, inner, timers, store };
}

/** Lets a flush that yields between chunks run to its end. */
const settle = async (store: KeepAliveStore): Promise<void> => store.flush();

describe('KeepAliveStore', () => {
  it('a touch is seen by every read through the store before any write reaches SQLite', async () => {
    const { raw, inner, timers, store } = await setup();
    await store.touchChat('A', 'c1', T0 + 5000);
    await store.touchChat('A', 'w', T0 + 6000);
    assert.equal((await store.getChat('A', 'c1'))?.lastUpdate, T0 + 5000);
    assert.equal((await store.listAgentChats('A', 5)).find((c) => c.id === 'c1')?.lastUpdate, T0 + 5000);
    assert.equal((await store.listWaitingChats('A')).find((c) => c.id === 'w')?.lastUpdate, T0 + 6000);
    const many = await store.getChats([{ accountId: 'A', chatId: 'w' }, { accountId: 'A', chatId: 'c2' }, { accountId: 'A', chatId: 'c1' }]);
    assert.deepEqual(many.map((c) => c?.lastUpdate), [T0 + 6000, T0, T0 + 5000]);
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0, 'nothing written yet');
    assert.deepEqual(inner.batches, []);
    assert.deepEqual(inner.single, []);
    assert.equal(timers.due.length, 1, 'one flush timer for any number of touches');
    assert.equal(timers.due[0]?.ms, 1000);
    await store.close();
  });

  it('the flush timer writes the latest touch of each chat, in one transaction, in key order', async () => {
    const { raw, inner, timers, store } = await setup();
    await store.touchChat('A', 'c3', T0 + 1000);
    await store.touchChat('A', 'c1', T0 + 2000);
    await store.touchChat('A', 'c1', T0 + 4000);
    await store.touchChat('A', 'c1', T0 + 3000);
    timers.fire();
    await settle(store);
    assert.deepEqual(inner.batches, [
      [
        { accountId: 'A', chatId: 'c1', lastUpdate: T0 + 4000 },
        { accountId: 'A', chatId: 'c3', lastUpdate: T0 + 1000 },
      ],
    ]);
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0 + 4000);
    assert.equal((await raw.getChat('A', 'c3'))?.lastUpdate, T0 + 1000);
    assert.equal(store.pendingCount, 0);
    assert.equal(timers.due.length, 0, 'nothing pending, nothing armed');
    await store.close();
  });

  it('a flush writes in chunks, and touches landing meanwhile wait for the next flush', async () => {
    const { raw, inner, timers, store } = await setup({ chunk: 2 });
    await store.touchChat('A', 'c1', T0 + 1000);
    await store.touchChat('A', 'c2', T0 + 1000);
    await store.touchChat('A', 'c3', T0 + 1000);
    // Once the first chunk is written, a newer touch of a chat in it arrives.
    inner.afterBatch = async () => {
      inner.afterBatch = null;
      await store.touchChat('A', 'c1', T0 + 9000);
    };
    await store.flush();
    assert.deepEqual(inner.batches.map((b) => b.map((t) => t.chatId)), [['c1', 'c2'], ['c3']]);
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0 + 1000);
    assert.equal((await store.getChat('A', 'c1'))?.lastUpdate, T0 + 9000, 'the newer touch is still pending and still seen');
    assert.equal(store.pendingCount, 1);
    assert.equal(timers.due.length, 1, 're-armed for it');
    timers.fire();
    await settle(store);
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0 + 9000);
    await store.close();
  });

  it('a guarded write carries the pending touch of its chat: no separate keep-alive write', async () => {
    const { raw, inner, store } = await setup();
    await store.touchChat('A', 'c1', T0 + 7000);
    const read = await store.getChat('A', 'c1');
    assert.ok(read);
    // A later touch, landing between the read and the write, is not lost either.
    await store.touchChat('A', 'c1', T0 + 8000);
    assert.equal(await store.updateChat({ ...read, visitorName: 'Ann', version: read.version + 1 }, []), true);
    const stored = await raw.getChat('A', 'c1');
    assert.equal(stored?.lastUpdate, T0 + 8000);
    assert.equal(stored?.visitorName, 'Ann');
    assert.equal(store.pendingCount, 0);
    await store.flush();
    assert.deepEqual(inner.batches, [], 'nothing left to flush');
    await store.close();
  });

  it('a guarded write that loses its version check keeps the touch pending', async () => {
    const { raw, store } = await setup();
    await store.touchChat('A', 'c1', T0 + 7000);
    const read = await store.getChat('A', 'c1');
    assert.ok(read);
    assert.equal(await store.updateChat({ ...read, version: read.version + 5 }, []), false);
    assert.equal(store.pendingCount, 1);
    await store.flush();
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0 + 7000);
    await store.close();
  });

  it('updateChats carries each chat\'s pending touch', async () => {
    const { raw, store } = await setup();
    await store.touchChat('A', 'c1', T0 + 7000);
    await store.touchChat('A', 'c2', T0 + 8000);
    const c1 = await raw.getChat('A', 'c1');
    assert.ok(c1);
    assert.deepEqual(await store.updateChats([{ chat: { ...c1, state: 'ended', endTime: T0 + 9000, version: c1.version + 1 }, events: [] }]), [true]);
    assert.equal((await raw.getChat('A', 'c1'))?.lastUpdate, T0 + 7000);
    assert.equal(store.pendingCount, 1, 'only c2 is still pending');
    await store.close();
  });

  it('listOpenDeadlines (start-up) sees every touch', async () => {
    const { store } = await setup();
    await store.touchChat('A', 'c2', T0 + 5000);
    const d = (await store.listOpenDeadlines()).find((x) => x.chatId === 'c2');
    assert.equal(d?.deadline, T0 + 5000 + 40_000);
    await store.close();
  });

  it('close writes every pending touch, then closes the store under it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'serverchat-keepalive-'));
    try {
      const file = join(dir, 'serverchat.db');
      const raw = new SqliteStore(file);
      await raw.createChat(chat('A', 'c1'), []);
      const store = new KeepAliveStore(raw, { timerHost: new StepTimers() });
      await store.touchChat('A', 'c1', T0 + 3000);
      await store.close();
      const reopened = new SqliteStore(file);
      assert.equal((await reopened.getChat('A', 'c1'))?.lastUpdate, T0 + 3000);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the app: a visitor poll moves lastUpdate without a write, and a clean stop persists it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'serverchat-keepalive-'));
    try {
      const file = join(dir, 'serverchat.db');
      const clock = new ManualClock();
      const t = await testApp({ store: new SqliteStore(file), clock });
      const path = await startChat(t);
      await t.tick(30_000);
      const info = await t.inject({ method: 'GET', url: `${path}/info.json`, headers: KEY_HEADER });
      assert.equal(info.statusCode, 200);
      const polledAt = clock.now();
      assert.equal((await t.store.getChat(ACCOUNT, lastSegment(path)))?.lastUpdate, polledAt);
      // 30 s after the poll the 40-s chatTimeout of the request has not run out (it would have from the start).
      await t.tick(30_000);
      assert.equal((await t.store.getChat(ACCOUNT, lastSegment(path)))?.state, 'waiting');
      await t.close();
      const reopened = new SqliteStore(file);
      assert.equal((await reopened.getChat(ACCOUNT, lastSegment(path)))?.lastUpdate, polledAt);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sortedChunks (a flush of many keep-alives, sorted without one long sort)', () => {
  it('yields every key once, in code-unit order, in chunks of the size asked, across sort runs', async () => {
    let seed = 7;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (const n of [0, 1, 255, 256, 4095, 4096, 4097, 10_000]) {
      const keys = Array.from({ length: n }, (_v, i) => `A\u0000H${Math.floor(rand() * 1e12)}-${i % 7 === 0 ? 'é' : 'x'}${i}`);
      const chunks: string[][] = [];
      for await (const c of sortedChunks([...keys], 256)) chunks.push(c);
      assert.deepEqual(chunks.flat(), [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), `n=${n}`);
      assert.ok(chunks.slice(0, -1).every((c) => c.length === 256), `n=${n}: full chunks but the last`);
      assert.equal(chunks.length, Math.ceil(n / 256));
    }
  });
});

