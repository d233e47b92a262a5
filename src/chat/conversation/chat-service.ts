// The chat operations of both sides (visitor API, agent API): lookups, lines, names, typing
// and ending. Writes go through chat-writer.ts, state moves through states.ts, offers through
// router.ts; every dependency is given by the composition root (domain.ts).
import type { Clock } from '../../clock.ts';
import { ApiError, RateLimitedError } from '../../errors.ts';
import type { Ids } from '../../ids.ts';
import type { ChatStore } from '../../store/store.ts';
import { deadlineOf, EventWriter, timeoutKey, typingOf, type ChatWriter } from '../core/chat-writer.ts';
import { rtSessionIdOf } from '../core/rt-session.ts';
import { isOpen } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import type { DeadlineScheduler } from '../core/timers.ts';
import type { Account, Agent, AuthenticatedVisitor, Chat, ChatEvent, ChatOrigin, CustomVariable, LineEvent, Skill, StateEvent, SurveySubmission, TextType, Typing } from '../core/types.ts';
import type { Router } from '../routing/router.ts';
import { checkAnswers, surveyById, type RawSurveyAnswers } from '../surveys/surveys.ts';
import { cleanAgentHtml } from './agent-html.ts';

export { typingOf } from '../core/chat-writer.ts';

export interface ChatSettings {
  /** Seconds after which a typing flag that was not renewed reads "not-typing". */
  typingTimeout: number;
  /** Waiting chats per account; a request past it is refused with 429 (docs/security.md). */
  maxWaitingChats?: number;
  /** Events one answer holds at most (issue 11, finding 3; docs/compatibility.md "Event pages"). */
  eventsPageSize?: number;
}

/** A page of a chat's events and where the next one starts (the `next` link's `from`). */
export interface EventsPage {
  events: ChatEvent[];
  next: number;
}

export const DEFAULT_EVENTS_PAGE_SIZE = 500;

export interface ChatServiceDeps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  writer: ChatWriter;
  router: Router;
  timeouts: DeadlineScheduler;
  settings: ChatSettings;
}

/** A validated chat request (spec §4.7), in domain terms. */
export interface ChatRequest {
  skill: Skill | null;
  chatTimeout: number | null;
  visitorId: number | null;
  visitorName: string | null;
  preChatLines: string[];
  origin: Partial<ChatOrigin>;
  /** Pre-chat survey answers as sent (spec §4.7 `survey`): checked before the chat exists. */
  preChatSurvey?: RawSurveyAnswers;
  /** Seconds the chat may wait for an agent (spec §4.7 `maxWaitTime`), or null. */
  maxWaitTime?: number | null;
  /** Login name of the one agent who may take the chat (spec §4.7 `agent`). */
  agentLogin?: string;
  /** Custom variables sent with the request (spec §4.20), already checked (custom-variables.ts). */
  customVariables?: CustomVariable[];
}

export interface AgentLine {
  text: string;
  textType: TextType;
  onlyToRep: boolean;
  json?: unknown;
}

export class ChatService {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly ids: Ids;
  private readonly settings: ChatSettings;
  private readonly timeouts: DeadlineScheduler;
  private readonly router: Router;
  private readonly writer: ChatWriter;

  constructor(deps: ChatServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.settings = deps.settings;
    this.timeouts = deps.timeouts;
    this.router = deps.router;
    this.writer = deps.writer;
  }

  // ---------- lookups ----------

  getChat(accountId: string, chatId: string): Promise<Chat> {
    return this.writer.get(accountId, chatId);
  }

  /**
   * At most a page of events from `from` (issue 11, finding 3): no answer reads or builds a
   * chat's whole history. `next` is where the following page starts — the chat's nextEventId
   * once the page reaches the end — so a client following `next` reads the rest in turn.
   */
  async eventsPage(chat: Chat, from: number, side: 'visitor' | 'agent', limit = this.settings.eventsPageSize ?? DEFAULT_EVENTS_PAGE_SIZE): Promise<EventsPage> {
    if (from >= chat.nextEventId) return { events: [], next: chat.nextEventId };
    const events = await this.store.listEventsPage(chat.accountId, chat.id, Math.max(0, from), limit);
    const last = events.at(-1);
    const next = events.length < limit || last === undefined ? chat.nextEventId : Math.min(last.id + 1, chat.nextEventId);
    // Private agent notes never reach the visitor (agent API §4.13, ONLY_TO_REP).
    return { events: side === 'visitor' ? events.filter((e) => e.type !== 'line' || e.subType !== 'ONLY_TO_REP') : events, next };
  }

