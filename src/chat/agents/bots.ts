// Bot agents (issue 13 §4; docs/provisioning.md, "Bot agents"): an agent provisioned with a
// `bot` script is Online from the start, is routed chats like a person, and acts on them on
// the server's clock — through the same operations an agent's requests call (acceptNext,
// addAgentLine, setAgentTyping, transfer, endByAgent), never around them.
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { ChatService } from '../conversation/chat-service.ts';
import type { ChatWriter } from '../core/chat-writer.ts';
import { kindKey, type DeadlineScheduler } from '../core/timers.ts';
import type { Agent, BotScript, Chat, ChatEvent } from '../core/types.ts';
import type { Router } from '../routing/router.ts';
import type { Transfers } from '../routing/transfer.ts';

export type BotActionKind = 'accept' | 'greeting' | 'typing' | 'line' | 'transfer' | 'end';

interface BotAction {
  kind: BotActionKind;
  accountId: string;
  chatId: string;
  agentId: number;
  due: number;
  text?: string;
  skillId?: number;
}

/** A bot action waiting for its time, as the control plane's chat record lists it. */
export interface PendingBotAction {
  kind: BotActionKind;
  agentId: number;
  due: number;
}

export interface BotAgentsDeps {
  store: ChatStore;
  clock: Clock;
  timeouts: DeadlineScheduler;
  writer: ChatWriter;
  router: Router;
  chats: ChatService;
  transfers: Transfers;
  onBackgroundError: (err: unknown) => void;
}

const matches = (pattern: string, text: string): boolean => new RegExp(pattern, 'i').test(text);

export class BotAgents {
  private readonly d: BotAgentsDeps;
  /** Scheduled actions by their timer id (`account/chat/n`); in memory, see docs/architecture.md. */
  private readonly actions = new Map<string, BotAction>();
  private seq = 0;
  /** Reactions to writes still reading the agent; the virtual clock waits for them (idle()). */
  private readonly reacting = new Set<Promise<void>>();

  constructor(deps: BotAgentsDeps) {
    this.d = deps;
    deps.writer.observe((chat, events) => this.track(this.react(chat, events)));
    deps.timeouts.onKind('bot', (id) => this.run(id));
  }

  /** Puts every bot of the account (or of all) Online and takes up chats ringing for them. */
  async wake(accountId: string | null = null): Promise<void> {
    const { store, router } = this.d;
    const accounts = accountId === null ? (await store.listAccounts()).map((a) => a.id) : [accountId];
    for (const id of accounts) {
      for (const agent of await store.listAgents(id)) {
        if (!agent.bot) continue;
        if (agent.availability !== 'Online') await router.setAvailability(id, agent.id, 'Online');
        for (const chat of await router.ringing(id, agent.id)) this.offered(chat, agent.bot);
      }
    }
  }

  /** Resolves when every write seen so far has been reacted to. */
  async idle(): Promise<void> {
    while (this.reacting.size > 0) await Promise.all([...this.reacting]);
  }

  /** Forgets the actions of the account's chats (or of all): a reset. */
  forget(accountId: string | null): void {
    for (const [id, a] of this.actions) {
      if (accountId !== null && a.accountId !== accountId) continue;
      this.actions.delete(id);
      this.d.timeouts.cancel(kindKey('bot', id));
    }
  }

  /** The chat's bot actions still to come, earliest first. */
  pending(accountId: string, chatId: string): PendingBotAction[] {
    return [...this.actions.values()]
      .filter((a) => a.accountId === accountId && a.chatId === chatId)
      .sort((a, b) => a.due - b.due)
      .map(({ kind, agentId, due }) => ({ kind, agentId, due }));
  }

  private track(p: Promise<void>): void {
    const done = p.catch((err: unknown) => this.d.onBackgroundError(err)).finally(() => this.reacting.delete(done));
    this.reacting.add(done);
  }

  private schedule(a: BotAction): void {
    const id = `${a.accountId}/${a.chatId}/${++this.seq}`;
    this.actions.set(id, a);
    this.d.timeouts.schedule(kindKey('bot', id), a.due);
  }

