// Capacity answers (spec §4.1–§4.3, agent spec §4.5): availability, available slots and the
// estimated wait time, computed from one snapshot of the account. Pure: no store, no clock.
// The model (docs/compatibility.md, "Availability, slots and wait time"):
//   - the pool: Online agents (with the skill, when one is asked) whose maxChats is not 0;
//   - the chats already waiting are first given the pool's free slots with the routing rules
//     themselves (routing.ts), oldest first; what is left free is "available now";
//   - a chat that finds no free slot waits for k slot releases (k = chats still waiting that
//     the pool could take, plus itself); the pool's C slots free up, on average, one every
//     AHT / C seconds, AHT being the average handling time of recently ended chats.
import { assign, countQueue, pickAgent, routable, type Loads, type QueueCounts } from './routing.ts';
import type { Agent, Chat } from '../core/types.ts';

/** `estimatedWaitTime` sentinels (spec §4.3). */
export const WAIT_NOW = 0;
export const NO_AGENT_ONLINE = -1;
export const NOT_ENOUGH_DATA = -2;
/** `availableSlots` for an agent or pool without a chat limit (spec §4.2). */
export const UNLIMITED_SLOTS = -1;

/** How far back and how many ended chats the average handling time looks at. */
export const HISTORY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HISTORY_SIZE = 50;

/** An accepted chat that has ended (store.listHandledChats). */
export interface Handled {
  skillId: number | null;
  acceptedAt: number;
  endedAt: number;
}

export interface CapacitySnapshot {
  agents: Agent[];
  /** Open chats held or ringing, per agent id. */
  loads: Loads;
  /**
   * Waiting chats, oldest first (ringing ones included: they are skipped). With `queued`, only
   * needed when an agent with room might take one (routing.ts queueMayReach), else empty.
   */
  waiting: Chat[];
  /** The whole queue counted (store countWaitingChats); absent: `waiting` is the whole queue. */
  queued?: QueueCounts;
  /** Recently handled chats, latest end first. */
  handled: Handled[];
}

/** null = any skill (the parameter was not given). */
export type SkillTarget = number | null;

/** Online agents that can take chats of the skill. */
export function pool(snapshot: CapacitySnapshot, skillId: SkillTarget): Agent[] {
  return routable(snapshot.agents).filter((a) => a.maxChats !== 0 && (skillId === null || a.skills.includes(skillId)));
}

interface Queue {
  /** Loads once the waiting chats took the free slots they can. */
  loads: Loads;
  /** Waiting chats that found no slot and that some pool agent could take. */
  ahead: number;
}

/** Gives the waiting chats the free slots, as routing would, and counts those left over. */
function queueFor(snapshot: CapacitySnapshot, agents: Agent[]): Queue {
  const loads: Loads = new Map(snapshot.loads);
  // Occupied agents too: routing may give them transferred chats (agent spec §3).
  const reachable = snapshot.agents.filter((a) => a.availability === 'Online' || a.availability === 'Occupied');
  const unassigned = snapshot.waiting.filter((c) => c.ringingAgentId === null);
  const taken = assign(unassigned, reachable, loads).map(([c]) => c);
  // Chats some pool agent could take, from the counts: those left after the free slots went.
  const servable = (skillId: number | null): boolean => agents.some((a) => skillId === null || a.skills.includes(skillId));
  let ahead = 0;
  for (const [skillId, n] of (snapshot.queued ?? countQueue(snapshot.waiting)).unassigned) if (servable(skillId)) ahead += n;
  ahead -= taken.filter((c) => servable(c.skillId)).length;
  return { loads, ahead };
}

function free(agent: Agent, loads: Loads): number {
  return agent.maxChats < 0 ? Infinity : Math.max(0, agent.maxChats - (loads.get(agent.id) ?? 0));
}

/** Average seconds an agent held a chat of the skill (all chats for no skill); null without history. */
export function averageHandlingSeconds(handled: Handled[], skillId: SkillTarget): number | null {
  const mine = handled.filter((h) => skillId === null || h.skillId === skillId).slice(0, HISTORY_SIZE);
  if (mine.length === 0) return null;
  const total = mine.reduce((sum, h) => sum + Math.max(0, h.endedAt - h.acceptedAt), 0);
  return total / mine.length / 1000;
}

/** Seconds a new chat for the skill would wait, or a sentinel (spec §4.3). */
export function estimatedWaitTime(snapshot: CapacitySnapshot, skillId: SkillTarget): number {
  const agents = pool(snapshot, skillId);
  if (agents.length === 0) return NO_AGENT_ONLINE;
  const queue = queueFor(snapshot, agents);
  // Slots still free after the queue was served are ones no waiting chat can use.
  if (pickAgent({ skillId }, agents, queue.loads) !== null) return WAIT_NOW;
  const aht = averageHandlingSeconds(snapshot.handled, skillId);
  if (aht === null) return NOT_ENOUGH_DATA;
  // No free slot, so no agent is unlimited: C is finite.
  const slots = agents.reduce((sum, a) => sum + a.maxChats, 0);
  // At least 1 s: 0 would claim an agent can take the chat now.
  return Math.max(1, Math.ceil(((queue.ahead + 1) * aht) / slots));
}

/** Free slots of the pool, -1 if unlimited; with maxWaitTime, plus those expected to free up in time (spec §4.2). */
export function availableSlots(snapshot: CapacitySnapshot, skillId: SkillTarget, maxWaitTime?: number): number {
  const agents = pool(snapshot, skillId);
  if (agents.some((a) => a.maxChats < 0)) return UNLIMITED_SLOTS;
  const queue = queueFor(snapshot, agents);
  const now = agents.reduce((sum, a) => sum + free(a, queue.loads), 0);
  if (!maxWaitTime) return now;
  const aht = averageHandlingSeconds(snapshot.handled, skillId);
  if (aht === null || aht === 0) return now;
  // Releases expected within maxWaitTime go first to the chats already waiting for them.
  const releases = Math.floor((maxWaitTime * agents.reduce((sum, a) => sum + a.maxChats, 0)) / aht);
  return now + Math.max(0, releases - queue.ahead);
}

/**
 * Availability (spec §4.1): without maxWaitTime, whether a pool agent is online; with it,
 * whether the estimated wait fits. "Not enough data" counts as available: agents are online
 * and nothing says they will not get to the chat in time.
 */
export function isAvailable(snapshot: CapacitySnapshot, skillId: SkillTarget, maxWaitTime?: number): boolean {
  if (maxWaitTime === undefined) return pool(snapshot, skillId).length > 0;
  const wait = estimatedWaitTime(snapshot, skillId);
  if (wait === NO_AGENT_ONLINE) return false;
  if (wait === NOT_ENOUGH_DATA) return maxWaitTime > 0;
  return wait <= maxWaitTime;
}

/** One agent (the `agent` parameter): available when Online and able to hold chats. */
export function agentAvailable(agent: Agent | null): boolean {
  return agent !== null && agent.availability === 'Online' && agent.maxChats !== 0;
}

/** One agent's free slots: 0 unless Online, -1 when it has no limit. */
export function agentSlots(agent: Agent | null, load: number): number {
  if (!agentAvailable(agent) || agent === null) return 0;
  return agent.maxChats < 0 ? UNLIMITED_SLOTS : Math.max(0, agent.maxChats - load);
}
