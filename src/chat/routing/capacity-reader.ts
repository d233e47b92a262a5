// Reads what capacity.ts needs from the store, once per request, and answers the three
// capacity questions of spec §4.1–§4.3 and agent spec §4.5 for both fronts.
import type { Clock } from '../../clock.ts';
import type { ChatStore } from '../../store/store.ts';
import {
  agentAvailable,
  agentSlots,
  availableSlots,
  estimatedWaitTime,
  HISTORY_SIZE,
  HISTORY_WINDOW_MS,
  isAvailable,
  type CapacitySnapshot,
  type SkillTarget,
} from './capacity.ts';
import { queueMayReach, reachable } from './routing.ts';

export class CapacityReader {
  private readonly store: ChatStore;
  private readonly clock: Clock;

  constructor(store: ChatStore, clock: Clock) {
    this.store = store;
    this.clock = clock;
  }

  async snapshot(accountId: string): Promise<CapacitySnapshot> {
    const [agents, loads, queued, handled] = await Promise.all([
      this.store.listAgents(accountId),
      this.store.countAgentChats(accountId),
      this.store.countWaitingChats(accountId),
      // Several skills share the account's history: read enough to find HISTORY_SIZE of one.
      this.store.listHandledChats(accountId, this.clock.now() - HISTORY_WINDOW_MS, HISTORY_SIZE * 4),
    ]);
    // The queue itself only when an agent with room might take one of its chats — which
    // routing is then about to ring (router.ts): otherwise the counts say all (issue 11, finding 4).
    const waiting = queueMayReach(queued, reachable(agents), loads) ? await this.store.listWaitingChats(accountId) : [];
    return { agents, loads, waiting, queued, handled };
  }

  /** Availability for each skill asked (null = any), in the order asked. */
  async availability(accountId: string, skills: SkillTarget[], maxWaitTime?: number): Promise<boolean[]> {
    const s = await this.snapshot(accountId);
    return skills.map((skill) => isAvailable(s, skill, maxWaitTime));
  }

  async slots(accountId: string, skill: SkillTarget, maxWaitTime?: number): Promise<number> {
    return availableSlots(await this.snapshot(accountId), skill, maxWaitTime);
  }

  async waitTime(accountId: string, skill: SkillTarget): Promise<number> {
    return estimatedWaitTime(await this.snapshot(accountId), skill);
  }

  /** One agent by login name; unknown logins read as an agent who is not online. */
  async agentAvailability(accountId: string, loginName: string): Promise<boolean> {
    return agentAvailable(await this.store.findAgentByLogin(accountId, loginName));
  }

  async agentSlots(accountId: string, loginName: string): Promise<number> {
    const agent = await this.store.findAgentByLogin(accountId, loginName);
    if (!agent) return 0;
    return agentSlots(agent, (await this.store.countAgentChats(accountId)).get(agent.id) ?? 0);
  }
}
