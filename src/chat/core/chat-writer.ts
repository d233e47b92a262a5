// Every change to a chat goes through ChatWriter.mutate: a read-modify-write under the
// chat's lock, guarded by the store's version check, with the chat's timeout re-armed from
// what was written. EventWriter hands out event ids in order.
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { ChatGuard } from './chat-limits.ts';
import type { KeyedLock } from './keyed-lock.ts';
import { isOpen, move, type Actor } from './states.ts';
import type { DeadlineScheduler } from './timers.ts';
import type { Chat, ChatEvent, LineEvent, StateEvent, Typing } from './types.ts';

/** Returned by a mutation that finds nothing to change: nothing is written. */
export const NO_CHANGE = Symbol('no change');

export function typingOf(until: number | null, now: number): Typing {
  return until !== null && now < until ? 'typing' : 'not-typing';
}

export function timeoutKey(accountId: string, chatId: string): string {
  return `${accountId}/${chatId}`;
}

/**
 * How far ahead of now a change is stamped. The mark lands after the write that made the
 * change; a list read between the two must still see it on its next call (whose timeStamp is
 * that read's time), so the stamp is put past any such read: a delta may repeat an agent for
 * this long, and never misses one (docs/architecture.md).
 */
export const AGENT_MARK_AHEAD_MS = 1000;

/** Marks agents changed for Retrieve Available Agents' timeStamp delta (agent API §4.4). */
export function markAgents(store: ChatStore, accountId: string, agentIds: number[], now: number): Promise<void> {
  return agentIds.length === 0 ? Promise.resolve() : store.markAgentsChanged(accountId, agentIds, now + AGENT_MARK_AHEAD_MS);
}

/** The agents whose count of held open chats differs between two versions of a chat. */
export function loadChanged(before: Chat, after: Chat): number[] {
  const held = (c: Chat): number | null => (isOpen(c.state) ? c.agentId : null);
  const a = held(before);
  const b = held(after);
  if (a === b) return [];
  return [a, b].filter((x): x is number => x !== null);
}

/** The chat's timeout deadline (spec §3): chatTimeout seconds after lastUpdate. */
export function deadlineOf(chat: Pick<Chat, 'lastUpdate' | 'chatTimeout'>): number {
  return chat.lastUpdate + chat.chatTimeout * 1000;
}

/** Appends events to a chat being changed, giving each the next id. */
export class EventWriter {
  readonly events: ChatEvent[] = [];
  /** The time of the write: the default time of every event it adds. */
  readonly now: number;
  private readonly chat: Chat;
  constructor(chat: Chat, now: number) {
    this.chat = chat;
    this.now = now;
  }
  state(state: Chat['state'], time = this.now): StateEvent {
    const e: StateEvent = { type: 'state', id: this.chat.nextEventId++, time, state };
    this.events.push(e);
    return e;
  }
  line(fields: Omit<LineEvent, 'type' | 'id' | 'time' | 'subType'> & { subType?: LineEvent['subType'] }, time = this.now): LineEvent {
    const e: LineEvent = { type: 'line', id: this.chat.nextEventId++, time, subType: 'REGULAR', ...fields };
    this.events.push(e);
    return e;
  }
  system(systemMessageId: number, text: string, time = this.now): LineEvent {
    return this.line({ text, textType: 'plain', by: 'info', source: 'system', systemMessageId }, time);
  }
}

export class ChatWriter {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly locks: KeyedLock;
  private readonly timeouts: DeadlineScheduler;
  private readonly observers: Array<(chat: Chat, events: ChatEvent[]) => void> = [];

  private readonly guard: ChatGuard | null;

  private readonly onBackgroundError: (err: unknown) => void;

  constructor(store: ChatStore, clock: Clock, locks: KeyedLock, timeouts: DeadlineScheduler, guard: ChatGuard | null = null, onBackgroundError: (err: unknown) => void = () => undefined) {
    this.onBackgroundError = onBackgroundError;
    this.guard = guard;
    this.store = store;
    this.clock = clock;
    this.locks = locks;
    this.timeouts = timeouts;
  }

  /**
   * `fn` hears of every chat this writer wrote, with the events written, right after the
   * write (bot agents react to offers and lines, chat/agents/bots.ts). It must not throw or block.
   */
  observe(fn: (chat: Chat, events: ChatEvent[]) => void): void {
    this.observers.push(fn);
  }

  async get(accountId: string, chatId: string): Promise<Chat> {
    const chat = await this.store.getChat(accountId, chatId);
    if (!chat) throw new ApiError('chat-not-found', chatId);
    return chat;
  }

  /**
   * `fn` changes the chat in place and adds events, or returns NO_CHANGE. With `visitor`,
   * the write also counts as the visitor's keep-alive (lastUpdate moves to now).
   */
  async mutate<T>(accountId: string, chatId: string, fn: (chat: Chat, w: EventWriter) => T | typeof NO_CHANGE, opts: { visitor?: boolean } = {}): Promise<T> {
    const key = timeoutKey(accountId, chatId);
    return this.locks.run(key, async () => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const stored = await this.get(accountId, chatId);
        const now = this.clock.now();
        const chat: Chat = { ...stored, version: stored.version + 1 };
        const w = new EventWriter(chat, now);
        const result = fn(chat, w);
        if (result === NO_CHANGE) {
          if (isOpen(stored.state)) this.timeouts.schedule(key, deadlineOf(stored));
          return undefined as T;
        }
        // What a chat may hold and take (chat-limits.ts): before anything is written.
        this.guard?.check(chat, w.events, now);
        if (opts.visitor && isOpen(stored.state)) chat.lastUpdate = Math.max(chat.lastUpdate, now);
        if (await this.store.updateChat(chat, w.events)) {
          if (isOpen(chat.state)) this.timeouts.schedule(key, deadlineOf(chat));
          else this.timeouts.cancel(key);
          // Not awaited: the mark must not lengthen the chat's lock, nor the routing lock a caller may hold.
          this.markLoads([[stored, chat]]).catch(this.onBackgroundError);
          for (const o of this.observers) o(chat, w.events);
          return result;
        }
      }
      throw new Error(`chat ${chatId} kept changing under a write`);
    });
  }

  /**
   * Agents whose load (held open chats) a write changed are marked changed, after the write,
   * so Retrieve Available Agents' `timeStamp` delta lists them (agent API §4.4); see markAgents.
   */
  async markLoads(writes: Array<[Chat, Chat]>): Promise<void> {
    const byAccount = new Map<string, Set<number>>();
    for (const [before, after] of writes) {
      const ids = loadChanged(before, after);
      if (ids.length === 0) continue;
      const set = byAccount.get(after.accountId) ?? new Set<number>();
      for (const id of ids) set.add(id);
      byAccount.set(after.accountId, set);
    }
    for (const [accountId, ids] of byAccount) await markAgents(this.store, accountId, [...ids], this.clock.now());
  }

  /** Ends the chat in place (state machine permitting) and writes the `ended` event. */
  end(chat: Chat, w: EventWriter, actor: Actor, time = this.clock.now()): StateEvent {
    chat.state = move(chat.state, 'end', actor);
    chat.ringingAgentId = null;
    chat.visitorTypingUntil = null;
    chat.agentTypingUntil = null;
    chat.endTime = time;
    return w.state('ended', time);
  }
}
