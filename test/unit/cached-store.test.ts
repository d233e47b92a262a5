// The account/agent cache (src/store/cached-store.ts): one store read per TTL, never stale
// after a write through it, stale for at most the TTL after a write behind its back, and
// safe against callers that change what they were given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { Account, Agent } from '../../src/chat/core/types.ts';
import { CACHE_TTL_MS, CachedStore } from '../../src/store/cached-store.ts';
import { DelegatingStore } from '../../src/store/delegating-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { account, agent } from '../contract/store.contract.ts';

/** Counts the reads that reach the store; `hold` makes the next getAgent wait for a signal. */
class Counting extends DelegatingStore {
  accountReads = 0;
  agentReads = 0;
  hold: Promise<void> | null = null;
  override getAccount(accountId: string): Promise<Account | null> {
    this.accountReads++;
    return super.getAccount(accountId);
  }
  override async getAgent(accountId: string, agentId: number): Promise<Agent | null> {
    this.agentReads++;
    const found = await super.getAgent(accountId, agentId);
    if (this.hold) await this.hold;
    return found;
  }
}

async function setup() {
  const raw = new SqliteStore(':memory:');
  await raw.putAccount(account('A'));
  await raw.putAgent(agent('A', 5));
  const counting = new Counting(raw);
  const clock = new ManualClock();
  return { raw, counting, clock, store: new CachedStore(counting, clock) };
}

describe('CachedStore', () => {
  it('reads an account and an agent from the store once per TTL', async () => {
    const { counting, clock, store } = await setup();
    for (let i = 0; i < 5; i++) {
      assert.deepEqual(await store.getAccount('A'), account('A'));
      assert.deepEqual(await store.getAgent('A', 5), agent('A', 5));
    }
    assert.equal(counting.accountReads, 1);
    assert.equal(counting.agentReads, 1);
    clock.advance(CACHE_TTL_MS);
    await store.getAccount('A');
    await store.getAgent('A', 5);
    assert.equal(counting.accountReads, 2);
    assert.equal(counting.agentReads, 2);
    await store.close();
  });

  it('every write through it shows at once: putAccount, putAgent, availability, chat reason', async () => {
    const { store } = await setup();
    await store.getAccount('A');
    await store.getAgent('A', 5);
    await store.putAccount(account('A', { appKeys: ['new-key'] }));
    assert.deepEqual((await store.getAccount('A'))?.appKeys, ['new-key']);
    await store.setAgentAvailability('A', 5, 'Online');
    assert.equal((await store.getAgent('A', 5))?.availability, 'Online');
    await store.setAgentAvailability('A', 5, 'Online', 'lunch');
    assert.equal((await store.getAgent('A', 5))?.chatReasonId, 'lunch');
    await store.putAgent(agent('A', 5, { name: 'Renamed' }));
    const renamed = await store.getAgent('A', 5);
    assert.equal(renamed?.name, 'Renamed');
    assert.equal(renamed?.availability, 'Online', 'putAgent keeps the stored availability, as the store does');
    await store.close();
  });

  it('a write behind its back (another process) shows once the TTL has passed', async () => {
    const { raw, clock, store } = await setup();
    await store.getAgent('A', 5);
    await raw.setAgentAvailability('A', 5, 'Away');
    assert.equal((await store.getAgent('A', 5))?.availability, 'Offline', 'stale within the TTL');
    clock.advance(CACHE_TTL_MS);
    assert.equal((await store.getAgent('A', 5))?.availability, 'Away');
    await store.close();
  });

  it('unknown ids are not cached', async () => {
    const { counting, store } = await setup();
    assert.equal(await store.getAccount('B'), null);
    assert.equal(await store.getAgent('A', 6), null);
    await store.putAccount(account('B'));
    await store.putAgent(agent('A', 6));
    assert.deepEqual(await store.getAccount('B'), account('B'));
    assert.deepEqual(await store.getAgent('A', 6), agent('A', 6));
    assert.equal(counting.accountReads, 2);
    await store.close();
  });

  it('a read that overlaps a write does not put the old value in the cache', async () => {
    const { counting, store } = await setup();
    let release = (): void => undefined;
    counting.hold = new Promise((r) => (release = r));
    const slow = store.getAgent('A', 5);
    await new Promise((r) => setImmediate(r));
    await store.setAgentAvailability('A', 5, 'Online');
    counting.hold = null;
    release();
    assert.equal((await slow)?.availability, 'Offline', 'the overlapping read answers what it read');
    assert.equal((await store.getAgent('A', 5))?.availability, 'Online');
    await store.close();
  });

  it('what a caller changes on its copy does not reach the cache; nested parts cannot be changed', async () => {
    const { store } = await setup();
    const a = await store.getAgent('A', 5);
    assert.ok(a);
    a.availability = 'Online';
    assert.equal((await store.getAgent('A', 5))?.availability, 'Offline');
    const acc = await store.getAccount('A');
    assert.ok(acc);
    assert.throws(() => acc.appKeys.push('sneaky'), TypeError);
    assert.deepEqual((await store.getAccount('A'))?.appKeys, account('A').appKeys);
    await store.close();
  });
});
