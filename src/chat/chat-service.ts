// The operations every front (visitor API, agent API, console, timers) calls. State moves go
// through states.ts, routing through routing.ts; time and ids come from the injected deps.
import type { Clock } from '../clock.ts';
import { ApiError } from '../errors.ts';
import type { Ids } from '../ids.ts';
import type { ChatStore } from '../store/store.ts';
import { cleanAgentHtml } from './agent-html.ts';
import { KeyedLock } from './keyed-lock.ts';
import { assign, routable, type Loads } from './routing.ts';
import { isOpen, move } from './states.ts';
import { SystemMessage, systemTexts } from './system-messages.ts';
import { DeadlineScheduler, type TimerHost } from './timers.ts';
import type { Account, Agent, AgentAvailability, Chat, ChatEvent, ChatOrigin, LineEvent, Skill, StateEvent, TextType, Typing } from './types.ts';

export interface ChatSettings {
  /** Seconds after which a typing flag that was not renewed reads "not-typing". */
  typingTimeout: number;
}

export interface ChatServiceDeps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  timerHost: TimerHost;
  settings: ChatSettings;
  /** Told about failures of background work (timers); the domain has no logger of its own. */
  onBackgroundError?: (err: unknown) => void;
}

/** A validated chat request (spec §4.7), in domain terms. */
export interface ChatRequest {
  skill: Skill | null;
  chatTimeout: number | null;
  visitorId: number | null;
  visitorName: string | null;
  preChatLines: string[];
  origin: Partial<ChatOrigin>;
}

export interface AgentLine {
  text: string;
  textType: TextType;
  onlyToRep: boolean;
  json?: unknown;
}

const NO_CHANGE = Symbol('no change');

/** Appends events to a chat being changed, giving each the next id. */
class EventWriter {
  readonly events: ChatEvent[] = [];
  private readonly chat: Chat;
  private readonly now: number;
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

export function typingOf(until: number | null, now: number): Typing {
  return until !== null && now < until ? 'typing' : 'not-typing';
}

export class ChatService {
  readonly store: ChatStore;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly settings: ChatSettings;
  readonly timeouts: DeadlineScheduler;
  private readonly locks = new KeyedLock();
  private readonly routePending = new Map<string, Promise<void>>();
  private readonly onBackgroundError: (err: unknown) => void;

  constructor(deps: ChatServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.settings = deps.settings;
    this.onBackgroundError = deps.onBackgroundError ?? (() => undefined);
    this.timeouts = new DeadlineScheduler(deps.clock, deps.timerHost, (key, deadline) => this.onDeadline(key, deadline));
  }

  /** Re-arms the timeout of every open chat; chats whose deadline passed while down end now. */
  async start(): Promise<void> {
    for (const d of await this.store.listOpenDeadlines()) this.timeouts.schedule(`${d.accountId}/${d.chatId}`, d.deadline);
    await this.timeouts.runDue();
  }

  stop(): void {
    this.timeouts.stop();
  }

  // ---------- lookups ----------

  async getChat(accountId: string, chatId: string): Promise<Chat> {
    const chat = await this.store.getChat(accountId, chatId);
    if (!chat) throw new ApiError('chat-not-found', chatId);
    return chat;
  }

  async listEvents(chat: Chat, from: number, side: 'visitor' | 'agent'): Promise<ChatEvent[]> {
    const events = await this.store.listEvents(chat.accountId, chat.id, Math.max(0, from));
    // Private agent notes never reach the visitor (agent API §4.13, ONLY_TO_REP).
    return side === 'visitor' ? events.filter((e) => e.type !== 'line' || e.subType !== 'ONLY_TO_REP') : events;
  }

  /**
   * Any visitor request keeps the chat alive: lastUpdate moves to now and the timeout
   * restarts (spec §3 "lastUpdate", KeepAlive). Returns the chat as it now stands.
   */
  async visitorTouch(accountId: string, chatId: string): Promise<Chat> {
    const chat = await this.getChat(accountId, chatId);
    if (!isOpen(chat.state)) return chat;
    const now = this.clock.now();
    if (now > chat.lastUpdate) {
      await this.store.touchChat(accountId, chatId, now);
      chat.lastUpdate = now;
      this.timeouts.schedule(`${accountId}/${chatId}`, now + chat.chatTimeout * 1000);
    }
    return chat;
  }

  // ---------- visitor side ----------

