// Login Service API (agent API §1.2) beyond user login: the Session_id cookie, Refresh,
// Logout in the csrf + cookie form, application login with an app key, the login fields
// of the spec's table, and expired logins purged. The service is JSON-only: asked for XML
// it still answers JSON.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { AGENT, BASE, withApp, type TestApp } from '../helpers/app.ts';
import { BOB, directoryProvisioning, OTHER_BASE } from '../helpers/agents.ts';
import { FORMATS } from '../helpers/wire.ts';

const TTL = 28_800_000;
const BOT = { id: 99, name: 'Botty', loginName: 'bot', password: 'botpass' };
const APP = { appKey: 'a1b2c3', secret: 's3cr3t', accessToken: 'at-1', accessTokenSecret: 'ats-1' };
const withBot: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, agents: [...a.agents, { ...BOT, skills: [], maxChats: 2, profile: { appLogin: APP } }] })),
};

interface Login {
  bearer: string;
  csrf: string;
  cookie: string;
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

async function login(t: TestApp, payload: Record<string, unknown> = { username: AGENT.loginName, password: AGENT.password }, base = BASE): Promise<Login> {
  const res = await t.inject({ method: 'POST', url: `${base}/login?v=1.3`, payload });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json() as { bearer: string; csrf: string };
  const set = String(res.headers['set-cookie']);
  const m = /^Session_id=([^;]+);/.exec(set);
  assert.ok(m, set);
  return { ...body, cookie: `Session_id=${m[1]}` };
}

const post = (t: TestApp, what: 'refresh' | 'logout', headers: Record<string, string>, payload?: Record<string, unknown>, base = BASE): Promise<LightMyRequestResponse> =>
  t.inject({ method: 'POST', url: `${base}/${what}`, headers, ...(payload ? { payload } : {}) });

const session = (t: TestApp, bearer: string, base = BASE): Promise<LightMyRequestResponse> =>
  t.inject({ method: 'POST', url: `${base}/agentSession.json`, headers: { authorization: `Bearer ${bearer}` }, payload: {} });

function assertJsonError(res: LightMyRequestResponse, status: number, internalCode: number): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  const e = (res.json() as { error: { internalCode: number; responseStatus: string; message: string } }).error;
  assert.equal(e.internalCode, internalCode, res.body);
  assert.ok(e.message.length > 0);
}

test('login answers every field of the spec table, and a Session_id cookie', async () => {
  await withApp({ provisioning: directoryProvisioning }, async (t) => {
    const res = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload: { username: 'tom', password: 'tompass' } });
    assert.equal(res.statusCode, 200, res.body);
    const b = res.json() as Record<string, unknown> & { config: Record<string, unknown>; accountData: { agentGroupsData: { items: unknown[]; revision: number } } };
    assert.deepEqual(Object.keys(b), ['csrf', 'wsuk', 'config', 'csdsCollectionResponse', 'accountData', 'sessionTTl', 'bearer']);
    assert.deepEqual(Object.keys(b.config), ['loginName', 'userId', 'userPrivileges', 'serverCurrentTime', 'timeDiff', 'serverTimeZoneName', 'serverTimeGMTDiff', 'isLPA', 'isAdmin', 'accountTimeZoneId']);
    // Tom is provisioned in the "administrators" privilege group.
    assert.equal(b.config.isAdmin, true);
    assert.equal(typeof b.config.serverTimeGMTDiff, 'number');
    assert.deepEqual(b.accountData.agentGroupsData.items, [{ id: -1, deleted: false, name: 'Main Group' }]);
    assert.equal(b.sessionTTl, String(TTL));
    const cookie = String(res.headers['set-cookie']);
    assert.match(cookie, /^Session_id=[^;]+; Path=\/api\/account\/12345678; Max-Age=28800; HttpOnly; SameSite=Strict$/);
  });
});