  private offered(chat: Chat, bot: BotScript): void {
    const agentId = chat.ringingAgentId as number;
    const since = chat.ringingSince ?? this.d.clock.now();
    const known = [...this.actions.values()].some((a) => a.kind === 'accept' && a.chatId === chat.id && a.accountId === chat.accountId && a.agentId === agentId);
    if (!known) this.schedule({ kind: 'accept', accountId: chat.accountId, chatId: chat.id, agentId, due: since + bot.acceptAfterMs });
  }

  /** A chat was written: an offer to a bot, a bot's accept, or a visitor line to a bot. */
  private async react(chat: Chat, events: ChatEvent[]): Promise<void> {
    const { store, clock } = this.d;
    if (chat.state === 'waiting' && chat.ringingAgentId !== null && events.length === 0) {
      const agent = await store.getAgent(chat.accountId, chat.ringingAgentId);
      if (agent?.bot) this.offered(chat, agent.bot);
      return;
    }
    if (chat.state !== 'chatting' || chat.agentId === null) return;
    const accepted = events.some((e) => e.type === 'state' && e.state === 'chatting');
    const lines = events.filter((e) => e.type === 'line' && e.source === 'visitor');
    if (!accepted && lines.length === 0) return;
    const agent = await store.getAgent(chat.accountId, chat.agentId);
    const bot = agent?.bot;
    if (!agent || !bot) return;
    const base = { accountId: chat.accountId, chatId: chat.id, agentId: agent.id };
    const now = clock.now();
    if (accepted && bot.greeting) this.schedule({ ...base, kind: 'greeting', due: now, text: bot.greeting });
    for (const line of lines) {
      if (line.type !== 'line') continue;
      if (bot.endOn && matches(bot.endOn, line.text)) {
        this.schedule({ ...base, kind: 'end', due: now });
        continue;
      }
      const reply = bot.replies.find((r) => matches(r.match, line.text));
      const text = reply?.reply ?? bot.default;
      if (text === undefined) continue;
      const start = now + (reply?.afterMs ?? 0);
      const typing = reply?.typingMs ?? 0;
      if (typing > 0) this.schedule({ ...base, kind: 'typing', due: start });
      this.schedule({ ...base, kind: 'line', due: start + typing, text });
      if (reply?.transferTo !== undefined) this.schedule({ ...base, kind: 'transfer', due: start + typing, skillId: reply.transferTo });
    }
  }

  private async run(id: string): Promise<void> {
    const a = this.actions.get(id);
    if (!a) return;
    this.actions.delete(id);
    try {
      const agent = await this.d.store.getAgent(a.accountId, a.agentId);
      if (!agent?.bot) return;
      await this.act(a, agent, agent.bot);
    } catch (err) {
      // The chat moved on meanwhile (ended, transferred, taken): the bot has nothing to do.
      if (!(err instanceof ApiError)) this.d.onBackgroundError(err);
    }
  }

  private async act(a: BotAction, agent: Agent, bot: BotScript): Promise<void> {
    const { chats, router, transfers } = this.d;
    switch (a.kind) {
      case 'accept':
        await router.acceptNext(a.accountId, agent);
        return;
      case 'typing':
        await chats.setAgentTyping(a.accountId, a.chatId, agent, 'typing');
        return;
      case 'transfer':
        await transfers.transfer(a.accountId, a.chatId, agent, { skillId: a.skillId as number });
        return;
      case 'end':
        await chats.endByAgent(a.accountId, a.chatId, agent);
        return;
      case 'greeting':
      case 'line': {
        await chats.addAgentLine(a.accountId, a.chatId, agent, { text: a.text as string, textType: 'plain', onlyToRep: false });
        if (bot.endAfterLines === undefined) return;
        const written = (await this.d.store.listEvents(a.accountId, a.chatId, 0)).filter((e) => e.type === 'line' && e.source === 'agent' && e.by === agent.name).length;
        if (written >= bot.endAfterLines) await chats.endByAgent(a.accountId, a.chatId, agent);
      }
    }
  }
}
