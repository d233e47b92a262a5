// Routing (src/chat/routing.ts): least-loaded agent with the skill and free capacity, lowest
// id on ties; the queue is offered oldest first, and a chat nobody can take blocks no one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assign, eligible, freeCapacity, pickAgent, reachable, ringDeadline, routable, waitDeadline, type Loads } from '../../src/chat/routing/routing.ts';
import type { Agent, Chat } from '../../src/chat/core/types.ts';
import { agent as makeAgent, chat as makeChat } from '../contract/store.contract.ts';

const SALES = 10;
const BILLING = 20;

function agent(id: number, over: Partial<Agent> = {}): Agent {
  return makeAgent('A', id, { skills: [SALES], maxChats: 2, availability: 'Online', ...over });
}
function chat(id: string, skillId: number | null, queuedAt: number, over: Partial<Chat> = {}): Chat {
  return makeChat('A', id, { skillId, queuedAt, ...over });
}
const loads = (entries: Array<[number, number]> = []): Loads => new Map(entries);
const pairs = (out: Array<[Chat, Agent]>): string[] => out.map(([c, a]) => `${c.id}->${a.id}`);

describe('pickAgent', () => {
  it('picks the least-loaded agent', () => {
    const agents = [agent(1), agent(2), agent(3)];
    assert.equal(pickAgent({ skillId: SALES }, agents, loads([[1, 1], [2, 0], [3, 1]]))?.id, 2);
    assert.equal(pickAgent({ skillId: SALES }, agents, loads([[1, 1], [2, 1], [3, 0]]))?.id, 3);
  });

  it('takes the lowest id on ties, whatever the list order', () => {
    assert.equal(pickAgent({ skillId: SALES }, [agent(9), agent(4), agent(7)], loads())?.id, 4);
    assert.equal(pickAgent({ skillId: SALES }, [agent(9), agent(4), agent(7)], loads([[4, 1], [9, 1], [7, 1]]))?.id, 4);
    assert.equal(pickAgent({ skillId: SALES }, [agent(9), agent(4), agent(7)], loads([[4, 1]]))?.id, 7);
  });

  it('only considers agents with the chat skill; a chat without a skill goes to anyone', () => {
    const agents = [agent(1, { skills: [BILLING] }), agent(2, { skills: [SALES] }), agent(3, { skills: [] })];
    assert.equal(pickAgent({ skillId: BILLING }, agents, loads([[1, 1]]))?.id, 1);
    assert.equal(pickAgent({ skillId: SALES }, agents, loads([[2, 1]]))?.id, 2);
    assert.equal(pickAgent({ skillId: 99 }, agents, loads()), null);
    assert.equal(pickAgent({ skillId: null }, agents, loads([[1, 1], [2, 1]]))?.id, 3);
  });

  it('respects maxChats, with -1 meaning unlimited', () => {
    const agents = [agent(1, { maxChats: 2 }), agent(2, { maxChats: -1 })];
    assert.equal(pickAgent({ skillId: SALES }, agents, loads([[1, 1], [2, 5]]))?.id, 1);
    assert.equal(pickAgent({ skillId: SALES }, agents, loads([[1, 2], [2, 1000]]))?.id, 2);
    assert.equal(pickAgent({ skillId: SALES }, [agent(1, { maxChats: 2 })], loads([[1, 2]])), null);
    assert.equal(pickAgent({ skillId: SALES }, [agent(1, { maxChats: 1 })], loads([[1, 3]])), null);
  });

  it('returns null when there are no agents', () => {
    assert.equal(pickAgent({ skillId: SALES }, [], loads()), null);
  });
});

describe('freeCapacity and routable', () => {
  it('freeCapacity is maxChats minus load, or Infinity for -1', () => {
    assert.equal(freeCapacity(agent(1, { maxChats: 4 }), 1), 3);
    assert.equal(freeCapacity(agent(1, { maxChats: 4 }), 4), 0);
    assert.equal(freeCapacity(agent(1, { maxChats: -1 }), 10_000), Infinity);
  });

  it('only Online agents receive new chats', () => {
    const agents = [agent(1), agent(2, { availability: 'Away' }), agent(3, { availability: 'Occupied' }), agent(4, { availability: 'Offline' })];
    assert.deepEqual(routable(agents).map((a) => a.id), [1]);
  });
});

