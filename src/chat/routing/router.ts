// The contact-centre side of the domain: agent availability, offering queued chats to
// agents (routing.ts decides who), the 20-second accept window, maxWaitTime and accepting
// (agent API §3, §4.3, §4.7–4.8; spec §3, §4.7).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import { markAgents, NO_CHANGE, timeoutKey, type ChatWriter, type EventWriter } from '../core/chat-writer.ts';
import { assign, queueMayReach, reachable, ringDeadline, waitDeadline, type Loads } from './routing.ts';
import { move } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import { kindKey, type DeadlineScheduler } from '../core/timers.ts';
import type { Agent, AgentAvailability, Chat } from '../core/types.ts';

/** Seconds an offer rings before the agent is set Away (agent API §3: "within 20 seconds"). */
export const DEFAULT_RING_TIMEOUT = 20;

export interface RouterDeps {
  store: ChatStore;
  writer: ChatWriter;
  clock: Clock;
  timeouts: DeadlineScheduler;
  /** Seconds an offer rings before it moves on. */
  ringTimeout: number;
  onBackgroundError: (err: unknown) => void;
}

/** Splits an `account/chat` timer id. */
export function splitKey(id: string): [accountId: string, rest: string] {
  const slash = id.indexOf('/');
  return [id.slice(0, slash), id.slice(slash + 1)];
}

export class Router {
  private readonly writer: ChatWriter;
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly timeouts: DeadlineScheduler;
  private readonly ringTimeout: number;
  private readonly onBackgroundError: (err: unknown) => void;
  private readonly pending = new Map<string, Promise<void>>();

  constructor(deps: RouterDeps) {
    this.store = deps.store;
    this.writer = deps.writer;
    this.clock = deps.clock;
    this.timeouts = deps.timeouts;
    this.ringTimeout = deps.ringTimeout;
    this.onBackgroundError = deps.onBackgroundError;
    this.timeouts.onKind('ring', (id) => this.guard(this.onRingDue(id)));
    this.timeouts.onKind('wait', (id) => this.guard(this.onWaitDue(id)));
  }

  /**
   * Arms the accept windows and maxWaitTimes of the waiting chats of every account (on start,
   * and in the shared-store sweep: `adopt` arms only what this process does not know yet).
   */
  async armAll(adopt = false): Promise<void> {
    for (const account of await this.store.listAccounts()) {
      for (const chat of await this.store.listWaitingChats(account.id)) this.arm(chat, adopt);
    }
  }

  /** Routes every account: after a restart, once the deadlines that passed while down have fired. */
  async routeAll(): Promise<void> {
    for (const account of await this.store.listAccounts()) await this.route(account.id);
  }

  /**
   * Routing passes, accepts and availability changes of an account run one at a time —
   * across every instance sharing the store (store.withLock), so a chat never rings two
   * agents and no agent goes over maxChats (docs/architecture.md, "Routing").
   */
  private locked<T>(accountId: string, fn: () => Promise<T>): Promise<T> {
    return this.store.withLock(`route:${accountId}`, fn);
  }

  /** Schedules the chat's ring and wait deadlines from what is stored. */
  arm(chat: Chat, adopt = false): void {
    const key = timeoutKey(chat.accountId, chat.id);
    const set = (k: string, at: number): void => (adopt ? this.timeouts.adopt(k, at) : this.timeouts.schedule(k, at));
    const ring = ringDeadline(chat, this.ringTimeout);
    if (ring !== null) set(kindKey('ring', key), ring);
    const wait = chat.state === 'waiting' ? waitDeadline(chat) : null;
    if (wait !== null) set(kindKey('wait', key), wait);
  }

  /**
   * Offers queued chats to agents with room, oldest first. Calls that arrive while a run
   * is still queued join it: one run sees all their changes (many timeouts falling due
   * together cause one routing pass, not one each).
   */
  route(accountId: string): Promise<void> {
    const pending = this.pending.get(accountId);
    if (pending) return pending;
    const run = this.locked(accountId, async () => {
      this.pending.delete(accountId);
      await this.routeNow(accountId);
    });
    this.pending.set(accountId, run);
    return run;
  }

  /**
   * One pass reads the queue first (usually empty: nothing more is read), then every agent's
   * load in one indexed count — never a query per agent over the account's chats.
   */
  private async routeNow(accountId: string): Promise<void> {
    // Counted first (an index, issue 11 finding 4): the queue is read only when an agent with
    // room might take one of its chats, never on every request while a long queue waits.
    const counts = await this.store.countWaitingChats(accountId);
    if (counts.unassigned.size === 0) return;
    const agents = reachable(await this.store.listAgents(accountId));
    if (agents.length === 0) return;
    const loads: Loads = await this.store.countAgentChats(accountId);
    if (!queueMayReach(counts, agents, loads)) return;
    const queued = await this.store.listWaitingChats(accountId);
    for (const [c, agent] of assign(queued, agents, loads)) await this.ring(accountId, c.id, agent.id);
  }

  /** Offers the waiting chat to the agent; its accept window starts now. */
  async ring(accountId: string, chatId: string, agentId: number): Promise<void> {
    const chat = await this.writer.mutate(accountId, chatId, (c) => {
      if (c.state !== 'waiting' || c.ringingAgentId !== null) return NO_CHANGE;
      c.ringingAgentId = agentId;
      c.ringingSince = this.clock.now();
      return c;
    });
    if (chat) this.arm(chat);
  }

