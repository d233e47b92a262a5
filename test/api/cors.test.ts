// CORS (docs/compatibility.md "Cross-origin browsers"): preflights for the headers real
// clients send, Location exposed, origins per account and side, never credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { agentOnline, BASE, KEY_HEADER, withApp } from '../helpers/app.ts';
import { FORMATS } from '../helpers/wire.ts';

const SHOP = 'https://shop.example';
const DESK = 'https://desk.example:8443';
const restricted: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, allowedOrigins: { visitor: [SHOP], agent: [DESK] } })),
};
const preflight = (url: string, origin: string, method = 'POST') => ({
  method: 'OPTIONS' as const,
  url,
  headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type,x-http-method-override,x-requested-with' },
});

test('visitor API, default: any origin — preflight allows the four headers, answers carry "*" and expose Location, never credentials', async () => {
  await withApp({}, async (t) => {
    const pre = await t.inject(preflight(`${BASE}/chat/request.json?v=1`, 'https://anywhere.example'));
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    for (const h of ['Authorization', 'Content-Type', 'X-HTTP-Method-Override', 'X-Requested-With']) assert.ok(String(pre.headers['access-control-allow-headers']).includes(h), h);
    assert.match(String(pre.headers['access-control-allow-methods']), /POST/);
    assert.match(String(pre.headers['access-control-allow-methods']), /PUT/);
    assert.equal(pre.headers['access-control-allow-credentials'], undefined);
    for (const fmt of FORMATS) {
      const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.${fmt}?v=1`, headers: { ...KEY_HEADER, origin: 'https://anywhere.example' }, payload: { request: { skill: 'Sales' } } });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['access-control-expose-headers'], 'Location');
      assert.equal(res.headers['access-control-allow-credentials'], undefined);
      assert.ok(res.headers.location);
      // An error is readable cross-origin too, in the format asked for.
      const bad = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.${fmt}`, headers: { origin: 'https://anywhere.example' } });
      assert.equal(bad.statusCode, 401);
      assert.equal(bad.headers['access-control-allow-origin'], '*');
    }
    // The Domain API and the account root are visitor-side too.
    const lookup = await t.inject({ method: 'GET', url: `/api/account/12345678/service/conversationVep/baseURI.json`, headers: { origin: 'https://anywhere.example' } });
    assert.equal(lookup.headers['access-control-allow-origin'], '*');
    // No Origin, no CORS headers.
    const plain = await t.inject({ method: 'GET', url: `${BASE}.json`, headers: KEY_HEADER });
    assert.equal(plain.headers['access-control-allow-origin'], undefined);
  });
});

test('agent API, default: no origin — preflight and answers carry no CORS headers (login included)', async () => {
  await withApp({}, async (t) => {
    const pre = await t.inject(preflight(`${BASE}/login?v=1.3`, 'https://anywhere.example'));
    assert.equal(pre.statusCode, 204);
    assert.equal(pre.headers['access-control-allow-origin'], undefined);
    assert.equal(pre.headers['access-control-allow-headers'], undefined);
    const agent = await agentOnline(t);
    for (const fmt of FORMATS) {
      const res = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.${fmt}`, headers: { ...agent.auth, origin: 'https://anywhere.example' } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    }
  });
});

test('origins provisioned per account and side: only those, echoed exactly, with Vary: Origin', async () => {
  await withApp({ provisioning: restricted }, async (t) => {
    const shop = await t.inject(preflight(`${BASE}/chat/request`, SHOP));
    assert.equal(shop.headers['access-control-allow-origin'], SHOP);
    assert.match(String(shop.headers.vary), /Origin/);
    const evil = await t.inject({ method: 'GET', url: `${BASE}.json`, headers: { ...KEY_HEADER, origin: 'https://evil.example' } });
    assert.equal(evil.statusCode, 200);
    assert.equal(evil.headers['access-control-allow-origin'], undefined);
    // The shop may not call the agent API; the desk may, and not the visitor API.
    assert.equal((await t.inject(preflight(`${BASE}/login`, SHOP))).headers['access-control-allow-origin'], undefined);
    const desk = await t.inject(preflight(`${BASE}/agentSession/abc/availability.json`, DESK, 'POST'));
    assert.equal(desk.headers['access-control-allow-origin'], DESK);
    assert.equal(desk.headers['access-control-allow-credentials'], undefined);
    const login = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, headers: { origin: DESK }, payload: { username: 'natalie', password: 'secret' } });
    assert.equal(login.statusCode, 200);
    assert.equal(login.headers['access-control-allow-origin'], DESK);
    assert.equal(login.headers['access-control-allow-credentials'], undefined);
    assert.equal((await t.inject(preflight(`${BASE}/chat/request`, DESK))).headers['access-control-allow-origin'], undefined);
  });
});

test('provisioning: allowedOrigins is checked', () => {
  const base = demoProvisioning.accounts[0];
  const bad = parseProvisioning({ accounts: [{ ...base, allowedOrigins: { visitor: ['shop.example'], agent: 'x', other: [] } }] });
  assert.equal(bad.ok, false);
  const problems = bad.ok ? [] : bad.problems;
  assert.ok(problems.some((p) => p.includes('allowedOrigins.visitor')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('allowedOrigins.agent')), problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('allowedOrigins.other')), problems.join('\n'));
  const good = parseProvisioning({ accounts: [{ ...base, allowedOrigins: { agent: ['HTTPS://Desk.Example:8443'] } }] });
  assert.ok(good.ok);
  assert.deepEqual(good.value.accounts[0]?.allowedOrigins, { visitor: ['*'], agent: ['https://desk.example:8443'] });
});
