// Issue 11, finding 4: while a long queue waits and no agent has room, a chat request,
// availability, available slots and the estimated wait time count the queue (an index)
// instead of reading every waiting chat, and answer as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, APP_KEY, testApp } from '../helpers/app.ts';
import { DelegatingStore } from '../../src/store/delegating-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Chat } from '../../src/chat/core/types.ts';
import type { WaitingCounts } from '../../src/store/store.ts';

/** A real store that counts how the queue is read. */
class QueueReads extends DelegatingStore {
  lists = 0;
  counts = 0;
  override listWaitingChats(accountId: string): Promise<Chat[]> {
    this.lists += 1;
    return super.listWaitingChats(accountId);
  }
  override countWaitingChats(accountId: string): Promise<WaitingCounts> {
    this.counts += 1;
    return super.countWaitingChats(accountId);
  }
}

test('a long queue no agent can serve is counted, never read, by requests and capacity answers', async () => {
  const store = new QueueReads(new SqliteStore(':memory:'));
  const t = await testApp({ store });
  try {
    const q = `?appKey=${APP_KEY}`;
    const request = () => t.inject({ method: 'POST', url: `/api/account/${ACCOUNT}/chat/request.json${q}`, payload: { request: { skill: 'Sales' } } });
    for (let i = 0; i < 20; i++) assert.equal((await request()).statusCode, 201);
    store.lists = 0;
    store.counts = 0;
    assert.equal((await request()).statusCode, 201);
    const availability = await t.inject({ method: 'GET', url: `/api/account/${ACCOUNT}/chat/availability.json${q}&skill=Sales&maxWaitTime=60` });
    assert.equal(availability.statusCode, 200, availability.body);
    assert.deepEqual(availability.json(), { availability: false });
    const wait = await t.inject({ method: 'GET', url: `/api/account/${ACCOUNT}/chat/estimatedWaitTime.json${q}&skill=Sales` });
    assert.equal(wait.statusCode, 200, wait.body);
    assert.equal(String((wait.json() as { estimatedWaitTime: unknown }).estimatedWaitTime), '-1');
    const slots = await t.inject({ method: 'GET', url: `/api/account/${ACCOUNT}/chat/availableSlots.json${q}&skill=Sales` });
    assert.equal(slots.statusCode, 200, slots.body);
    assert.equal(store.lists, 0, 'the queue was read');
    assert.ok(store.counts >= 4, `counted ${store.counts} times`);
  } finally {
    await t.close();
  }
});
