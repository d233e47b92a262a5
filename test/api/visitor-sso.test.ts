// Authenticated visitors (spec §4.7b, §1.2; agent API §4.24): the ssoKey is verified against
// the account's identity provider — a key pair this test generates — and only then does a
// participantId exist; Start Chat refuses one nobody verified; visitor bearer tokens.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { acceptNext, agentOnline, BASE, KEY_HEADER, locationPath, withApp, type TestApp } from '../helpers/app.ts';
import { assertErr } from '../helpers/agents.ts';
import { authenticated, AUDIENCE, ISSUER, makeIdp, SDES, trusting } from '../helpers/sso.ts';
import { FORMATS, obj, read, type Fmt, type XNode } from '../helpers/wire.ts';

const idp = await makeIdp('RS256');
const forger = await makeIdp('RS256');
const OPTS = { provisioning: trusting(demoProvisioning, idp) };
const dir = mkdtempSync(join(tmpdir(), 'serverchat-sso-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function conversation(t: TestApp, ssoKey: string) {
  return t.inject({ method: 'POST', url: `${BASE}/conversation.json?v=1&NC=true`, headers: KEY_HEADER, payload: { ssoKey, engagementId: 1 } });
}

function message(res: { body: string }): string {
  return (JSON.parse(res.body) as { error: { message: string } }).error.message;
}

function chatRequest(t: TestApp, fmt: Fmt, request: Record<string, string>) {
  const xml = `<request><skill>Sales</skill>${Object.entries(request).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</request>`;
  return t.inject({
    method: 'POST',
    url: `${BASE}/chat/request${fmt === 'xml' ? '' : '.json'}`,
    headers: { ...KEY_HEADER, accept: fmt === 'xml' ? 'application/xml' : 'application/json', 'content-type': fmt === 'xml' ? 'application/xml; charset=UTF-8' : 'application/json' },
    payload: fmt === 'xml' ? xml : JSON.stringify({ request: { skill: 'Sales', ...request } }),
  });
}

test('a valid token: the participant it names carries its SDEs to the agent, in JSON and XML', async () => {
  await withApp(OPTS, async (t) => {
    const ids = await authenticated(t, idp, SDES);
    const agent = await agentOnline(t);
    for (const fmt of FORMATS) {
      const res = await chatRequest(t, fmt, { ...ids });
      assert.equal(res.statusCode, 201, res.body);
    }
    await acceptNext(t, agent);
    for (const fmt of FORMATS) {
      const res = await t.inject({ method: 'GET', url: `${agent.session}/participantExtendedInfo/${ids.participantId}${fmt === 'json' ? '.json' : ''}`, headers: { ...agent.auth, accept: `application/${fmt}` } });
      assert.equal(res.statusCode, 200, res.body);
      const doc = read<XNode>(res, fmt);
      const root = fmt === 'json' ? doc : obj(doc.participantExtendedInfo);
      const info = obj(root.authenticatedParticipantInfo);
      assert.equal(String(info.isUserAuthenticated), 'true');
      assert.equal(info.customerId, 'cust-138766AC');
      assert.equal(info.role, 'broker');
      assert.equal(obj(root.authenticatedPersonalInfo).surname, 'Doe');
    }
  });
});

test('a token without SDEs: customerId is its subject, and no personal info', async () => {
  await withApp(OPTS, async (t) => {
    const ids = await authenticated(t, idp, { sub: 'brand-user-42' });
    const agent = await agentOnline(t);
    assert.equal((await chatRequest(t, 'json', { ...ids })).statusCode, 201);
    await acceptNext(t, agent);
    const res = await t.inject({ method: 'GET', url: `${agent.session}/participantExtendedInfo/${ids.participantId}.json`, headers: agent.auth });
    assert.deepEqual(res.json(), { authenticatedParticipantInfo: { isUserAuthenticated: true, participantId: ids.participantId, customerId: 'brand-user-42' } });
  });
});

test('forged, expired, wrong-audience, wrong-issuer, expiry-less and malformed tokens are 401 saying why; nothing is issued', async () => {
  await withApp(OPTS, async (t) => {
    const now = t.clock.now();
    const cases: Array<[string, string, RegExp]> = [
      ['forged', await forger.token(now, SDES), /signature/],
      ['expired', await idp.token(now - 3_600_000, SDES, { expiresIn: 60 }), /expired/],
      ['wrong audience', await idp.token(now, SDES, { audience: 'someone-else' }), /"aud"/],
      ['wrong issuer', await idp.token(now, SDES, { issuer: 'https://evil.example' }), /"iss"/],
      ['no expiry', await idp.token(now, SDES, { noExp: true }), /"exp"/],
      ['not a JWT', 'k12197', /not a valid JWT/],
      // alg "none": the signature part empty.
      ['unsigned', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: now / 1000 + 60 })).toString('base64url')}.`, /./],
    ];
    for (const [what, token, why] of cases) {
      const res = await conversation(t, token);
      assert.equal(res.statusCode, 401, `${what}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal((res.json() as { error: { internalCode: number } }).error.internalCode, 14, what);
      assert.match(message(res), why, what);
    }
  });
});

