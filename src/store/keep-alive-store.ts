// Coalesced keep-alives. Every visitor request moves its chat's lastUpdate (spec §3, KeepAlive),
// and one SQLite write per poll was the largest cost of a poll. Here a touch only records the
// new lastUpdate in memory; every read of a chat through this store sees it (overlay), a
// guarded write of the chat carries it (updateChat keeps max(lastUpdate)), and a timer of the
// injected TimerHost writes all pending touches, in key order and chunks of one transaction
// each, once per flush interval. close() writes them all first. So a crash loses at most the
// keep-alives of the last flush interval (docs/configuration.md, "Keep-alives").
import type { TimerHost } from '../chat/core/timers.ts';
import type { Chat, ChatEvent, ChatState } from '../chat/core/types.ts';
import { DelegatingStore } from './delegating-store.ts';
import type { ChatDeadline, ChatKey, ChatStore, ChatTouch } from './store.ts';

/** How long a keep-alive may stay in memory only: the crash window. */
export const KEEP_ALIVE_FLUSH_MS = 1000;
/** Touches per transaction: sorted by key, a chunk dirties few pages and stalls the loop briefly. */
const CHUNK = 256;

export interface KeepAliveOptions {
  timerHost: TimerHost;
  flushMs?: number;
  chunk?: number;
  /** Told when a timed flush fails (its touches stay pending and are retried). */
  onError?: (err: unknown) => void;
}

const keyOf = (accountId: string, chatId: string): string => `${accountId}\u0000${chatId}`;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Keys sorted per turn: a run of this many sorts in a few ms. */
const RUN = 4096;

/**
 * `keys` in sorted order, `size` at a time, without sorting them all in one turn: with a
 * flush every 30 s there may be a pending keep-alive per open chat, and one sort of 100k
 * keys held the event loop for 60–350 ms. Runs of RUN keys are sorted a turn each, then
 * merged as the chunks are taken (a heap over the runs' heads).
 */