describe('assign', () => {
  it('offers the queue oldest first and counts each assignment in the loads', () => {
    const queue = [chat('c1', SALES, 1), chat('c2', SALES, 2), chat('c3', SALES, 3)];
    const l = loads();
    const out = assign(queue, [agent(1, { maxChats: 2 }), agent(2, { maxChats: 1 })], l);
    assert.deepEqual(pairs(out), ['c1->1', 'c2->2', 'c3->1']);
    assert.deepEqual(l, loads([[1, 2], [2, 1]]));
  });

  it('stops giving chats to an agent at capacity; the rest stay queued', () => {
    const queue = [chat('c1', SALES, 1), chat('c2', SALES, 2), chat('c3', SALES, 3)];
    const out = assign(queue, [agent(1, { maxChats: 2 })], loads([[1, 1]]));
    assert.deepEqual(pairs(out), ['c1->1']);
  });

  it('skips a chat nobody can take without holding back younger chats of other skills', () => {
    const queue = [chat('sales-old', SALES, 1), chat('billing', BILLING, 2), chat('sales-young', SALES, 3), chat('nobody', 99, 4), chat('billing-2', BILLING, 5)];
    const billingOnly = agent(7, { skills: [BILLING], maxChats: 1 });
    const out = assign(queue, [billingOnly], loads());
    assert.deepEqual(pairs(out), ['billing->7']);
    const both = assign(queue, [billingOnly, agent(8, { skills: [SALES], maxChats: 1 })], loads());
    assert.deepEqual(pairs(both), ['sales-old->8', 'billing->7']);
  });

  it('skips chats that are already ringing', () => {
    const queue = [chat('ringing', SALES, 1, { ringingAgentId: 1 }), chat('free', SALES, 2)];
    const l = loads([[1, 1]]);
    assert.deepEqual(pairs(assign(queue, [agent(1), agent(2)], l)), ['free->2']);
    assert.deepEqual(l, loads([[1, 1], [2, 1]]));
  });

  it('balances across agents with unlimited capacity', () => {
    const queue = Array.from({ length: 6 }, (_, i) => chat(`c${i}`, SALES, i));
    const out = assign(queue, [agent(1, { maxChats: -1 }), agent(2, { maxChats: -1 })], loads());
    assert.deepEqual(pairs(out), ['c0->1', 'c1->2', 'c2->1', 'c3->2', 'c4->1', 'c5->2']);
  });
});

describe('eligible: who may take which chat (agent API §3, spec §4.7)', () => {
  it('a chat asked for one agent (Start Chat `agent`) goes to that agent only, whatever the skills', () => {
    const asked = { skillId: null, requestedAgentId: 2 };
    assert.equal(eligible(asked, agent(1)), false);
    assert.equal(eligible(asked, agent(2, { skills: [] })), true);
    assert.equal(eligible(asked, agent(2, { availability: 'Away' })), false);
    assert.equal(pickAgent(asked, [agent(1), agent(2)], loads([[2, 1]]))?.id, 2, 'even when another agent is less loaded');
    assert.equal(pickAgent(asked, [agent(1), agent(2, { maxChats: 1 })], loads([[2, 1]])), null, 'and only with room');
  });

  it('Occupied agents take transferred chats only; a transfer skips the agent who sent it', () => {
    const fresh = { skillId: SALES };
    const moved = { skillId: SALES, transferredFromAgentId: 1 };
    const occupied = agent(3, { availability: 'Occupied' });
    assert.equal(eligible(fresh, occupied), false);
    assert.equal(eligible(moved, occupied), true);
    assert.equal(eligible(moved, agent(1)), false);
    assert.equal(eligible(moved, agent(2, { skills: [BILLING] })), false, 'still needs the skill');
    assert.equal(pickAgent(moved, [agent(1), occupied], loads([[3, 1]]))?.id, 3);
    assert.equal(eligible(moved, agent(4, { availability: 'Away' })), false);
    assert.equal(eligible(moved, agent(4, { availability: 'Offline' })), false);
  });

  it('reachable keeps Online and Occupied agents', () => {
    const agents = [agent(1), agent(2, { availability: 'Away' }), agent(3, { availability: 'Occupied' }), agent(4, { availability: 'Offline' })];
    assert.deepEqual(reachable(agents).map((a) => a.id), [1, 3]);
  });

  it('assign keeps FIFO and maxChats with requested and transferred chats mixed in', () => {
    const queue = [
      chat('for-2', null, 1, { requestedAgentId: 2 }),
      chat('moved', SALES, 2, { transferredFromAgentId: 1 }),
      chat('plain', SALES, 3),
      chat('plain-2', SALES, 4),
    ];
    const out = assign(queue, [agent(1, { maxChats: 1 }), agent(2, { maxChats: 2 }), agent(3, { availability: 'Occupied', maxChats: 1 })], loads());
    assert.deepEqual(pairs(out), ['for-2->2', 'moved->3', 'plain->1', 'plain-2->2']);
  });
});

describe('ringDeadline and waitDeadline', () => {
  it('the accept window runs from ringingSince while something rings', () => {
    assert.equal(ringDeadline({ ringingAgentId: 1, ringingSince: 1_000 }, 20), 21_000);
    assert.equal(ringDeadline({ ringingAgentId: null, ringingSince: 1_000 }, 20), null);
    assert.equal(ringDeadline({ ringingAgentId: 1, ringingSince: null }, 20), null);
    assert.equal(ringDeadline({ ringingAgentId: 1 }, 20), null, 'chats stored before the field have no window');
  });

  it('maxWaitTime counts from the request; none without it; 0 is the request time itself', () => {
    assert.equal(waitDeadline({ startTime: 5_000, maxWaitTime: 30 }), 35_000);
    assert.equal(waitDeadline({ startTime: 5_000, maxWaitTime: 0 }), 5_000);
    assert.equal(waitDeadline({ startTime: 5_000, maxWaitTime: null }), null);
    assert.equal(waitDeadline({ startTime: 5_000 }), null);
  });
});