  async requestChat(account: Account, req: ChatRequest): Promise<Chat> {
    const now = this.clock.now();
    const o = req.origin;
    const chat: Chat = {
      accountId: account.id,
      id: this.ids.chatId(),
      state: 'waiting',
      skillId: req.skill?.id ?? null,
      agentId: null,
      ringingAgentId: null,
      queuedAt: now,
      startTime: now,
      endTime: null,
      lastUpdate: now,
      chatTimeout: req.chatTimeout ?? account.chatTimeout,
      visitorId: req.visitorId ?? this.ids.visitorId(),
      visitorName: req.visitorName,
      visitorTypingUntil: null,
      agentTypingUntil: null,
      rtSessionId: await this.store.nextRtSessionId(account.id),
      origin: {
        ...o,
        sharkVisitorId: o.sharkVisitorId ?? this.ids.token(),
        sharkSessionId: o.sharkSessionId ?? this.ids.token(),
        sharkContextId: o.sharkContextId ?? '1',
        engagementId: o.engagementId ?? derivedId(`${account.id}:engagement:${req.skill?.id ?? ''}`),
        campaignId: o.campaignId ?? derivedId(`${account.id}:campaign`),
        language: o.language ?? account.language,
      },
      nextEventId: 0,
      version: 1,
    };
    const w = new EventWriter(chat, now);
    w.state('waiting');
    w.system(SystemMessage.routing, systemTexts.routing());
    for (const text of req.preChatLines) w.system(SystemMessage.preChatLine, text);
    await this.store.createChat(chat, w.events);
    this.timeouts.schedule(`${chat.accountId}/${chat.id}`, now + chat.chatTimeout * 1000);
    await this.route(account.id);
    return (await this.store.getChat(account.id, chat.id)) ?? chat;
  }

  async addVisitorLine(accountId: string, chatId: string, text: string): Promise<LineEvent> {
    return this.mutate(accountId, chatId, (chat, w) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorTypingUntil = null;
      return w.line({ text, textType: 'plain', ...(chat.visitorName === null ? {} : { by: chat.visitorName }), source: 'visitor' });
    }, { visitor: true });
  }

  async endByVisitor(accountId: string, chatId: string): Promise<StateEvent> {
    const e = await this.mutate(accountId, chatId, (chat, w) => this.end(chat, w, 'visitor'), { visitor: true });
    await this.route(accountId);
    return e;
  }

