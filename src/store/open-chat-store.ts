// Open chats served from memory (issue 14). Every visitor poll reads its chat, and at 100k
// open chats that read hit a random row of a database larger than SQLite's page cache. Here
// the chats that are open (waiting or chatting) are kept, as written, in one map: a poll reads
// no store. The store stays the system of record: every write goes to it first and the entry
// is replaced by what was written only once the write succeeded (write-through); a write
// that lost its version check drops the entry, so the writer's retry reads the store.
//
// Coherence (docs/architecture.md, "Open chats in memory"): on a store no other process
// writes (SQLite) every write passes here, so the map is exact. On a shared store
// (PostgreSQL) each chat write notifies the others (ChatStore.watch, LISTEN/NOTIFY), whose
// entry goes at once; while the listener is not connected (before its first LISTEN, after a
// loss) nothing is served from or put in the map, since a notice may have been missed.
//
// Beside each open chat, the last TAIL events it holds (when known to be its last: their ids
// end at the chat's nextEventId - 1), so that the poll finding one or two new events reads
// no store either; an older `from` reads the store.
//
// Entries are frozen below the top and every caller gets its own top-level copy (events are
// frozen and shared); an ended chat leaves the map. Its size is the number of open chats, as
// the deadline scheduler's; open-chats.ts keeps each entry small.
import type { Chat, ChatEvent } from '../chat/core/types.ts';
import { isOpen } from '../chat/core/states.ts';
import { DelegatingStore } from './delegating-store.ts';
import { OpenChats } from './open-chats.ts';
import type { ChatKey, ChatStore, ChatTouch, StoreChange } from './store.ts';

/** Events kept per open chat: a poll finds one or two new ones (a line; a state and its line). */
export const TAIL = 2;

/** The last TAIL of `events` when they end at the chat's last event, without a gap; otherwise null. */
function tailOf(events: ChatEvent[], nextEventId: number): ChatEvent[] | null {
  const last = events[events.length - 1];
  if (last === undefined || last.id !== nextEventId - 1) return null;
  const tail = events.slice(-TAIL);
  for (let i = 1; i < tail.length; i++) if ((tail[i] as ChatEvent).id !== (tail[i - 1] as ChatEvent).id + 1) return null;
  return tail;
}

/** A read of a chat the map does not hold, in flight: whether a write or notice of the chat overlapped it. */
interface Reading {
  readers: number;
  changed: boolean;
}

export class OpenChatStore extends DelegatingStore {
  private readonly held = new OpenChats();
  /** Bumped when the whole map is dropped (listener state, deleteActivity): no read that overlapped it fills. */
  private epoch = 0;
  /**
   * The reads in flight, by chat: a write or notice of that chat marks them, and a marked
   * read does not fill the map. Per chat, not one counter for all: with writes of other
   * chats always in flight (a busy shared store), a global mark let no read fill, and every
   * line re-read its chat from the store (issue 14).
   */
  private readonly reading = new Map<string, Reading>();
  /** False while a shared store's notices may be missed (listener not connected). */
  private live: boolean;
  private readonly unwatch: () => void;
  private hitCount = 0;

  constructor(inner: ChatStore) {
    super(inner);
    this.live = !inner.shared;
    this.unwatch = inner.watch((change) => this.notice(change));
  }

  /** Open chats held (tests, metrics). */
  get size(): number {
    return this.held.size;
  }

  /** Reads answered from memory (tests). */
  get hits(): number {
    return this.hitCount;
  }

  private notice(change: StoreChange): void {
    if (change.kind === 'chat') {
      this.changed(change.accountId, change.chatId);
      this.held.delete(change.accountId, change.chatId);
    } else if (change.kind === 'touched') {
      // Another instance's keep-alives: a deadline handler reading the chat here sees them.
      for (const t of change.touches) {
        this.changed(t.accountId, t.chatId);
        this.touched(t.accountId, t.chatId, t.lastUpdate);
      }
    } else if (change.kind === 'listening') {
      this.epoch++;
      this.held.clear();
      this.live = change.live;
    }
  }

  override async close(): Promise<void> {
    this.unwatch();
    this.held.clear();
    await this.inner.close();
  }