test('an account without an identity provider verifies nobody', async () => {
  await withApp({}, async (t) => {
    const res = await conversation(t, await idp.token(t.clock.now()));
    assert.equal(res.statusCode, 401);
    assert.match(message(res), /no identity provider/);
  });
});

for (const fmt of FORMATS) {
  test(`[${fmt}] Start Chat refuses a participantId no verified conversation issued, a wrong conversationId, an expired one`, async () => {
    await withApp(OPTS, async (t) => {
      // Spoofed: a well-formed GUID nobody issued.
      assertErr(await chatRequest(t, fmt, { participantId: '5f2a7c3e-8d3b-4c1a-9a55-0123456789ab' }), fmt, 401, 15);
      const ids = await authenticated(t, idp);
      assertErr(await chatRequest(t, fmt, { participantId: ids.participantId, conversationId: 'ff0ff4f4-0000-0000-0000-000000000000' }), fmt, 401, 15);
      assert.deepEqual(await t.store.listWaitingChats('12345678'), []);
      // The token lived 600 s: past it, the participantId is refused too.
      await t.tick(601_000);
      assertErr(await chatRequest(t, fmt, { ...ids }), fmt, 401, 15);
      assert.deepEqual(await t.store.listWaitingChats('12345678'), []);
    });
  });
}

test('a JWKS file (ES256): verified by the key the token names', async () => {
  const es = await makeIdp('ES256');
  const file = join(dir, 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys: [forger.publicJwk, es.publicJwk] }));
  const parsed = parseProvisioning({ accounts: [{ id: '12345678', appKeys: ['721c180b09eb463d9f3191c41762bb68'], skills: [{ id: 1, name: 'Sales' }], identityProvider: { issuer: ISSUER, audience: AUDIENCE, jwksFile: 'jwks.json' } }] }, { baseDir: dir });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const provisioning = (parsed as { value: Provisioning }).value;
  assert.deepEqual(provisioning.accounts[0]?.identityProvider?.algorithms.sort(), ['ES256', 'RS256']);
  await withApp({ provisioning }, async (t) => {
    assert.equal((await conversation(t, await es.token(t.clock.now()))).statusCode, 200);
    assert.equal((await conversation(t, await forger.token(t.clock.now()))).statusCode, 200, 'the other key of the set');
    const res = await conversation(t, await idp.token(t.clock.now()));
    assert.equal(res.statusCode, 401);
    assert.match(message(res), /JWKS|signature/);
  });
});