export async function* sortedChunks(keys: string[], size: number): AsyncGenerator<string[]> {
  const runs: string[][] = [];
  for (let i = 0; i < keys.length; i += RUN) {
    if (i > 0) await nextTurn();
    // The default order compares UTF-16 code units, as `<` does.
    runs.push(keys.slice(i, i + RUN).sort());
  }
  // heap[i] = [run, position]; ordered by the key at that position.
  const at = (e: [number, number]): string => (runs[e[0]] as string[])[e[1]] as string;
  const heap: Array<[number, number]> = runs.map((_r, i): [number, number] => [i, 0]);
  const less = (a: number, b: number): boolean => at(heap[a] as [number, number]) < at(heap[b] as [number, number]);
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as [number, number], heap[i] as [number, number]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let chunk: string[] = [];
  while (heap.length > 0) {
    const top = heap[0] as [number, number];
    chunk.push(at(top));
    if (top[1] + 1 < (runs[top[0]] as string[]).length) heap[0] = [top[0], top[1] + 1];
    else {
      const last = heap.pop() as [number, number];
      if (heap.length > 0) heap[0] = last;
    }
    down(0);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export class KeepAliveStore extends DelegatingStore {
  /** The latest unwritten lastUpdate per chat (moved forward in place; flushes write copies). */
  private readonly pending = new Map<string, ChatTouch>();
  private readonly host: TimerHost;
  private readonly flushMs: number;
  private readonly chunk: number;
  private readonly onError: (err: unknown) => void;
  private handle: unknown = undefined;
  private armed = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(inner: ChatStore, opts: KeepAliveOptions) {
    super(inner);
    this.host = opts.timerHost;
    this.flushMs = opts.flushMs ?? KEEP_ALIVE_FLUSH_MS;
    this.chunk = opts.chunk ?? CHUNK;
    this.onError = opts.onError ?? (() => undefined);
  }

  /** Keep-alives not yet written to the inner store. */
  get pendingCount(): number {
    return this.pending.size;
  }

  override async touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    if (this.closed) return this.inner.touchChat(accountId, chatId, lastUpdate);
    const key = keyOf(accountId, chatId);
    const prev = this.pending.get(key);
    // Moved in place: a new object per poll, held for up to a flush interval, outlived the
    // young generation and was garbage of the old one (issue 14, GC in the 100k profile).
    // A flush writes copies, so a touch landing meanwhile is never taken as written.
    if (prev === undefined) this.pending.set(key, { accountId, chatId, lastUpdate });
    else if (lastUpdate > prev.lastUpdate) prev.lastUpdate = lastUpdate;
    this.arm();
  }

  override async touchChats(batch: ChatTouch[]): Promise<void> {
    for (const t of batch) await this.touchChat(t.accountId, t.chatId, t.lastUpdate);
  }

  override async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    const chat = await this.inner.getChat(accountId, chatId);
    return chat && this.overlay(chat);
  }

  override async getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    return (await this.inner.getChats(keys)).map((c) => c && this.overlay(c));
  }

  override async listWaitingChats(accountId: string): Promise<Chat[]> {
    return (await this.inner.listWaitingChats(accountId)).map((c) => this.overlay(c));
  }

  override async listAgentChats(accountId: string, agentId: number): Promise<Chat[]> {
    return (await this.inner.listAgentChats(accountId, agentId)).map((c) => this.overlay(c));
  }

  override async listChats(accountId: string, state: ChatState | null, limit: number): Promise<Chat[]> {
    return (await this.inner.listChats(accountId, state, limit)).map((c) => this.overlay(c));
  }

  /** Deadlines come from stored lastUpdates: write the pending ones first (start-up, sweeps). */
  override async listOpenDeadlines(dueBy?: number, limit?: number): Promise<ChatDeadline[]> {
    await this.flush();
    return this.inner.listOpenDeadlines(dueBy, limit);
  }

  /** The guarded write carries the chat's pending keep-alive, so it needs no write of its own. */
  override async updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    const write = this.withPending(chat);
    const ok = await this.inner.updateChat(write, events);
    if (ok) this.settle(keyOf(chat.accountId, chat.id), write.lastUpdate);
    return ok;
  }

  override async updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    const writes = batch.map(({ chat, events }) => ({ chat: this.withPending(chat), events }));
    const results = await this.inner.updateChats(writes);
    writes.forEach(({ chat }, i) => {
      if (results[i]) this.settle(keyOf(chat.accountId, chat.id), chat.lastUpdate);
    });
    return results;
  }

  /** Pending keep-alives of the deleted chats go with them. */
  override async deleteActivity(accountId: string | null): Promise<void> {
    for (const [key, t] of this.pending) if (accountId === null || t.accountId === accountId) this.pending.delete(key);
    await this.inner.deleteActivity(accountId);
  }

  /** Writes every pending keep-alive; resolves once they are in the inner store. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.writePending());
    this.chain = run.catch(() => undefined);
    return run;
  }

  override async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    try {
      await this.flush();
    } finally {
      await this.inner.close();
    }
  }

  private overlay(chat: Chat): Chat {
    if (this.pending.size === 0) return chat;
    const p = this.pending.get(keyOf(chat.accountId, chat.id));
    if (p !== undefined && p.lastUpdate > chat.lastUpdate) chat.lastUpdate = p.lastUpdate;
    return chat;
  }

  private withPending(chat: Chat): Chat {
    const p = this.pending.get(keyOf(chat.accountId, chat.id));
    return p !== undefined && p.lastUpdate > chat.lastUpdate ? { ...chat, lastUpdate: p.lastUpdate } : chat;
  }

  /** `written` reached the store: a pending touch it covers is done. */
  private settle(key: string, written: number): void {
    const p = this.pending.get(key);
    if (p !== undefined && p.lastUpdate <= written) this.pending.delete(key);
  }

  private async writePending(): Promise<void> {
    this.disarm();
    if (this.pending.size === 0) return;
    try {
      // Primary-key order: neighbouring chats share pages, so each chunk writes fewer of them.
      let first = true;
      for await (const keys of sortedChunks([...this.pending.keys()], this.chunk)) {
        // Requests are answered between chunks: a flush never stalls the loop for long.
        if (!first) await nextTurn();
        first = false;
        // Read now: a touch since the flush began moved the value forward (or a write settled it).
        const part: ChatTouch[] = [];
        for (const key of keys) {
          const t = this.pending.get(key);
          if (t !== undefined) part.push({ accountId: t.accountId, chatId: t.chatId, lastUpdate: t.lastUpdate });
        }
        if (part.length === 0) continue;
        await this.inner.touchChats(part);
        for (const t of part) this.settle(keyOf(t.accountId, t.chatId), t.lastUpdate);
      }
    } finally {
      if (this.pending.size > 0) this.arm();
    }
  }

  private arm(): void {
    if (this.armed || this.closed) return;
    this.armed = true;
    this.handle = this.host.set(() => {
      this.armed = false;
      this.handle = undefined;
      this.flush().catch(this.onError);
    }, this.flushMs);
  }

  private disarm(): void {
    if (!this.armed) return;
    this.armed = false;
    this.host.clear(this.handle);
    this.handle = undefined;
  }
}
