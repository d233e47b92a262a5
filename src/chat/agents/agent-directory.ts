// What an agent may look up about its own account (agent API §4.4, §4.6, §4.9, §4.11,
// §4.24): the agents list, its own profile, the chats it holds, several chats at once and
// an authenticated visitor's data. Everything is scoped to the agent's account, and chats
// to those the agent holds or has ringing: nothing of another account or agent leaks.
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import { isOpen } from '../core/states.ts';
import type { Agent, AgentAvailability, Chat, Skill } from '../core/types.ts';

/** Numeric state codes of Retrieve Available Agents (agent API §4.4). */
export const STATE_CODES: Readonly<Record<AgentAvailability, number>> = { Offline: 1, Online: 2, Occupied: 3, Away: 4 };

/** There is no voice channel: every agent's voice state is Offline (as Retrieve Current Availability). */
export const VOICE_STATE: AgentAvailability = 'Offline';

export interface AgentsFilter {
  /** Skill name (any case) or id. */
  skill?: string;
  chatState?: AgentAvailability;
  voiceState?: AgentAvailability;
  chatReasonId?: string;
  /** Only agents whose availability or load changed at or after this time (ms): the `next` link's delta. */
  changedSince?: number;
}

export interface ListedAgent {
  agent: Agent;
  /** Chats the agent holds now (chatting). */
  chats: number;
}

/** Retrieve Available Agents' answer: the agents, and the time the list was read (the `next` link's timeStamp). */
export interface AgentList {
  agents: ListedAgent[];
  timeStamp: number;
}

export class AgentDirectory {
  private readonly store: ChatStore;
  private readonly clock: Clock;

  constructor(deps: { store: ChatStore; clock: Clock }) {
    this.store = deps.store;
    this.clock = deps.clock;
  }

  /** The account's skills, resolved from ids; unknown ids are skipped. */
  async skillsOf(agent: Agent): Promise<Skill[]> {
    const account = await this.store.getAccount(agent.accountId);
    const byId = new Map((account?.skills ?? []).map((s) => [s.id, s]));
    return agent.skills.flatMap((id) => byId.get(id) ?? []);
  }

  /** Every agent of the account, online or not, that passes the filter, by id (agent API §4.4). */
  async availableAgents(accountId: string, f: AgentsFilter): Promise<AgentList> {
    const timeStamp = this.clock.now();
    const { store } = this;
    let skillId: number | null = null;
    if (f.skill !== undefined) {
      const account = await store.getAccount(accountId);
      const skills = account?.skills ?? [];
      const s = skills.find((k) => k.name === f.skill) ?? skills.find((k) => k.name.toLowerCase() === f.skill?.toLowerCase() || String(k.id) === f.skill);
      if (!s) throw new ApiError('unknown-skill', `"${f.skill}"`);
      skillId = s.id;
    }
    if (f.voiceState !== undefined && f.voiceState !== VOICE_STATE) return { agents: [], timeStamp };
    const changed = f.changedSince === undefined ? null : new Set(await store.agentsChangedSince(accountId, f.changedSince));
    const out: ListedAgent[] = [];
    for (const agent of await store.listAgents(accountId)) {
      if (changed && !changed.has(agent.id)) continue;
      if (skillId !== null && !agent.skills.includes(skillId)) continue;
      if (f.chatState !== undefined && agent.availability !== f.chatState) continue;
      if (f.chatReasonId !== undefined && agent.chatReasonId !== f.chatReasonId) continue;
      out.push({ agent, chats: (await this.heldChats(agent)).length });
    }
    return { agents: out, timeStamp };
  }

  /** Open chats the agent holds, oldest first. */
  async heldChats(agent: Agent): Promise<Chat[]> {
    return (await this.store.listAgentChats(agent.accountId, agent.id)).filter((c) => c.agentId === agent.id && isOpen(c.state));
  }

  /**
   * Retrieve Chat Sessions (agent API §4.9): chats belong to the agent, not to one of its
   * sessions, so any session of the agent sees the open chats it holds — which is what
   * continuity across sessions asks for.
   */
  chatSessions(agent: Agent): Promise<Chat[]> {
    return this.heldChats(agent);
  }

  /**
   * The chat through which an agent may see an authenticated visitor's data (agent API
   * §4.24): an open chat it holds or has ringing whose participantId is this one. Any other
   * participant, of this account or another, is "not found" alike.
   */
  async participantChat(agent: Agent, participantId: string): Promise<Chat> {
    const chats = await this.store.listAgentChats(agent.accountId, agent.id);
    const chat = chats.find((c) => c.origin.participantId === participantId && (c.agentId === agent.id || c.ringingAgentId === agent.id));
    if (!chat) throw new ApiError('not-found', `no participant ${participantId} in this agent's chats`);
    return chat;
  }
}
