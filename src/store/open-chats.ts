// The map behind OpenChatStore (open-chat-store.ts), kept small: at 100k open chats every
// byte of an entry is 100 kB (issue 14 keeps a served chat within 2 KB of memory). Chats are
// found per account and then by their own id string (no composite key string per entry);
// a chat and its last events share one entry; and the strings many chats repeat (the
// account id, an origin's engagement, campaign, language, address and user agent, an event's
// author and kind) are held once, in a bounded pool.
import type { Chat, ChatEvent } from '../chat/core/types.ts';

export interface Held {
  /** Frozen below the top as well: readers get a top-level copy. */
  chat: Chat;
  /** The chat's last events, ending at its nextEventId - 1; null when not known. */
  tail: ChatEvent[] | null;
}

/** Distinct strings pooled at most: a bound on the pool, however varied the values. */
const POOL_MAX = 10_000;
/** Longer strings are not pooled (a line's text, a long URL). */
const POOL_MAX_LENGTH = 300;
/** Origin fields unique to each visit: pooling them would only fill the pool. */
const UNIQUE_ORIGIN_FIELDS = new Set(['sharkVisitorId', 'sharkSessionId', 'participantId']);

export class OpenChats {
  private readonly accounts = new Map<string, Map<string, Held>>();
  private count = 0;
  private readonly pool = new Map<string, string>();

  get size(): number {
    return this.count;
  }

  get(accountId: string, chatId: string): Held | undefined {
    return this.accounts.get(accountId)?.get(chatId);
  }

  /** Holds `chat` (frozen and pooled here) with `tail`, replacing what was held. */
  set(chat: Chat, tail: ChatEvent[] | null): Held {
    const c = this.compact(chat);
    let chats = this.accounts.get(c.accountId);
    if (chats === undefined) {
      chats = new Map();
      this.accounts.set(c.accountId, chats);
    }
    const held = chats.get(c.id);
    if (held !== undefined) {
      held.chat = c;
      held.tail = tail && tail.map((e) => this.event(e));
      return held;
    }
    const fresh: Held = { chat: c, tail: tail && tail.map((e) => this.event(e)) };
    chats.set(c.id, fresh);
    this.count++;
    return fresh;
  }

  delete(accountId: string, chatId: string): void {
    const chats = this.accounts.get(accountId);
    if (chats?.delete(chatId)) {
      this.count--;
      if (chats.size === 0) this.accounts.delete(accountId);
    }
  }

  clear(): void {
    this.accounts.clear();
    this.count = 0;
  }

  private intern(s: string): string {
    if (s.length > POOL_MAX_LENGTH) return s;
    const held = this.pool.get(s);
    if (held !== undefined) return held;
    if (this.pool.size < POOL_MAX) this.pool.set(s, s);
    return s;
  }

  private compact(chat: Chat): Chat {
    if (Object.isFrozen(chat)) return chat;
    const origin: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(chat.origin)) origin[k] = typeof v === 'string' && !UNIQUE_ORIGIN_FIELDS.has(k) ? this.intern(v) : v;
    const c: Chat = { ...chat, accountId: this.intern(chat.accountId), origin: Object.freeze(origin) as unknown as Chat['origin'] };
    for (const v of Object.values(c)) if (v !== null && typeof v === 'object') deepFreeze(v);
    return Object.freeze(c);
  }

  /** An event as held: frozen, its short strings but the text pooled. */
  private event(e: ChatEvent): ChatEvent {
    if (Object.isFrozen(e)) return e;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) out[k] = typeof v === 'string' && k !== 'text' ? this.intern(v) : v;
    deepFreeze(out);
    return out as unknown as ChatEvent;
  }
}

export function deepFreeze(value: object): void {
  if (Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') deepFreeze(v);
}
