// What the server holds, for the control plane (issue 13 §2; docs/testing.md): chats with
// every event (agent-only lines too), typing, custom variables, survey answers and the
// chat's pending deadlines; agents with availability, sessions and load. Read from the
// store, so every instance sharing it answers the same; only bot actions are this process's.
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { BotActionKind, BotAgents } from '../agents/bots.ts';
import { deadlineOf, typingOf } from '../core/chat-writer.ts';
import { isOpen } from '../core/states.ts';
import type { Account, AgentAvailability, AgentSession, Chat, ChatEvent, ChatState, Typing } from '../core/types.ts';
import { ringDeadline, waitDeadline } from '../routing/routing.ts';

export interface ChatSummary {
  accountId: string;
  chat: Chat;
  skillName: string | null;
  /** Names of the agents by id (the holder, the one it rings for). */
  agentNames: Map<number, string>;
  /** When the chat times out unless the visitor is heard from (spec §3); null once ended. */
  deadline: number | null;
}

export type TimerKind = 'chatTimeout' | 'ringTimeout' | 'maxWaitTime' | 'visitorTyping' | 'agentTyping' | `bot-${BotActionKind}`;

export interface PendingTimer {
  kind: TimerKind;
  due: number;
  agentId?: number;
}

export interface ChatRecord extends ChatSummary {
  events: ChatEvent[];
  typing: { visitor: Typing; agent: Typing };
  timers: PendingTimer[];
}

export interface AgentSummary {
  accountId: string;
  id: number;
  name: string;
  loginName: string;
  skills: number[];
  maxChats: number;
  availability: AgentAvailability;
  chatReasonId: string | null;
  bot: boolean;
  sessions: Array<AgentSession & { expires: number }>;
  /** Open chats held or ringing (what routing counts against maxChats). */
  load: number;
}

/** The most chats one list answers: the control plane is for test set-ups, not exports. */
export const CHAT_LIST_LIMIT = 1000;

export class Inspection {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly bots: BotAgents;
  private readonly ringTimeout: number;
  private readonly sessionTimeoutMs: number;

  constructor(deps: { store: ChatStore; clock: Clock; bots: BotAgents; ringTimeout: number; agentSessionTimeout: number }) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.bots = deps.bots;
    this.ringTimeout = deps.ringTimeout;
    this.sessionTimeoutMs = deps.agentSessionTimeout * 1000;
  }

  private async accounts(accountId: string | null): Promise<Account[]> {
    if (accountId === null) return this.store.listAccounts();
    const account = await this.store.getAccount(accountId);
    if (!account) throw new ApiError('not-found', `no account ${accountId}`);
    return [account];
  }

  /** Chats of one account or all, newest first, optionally in one state. */
  async chats(accountId: string | null, state: ChatState | null, limit = CHAT_LIST_LIMIT): Promise<ChatSummary[]> {
    const out: ChatSummary[] = [];
    for (const account of await this.accounts(accountId)) {
      const names = await this.names(account.id);
      for (const chat of await this.store.listChats(account.id, state, limit)) out.push(this.summary(account, chat, names));
    }
    return out.sort((a, b) => b.chat.startTime - a.chat.startTime).slice(0, limit);
  }

  /** The whole record of one chat. */
  async chat(accountId: string, chatId: string): Promise<ChatRecord> {
    const [account] = await this.accounts(accountId);
    const chat = await this.store.getChat(accountId, chatId);
    if (!account || !chat) throw new ApiError('chat-not-found', chatId);
    const now = this.clock.now();
    const events = await this.store.listEvents(accountId, chatId, 0);
    return {
      ...this.summary(account, chat, await this.names(accountId)),
      events,
      typing: { visitor: typingOf(chat.visitorTypingUntil, now), agent: typingOf(chat.agentTypingUntil, now) },
      timers: this.timers(chat, now),
    };
  }

  async agents(accountId: string | null): Promise<AgentSummary[]> {
    const out: AgentSummary[] = [];
    for (const account of await this.accounts(accountId)) {
      const loads = await this.store.countAgentChats(account.id);
      const sessions = await this.store.listAgentSessions(account.id);
      for (const a of await this.store.listAgents(account.id)) {
        out.push({
          accountId: account.id,
          id: a.id,
          name: a.name,
          loginName: a.loginName,
          skills: a.skills,
          maxChats: a.maxChats,
          availability: a.availability,
          chatReasonId: a.chatReasonId ?? null,
          bot: a.bot !== undefined,
          sessions: sessions.filter((s) => s.agentId === a.id).map((s) => ({ ...s, expires: s.lastSeen + this.sessionTimeoutMs })),
          load: loads.get(a.id) ?? 0,
        });
      }
    }
    return out;
  }

  private async names(accountId: string): Promise<Map<number, string>> {
    return new Map((await this.store.listAgents(accountId)).map((a) => [a.id, a.name]));
  }

  private summary(account: Account, chat: Chat, agentNames: Map<number, string>): ChatSummary {
    const skill = chat.skillId === null ? undefined : account.skills.find((s) => s.id === chat.skillId);
    return { accountId: account.id, chat, skillName: skill?.name ?? null, agentNames, deadline: isOpen(chat.state) ? deadlineOf(chat) : null };
  }

  /** Derived from the stored chat (so any instance answers alike), plus this process's bot actions. */
  private timers(chat: Chat, now: number): PendingTimer[] {
    const out: PendingTimer[] = [];
    if (isOpen(chat.state)) {
      out.push({ kind: 'chatTimeout', due: deadlineOf(chat) });
      const ring = ringDeadline(chat, this.ringTimeout);
      if (ring !== null) out.push({ kind: 'ringTimeout', due: ring, agentId: chat.ringingAgentId as number });
      const wait = chat.state === 'waiting' ? waitDeadline(chat) : null;
      if (wait !== null) out.push({ kind: 'maxWaitTime', due: wait });
      if (chat.visitorTypingUntil !== null && chat.visitorTypingUntil > now) out.push({ kind: 'visitorTyping', due: chat.visitorTypingUntil });
      if (chat.agentTypingUntil !== null && chat.agentTypingUntil > now) out.push({ kind: 'agentTyping', due: chat.agentTypingUntil });
    }
    for (const b of this.bots.pending(chat.accountId, chat.id)) out.push({ kind: `bot-${b.kind}`, due: b.due, agentId: b.agentId });
    return out.sort((a, b) => a.due - b.due);
  }
}
