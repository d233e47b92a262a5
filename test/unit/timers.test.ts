// DeadlineScheduler (src/chat/timers.ts) driven by a ManualClock: due keys fire once and in
// deadline order, touches postpone, cancels prevent, and the host timer tracks the earliest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { DeadlineScheduler, DRAIN_CHUNK, DRAIN_CHUNK_MIN, kindKey, manualTimerHost, type TimerHost } from '../../src/chat/core/timers.ts';

function setup(start = 1_000_000): { clock: ManualClock; fired: Array<[string, number]>; s: DeadlineScheduler } {
  const clock = new ManualClock(start);
  const fired: Array<[string, number]> = [];
  const s = new DeadlineScheduler(clock, manualTimerHost);
  s.onDue(async (key, deadline) => {
    fired.push([key, deadline]);
  });
  return { clock, fired, s };
}

/** A host that records what it was asked to arm, and fires only when told. */
class RecordingHost implements TimerHost {
  armed: Array<{ fn: () => void; ms: number; cleared: boolean }> = [];
  set(fn: () => void, ms: number): unknown {
    const t = { fn, ms, cleared: false };
    this.armed.push(t);
    return t;
  }
  clear(handle: unknown): void {
    (handle as { cleared: boolean }).cleared = true;
  }
  live(): Array<{ fn: () => void; ms: number }> {
    return this.armed.filter((t) => !t.cleared);
  }
}

describe('DeadlineScheduler', () => {
  it('fires nothing before the deadline, then each due key once, in deadline order', async () => {
    const { clock, fired, s } = setup();
    const t = clock.now();
    s.schedule('c', t + 300);
    s.schedule('a', t + 100);
    s.schedule('b', t + 200);
    s.schedule('later', t + 10_000);
    await s.runDue();
    assert.deepEqual(fired, []);
    clock.advance(99);
    await s.runDue();
    assert.deepEqual(fired, []);
    clock.advance(201);
    await s.runDue();
    assert.deepEqual(fired, [['a', t + 100], ['b', t + 200], ['c', t + 300]]);
    await s.runDue();
    clock.advance(1);
    await s.runDue();
    assert.equal(fired.length, 3, 'no key fires twice');
    assert.equal(s.size, 1);
    assert.equal(s.deadlineOf('a'), undefined);
    assert.equal(s.deadlineOf('later'), t + 10_000);
  });

  it('a later re-schedule (a touch) postpones firing to the new deadline', async () => {
    const { clock, fired, s } = setup();
    const t = clock.now();
    s.schedule('k', t + 100);
    clock.advance(50);
    s.schedule('k', t + 150);
    assert.equal(s.deadlineOf('k'), t + 150);
    clock.advance(60);
    await s.runDue();
    assert.deepEqual(fired, [], 'the old deadline has passed but the key was touched');
    clock.advance(40);
    await s.runDue();
    assert.deepEqual(fired, [['k', t + 150]]);
  });

  it('an earlier re-schedule brings firing forward, once', async () => {
    const { clock, fired, s } = setup();
    const t = clock.now();
    s.schedule('k', t + 1000);
    s.schedule('k', t + 10);
    clock.advance(10);
    await s.runDue();
    assert.deepEqual(fired, [['k', t + 10]]);
    clock.advance(1000);
    await s.runDue();
    assert.equal(fired.length, 1);
  });

  it('cancel prevents firing; scheduling again after a cancel fires at the new deadline', async () => {
    const { clock, fired, s } = setup();
    const t = clock.now();
    s.schedule('gone', t + 10);
    s.schedule('kept', t + 10);
    s.cancel('gone');
    assert.equal(s.size, 1);
    clock.advance(20);
    await s.runDue();
    assert.deepEqual(fired, [['kept', t + 10]]);
    s.schedule('gone', t + 30);
    clock.advance(20);
    await s.runDue();
    assert.deepEqual(fired.map(([k]) => k), ['kept', 'gone']);
  });

  it('keys scheduled by a handler while draining fire in the same run when already due', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const s = new DeadlineScheduler(clock, manualTimerHost);
    s.onDue(async (key) => {
      fired.push(key);
      if (key === 'first') s.schedule('second', 5);
    });
    s.schedule('first', 5);
    clock.advance(10);
    await s.runDue();
    assert.deepEqual(fired, ['first', 'second']);
  });

  it('fires 10,000 keys when due, each once, in deadline order', async () => {
    const { clock, fired, s } = setup(0);
    const N = 10_000;
    for (let i = 0; i < N; i++) s.schedule(`k${i}`, ((i * 7919) % N) + 1);
    for (let i = 0; i < N; i += 2) s.schedule(`k${i}`, N + 1 + i);
    assert.equal(s.size, N);
    clock.set(N);
    await s.runDue();
    assert.equal(fired.length, N / 2);
    clock.set(3 * N);
    await s.runDue();
    assert.equal(fired.length, N);
    assert.equal(new Set(fired.map(([k]) => k)).size, N);
    for (let i = 1; i < N; i++) assert.ok((fired[i] as [string, number])[1] >= (fired[i - 1] as [string, number])[1]);
    assert.equal(s.size, 0);
  });

  it('arms the host timer for the earliest deadline and fires from it', async () => {
    const clock = new ManualClock(0);
    const host = new RecordingHost();
    const fired: string[] = [];
    const s = new DeadlineScheduler(clock, host);
    s.onDue(async (key) => void fired.push(key));
    s.schedule('b', 500);
    assert.deepEqual(host.live().map((t) => t.ms), [500]);
    s.schedule('c', 900);
    assert.deepEqual(host.live().map((t) => t.ms), [500], 'a later deadline does not re-arm');
    clock.advance(100);
    s.schedule('a', 300);
    assert.deepEqual(host.live().map((t) => t.ms), [200], 'an earlier deadline re-arms for it');
    clock.advance(200);
    const [timer] = host.live();
    assert.ok(timer);
    timer.fn();
    await s.runDue();
    assert.deepEqual(fired, ['a']);
    assert.deepEqual(host.live().filter((t) => t !== timer).map((t) => t.ms), [200], 'then re-armed for b');
    s.stop();
    assert.deepEqual(host.live().filter((t) => t !== timer), []);
  });
});

