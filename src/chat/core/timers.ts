// Deadlines for chatTimeout, the ring window, maxWaitTime and agent-session expiry (spec §3,
// "Timers"; agent API §3): one host timer for the earliest deadline,
// a min-heap of candidates and a map of the current deadline per key. A touch only updates
// the map (O(1)); a popped entry whose deadline moved later is pushed again (lazy update),
// so the heap holds about one entry per open chat however often chats are polled.
import type { Clock } from '../../clock.ts';

export interface TimerHost {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimerHost: TimerHost = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** A host that never fires on its own: tests call `runDue()` after moving a ManualClock. */
export const manualTimerHost: TimerHost = { set: () => undefined, clear: () => undefined };

type Entry = [deadline: number, key: string];

/**
 * Heap order: by deadline, then by key, so that chats due together are handled in the
 * store's key order (account, chat): neighbouring writes share pages.
 */
function before(a: Entry, b: Entry): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

export type DueHandler = (id: string, deadline: number) => Promise<void>;

/** Takes the plain keys (chat timeouts) of one chunk together, so they can share a write. */
export type DueBatchHandler = (due: Array<[key: string, deadline: number]>) => Promise<void>;

/**
 * Deadlines handled per turn of the event loop: 100k falling due together are worked off
 * in chunks, with a yield between them, so requests keep being answered meanwhile.
 */
export const DRAIN_CHUNK = 500;

/**
 * With `sliceMs` (an in-process store, whose writes run inside the turn): the chunk halves
 * when one took longer than this and doubles (up to DRAIN_CHUNK_MAX) when one took under a
 * quarter of it, so requests are never held up much longer than this by mass timeouts
 * (issue 14: no stall over 50 ms). Twice this is the stall a chunk may cause at worst.
 */
export const DRAIN_SLICE_MS = 20;
/**
 * The chunk an adapting scheduler starts from, and its floor. It starts small because the
 * first chunk is the slowest (cold pages): at 100k chats, a first chunk of 500 held the loop
 * 56-75 ms, over the 50-ms bound, before the halving could act on it.
 */
export const DRAIN_CHUNK_MIN = 100;
const DRAIN_CHUNK_MAX = 4000;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Separates a deadline kind from its id in a key; never part of an account or chat id. */
const KIND_SEP = '\u0000';

/** The key of a deadline of one kind (`ring`, `wait`, `session`…) for `id`. */
export function kindKey(kind: string, id: string): string {
  return `${kind}${KIND_SEP}${id}`;
}

export interface SchedulerOptions {
  /**
   * Milliseconds a deadline waits past its time before it fires (0 by default). With a
   * shared store another instance may hold a keep-alive in memory for up to its flush
   * interval: the grace lets it land first (docs/architecture.md). Handlers still get the
   * deadline itself, so events are stamped at it.
   */
  graceMs?: number;
  /** Adapt the chunk to keep each under this many ms (DRAIN_SLICE_MS); fixed DRAIN_CHUNK without it. */
  sliceMs?: number;
}

export class DeadlineScheduler {
  private readonly current = new Map<string, number>();
  private readonly heap: Entry[] = [];
  private handle: unknown = undefined;
  private armedFor = Infinity;
  private running: Promise<void> | null = null;
  private readonly clock: Clock;
  private readonly host: TimerHost;
  private readonly graceMs: number;
  private plain: DueHandler = async () => undefined;
  private readonly kinds = new Map<string, DueHandler>();
  private batch: DueBatchHandler | null = null;
  private readonly sliceMs: number | null;
  /** Deadlines per chunk now (adapted with sliceMs, from DRAIN_CHUNK_MIN up). */
  private chunk: number;

  constructor(clock: Clock, host: TimerHost, opts: SchedulerOptions = {}) {
    this.clock = clock;
    this.host = host;
    this.graceMs = opts.graceMs ?? 0;
    this.sliceMs = opts.sliceMs ?? null;
    this.chunk = this.sliceMs === null ? DRAIN_CHUNK : DRAIN_CHUNK_MIN;
  }

  /** Plain keys (chat timeouts) that fall due go to `handler` (chat-timeouts.ts). */
  onDue(handler: DueHandler): void {
    this.plain = handler;
  }

  /**
   * Deadlines scheduled under `kindKey(kind, id)` go to `handler` with their id; plain keys
   * (chat timeouts) still go to the constructor's handler. One heap, one host timer for all.
   */
  onKind(kind: string, handler: DueHandler): void {
    this.kinds.set(kind, handler);
  }

  /** Plain keys due together go to `handler` a chunk at a time instead of one by one. */
  onDueBatch(handler: DueBatchHandler): void {
    this.batch = handler;
  }

