// Routing (spec §3; agent API §3): a waiting chat rings one online agent who has its skill
// and free capacity. Queues are FIFO per skill: chats are offered oldest first, and a chat
// that no agent can take does not hold back younger chats of other skills.
import type { Agent, Chat } from './types.ts';

/** Chats an agent holds or has ringing, per agent id. */
export type Loads = Map<number, number>;

export function freeCapacity(agent: Agent, load: number): number {
  return agent.maxChats < 0 ? Infinity : agent.maxChats - load;
}

/** Agents that receive new chats: Online only ("Occupied" receives transfers only). */
export function routable(agents: Agent[]): Agent[] {
  return agents.filter((a) => a.availability === 'Online');
}

/** The least-loaded routable agent who can take the chat (lowest id on ties), or null. */
export function pickAgent(chat: Pick<Chat, 'skillId'>, agents: Agent[], loads: Loads): Agent | null {
  let best: Agent | null = null;
  let bestLoad = Infinity;
  for (const a of agents) {
    if (chat.skillId !== null && !a.skills.includes(chat.skillId)) continue;
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