describe('deadline kinds', () => {
  it('kindKey deadlines go to their kind handler with the bare id; plain keys to the default one', async () => {
    const { clock, fired, s } = setup();
    const rings: Array<[string, number]> = [];
    s.onKind('ring', async (id, deadline) => {
      rings.push([id, deadline]);
    });
    const t0 = clock.now();
    s.schedule('A/c1', t0 + 10);
    s.schedule(kindKey('ring', 'A/c1'), t0 + 5);
    s.schedule(kindKey('nobody', 'x'), t0 + 7);
    clock.advance(10);
    await s.runDue();
    assert.deepEqual(rings, [['A/c1', t0 + 5]]);
    // A kind with no handler falls back to the default handler, key and all.
    assert.deepEqual(fired, [[kindKey('nobody', 'x'), t0 + 7], ['A/c1', t0 + 10]]);
  });

  it('the same id under two kinds is two deadlines', async () => {
    const { clock, s } = setup();
    const seen: string[] = [];
    s.onKind('ring', async (id) => void seen.push(`ring:${id}`));
    s.onKind('wait', async (id) => void seen.push(`wait:${id}`));
    s.schedule(kindKey('ring', 'A/c1'), clock.now() + 1);
    s.schedule(kindKey('wait', 'A/c1'), clock.now() + 2);
    s.cancel(kindKey('ring', 'A/c1'));
    clock.advance(5);
    await s.runDue();
    assert.deepEqual(seen, ['wait:A/c1']);
  });

  it('many keys due at once fire in chunks, yielding to the event loop between chunks', async () => {
    const { clock, fired, s } = setup();
    const n = DRAIN_CHUNK * 3 + 7;
    for (let i = 0; i < n; i++) s.schedule(`k${i}`, clock.now() + 1 + (i % 5));
    clock.advance(10);
    // An immediate queued now runs between two chunks: the loop is not held for the whole drain.
    let seenAtTurn = -1;
    setImmediate(() => (seenAtTurn = fired.length));
    await s.runDue();
    assert.equal(fired.length, n);
    assert.equal(new Set(fired.map(([k]) => k)).size, n, 'each key once');
    assert.ok(seenAtTurn > 0 && seenAtTurn < n, `the loop turned after ${seenAtTurn} of ${n}`);
    for (let i = 1; i < n; i++) assert.ok((fired[i] as [string, number])[1] >= (fired[i - 1] as [string, number])[1], 'deadline order');
  });

  it('with a batch handler, plain keys come a chunk at a time; kind keys still go to their handler', async () => {
    const { clock, fired, s } = setup();
    const batches: Array<Array<[string, number]>> = [];
    const rings: string[] = [];
    s.onDueBatch(async (due) => void batches.push(due));
    s.onKind('ring', async (id) => void rings.push(id));
    const t = clock.now();
    const n = DRAIN_CHUNK + 3;
    for (let i = 0; i < n; i++) s.schedule(`A/c${i}`, t + 1);
    s.schedule(kindKey('ring', 'A/c0'), t + 1);
    clock.advance(1);
    await s.runDue();
    assert.deepEqual(fired, [], 'the one-key handler is not used for plain keys');
    assert.deepEqual(rings, ['A/c0']);
    assert.equal(batches.length, 2, 'two chunks');
    assert.ok(batches.every((b) => b.length <= DRAIN_CHUNK));
    assert.equal(new Set(batches.flat().map(([k]) => k)).size, n);
    assert.ok(batches.flat().every(([, d]) => d === t + 1), 'each with its deadline');
  });
});

