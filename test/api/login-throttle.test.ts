// Issue 11, finding 7: failed logins slow down per account + user and per client address,
// answered 429 with Retry-After (vendor error body), and a real agent is not locked out for long.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENT } from '../helpers/app.ts';
import { limitsApp, type LimitsApp } from '../helpers/limits-app.ts';

const URL_ = '/api/account/12345678/login?v=1.3';
const login = (a: LimitsApp, username: string, password: string, ip = '10.0.0.1') =>
  a.app.inject({ method: 'POST', url: URL_, payload: { username, password }, remoteAddress: ip });

test('per user: free failures, then doubling waits (429 + Retry-After) capped by --login-max-backoff; success clears', async () => {
  const a = await limitsApp({ loginFreeFailures: 3, loginAddressFreeFailures: 1000, loginMaxBackoff: 4 });
  try {
    for (let i = 0; i < 3; i++) assert.equal((await login(a, AGENT.loginName, 'wrong')).statusCode, 401);
    // The 4th failure is counted and sets a wait of 1 s.
    assert.equal((await login(a, AGENT.loginName, 'wrong')).statusCode, 401);
    const held = await login(a, AGENT.loginName, AGENT.password, '10.0.0.2');
    assert.equal(held.statusCode, 429, held.body);
    assert.equal(held.headers['retry-after'], '1');
    const doc = held.json() as { error: { internalCode: number; reason: string } };
    assert.deepEqual([doc.error.internalCode, doc.error.reason], [612, 'TOO_MANY_REQUESTS']);
    // Waits double, never past the cap.
    const waits: string[] = [];
    for (let i = 0; i < 4; i++) {
      a.clock.advance(10_000);
      assert.equal((await login(a, AGENT.loginName, 'wrong')).statusCode, 401);
      waits.push(String((await login(a, AGENT.loginName, 'wrong')).headers['retry-after']));
    }
    assert.deepEqual(waits, ['2', '4', '4', '4']);
    // The real agent gets in once the (short) wait is over, and that clears the count.
    a.clock.advance(4000);
    assert.equal((await login(a, AGENT.loginName, AGENT.password)).statusCode, 200);
    assert.equal((await login(a, AGENT.loginName, 'wrong')).statusCode, 401);
  } finally {
    await a.close();
  }
});

test('per address: one client guessing many names is slowed down; others are not', async () => {
  const a = await limitsApp({ loginFreeFailures: 1000, loginAddressFreeFailures: 5, loginMaxBackoff: 60 });
  try {
    for (let i = 0; i < 6; i++) assert.equal((await login(a, `user${i}`, 'x', '10.9.9.9')).statusCode, 401);
    const held = await login(a, 'another', 'x', '10.9.9.9');
    assert.equal(held.statusCode, 429);
    assert.equal((await login(a, AGENT.loginName, AGENT.password, '10.1.1.1')).statusCode, 200);
  } finally {
    await a.close();
  }
});