  async setVisitorName(accountId: string, chatId: string, name: string): Promise<Chat> {
    return this.mutate(accountId, chatId, (chat) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorName = name;
      return chat;
    }, { visitor: true });
  }

  async setVisitorTyping(accountId: string, chatId: string, typing: Typing): Promise<Chat> {
    return this.mutate(accountId, chatId, (chat) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorTypingUntil = typing === 'typing' ? this.clock.now() + this.settings.typingTimeout * 1000 : null;
      return chat;
    }, { visitor: true });
  }

  // ---------- agent side ----------

  /** Takes the oldest chat ringing for the agent (agent API §4.8). */
  async acceptNext(accountId: string, agent: Agent): Promise<Chat> {
    await this.route(accountId);
    return this.locks.run(`route:${accountId}`, async () => {
      const ringing = (await this.store.listAgentChats(accountId, agent.id)).filter((c) => c.state === 'waiting' && c.ringingAgentId === agent.id);
      const first = ringing[0];
      if (!first) throw new ApiError('nothing-ringing');
      return this.mutate(accountId, first.id, (chat, w) => {
        if (chat.state !== 'waiting' || chat.ringingAgentId !== agent.id) throw new ApiError('nothing-ringing');
        chat.state = move(chat.state, 'accept', 'agent');
        chat.agentId = agent.id;
        chat.ringingAgentId = null;
        w.state('chatting');
        w.system(SystemMessage.accepted, systemTexts.accepted(agent.name));
        return chat;
      });
    });
  }

  async addAgentLine(accountId: string, chatId: string, agent: Agent, line: AgentLine): Promise<LineEvent> {
    return this.mutate(accountId, chatId, (chat, w) => {
      this.requireHolder(chat, agent);
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.agentTypingUntil = null;
      const text = line.textType === 'html' ? cleanAgentHtml(line.text) : line.text;
      if (line.textType === 'html' && text.trim() === '') throw new ApiError('bad-body', 'the HTML line has nothing left once scripts, iframes and other disallowed markup are removed');
      return w.line({
        text,
        textType: line.textType,
        by: agent.name,
        source: 'agent',
        subType: line.onlyToRep ? 'ONLY_TO_REP' : 'REGULAR',
        ...(line.json === undefined ? {} : { json: line.json }),
      });
    });
  }

  async endByAgent(accountId: string, chatId: string, agent: Agent): Promise<StateEvent> {
    const e = await this.mutate(accountId, chatId, (chat, w) => {
      this.requireHolder(chat, agent);
      if (isOpen(chat.state)) w.system(SystemMessage.agentEnded, systemTexts.agentEnded(agent.name));
      return this.end(chat, w, 'agent');
    });
    await this.route(accountId);
    return e;
  }

  async setAgentTyping(accountId: string, chatId: string, agent: Agent, typing: Typing): Promise<Chat> {
    return this.mutate(accountId, chatId, (chat) => {
      this.requireHolder(chat, agent);
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.agentTypingUntil = typing === 'typing' ? this.clock.now() + this.settings.typingTimeout * 1000 : null;
      return chat;
    });
  }

  /** An agent sees a chat it holds (or held), or one ringing for it. */
  requireOwner(chat: Chat, agent: Agent): void {
    if (chat.agentId !== agent.id && chat.ringingAgentId !== agent.id) throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
  }

  /** An agent writes only to a chat it holds; one that only rings must be accepted first. */
  private requireHolder(chat: Chat, agent: Agent): void {
    if (chat.agentId === agent.id) return;
    if (chat.ringingAgentId === agent.id) throw new ApiError('not-chatting', `accept chat ${chat.id} before writing to it`);
    throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
  }

  async setAvailability(accountId: string, agentId: number, availability: AgentAvailability): Promise<void> {
    await this.locks.run(`route:${accountId}`, async () => {
      await this.store.setAgentAvailability(accountId, agentId, availability);
      if (availability === 'Online') return;
      // An agent who leaves "Online" stops ringing; its offers go back to the queue.
      for (const c of await this.store.listAgentChats(accountId, agentId)) {
        if (c.state !== 'waiting' || c.ringingAgentId !== agentId) continue;
        await this.mutate(accountId, c.id, (chat) => {
          if (chat.ringingAgentId !== agentId) return NO_CHANGE;
          chat.ringingAgentId = null;
          return chat;
        });
      }
    });
    await this.route(accountId);
  }

  /**
   * Offers queued chats to agents with room (routing.ts), oldest first. Calls that arrive
   * while a run is still queued join it: one run sees all their changes (many timeouts
   * falling due together cause one routing pass, not one each).
   */
  route(accountId: string): Promise<void> {
    const pending = this.routePending.get(accountId);
    if (pending) return pending;
    const run = this.locks.run(`route:${accountId}`, async () => {
      this.routePending.delete(accountId);
      await this.routeNow(accountId);
    });
    this.routePending.set(accountId, run);
    return run;
  }

  private async routeNow(accountId: string): Promise<void> {
    const agents = routable(await this.store.listAgents(accountId));
    if (agents.length === 0) return;
    const loads: Loads = new Map();
    for (const a of agents) loads.set(a.id, (await this.store.listAgentChats(accountId, a.id)).length);
    if (!agents.some((a) => a.maxChats < 0 || a.maxChats > (loads.get(a.id) ?? 0))) return;
    const queued = await this.store.listWaitingChats(accountId);
    for (const [c, agent] of assign(queued, agents, loads)) {
      await this.mutate(accountId, c.id, (chat) => {
        if (chat.state !== 'waiting' || chat.ringingAgentId !== null) return NO_CHANGE;
        chat.ringingAgentId = agent.id;
        return chat;
      });
    }
  }

  // ---------- internals ----------

  private end(chat: Chat, w: EventWriter, actor: 'visitor' | 'agent' | 'system', time?: number): StateEvent {
    chat.state = move(chat.state, 'end', actor);
    chat.ringingAgentId = null;
    chat.visitorTypingUntil = null;
    chat.agentTypingUntil = null;
    chat.endTime = time ?? this.clock.now();
    return w.state('ended', time);
  }

  /** chatTimeout expired (spec §3): the disconnect system line, then `ended`. */
  private async onDeadline(key: string, deadline: number): Promise<void> {
    const slash = key.indexOf('/');
    const accountId = key.slice(0, slash);
    const chatId = key.slice(slash + 1);
    try {
      let ended = false;
      await this.mutate(accountId, chatId, (chat, w) => {
        if (!isOpen(chat.state)) return NO_CHANGE;
        const actual = chat.lastUpdate + chat.chatTimeout * 1000;
        if (actual > this.clock.now()) return NO_CHANGE; // touched meanwhile; re-armed below
        const at = Math.max(actual, deadline);
        w.system(SystemMessage.disconnected, systemTexts.disconnected(), at);
        this.end(chat, w, 'system', at);
        ended = true;
        return chat;
      });
      if (ended) await this.route(accountId);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'chat-not-found')) this.onBackgroundError(err);
    }
  }

  /**
   * Read-modify-write of one chat under its lock, with the store's version check as the
   * guard against other processes. `fn` changes the chat in place and adds events.
   */
  private async mutate<T>(
    accountId: string,
    chatId: string,
    fn: (chat: Chat, w: EventWriter) => T | typeof NO_CHANGE,
    opts: { visitor?: boolean } = {},
  ): Promise<T> {
    const key = `${accountId}/${chatId}`;
    return this.locks.run(key, async () => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const stored = await this.getChat(accountId, chatId);
        const now = this.clock.now();
        const chat: Chat = { ...stored, version: stored.version + 1 };
        const w = new EventWriter(chat, now);
        const result = fn(chat, w);
        if (result === NO_CHANGE) {
          const d = isOpen(stored.state) ? stored.lastUpdate + stored.chatTimeout * 1000 : undefined;
          if (d !== undefined) this.timeouts.schedule(key, d);
          return undefined as T;
        }
        if (opts.visitor && isOpen(stored.state)) chat.lastUpdate = Math.max(chat.lastUpdate, now);
        if (await this.store.updateChat(chat, w.events)) {
          if (isOpen(chat.state)) this.timeouts.schedule(key, chat.lastUpdate + chat.chatTimeout * 1000);
          else this.timeouts.cancel(key);
          return result;
        }
      }
      throw new Error(`chat ${chatId} kept changing under a write`);
    });
  }
}

/** An 8-digit id derived from a seed, so the same account and skill always get the same one. */
function derivedId(seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return String(10_000_000 + (h % 90_000_000));
}