describe('sliceMs (an in-process store)', () => {
  it('chunks shrink until each takes about the slice, and grow back when they are quick', async () => {
    const clock = new ManualClock(1_000);
    const s = new DeadlineScheduler(clock, manualTimerHost, { sliceMs: 20 });
    const sizes: number[] = [];
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    // 0.1 ms of synchronous work per chat (a write inside the turn): 500 would hold the loop 50 ms.
    let perChatMs = 0.1;
    s.onDueBatch(async (due) => {
      sizes.push(due.length);
      spin(due.length * perChatMs);
    });
    for (let i = 0; i < 3000; i++) s.schedule(`A/c${i}`, 1_001);
    clock.advance(1);
    await s.runDue();
    assert.equal(sizes.reduce((a, b) => a + b, 0), 3000);
    // It starts small (the first chunk is the coldest), and grows only while chunks are quick.
    assert.equal(sizes[0], DRAIN_CHUNK_MIN);
    assert.ok(sizes.slice(3).every((n) => n * perChatMs <= 40), `later chunks fit the slice: ${sizes.join(' ')}`);
    // Quick work: the chunk grows again.
    perChatMs = 0.001;
    const before = sizes.length;
    for (let i = 0; i < 5000; i++) s.schedule(`B/c${i}`, 1_002);
    clock.advance(1);
    await s.runDue();
    assert.ok(Math.max(...sizes.slice(before)) > DRAIN_CHUNK, `grew: ${sizes.slice(before).join(' ')}`);
  });
});

describe('shared-store options', () => {
  it('graceMs: a deadline fires that long after its time, and its handler gets the deadline itself', async () => {
    const clock = new ManualClock(1_000);
    const fired: Array<[string, number]> = [];
    const s = new DeadlineScheduler(clock, manualTimerHost, { graceMs: 500 });
    s.onDue(async (key, deadline) => void fired.push([key, deadline]));
    s.schedule('k', 2_000);
    clock.set(2_499);
    await s.runDue();
    assert.deepEqual(fired, []);
    clock.set(2_500);
    await s.runDue();
    assert.deepEqual(fired, [['k', 2_000]]);
  });

  it('adopt arms an unknown key, and leaves a known one as it is', async () => {
    const { clock, fired, s } = setup(0);
    s.schedule('known', 100);
    s.adopt('known', 50);
    s.adopt('new', 60);
    assert.equal(s.deadlineOf('known'), 100);
    assert.equal(s.deadlineOf('new'), 60);
    clock.set(100);
    await s.runDue();
    assert.deepEqual(fired, [['new', 60], ['known', 100]]);
  });
});
