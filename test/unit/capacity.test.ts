// The capacity model (src/chat/capacity.ts): availability, available slots and the estimated
// wait time from one snapshot — pool, queue, free slots and average handling time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  agentAvailable,
  agentSlots,
  availableSlots,
  averageHandlingSeconds,
  estimatedWaitTime,
  isAvailable,
  NO_AGENT_ONLINE,
  NOT_ENOUGH_DATA,
  pool,
  UNLIMITED_SLOTS,
  WAIT_NOW,
  type CapacitySnapshot,
  type Handled,
} from '../../src/chat/routing/capacity.ts';
import type { Agent, Chat } from '../../src/chat/core/types.ts';
import { agent as makeAgent, chat as makeChat } from '../contract/store.contract.ts';

const SALES = 10;
const SUPPORT = 11;

const agent = (id: number, over: Partial<Agent> = {}): Agent => makeAgent('A', id, { availability: 'Online', skills: [SALES], maxChats: 2, ...over });
const waiting = (id: string, over: Partial<Chat> = {}): Chat => makeChat('A', id, { skillId: SALES, ...over });
/** A handled chat of `seconds` (accepted at 0). */
const handled = (seconds: number, skillId: number | null = SALES): Handled => ({ skillId, acceptedAt: 0, endedAt: seconds * 1000 });

function snap(over: Partial<CapacitySnapshot> = {}): CapacitySnapshot {
  return { agents: [], loads: new Map(), waiting: [], handled: [], ...over };
}

test('the pool: Online agents with the skill (any skill when none is asked) and a non-zero maxChats', () => {
  const s = snap({
    agents: [agent(1), agent(2, { availability: 'Away' }), agent(3, { availability: 'Occupied' }), agent(4, { skills: [SUPPORT] }), agent(5, { maxChats: 0 }), agent(6, { maxChats: -1 })],
  });
  assert.deepEqual(pool(s, SALES).map((a) => a.id), [1, 6]);
  assert.deepEqual(pool(s, SUPPORT).map((a) => a.id), [4]);
  assert.deepEqual(pool(s, null).map((a) => a.id), [1, 4, 6]);
});

test('no agent online: wait -1, availability false, no slots', () => {
  const s = snap({ agents: [agent(1, { availability: 'Away' }), agent(2, { skills: [SUPPORT] })] });
  assert.equal(estimatedWaitTime(s, SALES), NO_AGENT_ONLINE);
  assert.equal(isAvailable(s, SALES), false);
  assert.equal(isAvailable(s, SALES, 0), false);
  assert.equal(isAvailable(s, SALES, 3600), false);
  assert.equal(availableSlots(s, SALES), 0);
  assert.equal(estimatedWaitTime(s, null), WAIT_NOW, 'agent 2 can take a chat without skill');
});

test('a free slot: wait 0 and available even with maxWaitTime 0; slots count what is free', () => {
  const s = snap({ agents: [agent(1), agent(2, { maxChats: 3 })], loads: new Map([[1, 2], [2, 1]]) });
  assert.equal(estimatedWaitTime(s, SALES), WAIT_NOW);
  assert.equal(isAvailable(s, SALES, 0), true);
  assert.equal(availableSlots(s, SALES), 2);
  assert.equal(availableSlots(s, null), 2);
});

test('an unlimited agent: slots -1 and wait 0', () => {
  const s = snap({ agents: [agent(1), agent(2, { maxChats: -1 })], loads: new Map([[1, 2], [2, 40]]) });
  assert.equal(availableSlots(s, SALES), UNLIMITED_SLOTS);
  assert.equal(estimatedWaitTime(s, SALES), WAIT_NOW);
});

test('full agents and no history: not enough data (-2); available with a maxWaitTime above 0, not with 0', () => {
  const s = snap({ agents: [agent(1)], loads: new Map([[1, 2]]) });
  assert.equal(estimatedWaitTime(s, SALES), NOT_ENOUGH_DATA);
  assert.equal(availableSlots(s, SALES), 0);
  assert.equal(isAvailable(s, SALES), true, 'without maxWaitTime: an agent is online');
  assert.equal(isAvailable(s, SALES, 0), false);
  assert.equal(isAvailable(s, SALES, 60), true);
});

test('the wait: (chats ahead + 1) × average handling time / slots of the pool, rounded up', () => {
  // Two agents × 2 slots, all busy; chats of 120 s and 240 s on average 180 s.
  const base = { agents: [agent(1), agent(2)], loads: new Map([[1, 2], [2, 2]]), handled: [handled(120), handled(240)] };
  assert.equal(estimatedWaitTime(snap(base), SALES), 45, 'first in line: 180 / 4');
  const three = snap({ ...base, waiting: [waiting('w1'), waiting('w2'), waiting('w3')] });
  assert.equal(estimatedWaitTime(three, SALES), 180, '(3 + 1) × 180 / 4');
  assert.equal(isAvailable(three, SALES, 180), true);
  assert.equal(isAvailable(three, SALES, 179), false);
  assert.equal(isAvailable(three, SALES, 0), false);
});