  async listEvents(chat: Chat, from: number, side: 'visitor' | 'agent'): Promise<ChatEvent[]> {
    // Every event id is below the chat's nextEventId (EventWriter): the poll that finds
    // nothing new — most polls — needs no read, and never answers past the `next` it links.
    if (from >= chat.nextEventId) return [];
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
      this.timeouts.schedule(timeoutKey(accountId, chatId), deadlineOf(chat));
    }
    return chat;
  }

  // ---------- visitor side ----------

  /** The visitor's or the agent's typing flag as it reads now (spec §4.15–4.16). */
  typing(chat: Chat, whose: 'visitor' | 'agent'): Typing {
    return typingOf(whose === 'visitor' ? chat.visitorTypingUntil : chat.agentTypingUntil, this.clock.now());
  }

  /**
   * Creates the chat (waiting, its first events) and offers it; returns it as created.
   * Everything the request names is checked first: a bad one creates no chat.
   */
  async requestChat(account: Account, req: ChatRequest): Promise<Chat> {
    // The queue is bounded (issue 11, finding 4): past it, nothing is created. An estimate
    // across instances (two may both pass at the cap), which is what a bound against floods needs.
    const max = this.settings.maxWaitingChats;
    if (max !== undefined && (await this.store.countWaitingChats(account.id)).total >= max) {
      throw new RateLimitedError(`${max} chats are waiting in this account's queue (--max-waiting-chats)`, 10_000);
    }
    let agent: Agent | null = null;
    if (req.agentLogin !== undefined) {
      // `agent` is a login name (spec §4.7): the chat goes to that agent only.
      agent = await this.store.findAgentByLogin(account.id, req.agentLogin);
      if (!agent) throw new ApiError('unknown-agent', `"${req.agentLogin}"`);
    }
    const now = this.clock.now();
    const authenticatedVisitor = await this.verifiedVisitor(account, req.origin, now);
    const preChatSurvey: SurveySubmission | undefined = req.preChatSurvey && checkAnswers(surveyById(account, 'preChat', req.preChatSurvey.id), req.preChatSurvey, now);
    const o = req.origin;
    const chat: Chat = {
      accountId: account.id,
      id: this.ids.chatId(),
      state: 'waiting',
      skillId: req.skill?.id ?? null,
      agentId: null,
      ringingAgentId: null,
      maxWaitTime: req.maxWaitTime ?? null,
      requestedAgentId: agent?.id ?? null,
      queuedAt: now,
      startTime: now,
      endTime: null,
      lastUpdate: now,
      chatTimeout: req.chatTimeout ?? account.chatTimeout,
      visitorId: req.visitorId ?? this.ids.visitorId(),
      visitorName: req.visitorName,
      visitorTypingUntil: null,
      agentTypingUntil: null,
      rtSessionId: rtSessionIdOf(await this.store.nextAccountSequence(account.id)),
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
      ...(preChatSurvey ? { preChatSurvey } : {}),
      ...(req.customVariables?.length ? { customVariables: req.customVariables } : {}),
      ...(authenticatedVisitor ? { authenticatedVisitor } : {}),
    };
    const w = new EventWriter(chat, now);
    w.state('waiting');
    w.system(SystemMessage.routing, systemTexts.routing());
    for (const text of req.preChatLines) w.system(SystemMessage.preChatLine, text);
    await this.store.createChat(chat, w.events);
    this.timeouts.schedule(timeoutKey(chat.accountId, chat.id), deadlineOf(chat));
    this.router.arm(chat);
    await this.router.route(account.id);
    return chat;
  }

  /**
   * A participantId must be one a verified Visitor Authentication of this account issued and
   * whose token has not expired, with its conversationId when one is sent (spec §4.7b):
   * otherwise anyone could claim a verified visitor's identity.
   */
  private async verifiedVisitor(account: Account, origin: Partial<ChatOrigin>, now: number): Promise<AuthenticatedVisitor | undefined> {
    if (origin.participantId === undefined) return undefined;
    const identity = await this.store.getVisitorIdentity(account.id, origin.participantId);
    if (!identity || identity.expiresAt <= now) throw new ApiError('unknown-participant', `no verified Visitor Authentication issued participantId "${origin.participantId}" (or its token has expired)`);
    if (origin.conversationId !== undefined && origin.conversationId !== identity.conversationId) throw new ApiError('unknown-participant', 'the conversationId is not the one issued with this participantId');
    return identity.visitor;
  }

  async addVisitorLine(accountId: string, chatId: string, text: string): Promise<LineEvent> {
    return this.writer.mutate(accountId, chatId, (chat, w) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorTypingUntil = null;
      return w.line({ text, textType: 'plain', ...(chat.visitorName === null ? {} : { by: chat.visitorName }), source: 'visitor' });
    }, { visitor: true });
  }

  async endByVisitor(accountId: string, chatId: string): Promise<StateEvent> {
    const e = await this.writer.mutate(accountId, chatId, (chat, w) => this.writer.end(chat, w, 'visitor'), { visitor: true });
    await this.router.route(accountId);
    return e;
  }

  async setVisitorName(accountId: string, chatId: string, name: string): Promise<Chat> {
    return this.writer.mutate(accountId, chatId, (chat) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorName = name;
      return chat;
    }, { visitor: true });
  }

  async setVisitorTyping(accountId: string, chatId: string, typing: Typing): Promise<Chat> {
    return this.writer.mutate(accountId, chatId, (chat) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.visitorTypingUntil = this.typingUntil(typing);
      return chat;
    }, { visitor: true });
  }

  // ---------- agent side ----------

  async addAgentLine(accountId: string, chatId: string, agent: Agent, line: AgentLine): Promise<LineEvent> {
    return this.writer.mutate(accountId, chatId, (chat, w) => {
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
    const e = await this.writer.mutate(accountId, chatId, (chat, w) => {
      this.requireHolder(chat, agent);
      if (isOpen(chat.state)) w.system(SystemMessage.agentEnded, systemTexts.agentEnded(agent.name));
      return this.writer.end(chat, w, 'agent');
    });
    await this.router.route(accountId);
    return e;
  }

  async setAgentTyping(accountId: string, chatId: string, agent: Agent, typing: Typing): Promise<Chat> {
    return this.writer.mutate(accountId, chatId, (chat) => {
      this.requireHolder(chat, agent);
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.agentTypingUntil = this.typingUntil(typing);
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

  // ---------- internals ----------

  /** A typing flag lasts typingTimeout seconds unless renewed, so it never sticks. */
  private typingUntil(typing: Typing): number | null {
    return typing === 'typing' ? this.clock.now() + this.settings.typingTimeout * 1000 : null;
  }
}

/** An 8-digit id derived from a seed, so the same account and skill always get the same one. */
function derivedId(seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  return String(10_000_000 + (h % 90_000_000));
}
