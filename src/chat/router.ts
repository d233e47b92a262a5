// The contact-centre side of the domain: agent availability, offering queued chats to
// agents (routing.ts decides who) and accepting them (agent API §3, §4.3, §4.7–4.8).
import { ApiError } from '../errors.ts';
import type { ChatStore } from '../store/store.ts';
import { NO_CHANGE, type ChatWriter } from './chat-writer.ts';
import type { KeyedLock } from './keyed-lock.ts';
import { assign, routable, type Loads } from './routing.ts';
import { move } from './states.ts';
import { SystemMessage, systemTexts } from './system-messages.ts';
import type { Agent, AgentAvailability, Chat } from './types.ts';

export class Router {
  private readonly store: ChatStore;
  private readonly writer: ChatWriter;
  private readonly locks: KeyedLock;
  private readonly pending = new Map<string, Promise<void>>();

  constructor(store: ChatStore, writer: ChatWriter, locks: KeyedLock) {
    this.store = store;
    this.writer = writer;
    this.locks = locks;
  }

  private lockKey(accountId: string): string {
    return `route:${accountId}`;
  }

  /**
   * Offers queued chats to agents with room, oldest first. Calls that arrive while a run
   * is still queued join it: one run sees all their changes (many timeouts falling due
   * together cause one routing pass, not one each).
   */
  route(accountId: string): Promise<void> {
    const pending = this.pending.get(accountId);
    if (pending) return pending;
    const run = this.locks.run(this.lockKey(accountId), async () => {
      this.pending.delete(accountId);
      await this.routeNow(accountId);
    });
    this.pending.set(accountId, run);
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
      await this.writer.mutate(accountId, c.id, (chat) => {
        if (chat.state !== 'waiting' || chat.ringingAgentId !== null) return NO_CHANGE;
        chat.ringingAgentId = agent.id;
        return chat;
      });
    }
  }

  /** Chats ringing for the agent, oldest first (agent API §4.7 ringingCount). */
  async ringing(accountId: string, agentId: number): Promise<Chat[]> {
    return (await this.store.listAgentChats(accountId, agentId)).filter((c) => c.state === 'waiting' && c.ringingAgentId === agentId);
  }

  /** Takes the oldest chat ringing for the agent (agent API §4.8). */
  async acceptNext(accountId: string, agent: Agent): Promise<Chat> {
    await this.route(accountId);
    return this.locks.run(this.lockKey(accountId), async () => {
      const [first] = await this.ringing(accountId, agent.id);
      if (!first) throw new ApiError('nothing-ringing');
      return this.writer.mutate(accountId, first.id, (chat, w) => {
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

  async setAvailability(accountId: string, agentId: number, availability: AgentAvailability): Promise<void> {
    await this.locks.run(this.lockKey(accountId), async () => {
      await this.store.setAgentAvailability(accountId, agentId, availability);
      if (availability === 'Online') return;
      // An agent who leaves "Online" stops ringing; its offers go back to the queue.
      for (const c of await this.store.listAgentChats(accountId, agentId)) {
        if (c.state !== 'waiting' || c.ringingAgentId !== agentId) continue;
        await this.writer.mutate(accountId, c.id, (chat) => {
          if (chat.ringingAgentId !== agentId) return NO_CHANGE;
          chat.ringingAgentId = null;
          return chat;
        });
      }
    });
    await this.route(accountId);
  }
}
