// The read side of a chat as each front shows it: the info view (chat, skill, agent and the
// time typing flags are read at, spec §4.11), events from a cursor, one event, typing. Each
// is one operation, so a handler never gathers the parts itself. Visitor reads keep the chat
// alive (spec §3 KeepAlive); agent reads check the chat is the agent's (held or ringing).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { Account, Agent, Chat, ChatEvent, Skill, Typing } from '../core/types.ts';
import type { ChatService } from './chat-service.ts';
import { visitIdOf } from './custom-variables.ts';

/** Everything the chat-information resource shows (spec §4.11). */
export interface ChatInfo {
  chat: Chat;
  skill: Skill | null;
  agent: Agent | null;
  /** The time the view was taken: typing flags and duration read at it. */
  now: number;
}

export interface ChatWithEvents {
  info: ChatInfo;
  /** A page of events (chat-service.ts eventsPage). */
  events: ChatEvent[];
  /** Where the next page starts: the `next` links' `from`. */
  next: number;
}

/** A page of a chat's events, with the chat. */
export interface ChatEventsPage {
  chat: Chat;
  events: ChatEvent[];
  next: number;
}

export type Side = 'visitor' | 'agent';

export interface ChatViewsDeps {
  store: ChatStore;
  clock: Clock;
  chats: ChatService;
}

export class ChatViews {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly chats: ChatService;

  constructor(deps: ChatViewsDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.chats = deps.chats;
  }

  // ---------- visitor side (each read is a keep-alive) ----------

  async visitorInfo(account: Account, chatId: string): Promise<ChatInfo> {
    return this.info(await this.chats.visitorTouch(account.id, chatId), account);
  }

  async visitorChat(account: Account, chatId: string, from: number): Promise<ChatWithEvents> {
    const chat = await this.chats.visitorTouch(account.id, chatId);
    const page = await this.chats.eventsPage(chat, from, 'visitor');
    return { info: await this.info(chat, account), ...page };
  }

  async visitorEvents(account: Account, chatId: string, from: number): Promise<ChatEventsPage> {
    const chat = await this.chats.visitorTouch(account.id, chatId);
    return { chat, ...(await this.chats.eventsPage(chat, from, 'visitor')) };
  }

  async visitorEvent(account: Account, chatId: string, eventId: number): Promise<ChatEvent> {
    return this.eventOf(await this.chats.visitorTouch(account.id, chatId), eventId, 'visitor');
  }

  async visitorTyping(account: Account, chatId: string, whose: Side): Promise<Typing> {
    return this.chats.typing(await this.chats.visitorTouch(account.id, chatId), whose);
  }

  /**
   * The chat the path names, as the side that asks may see it — read, not touched: asked
   * only for a request that is also malformed, whose 404 comes before its 400 (compatibility.md).
   */
  async requireChat(side: { account: Account } | { agent: Agent }, chatId: string): Promise<void> {
    if ('agent' in side) await this.agentChat(side.agent, chatId);
    else await this.chats.getChat(side.account.id, chatId);
  }

  // ---------- agent side ----------

  /** A chat the agent holds (or held) or that rings for it; another agent's is 403. */
  async agentChat(agent: Agent, chatId: string): Promise<Chat> {
    const chat = await this.chats.getChat(agent.accountId, chatId);
    this.chats.requireOwner(chat, agent);
    return chat;
  }

  async agentInfo(agent: Agent, chatId: string): Promise<ChatInfo> {
    return this.info(await this.agentChat(agent, chatId), null);
  }

  async agentChatWithEvents(agent: Agent, chatId: string, from: number): Promise<ChatWithEvents> {
    const chat = await this.agentChat(agent, chatId);
    const page = await this.chats.eventsPage(chat, from, 'agent');
    return { info: await this.info(chat, null), ...page };
  }

  /** Several chats at once (agent API §4.11), each under the rule of one chat. */
  async agentChats(agent: Agent, wanted: Array<{ key: string; from: number }>): Promise<ChatWithEvents[]> {
    const chats: Chat[] = [];
    for (const w of wanted) chats.push(await this.agentChat(agent, w.key));
    const out: ChatWithEvents[] = [];
    for (const [i, chat] of chats.entries()) {
      out.push({ info: await this.info(chat, null), ...(await this.chats.eventsPage(chat, wanted[i]?.from ?? 0, 'agent')) });
    }
    return out;
  }

  async agentEvents(agent: Agent, chatId: string, from: number): Promise<ChatEventsPage> {
    const chat = await this.agentChat(agent, chatId);
    return { chat, ...(await this.chats.eventsPage(chat, from, 'agent')) };
  }

  async agentEvent(agent: Agent, chatId: string, eventId: number): Promise<ChatEvent> {
    return this.eventOf(await this.agentChat(agent, chatId), eventId, 'agent');
  }

  async agentTyping(agent: Agent, chatId: string, whose: Side): Promise<Typing> {
    return this.chats.typing(await this.agentChat(agent, chatId), whose);
  }

  /**
   * The chat behind a visit id: the chat key without its hex middle (H…K…, agent spec §4.10)
   * among the agent's open chats, or a chat key itself (then the chat rule: 403 for another
   * agent's chat). A visit id matching none of the agent's chats is 404.
   */
  async visitChat(agent: Agent, visitId: string): Promise<Chat> {
    const open = await this.store.listAgentChats(agent.accountId, agent.id);
    const found = open.find((c) => visitIdOf(c.id) === visitId) ?? (await this.store.getChat(agent.accountId, visitId));
    if (!found) throw new ApiError('not-found', `no visit ${visitId} in this agent's chats`);
    this.chats.requireOwner(found, agent);
    return found;
  }

  // ---------- internals ----------

  private async info(chat: Chat, account: Account | null): Promise<ChatInfo> {
    const acc = account ?? (await this.store.getAccount(chat.accountId));
    const skill = chat.skillId === null ? null : (acc?.skills.find((s) => s.id === chat.skillId) ?? null);
    const agent = chat.agentId === null ? null : await this.store.getAgent(chat.accountId, chat.agentId);
    return { chat, skill, agent, now: this.clock.now() };
  }

  /** One event of a chat, as the given side may see it (the target of a created event's Location). */
  private async eventOf(chat: Chat, eventId: number, side: Side): Promise<ChatEvent> {
    // One event read, not the chat's tail from it.
    const [event] = (await this.chats.eventsPage(chat, eventId, side, 1)).events;
    if (!event || event.id !== eventId) throw new ApiError('not-found', `event ${eventId}`);
    return event;
  }
}