for (const fmt of FORMATS) {
  test(`[${fmt}] the Login Service answers JSON even when XML is asked for`, async () => {
    await withApp({}, async (t) => {
      const accept = fmt === 'xml' ? { accept: 'application/xml' } : { accept: 'application/json' };
      const ok = await t.inject({ method: 'POST', url: `${BASE}/login`, headers: accept, payload: { username: AGENT.loginName, password: AGENT.password } });
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['content-type'], 'application/json');
      const bad = await t.inject({ method: 'POST', url: `${BASE}/login`, headers: accept, payload: { username: AGENT.loginName } });
      assertJsonError(bad, 400, 401);
      const { csrf } = ok.json() as Login;
      assertJsonError(await t.inject({ method: 'POST', url: `${BASE}/refresh`, headers: accept, payload: { csrf } }), 401, 12);
    });
  });
}

test('refresh with the cookie and csrf keeps the login alive another sessionTTl', async () => {
  await withApp({}, async (t) => {
    const l = await login(t);
    await t.tick(TTL - 1000);
    const r = await post(t, 'refresh', { cookie: l.cookie }, { csrf: l.csrf });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.body, '');
    assert.match(String(r.headers['set-cookie']), /Max-Age=28800;/);
    await t.tick(TTL - 1);
    assert.equal((await session(t, l.bearer)).statusCode, 201);
    // The bearer form refreshes too (no body needed).
    assert.equal((await post(t, 'refresh', { authorization: `Bearer ${l.bearer}` })).statusCode, 200);
    await t.tick(TTL);
    assertJsonError(await session(t, l.bearer), 401, 12);
    // An expired login cannot be refreshed back to life.
    assertJsonError(await post(t, 'refresh', { cookie: l.cookie }, { csrf: l.csrf }), 401, 12);
  });
});

test('refresh and logout refuse a wrong or missing csrf, and leave the login as it was', async () => {
  await withApp({}, async (t) => {
    const l = await login(t);
    for (const what of ['refresh', 'logout'] as const) {
      const wrong = await post(t, what, { cookie: l.cookie }, { csrf: 'not-it' });
      assertJsonError(wrong, 401, 10);
      // The body the Login Service's page prints (agent spec §1.2): these four keys, this time form.
      const e = (wrong.json() as { error: Record<string, unknown> }).error;
      assert.deepEqual(Object.keys(e), ['time', 'message', 'internalCode', 'responseStatus']);
      assert.match(String(e.message), /^CSRF token invalid! \S/);
      assert.match(String(e.time), /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4} \d{1,2}:\d\d:\d\d (AM|PM)$/);
      assert.equal(e.responseStatus, 'UNAUTHORIZED');
      // The cookie form needs the csrf; the bearer form checks it when given.
      assertJsonError(await post(t, what, { cookie: l.cookie }, {}), 401, 10);
      assertJsonError(await post(t, what, { cookie: l.cookie }), 401, 10);
      assertJsonError(await post(t, what, { authorization: `Bearer ${l.bearer}` }, { csrf: 'nope' }), 401, 10);
      // No credential at all, or a forged one.
      assertJsonError(await post(t, what, {}, { csrf: l.csrf }), 401, 12);
      assertJsonError(await post(t, what, { cookie: 'Session_id=forged' }, { csrf: l.csrf }), 401, 12);
      assertJsonError(await post(t, what, { cookie: 'Session_id=%E0%A4%A' }, { csrf: l.csrf }), 401, 12);
      assertJsonError(await post(t, what, { cookie: 'Session_id=%E0%A4' }, { csrf: l.csrf }), 401, 12);
      assertJsonError(await post(t, what, { cookie: l.cookie }, { csrf: 5 }), 401, 10);
      assertJsonError(await post(t, what, { cookie: l.cookie }, { csrf: 'x'.repeat(201) }), 400, 401);
    }
    // None of that ended or extended the login.
    assert.equal((await session(t, l.bearer)).statusCode, 201);
    await t.tick(TTL);
    assertJsonError(await session(t, l.bearer), 401, 12);
  });
});