  override async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    const hit = this.live ? this.held.get(accountId, chatId) : undefined;
    if (hit !== undefined) {
      this.hitCount++;
      return { ...hit.chat };
    }
    const epoch = this.epoch;
    const reading = this.beginRead(accountId, chatId);
    let chat: Chat | null;
    try {
      chat = await this.inner.getChat(accountId, chatId);
    } finally {
      this.endRead(accountId, chatId, reading);
    }
    if (chat !== null) this.fill(chat, epoch, reading);
    return chat;
  }

  override async getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    const out: Array<Chat | null> = new Array<Chat | null>(keys.length).fill(null);
    const missing: number[] = [];
    keys.forEach((k, i) => {
      const hit = this.live ? this.held.get(k.accountId, k.chatId) : undefined;
      if (hit !== undefined) out[i] = { ...hit.chat };
      else missing.push(i);
    });
    if (missing.length === 0) return out;
    const epoch = this.epoch;
    const readings = missing.map((i) => this.beginRead((keys[i] as ChatKey).accountId, (keys[i] as ChatKey).chatId));
    let read: Array<Chat | null>;
    try {
      read = await this.inner.getChats(missing.map((i) => keys[i] as ChatKey));
    } finally {
      missing.forEach((i, j) => this.endRead((keys[i] as ChatKey).accountId, (keys[i] as ChatKey).chatId, readings[j] as Reading));
    }
    missing.forEach((i, j) => {
      const chat = read[j] ?? null;
      out[i] = chat;
      if (chat !== null) this.fill(chat, epoch, readings[j] as Reading);
    });
    return out;
  }

  override async createChat(chat: Chat, events: ChatEvent[]): Promise<void> {
    this.changed(chat.accountId, chat.id);
    await this.inner.createChat(chat, events);
    this.written(chat, true, events);
  }

  override async updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    this.changed(chat.accountId, chat.id);
    let ok = false;
    try {
      ok = await this.inner.updateChat(chat, events);
    } finally {
      this.written(chat, ok, events);
    }
    return ok;
  }

  override async updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    for (const { chat } of batch) this.changed(chat.accountId, chat.id);
    let results: boolean[] = [];
    try {
      results = await this.inner.updateChats(batch);
    } finally {
      batch.forEach(({ chat, events }, i) => this.written(chat, results[i] === true, events));
    }
    return results;
  }

  override async touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    await this.inner.touchChat(accountId, chatId, lastUpdate);
    this.touched(accountId, chatId, lastUpdate);
  }

  override async touchChats(batch: ChatTouch[]): Promise<void> {
    await this.inner.touchChats(batch);
    for (const t of batch) this.touched(t.accountId, t.chatId, t.lastUpdate);
  }

  override async deleteActivity(accountId: string | null): Promise<void> {
    this.epoch++;
    try {
      await this.inner.deleteActivity(accountId);
    } finally {
      this.epoch++;
      this.held.clear();
    }
  }

  /** Served from the held tail when it reaches back to `from`; the tail is learnt from a read that ends at the chat's last event. */
  override async listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]> {
    return this.events(accountId, chatId, from, Infinity, () => this.inner.listEvents(accountId, chatId, from));
  }

  /**
   * The poll's page (chat-service.ts eventsPage): from the held tail as listEvents, when the
   * tail holds no more than `limit` from `from` (it holds at most TAIL events).
   */
  override async listEventsPage(accountId: string, chatId: string, from: number, limit: number): Promise<ChatEvent[]> {
    return this.events(accountId, chatId, from, limit, () => this.inner.listEventsPage(accountId, chatId, from, limit));
  }

  private async events(accountId: string, chatId: string, from: number, limit: number, read: () => Promise<ChatEvent[]>): Promise<ChatEvent[]> {
    const held = this.live ? this.held.get(accountId, chatId) : undefined;
    const tail = held?.tail;
    if (tail && tail.length > 0 && from >= (tail[0] as ChatEvent).id) {
      const found = tail.filter((e) => e.id >= from);
      if (found.length <= limit) {
        this.hitCount++;
        return found;
      }
    }
    const epoch = this.epoch;
    const chat = held?.chat;
    const events = await read();
    const now = this.held.get(accountId, chatId);
    if (chat !== undefined && now !== undefined && epoch === this.epoch && now.chat === chat) {
      // A page cut short by `limit` ends where the chat's last event is only if that is its last.
      const learnt = tailOf(events, chat.nextEventId);
      if (learnt !== null) this.held.set(chat, learnt);
    }
    return events;
  }

  private static key(accountId: string, chatId: string): string {
    return `${accountId}\u0000${chatId}`;
  }

  private beginRead(accountId: string, chatId: string): Reading {
    const key = OpenChatStore.key(accountId, chatId);
    let r = this.reading.get(key);
    if (r === undefined) {
      r = { readers: 0, changed: false };
      this.reading.set(key, r);
    }
    r.readers++;
    return r;
  }

  private endRead(accountId: string, chatId: string, r: Reading): void {
    if (--r.readers === 0) this.reading.delete(OpenChatStore.key(accountId, chatId));
  }

  /** A write or notice of this chat: the reads of it in flight may have seen the row before it. */
  private changed(accountId: string, chatId: string): void {
    if (this.reading.size === 0) return;
    const r = this.reading.get(OpenChatStore.key(accountId, chatId));
    if (r !== undefined) r.changed = true;
  }

  /** A read of an open chat that no write or notice of it overlapped is what the store holds. */
  private fill(chat: Chat, epoch: number, reading: Reading): void {
    if (!this.live || epoch !== this.epoch || reading.changed || !isOpen(chat.state)) return;
    this.held.set(chat, null);
  }

  /**
   * After a write: what was written is the store's row, but for lastUpdate, which the store
   * keeps at the later of its own and the write's (a flushed keep-alive may be later).
   */
  private written(chat: Chat, ok: boolean, events: ChatEvent[]): void {
    this.changed(chat.accountId, chat.id);
    const prev = this.held.get(chat.accountId, chat.id);
    if (!ok || !this.live || !isOpen(chat.state)) {
      this.held.delete(chat.accountId, chat.id);
      return;
    }
    const follows = prev !== undefined && prev.chat.version === chat.version - 1;
    const lastUpdate = follows ? Math.max(prev.chat.lastUpdate, chat.lastUpdate) : null;
    // Without the row before the write, the stored lastUpdate is not known for sure: read it next time.
    if (lastUpdate === null && chat.version !== 1) {
      this.held.delete(chat.accountId, chat.id);
      return;
    }
    // The new events follow the held tail (if any): together they end at the chat's last event.
    const before = follows ? (prev.tail ?? []) : [];
    const tail = events.length === 0 ? (follows ? prev.tail : null) : tailOf(before.concat(events), chat.nextEventId);
    this.held.set({ ...chat, lastUpdate: lastUpdate ?? chat.lastUpdate }, tail);
  }

  private touched(accountId: string, chatId: string, lastUpdate: number): void {
    const prev = this.held.get(accountId, chatId);
    if (prev !== undefined && lastUpdate > prev.chat.lastUpdate) prev.chat = Object.freeze({ ...prev.chat, lastUpdate });
  }
}
