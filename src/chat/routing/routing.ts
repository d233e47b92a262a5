// Routing (spec §3; agent API §3): a waiting chat rings one agent who may take it and has
// free capacity. Queues are FIFO per skill: chats are offered oldest first, and a chat
// that no agent can take does not hold back younger chats of other skills.
import type { Agent, Chat } from '../core/types.ts';

/** Chats an agent holds or has ringing, per agent id. */
export type Loads = Map<number, number>;

/** What routing reads of a chat; the optional fields default to "not set". */
export type RoutedChat = Pick<Chat, 'skillId'> & Partial<Pick<Chat, 'requestedAgentId' | 'transferredFromAgentId'>>;

export function freeCapacity(agent: Agent, load: number): number {
  return agent.maxChats < 0 ? Infinity : agent.maxChats - load;
}

/** Agents that receive new chats: Online only ("Occupied" receives transfers only). */
export function routable(agents: Agent[]): Agent[] {
  return agents.filter((a) => a.availability === 'Online');
}

/** Agents that receive some chat: Online ones, and Occupied ones for transferred chats (agent API §3). */
export function reachable(agents: Agent[]): Agent[] {
  return agents.filter((a) => a.availability === 'Online' || a.availability === 'Occupied');
}

/**
 * May `agent` take `chat`, capacity aside? A chat asked for one agent (Start Chat `agent`)
 * goes to that agent only; a transferred chat skips the agent who transferred it and may
 * reach Occupied agents; otherwise the agent needs the chat's skill (none: anyone).
 */
export function eligible(chat: RoutedChat, agent: Agent): boolean {
  const transferred = (chat.transferredFromAgentId ?? null) !== null;
  if (agent.availability !== 'Online' && !(transferred && agent.availability === 'Occupied')) return false;
  const requested = chat.requestedAgentId ?? null;
  if (requested !== null) return agent.id === requested;
  if (transferred && agent.id === chat.transferredFromAgentId) return false;
  return chat.skillId === null || agent.skills.includes(chat.skillId);
}

/** The least-loaded eligible agent with room for the chat (lowest id on ties), or null. */
export function pickAgent(chat: RoutedChat, agents: Agent[], loads: Loads): Agent | null {
  let best: Agent | null = null;
  let bestLoad = Infinity;
  for (const a of agents) {
    if (!eligible(chat, a)) continue;
    const load = loads.get(a.id) ?? 0;
    if (freeCapacity(a, load) <= 0) continue;
    if (load < bestLoad || (load === bestLoad && best !== null && a.id < best.id)) {
      best = a;
      bestLoad = load;
    }
  }
  return best;
}

/** Pairs of (chat, agent) to ring, in queue order; mutates `loads` as it assigns. */
export function assign(queued: Chat[], agents: Agent[], loads: Loads): Array<[Chat, Agent]> {
  const out: Array<[Chat, Agent]> = [];
  for (const chat of queued) {
    if (chat.ringingAgentId !== null) continue;
    const agent = pickAgent(chat, agents, loads);
    if (!agent) continue;
    loads.set(agent.id, (loads.get(agent.id) ?? 0) + 1);
    out.push([chat, agent]);
  }
  return out;
}

/** The queue counted without reading it (store countWaitingChats): chats not ringing, per skill, and those asked for one agent. */
export interface QueueCounts {
  unassigned: Map<number | null, number>;
  directed: number;
}

/** The same counts from the queue itself. */
export function countQueue(waiting: Chat[]): QueueCounts {
  const counts: QueueCounts = { unassigned: new Map(), directed: 0 };
  for (const c of waiting) {
    if (c.ringingAgentId !== null) continue;
    counts.unassigned.set(c.skillId, (counts.unassigned.get(c.skillId) ?? 0) + 1);
    if ((c.requestedAgentId ?? null) !== null) counts.directed += 1;
  }
  return counts;
}

/**
 * Could one of `agents` with room take a chat of the queue? Errs on yes (a chat asked for one
 * agent, an Occupied agent that takes transfers only). On no, `assign` would pair nothing,
 * so the queue need not be read (issue 11, finding 4): a long queue that no agent with room
 * can serve — the usual state under load — costs a count, not a read of every chat.
 */
export function queueMayReach(counts: QueueCounts, agents: Agent[], loads: Loads): boolean {
  if (counts.unassigned.size === 0) return false;
  const free = agents.filter((a) => freeCapacity(a, loads.get(a.id) ?? 0) > 0);
  if (free.length === 0) return false;
  if (counts.directed > 0) return true;
  for (const [skill, n] of counts.unassigned) if (n > 0 && (skill === null || free.some((a) => a.skills.includes(skill)))) return true;
  return false;
}

/** When the accept window of the current offer closes (agent API §3: 20 s), or null when nothing rings. */
export function ringDeadline(chat: Pick<Chat, 'ringingAgentId' | 'ringingSince'>, ringTimeoutS: number): number | null {
  if (chat.ringingAgentId === null || chat.ringingSince === undefined || chat.ringingSince === null) return null;
  return chat.ringingSince + ringTimeoutS * 1000;
}

/**
 * When a waiting chat's maxWaitTime runs out (spec §4.7), or null without one. It counts
 * from the request; a chat that was accepted once has its maxWaitTime cleared.
 */
export function waitDeadline(chat: Pick<Chat, 'startTime' | 'maxWaitTime'>): number | null {
  return chat.maxWaitTime === undefined || chat.maxWaitTime === null ? null : chat.startTime + chat.maxWaitTime * 1000;
}
