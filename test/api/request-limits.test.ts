// Issue 11, finding 4: requests per second per client address and per app key, and waiting
// chats per account, answered 429 with Retry-After and the vendor error document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_KEY } from '../helpers/app.ts';
import { limitsApp } from '../helpers/limits-app.ts';

const ACCOUNT_URL = '/api/account/12345678';

test('per client address: past --requests-per-address in a second, 429 in the negotiated format; other addresses go on', async () => {
  const a = await limitsApp({ requestsPerAddress: 5, requestsPerAppKey: 0 });
  try {
    const get = (ip: string, suffix = '.json') => a.app.inject({ method: 'GET', url: `${ACCOUNT_URL}${suffix}?appKey=${APP_KEY}`, remoteAddress: ip });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get('10.0.0.1')).statusCode);
    assert.ok(statuses.slice(0, 5).every((s) => s === 200), statuses.join());
    assert.equal(statuses[7], 429);
    const xml = await get('10.0.0.1', '.xml');
    assert.equal(xml.statusCode, 429);
    assert.match(xml.body, /<internalCode>612<\/internalCode>/);
    assert.ok(Number(xml.headers['retry-after']) >= 1);
    assert.equal((await get('10.0.0.2')).statusCode, 200);
    // Health probes are not counted.
    assert.notEqual((await a.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.0.0.1' })).statusCode, 429);
  } finally {
    await a.close();
  }
});

test('per app key: past --requests-per-app-key, 429 whatever the address (even without a valid key: counted before auth)', async () => {
  const a = await limitsApp({ requestsPerAddress: 0, requestsPerAppKey: 4 });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await a.app.inject({ method: 'GET', url: `${ACCOUNT_URL}.json`, headers: { authorization: `LivePerson appKey=${APP_KEY}` }, remoteAddress: `10.1.0.${i}` })).statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
  } finally {
    await a.close();
  }
});

test('--max-waiting-chats: a chat request past the queue bound is 429; nothing is created', async () => {
  const a = await limitsApp({ maxWaitingChats: 3 });
  try {
    const start = () => a.app.inject({ method: 'POST', url: `${ACCOUNT_URL}/chat/request.json?appKey=${APP_KEY}`, payload: { request: { skill: 'Sales' } } });
    for (let i = 0; i < 3; i++) assert.equal((await start()).statusCode, 201);
    const over = await start();
    assert.equal(over.statusCode, 429, over.body);
    assert.equal(over.headers['retry-after'], '10');
    assert.equal(over.headers.location, undefined);
  } finally {
    await a.close();
  }
});