test('chats that ring already, or that no pool agent could take, are not ahead', () => {
  const agents = [agent(1), agent(2, { skills: [SUPPORT] })];
  const s = snap({
    agents,
    loads: new Map([[1, 2], [2, 2]]),
    waiting: [waiting('ringing', { ringingAgentId: 1 }), waiting('support', { skillId: SUPPORT }), waiting('any', { skillId: null })],
    handled: [handled(100)],
  });
  // Sales pool = agent 1 (2 slots): ahead = the chat without skill; (1 + 1) × 100 / 2.
  assert.equal(estimatedWaitTime(s, SALES), 100);
  // Whole account = 4 slots: ahead = support + any; (2 + 1) × 100 / 4 = 75.
  assert.equal(estimatedWaitTime(s, null), 75);
});

test('waiting chats take free slots first, as routing would: a slot they use is not free', () => {
  const s = snap({ agents: [agent(1)], loads: new Map([[1, 1]]), waiting: [waiting('w1')], handled: [handled(60)] });
  assert.equal(availableSlots(s, SALES), 0);
  assert.equal(estimatedWaitTime(s, SALES), 30, 'w1 takes the free slot; ours waits for one of 2 slots');
  // A slot no waiting chat can use stays free: a Support chat waits, but only a Sales agent has room.
  const mixed = snap({ agents: [agent(1), agent(2, { skills: [SUPPORT] })], loads: new Map([[2, 2]]), waiting: [waiting('s', { skillId: SUPPORT })] });
  assert.equal(availableSlots(mixed, null), 2);
  assert.equal(estimatedWaitTime(mixed, SALES), WAIT_NOW);
  // A chat without skill takes a slot the waiting chats cannot use, although one waits ahead.
  const otherSkillWaits = snap({ agents: [agent(1), agent(2, { skills: [SUPPORT] })], loads: new Map([[1, 2]]), waiting: [waiting('sales')], handled: [handled(60)] });
  assert.equal(estimatedWaitTime(otherSkillWaits, null), WAIT_NOW);
  assert.equal(estimatedWaitTime(otherSkillWaits, SALES), 60, '(1 ahead + 1) × 60 / 2');
});

test('average handling time: the skill asked (all chats for none), the latest 50, null without any', () => {
  const hs = [handled(10, SALES), handled(30, SUPPORT), handled(50, null)];
  assert.equal(averageHandlingSeconds(hs, SALES), 10);
  assert.equal(averageHandlingSeconds(hs, SUPPORT), 30);
  assert.equal(averageHandlingSeconds(hs, null), 30);
  assert.equal(averageHandlingSeconds(hs, 99), null);
  assert.equal(averageHandlingSeconds([], null), null);
  const many = [...Array.from({ length: 50 }, () => handled(10)), ...Array.from({ length: 50 }, () => handled(1000))];
  assert.equal(averageHandlingSeconds(many, SALES), 10, 'older chats beyond the latest 50 do not count');
  // A skill with history elsewhere in the account but none of its own has no estimate.
  const s = snap({ agents: [agent(1, { skills: [SUPPORT] })], loads: new Map([[1, 2]]), handled: [handled(60, SALES)] });
  assert.equal(estimatedWaitTime(s, SUPPORT), NOT_ENOUGH_DATA);
});

test('a wait never reads 0 when no slot is free, however short the chats', () => {
  const s = snap({ agents: [agent(1, { maxChats: 4 })], loads: new Map([[1, 4]]), handled: [handled(0)] });
  assert.equal(estimatedWaitTime(s, SALES), 1);
});

test('slots within maxWaitTime: free now plus the releases expected in time, minus the chats waiting for them', () => {
  // 4 busy slots, 120 s per chat: 2 releases a minute.
  const base = { agents: [agent(1), agent(2)], loads: new Map([[1, 2], [2, 2]]), handled: [handled(120)] };
  assert.equal(availableSlots(snap(base), SALES), 0);
  assert.equal(availableSlots(snap(base), SALES, 0), 0);
  assert.equal(availableSlots(snap(base), SALES, 60), 2);
  assert.equal(availableSlots(snap({ ...base, waiting: [waiting('w1')] }), SALES, 60), 1);
  assert.equal(availableSlots(snap({ ...base, waiting: [waiting('w1'), waiting('w2'), waiting('w3')] }), SALES, 60), 0);
  assert.equal(availableSlots(snap({ ...base, handled: [] }), SALES, 60), 0, 'no history: only what is free now');
});

test('one agent: available when Online with room for chats; slots free, -1 unlimited, 0 otherwise', () => {
  assert.equal(agentAvailable(agent(1)), true);
  assert.equal(agentAvailable(agent(1, { availability: 'Occupied' })), false);
  assert.equal(agentAvailable(agent(1, { maxChats: 0 })), false);
  assert.equal(agentAvailable(null), false);
  assert.equal(agentSlots(agent(1, { maxChats: 4 }), 1), 3);
  assert.equal(agentSlots(agent(1, { maxChats: 4 }), 6), 0);
  assert.equal(agentSlots(agent(1, { maxChats: -1 }), 9), UNLIMITED_SLOTS);
  assert.equal(agentSlots(agent(1, { availability: 'Away' }), 0), 0);
  assert.equal(agentSlots(null, 0), 0);
});
