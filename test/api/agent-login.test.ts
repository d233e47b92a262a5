// Login Service API (agent API §1.2): login gives a bearer for one account; logout ends it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { demoProvisioning, type Provisioning } from '../../src/chat/provisioning.ts';
import { AGENT, BASE, testApp, type TestApp } from '../helpers/app.ts';

const OTHER = '87654321';
const OTHER_BASE = `/api/account/${OTHER}`;
const BOB = { id: 7, name: 'Bob', loginName: 'bob', password: 'hunter2' };

/** The demo account plus a second account with its own agent. */
const twoAccounts: Provisioning = {
  accounts: [
    ...demoProvisioning.accounts,
    {
      id: OTHER,
      appKeys: ['0therAccountKey'],
      chatTimeout: 40,
      language: 'en-US',
      skills: [{ id: 1, name: 'Support' }],
      agents: [{ ...BOB, skills: [1], maxChats: 2 }],
    },
  ],
};

interface LoginBody {
  bearer: string;
  csrf: string;
  wsuk: string;
  sessionTTl: string;
  config: { loginName: string; userId: string; userPrivileges: number[]; serverCurrentTime: number };
  csdsCollectionResponse: { baseURIs: Array<{ account: string; baseURI: string; service: string }> };
}
interface ErrorBody {
  error: { message: string; internalCode: number; responseStatus: string; time: string };
}

function login(t: TestApp, base: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: `${base}/login?v=1.3`, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

function startSession(t: TestApp, base: string, bearer: string): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: `${base}/agentSession.json?v=1&NC=true`, headers: { authorization: `Bearer ${bearer}` }, payload: { loginData: '' } });
}

function assertError(res: LightMyRequestResponse, status: number, responseStatus: string): ErrorBody {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  const body = res.json() as ErrorBody;
  assert.equal(body.error.responseStatus, responseStatus);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.equal(typeof body.error.internalCode, 'number');
  return body;
}

test('login answers 200 with bearer, csrf, sessionTTl and config.loginName', async () => {
  const t = await testApp();
  try {
    const res = await login(t, BASE, { username: AGENT.loginName, password: AGENT.password });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const body = res.json() as LoginBody;
    assert.equal(typeof body.bearer, 'string');
    assert.ok(body.bearer.length > 0);
    assert.equal(typeof body.csrf, 'string');
    assert.ok(body.csrf.length > 0);
    assert.notEqual(body.csrf, body.bearer);
    assert.equal(body.sessionTTl, '28800000');
    assert.equal(body.config.loginName, AGENT.loginName);
    assert.equal(body.config.userId, String(AGENT.id));
    assert.deepEqual(body.config.userPrivileges, []);
    assert.equal(body.config.serverCurrentTime, t.clock.now());
    assert.ok(body.csdsCollectionResponse.baseURIs.some((u) => u.service === 'agentVep' && u.account === '12345678'));
    // The bearer is good for the Chat Agent API.
    assert.equal((await startSession(t, BASE, body.bearer)).statusCode, 201);
  } finally {
    await t.close();
  }
});

test('each login gets its own bearer', async () => {
  const t = await testApp();
  try {
    const a = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
    const b = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
    assert.notEqual(a.bearer, b.bearer);
    assert.equal((await startSession(t, BASE, a.bearer)).statusCode, 201);
    assert.equal((await startSession(t, BASE, b.bearer)).statusCode, 201);
  } finally {
    await t.close();
  }
});

test('a wrong password and an unknown user both answer 401 with the same error body', async () => {
  const t = await testApp();
  try {
    const wrong = assertError(await login(t, BASE, { username: AGENT.loginName, password: 'not-the-password' }), 401, 'UNAUTHORIZED');
    const unknown = assertError(await login(t, BASE, { username: 'nobody', password: AGENT.password }), 401, 'UNAUTHORIZED');
    // Same wording either way, so the answer does not reveal which login names exist.
    assert.equal(wrong.error.message, unknown.error.message);
    assert.equal(wrong.error.internalCode, unknown.error.internalCode);
    // Login names are per account: the agent does not exist in an unknown account.
    assertError(await login(t, '/api/account/99999999', { username: AGENT.loginName, password: AGENT.password }), 401, 'UNAUTHORIZED');
  } finally {
    await t.close();
  }
});