test('visitor bearer tokens: a provisioned one or a verified JWT opens the visitor API; others are 401 (JSON and XML)', async () => {
  const token = 'visitor-token-0123456789abcdef';
  const parsed = parseProvisioning({ accounts: [{ id: '12345678', appKeys: ['721c180b09eb463d9f3191c41762bb68'], skills: [{ id: 1, name: 'Sales' }], visitorTokens: [token] }] });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const account = { ...(parsed as { value: Provisioning }).value.accounts[0], identityProvider: idp.provider } as Provisioning['accounts'][number];
  assert.ok(!JSON.stringify(account).includes(token), 'only the hash is kept');
  await withApp({ provisioning: { accounts: [account] } }, async (t) => {
    const jwt = await idp.token(t.clock.now());
    for (const bearer of [token, jwt]) {
      const res = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: { authorization: `Bearer ${bearer}` } });
      assert.equal(res.statusCode, 200, res.body);
      const chat = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers: { authorization: `Bearer ${bearer}` }, payload: { request: { skill: 'Sales' } } });
      assert.equal(chat.statusCode, 201, chat.body);
      const info = await t.inject({ method: 'GET', url: `${locationPath(chat)}/info.json`, headers: { authorization: `Bearer ${bearer}` } });
      assert.equal(info.statusCode, 200);
    }
    const forged = await forger.token(t.clock.now());
    for (const fmt of FORMATS) {
      for (const bearer of ['visitor-token-0123456789abcdeX', forged, 'x']) {
        const res = await t.inject({ method: 'GET', url: `${BASE}/chat/availability`, headers: { authorization: `Bearer ${bearer}`, accept: `application/${fmt}` } });
        assertErr(res, fmt, 401, 10);
      }
      // Another account's visitor token opens nothing here.
      const other = await t.inject({ method: 'GET', url: '/api/account/99999999/chat/availability', headers: { authorization: `Bearer ${token}`, accept: `application/${fmt}` } });
      assertErr(other, fmt, 401, 10);
    }
  });
});

test('provisioning lists every problem of identityProvider and visitorTokens', () => {
  writeFileSync(join(dir, 'private.json'), JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'c' }] }));
  writeFileSync(join(dir, 'notjson.json'), 'secret text');
  const base = { id: 'A1', appKeys: ['k'], skills: [] };
  const cases: Array<[unknown, RegExp]> = [
    [{ ...base, identityProvider: 'x' }, /identityProvider: must be an object/],
    [{ ...base, identityProvider: { audience: 'a', publicKey: idp.publicPem } }, /identityProvider\.issuer/],
    [{ ...base, identityProvider: { issuer: 'i', publicKey: idp.publicPem } }, /identityProvider\.audience/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a' } }, /exactly one of "publicKey"/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: idp.publicPem, jwksFile: 'x' } }, /exactly one of "publicKey"/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: '-----BEGIN PRIVATE KEY-----' } }, /never a private key/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' } }, /not a readable PEM/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: idp.publicPem, algorithms: ['ES256'] } }, /no key given verifies ES256/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: idp.publicPem, algorithms: ['HS256'] } }, /algorithms: must be/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', jwksFile: 'missing.json' } }, /cannot be read \(ENOENT\)/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', jwksFile: 'notjson.json' } }, /is not a JSON file/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', jwksFile: 'private.json' } }, /private key/],
    [{ ...base, identityProvider: { issuer: 'i', audience: 'a', publicKey: idp.publicPem, jwks: {} } }, /identityProvider\.jwks: unknown field/],
    [{ ...base, visitorTokens: ['short'] }, /visitorTokens: must be/],
    [{ ...base, visitorTokens: ['a'.repeat(20), 'a'.repeat(20)] }, /appears twice/],
  ];
  for (const [account, problem] of cases) {
    const parsed = parseProvisioning({ accounts: [account] }, { baseDir: dir });
    assert.equal(parsed.ok, false, JSON.stringify(account).slice(0, 100));
    const problems = (parsed as { problems: string[] }).problems;
    assert.ok(problems.some((p) => problem.test(p)), `${problem}: ${problems.join(' | ')}`);
    assert.ok(!problems.join(' ').includes('secret text'), 'a file is never echoed');
  }
  // Several at once: every one listed.
  const many = parseProvisioning({ accounts: [{ ...base, identityProvider: { audience: 7 }, visitorTokens: 'x' }] }, { baseDir: dir });
  assert.ok(!many.ok && many.problems.length >= 4, JSON.stringify(many));
});