  /** Chats ringing for the agent, oldest first (agent API §4.7 ringingCount). */
  async ringing(accountId: string, agentId: number): Promise<Chat[]> {
    return (await this.store.listAgentChats(accountId, agentId)).filter((c) => c.state === 'waiting' && c.ringingAgentId === agentId);
  }

  /** Takes the oldest chat ringing for the agent (agent API §4.8). */
  async acceptNext(accountId: string, agent: Agent): Promise<Chat> {
    await this.route(accountId);
    return this.locked(accountId, async () => {
      const [first] = await this.ringing(accountId, agent.id);
      if (!first) throw new ApiError('nothing-ringing');
      return this.writer.mutate(accountId, first.id, (chat, w) => {
        if (chat.state !== 'waiting' || chat.ringingAgentId !== agent.id) throw new ApiError('nothing-ringing');
        chat.state = move(chat.state, 'accept', 'agent');
        chat.agentId = agent.id;
        chat.ringingAgentId = null;
        chat.ringingSince = null;
        // Handling time counts from the first accept (spec §4.3); a transfer's re-accept keeps it.
        chat.acceptedAt ??= w.now;
        // maxWaitTime bounds the first wait only; a transfer's exclusion ends with the accept.
        chat.maxWaitTime = null;
        chat.transferredFromAgentId = null;
        w.state('chatting');
        w.system(SystemMessage.accepted, systemTexts.accepted(agent.name));
        return chat;
      });
    });
  }

  /**
   * Sets the agent's availability (and with `chatReasonId` its reason, in the same write) and
   * withdraws its offers when it leaves Online; `only` decides from the current availability.
   */
  async setAvailability(
    accountId: string,
    agentId: number,
    availability: AgentAvailability,
    opts: { only?: (current: AgentAvailability) => boolean; chatReasonId?: string | null } = {},
  ): Promise<void> {
    const { only, chatReasonId } = opts;
    await this.locked(accountId, async () => {
      if (only) {
        // Decided under the routing lock, so a concurrent sign-off (Offline) is never undone.
        const agent = await this.store.getAgent(accountId, agentId);
        if (!agent || !only(agent.availability)) return;
      }
      await this.store.setAgentAvailability(accountId, agentId, availability, chatReasonId);
      // Retrieve Available Agents' timeStamp delta lists it (agent API §4.4); not awaited under the routing lock.
      markAgents(this.store, accountId, [agentId], this.clock.now()).catch(this.onBackgroundError);
      if (availability === 'Online') return;
      // An agent who leaves "Online" stops ringing: its offers go back to the queue. An
      // Occupied agent keeps the transfers ringing for it (agent API §3).
      for (const c of await this.store.listAgentChats(accountId, agentId)) {
        if (c.state !== 'waiting' || c.ringingAgentId !== agentId) continue;
        if (availability === 'Occupied' && (c.transferredFromAgentId ?? null) !== null) continue;
        await this.writer.mutate(accountId, c.id, (chat, w) => {
          if (chat.ringingAgentId !== agentId) return NO_CHANGE;
          chat.ringingAgentId = null;
          chat.ringingSince = null;
          // Its maxWaitTime ran out while it rang: back in the queue it would wait past it.
          const now = this.clock.now();
          const wait = waitDeadline(chat);
          if (chat.state === 'waiting' && wait !== null && wait <= now) this.endBusy(chat, w, now);
          return chat;
        });
      }
    });
    await this.route(accountId);
  }

  /** maxWaitTime ran out (spec §4.7): system line 2 "operators are busy", then `ended`. */
  private endBusy(chat: Chat, w: EventWriter, at: number): void {
    w.system(SystemMessage.operatorsBusy, systemTexts.operatorsBusy(), at);
    this.writer.end(chat, w, 'system', at);
  }

  /**
   * The accept window closed (agent API §3): the agent is treated as idle and set Away,
   * which withdraws its other offers too, and the chat is offered to the next agent — or
   * ends, when its maxWaitTime ran out while it rang.
   */
  private async onRingDue(id: string): Promise<void> {
    const [accountId, chatId] = splitKey(id);
    let idle: number | null = null;
    await this.writer.mutate(accountId, chatId, (chat, w) => {
      const now = this.clock.now();
      const due = ringDeadline(chat, this.ringTimeout);
      if (chat.state !== 'waiting' || due === null || due > now) return NO_CHANGE;
      idle = chat.ringingAgentId;
      chat.ringingAgentId = null;
      chat.ringingSince = null;
      const wait = waitDeadline(chat);
      if (wait !== null && wait <= now) this.endBusy(chat, w, Math.max(wait, due));
      return chat;
    });
    if (idle === null) return;
    await this.setAvailability(accountId, idle, 'Away', { only: (current) => current === 'Online' || current === 'Occupied' });
  }

  /** maxWaitTime ran out while nobody was ringing: the chat ends (a ringing chat waits for its window). */
  private async onWaitDue(id: string): Promise<void> {
    const [accountId, chatId] = splitKey(id);
    await this.writer.mutate(accountId, chatId, (chat, w) => {
      const wait = waitDeadline(chat);
      if (chat.state !== 'waiting' || wait === null || wait > this.clock.now() || chat.ringingAgentId !== null) return NO_CHANGE;
      this.endBusy(chat, w, wait);
      return chat;
    });
  }

  private async guard(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'chat-not-found')) this.onBackgroundError(err);
    }
  }
}
