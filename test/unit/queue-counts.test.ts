// Issue 11, finding 4: capacity answers and routing read the queue as counts (store
// countWaitingChats) and read the chats themselves only when an agent with room might take
// one. The answers are those of the whole queue, whatever the agents, loads and queue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { availableSlots, estimatedWaitTime, isAvailable, type CapacitySnapshot } from '../../src/chat/routing/capacity.ts';
import { countQueue, queueMayReach, reachable } from '../../src/chat/routing/routing.ts';
import type { Agent, AgentAvailability, Chat } from '../../src/chat/core/types.ts';
import { agent as makeAgent, chat as makeChat } from '../contract/store.contract.ts';

const SKILLS = [10, 11, 12];
const skill = fc.constantFrom<number | null>(null, ...SKILLS);

const agentArb = fc.record({
  availability: fc.constantFrom<AgentAvailability>('Online', 'Occupied', 'Away', 'Offline'),
  skills: fc.subarray(SKILLS),
  maxChats: fc.integer({ min: -1, max: 3 }),
  load: fc.integer({ min: 0, max: 3 }),
});
const chatArb = fc.record({ skillId: skill, ringing: fc.boolean(), requested: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }), transferred: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }) });

test('capacity from counts (reading the queue only when it may be served) equals capacity from the whole queue', () => {
  fc.assert(
    fc.property(fc.array(agentArb, { maxLength: 4 }), fc.array(chatArb, { maxLength: 12 }), skill, fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }), (as, cs, target, maxWait) => {
      const agents: Agent[] = as.map((a, i) => makeAgent('A', i + 1, { availability: a.availability, skills: a.skills, maxChats: a.maxChats }));
      const loads = new Map(as.map((a, i) => [i + 1, a.load]));
      const waiting: Chat[] = cs.map((c, i) =>
        makeChat('A', `c${i}`, { skillId: c.skillId, ringingAgentId: c.ringing ? 1 : null, requestedAgentId: c.requested, transferredFromAgentId: c.transferred, queuedAt: i }),
      );
      const handled = [{ skillId: 10, acceptedAt: 0, endedAt: 60_000 }];
      const whole: CapacitySnapshot = { agents, loads, waiting, handled };
      const queued = countQueue(waiting);
      const counted: CapacitySnapshot = { agents, loads, waiting: queueMayReach(queued, reachable(agents), loads) ? waiting : [], queued, handled };
      assert.equal(estimatedWaitTime(counted, target), estimatedWaitTime(whole, target));
      assert.equal(availableSlots(counted, target, maxWait), availableSlots(whole, target, maxWait));
      assert.equal(isAvailable(counted, target, maxWait), isAvailable(whole, target, maxWait));
    }),
    { numRuns: 2000 },
  );
});