  private dispatch(key: string, deadline: number): Promise<void> {
    const sep = key.indexOf(KIND_SEP);
    const handler = sep > 0 ? this.kinds.get(key.slice(0, sep)) : undefined;
    return handler ? handler(key.slice(sep + 1), deadline) : this.plain(key, deadline);
  }

  get size(): number {
    return this.current.size;
  }

  deadlineOf(key: string): number | undefined {
    return this.current.get(key);
  }

  schedule(key: string, deadline: number): void {
    const prev = this.current.get(key);
    this.current.set(key, deadline);
    // A later deadline for a key already in the heap is picked up when its entry pops.
    if (prev === undefined || deadline < prev) {
      this.push([deadline, key]);
      this.arm();
    }
  }

  /**
   * A deadline found in the store rather than set here (the shared-store sweep): armed only
   * when this process knows no deadline for the key — one it knows is at least as recent.
   */
  adopt(key: string, deadline: number): void {
    if (!this.current.has(key)) this.schedule(key, deadline);
  }

  cancel(key: string): void {
    this.current.delete(key);
  }

  /**
   * The earliest deadline armed here, or undefined (the control plane's virtual clock steps
   * from one to the next so each fires at its own time, docs/testing.md).
   */
  nextDeadline(): number | undefined {
    // Drop stale heap entries (cancelled, or moved later) until the top is current.
    for (;;) {
      const top = this.heap[0];
      if (!top) return undefined;
      const actual = this.current.get(top[1]);
      if (actual === top[0]) return actual;
      this.pop();
      if (actual !== undefined) this.push([actual, top[1]]);
    }
  }

  /** Cancels every deadline whose key `drop` picks (a reset, src/chat/control/). */
  cancelWhere(drop: (key: string, deadline: number) => boolean): void {
    for (const [key, deadline] of this.current) if (drop(key, deadline)) this.current.delete(key);
  }

  /** The id part of a kind key (`kindKey`), or the key itself for a plain one. */
  static idOf(key: string): string {
    const sep = key.indexOf(KIND_SEP);
    return sep > 0 ? key.slice(sep + 1) : key;
  }

  /** Fire every deadline that is due now; resolves when their handlers have run. */
  runDue(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
        this.arm();
      });
    }
    return this.running;
  }

  stop(): void {
    if (this.handle !== undefined) this.host.clear(this.handle);
    this.handle = undefined;
    this.armedFor = Infinity;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = this.clock.now() - this.graceMs;
      const due: Entry[] = [];
      while (due.length < this.chunk && this.heap.length > 0 && (this.heap[0] as Entry)[0] <= now) {
        const entry = this.pop();
        const actual = this.current.get(entry[1]);
        if (actual === undefined) continue;
        if (actual > entry[0]) this.push([actual, entry[1]]);
        else if (actual === entry[0]) {
          this.current.delete(entry[1]);
          due.push(entry);
        }
      }
      if (due.length === 0) return;
      const started = performance.now();
      await Promise.all(this.fire(due));
      if (this.sliceMs !== null) this.adapt(performance.now() - started, due.length);
      // The next chunk waits for a turn of the event loop: I/O (HTTP) is served in between.
      await yieldToLoop();
    }
  }

  /** Wall time here is the loop's busy time: an in-process store's writes do not wait. */
  private adapt(tookMs: number, size: number): void {
    const slice = this.sliceMs ?? Infinity;
    if (tookMs > slice) this.chunk = Math.max(DRAIN_CHUNK_MIN, Math.floor(size / 2));
    else if (tookMs < slice / 4 && size >= this.chunk) this.chunk = Math.min(DRAIN_CHUNK_MAX, this.chunk * 2);
  }

  private fire(due: Entry[]): Array<Promise<void>> {
    const batch = this.batch;
    if (!batch) return due.map(([deadline, key]) => this.dispatch(key, deadline));
    const plain: Array<[string, number]> = [];
    const work: Array<Promise<void>> = [];
    for (const [deadline, key] of due) {
      if (key.indexOf(KIND_SEP) > 0) work.push(this.dispatch(key, deadline));
      else plain.push([key, deadline]);
    }
    if (plain.length > 0) work.push(batch(plain));
    return work;
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || this.running) return;
    if (next[0] >= this.armedFor && this.handle !== undefined) return;
    if (this.handle !== undefined) this.host.clear(this.handle);
    this.armedFor = next[0];
    const delay = Math.max(0, Math.min(next[0] + this.graceMs - this.clock.now(), 2 ** 31 - 1));
    this.handle = this.host.set(() => {
      this.handle = undefined;
      this.armedFor = Infinity;
      void this.runDue();
    }, delay);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(e, h[p] as Entry)) break;
      h[i] = h[p] as Entry;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0] as Entry;
    const last = h.pop() as Entry;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && before(h[r] as Entry, h[l] as Entry) ? r : l;
        if (!before(h[c] as Entry, last)) break;
        h[i] = h[c] as Entry;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