test('login without username or password answers 400', async () => {
  const t = await testApp();
  try {
    const cases: Array<[string, unknown]> = [
      ['no password', { username: AGENT.loginName }],
      ['no username', { password: AGENT.password }],
      ['empty object', {}],
      ['empty username', { username: '', password: AGENT.password }],
      ['empty password', { username: AGENT.loginName, password: '' }],
      ['password not a string', { username: AGENT.loginName, password: { value: 'secret' } }],
      ['no body at all', undefined],
    ];
    for (const [label, payload] of cases) {
      const res = await login(t, BASE, payload);
      assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
      assertError(res, 400, 'BAD_REQUEST');
    }
  } finally {
    await t.close();
  }
});

test('logout invalidates the bearer; other bearers of the agent stay valid', async () => {
  const t = await testApp();
  try {
    const a = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
    const b = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
    const s = await startSession(t, BASE, a.bearer);
    assert.equal(s.statusCode, 201);
    const sessionPath = new URL(String(s.headers.location)).pathname;

    const out = await t.inject({ method: 'POST', url: `${BASE}/logout`, headers: { authorization: `Bearer ${a.bearer}` }, payload: { csrf: a.csrf } });
    assert.equal(out.statusCode, 200);

    assertError(await startSession(t, BASE, a.bearer), 401, 'UNAUTHORIZED');
    assertError(await t.inject({ method: 'GET', url: `${sessionPath}/availability.json`, headers: { authorization: `Bearer ${a.bearer}` } }), 401, 'UNAUTHORIZED');
    // Logging out twice, or without a bearer, is refused.
    assertError(await t.inject({ method: 'POST', url: `${BASE}/logout`, headers: { authorization: `Bearer ${a.bearer}` }, payload: { csrf: a.csrf } }), 401, 'UNAUTHORIZED');
    assertError(await t.inject({ method: 'POST', url: `${BASE}/logout`, payload: { csrf: a.csrf } }), 401, 'UNAUTHORIZED');
    // The other login is untouched.
    assert.equal((await startSession(t, BASE, b.bearer)).statusCode, 201);
  } finally {
    await t.close();
  }
});

test('a bearer lasts sessionTTl and no longer', async () => {
  const t = await testApp();
  try {
    const a = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
    await t.tick(Number(a.sessionTTl) - 1);
    assert.equal((await startSession(t, BASE, a.bearer)).statusCode, 201);
    await t.tick(1);
    assertError(await startSession(t, BASE, a.bearer), 401, 'UNAUTHORIZED');
  } finally {
    await t.close();
  }
});

test("a bearer of one account is rejected on another account", async () => {
  const t = await testApp({ provisioning: twoAccounts });
  try {
    const bob = await login(t, OTHER_BASE, { username: BOB.loginName, password: BOB.password });
    assert.equal(bob.statusCode, 200, bob.body);
    const bobBearer = (bob.json() as LoginBody).bearer;
    const nat = (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;

    // Each bearer works on its own account...
    assert.equal((await startSession(t, OTHER_BASE, bobBearer)).statusCode, 201);
    assert.equal((await startSession(t, BASE, nat.bearer)).statusCode, 201);
    // ...and on no other.
    assertError(await startSession(t, BASE, bobBearer), 401, 'UNAUTHORIZED');
    assertError(await startSession(t, OTHER_BASE, nat.bearer), 401, 'UNAUTHORIZED');
    // A session of one account cannot be reached with the other account's bearer either.
    const natSession = new URL(String((await startSession(t, BASE, nat.bearer)).headers.location)).pathname;
    assertError(await t.inject({ method: 'GET', url: `${natSession}.json`, headers: { authorization: `Bearer ${bobBearer}` } }), 401, 'UNAUTHORIZED');
    // Logins are per account: Bob does not exist in the demo account.
    assertError(await login(t, BASE, { username: BOB.loginName, password: BOB.password }), 401, 'UNAUTHORIZED');
  } finally {
    await t.close();
  }
});
