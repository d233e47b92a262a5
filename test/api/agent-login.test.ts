// Login Service API (agent API §1.2): login gives a bearer for one account; logout ends it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { AGENT, BASE, withApp, type TestApp } from '../helpers/app.ts';
import type { AgentErrorDoc } from '../helpers/wire.ts';

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

const bearerAuth = (bearer: string): { authorization: string } => ({ authorization: `Bearer ${bearer}` });

function login(t: TestApp, base: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: `${base}/login?v=1.3`, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
}

/** The demo agent logs in to the demo account; returns the login body. */
async function loginNatalie(t: TestApp): Promise<LoginBody> {
  return (await login(t, BASE, { username: AGENT.loginName, password: AGENT.password })).json() as LoginBody;
}

/** POST /logout with the csrf of the login, and its bearer when given. */
function logout(t: TestApp, csrf: string, bearer?: string): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: `${BASE}/logout`, ...(bearer === undefined ? {} : { headers: bearerAuth(bearer) }), payload: { csrf } });
}

function startSession(t: TestApp, base: string, bearer: string): Promise<LightMyRequestResponse> {
  return t.inject({ method: 'POST', url: `${base}/agentSession.json?v=1&NC=true`, headers: bearerAuth(bearer), payload: { loginData: '' } });
}

function assertError(res: LightMyRequestResponse, status: number, responseStatus: string): AgentErrorDoc {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  const body = res.json() as AgentErrorDoc;
  assert.equal(body.error.responseStatus, responseStatus);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.equal(typeof body.error.internalCode, 'number');
  return body;
}

test('login answers 200 with bearer, csrf, sessionTTl and config.loginName', async () => {
  await withApp({}, async (t) => {
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
  });
});

test('each login gets its own bearer', async () => {
  await withApp({}, async (t) => {
    const a = await loginNatalie(t);
    const b = await loginNatalie(t);
    assert.notEqual(a.bearer, b.bearer);
    assert.equal((await startSession(t, BASE, a.bearer)).statusCode, 201);
    assert.equal((await startSession(t, BASE, b.bearer)).statusCode, 201);
  });
});

test('a wrong password and an unknown user both answer 401 with the same error body', async () => {
  await withApp({}, async (t) => {
    const wrong = assertError(await login(t, BASE, { username: AGENT.loginName, password: 'not-the-password' }), 401, 'UNAUTHORIZED');
    const unknown = assertError(await login(t, BASE, { username: 'nobody', password: AGENT.password }), 401, 'UNAUTHORIZED');
    // Same wording either way, so the answer does not reveal which login names exist.
    assert.equal(wrong.error.message, unknown.error.message);
    assert.equal(wrong.error.internalCode, unknown.error.internalCode);
    // Login names are per account: the agent does not exist in an unknown account.
    assertError(await login(t, '/api/account/99999999', { username: AGENT.loginName, password: AGENT.password }), 401, 'UNAUTHORIZED');
  });
});

test('login without username or password answers 400', async () => {
  await withApp({}, async (t) => {
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
  });
});

test('logout invalidates the bearer; other bearers of the agent stay valid', async () => {
  await withApp({}, async (t) => {
    const a = await loginNatalie(t);
    const b = await loginNatalie(t);
    const s = await startSession(t, BASE, a.bearer);
    assert.equal(s.statusCode, 201);
    const sessionPath = new URL(String(s.headers.location)).pathname;

    const out = await logout(t, a.csrf, a.bearer);
    assert.equal(out.statusCode, 200);

    assertError(await startSession(t, BASE, a.bearer), 401, 'UNAUTHORIZED');
    assertError(await t.inject({ method: 'GET', url: `${sessionPath}/availability.json`, headers: bearerAuth(a.bearer) }), 401, 'UNAUTHORIZED');
    // Logging out twice, or without a bearer, is refused.
    assertError(await logout(t, a.csrf, a.bearer), 401, 'UNAUTHORIZED');
    assertError(await logout(t, a.csrf), 401, 'UNAUTHORIZED');
    // The other login is untouched.
    assert.equal((await startSession(t, BASE, b.bearer)).statusCode, 201);
  });
});

test('a bearer lasts sessionTTl and no longer', async () => {
  await withApp({}, async (t) => {
    const a = await loginNatalie(t);
    await t.tick(Number(a.sessionTTl) - 1);
    assert.equal((await startSession(t, BASE, a.bearer)).statusCode, 201);
    await t.tick(1);
    assertError(await startSession(t, BASE, a.bearer), 401, 'UNAUTHORIZED');
  });
});

test("a bearer of one account is rejected on another account", async () => {
  await withApp({ provisioning: twoAccounts }, async (t) => {
    const bob = await login(t, OTHER_BASE, { username: BOB.loginName, password: BOB.password });
    assert.equal(bob.statusCode, 200, bob.body);
    const bobBearer = (bob.json() as LoginBody).bearer;
    const nat = await loginNatalie(t);

    // Each bearer works on its own account...
    assert.equal((await startSession(t, OTHER_BASE, bobBearer)).statusCode, 201);
    assert.equal((await startSession(t, BASE, nat.bearer)).statusCode, 201);
    // ...and on no other.
    assertError(await startSession(t, BASE, bobBearer), 401, 'UNAUTHORIZED');
    assertError(await startSession(t, OTHER_BASE, nat.bearer), 401, 'UNAUTHORIZED');
    // A session of one account cannot be reached with the other account's bearer either.
    const natSession = new URL(String((await startSession(t, BASE, nat.bearer)).headers.location)).pathname;
    assertError(await t.inject({ method: 'GET', url: `${natSession}.json`, headers: bearerAuth(bobBearer) }), 401, 'UNAUTHORIZED');
    // Logins are per account: Bob does not exist in the demo account.
    assertError(await login(t, BASE, { username: BOB.loginName, password: BOB.password }), 401, 'UNAUTHORIZED');
  });
});