test('logout in the csrf + cookie form ends that login only and clears the cookie', async () => {
  await withApp({}, async (t) => {
    const a = await login(t);
    const b = await login(t);
    const out = await post(t, 'logout', { cookie: `other=1; ${a.cookie}; x=y` }, { csrf: a.csrf });
    assert.equal(out.statusCode, 200, out.body);
    assert.equal(out.body, '');
    assert.match(String(out.headers['set-cookie']), /^Session_id=; Path=\/api\/account\/12345678; Max-Age=0;/);
    assertJsonError(await session(t, a.bearer), 401, 12);
    assertJsonError(await post(t, 'logout', { cookie: a.cookie }, { csrf: a.csrf }), 401, 12);
    assertJsonError(await post(t, 'refresh', { cookie: a.cookie }, { csrf: a.csrf }), 401, 12);
    // b's csrf does not open a's cookie, and b still works.
    assert.equal((await session(t, b.bearer)).statusCode, 201);
  });
});

test("a login's cookie and bearer work on its own account only", async () => {
  await withApp({ provisioning: directoryProvisioning }, async (t) => {
    const nat = await login(t);
    const bob = await login(t, { username: BOB.loginName, password: BOB.password }, OTHER_BASE);
    assertJsonError(await post(t, 'refresh', { cookie: bob.cookie }, { csrf: bob.csrf }), 401, 12);
    assertJsonError(await post(t, 'logout', { cookie: nat.cookie }, { csrf: nat.csrf }, OTHER_BASE), 401, 12);
    assertJsonError(await post(t, 'logout', { authorization: `Bearer ${bob.bearer}` }, undefined), 401, 12);
    // Both still alive.
    assert.equal((await session(t, nat.bearer)).statusCode, 201);
    assert.equal((await session(t, bob.bearer, OTHER_BASE)).statusCode, 201);
  });
});

test('application login with the bot user\'s app key and tokens gives a working bearer', async () => {
  await withApp({ provisioning: withBot }, async (t) => {
    const l = await login(t, { username: BOT.loginName, ...APP });
    assert.equal((await session(t, l.bearer)).statusCode, 201);
    // The bot may still log in with its password.
    await login(t, { username: BOT.loginName, password: BOT.password });
    const refused: Array<Record<string, unknown>> = [
      { username: BOT.loginName, ...APP, appKey: 'wrong' },
      { username: BOT.loginName, ...APP, secret: 'wrong' },
      { username: BOT.loginName, ...APP, accessToken: 'wrong' },
      { username: BOT.loginName, ...APP, accessTokenSecret: 'wrong' },
      // A user without application credentials, and an unknown user.
      { username: AGENT.loginName, ...APP },
      { username: 'ghost', ...APP },
    ];
    const bodies = new Set<string>();
    for (const payload of refused) {
      const res = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload });
      assertJsonError(res, 401, 11);
      bodies.add((res.json() as { error: { message: string } }).error.message);
    }
    assert.equal(bodies.size, 1, 'every refusal reads the same');
    // Missing one of the four fields (and no password) is a bad body.
    for (const k of Object.keys(APP)) {
      const partial: Record<string, unknown> = { username: BOT.loginName, ...APP };
      delete partial[k];
      assertJsonError(await t.inject({ method: 'POST', url: `${BASE}/login`, payload: partial }), 400, 401);
    }
    assertJsonError(await t.inject({ method: 'POST', url: `${BASE}/login`, payload: { username: BOT.loginName, ...APP, secret: '' } }), 400, 401);
    // Application credentials are stored hashed: nothing of them in the agent record but the key.
    const stored = JSON.stringify(await t.store.findAgentByLogin('12345678', BOT.loginName));
    for (const v of [APP.secret, APP.accessToken, APP.accessTokenSecret]) assert.ok(!stored.includes(v));
  });
});

test('expired logins stop working and are purged from the store', async () => {
  await withApp({}, async (t) => {
    const old = await login(t);
    const other = await login(t);
    await t.tick(TTL);
    // Still stored until something sweeps: the refused request deletes the one it saw...
    assert.ok(await t.store.getLoginToken(sha(old.bearer)));
    assertJsonError(await session(t, old.bearer), 401, 12);
    assert.equal(await t.store.getLoginToken(sha(old.bearer)), null);
    // ...and the next login purges every expired one.
    assert.ok(await t.store.getLoginToken(sha(other.bearer)));
    const fresh = await login(t);
    assert.equal(await t.store.getLoginToken(sha(other.bearer)), null);
    assert.ok(await t.store.getLoginToken(sha(fresh.bearer)));
  });
});
