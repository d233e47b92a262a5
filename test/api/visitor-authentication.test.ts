// Visitor Authentication request (spec §4.7b): POST /conversation.json answers the
// participantId and conversationId an authenticated visitor then passes to Start Chat.
// (Verification of the ssoKey itself: visitor-sso.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoProvisioning } from '../../src/provisioning/provisioning.ts';
import { ACCOUNT, BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { makeIdp, trusting } from '../helpers/sso.ts';
import { FORMATS } from '../helpers/wire.ts';

const idp = await makeIdp();
const OPTS = { provisioning: trusting(demoProvisioning, idp) };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The doc's example body. */
const EXAMPLE = { authChatConnId: 568046210, ssoKey: 'k12197', engagementId: 567609310, LETagContextId: '2', LETagSessionId: '90o5l5twRUGu1rN7bzwNMA', LETagVisitorId: 'RiM2JlOTcwOGIxZmNiNTk4' };

/** The example with an ssoKey the account's identity provider signed. */
async function example(t: TestApp): Promise<typeof EXAMPLE> {
  return { ...EXAMPLE, ssoKey: await idp.token(t.clock.now()) };
}

interface Ids {
  participantId: string;
  conversationId: string;
}

test('the doc example: 200, exactly application/json, two fresh GUIDs; Start Chat carries them into the info', async () => {
  await withApp(OPTS, async (t) => {
    const res = await t.inject({ method: 'POST', url: `${BASE}/conversation.json?v=1&NC=true`, headers: KEY_HEADER, payload: await example(t) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/json');
    const ids = res.json() as Ids;
    assert.deepEqual(Object.keys(ids).sort(), ['conversationId', 'participantId']);
    assert.match(ids.participantId, GUID);
    assert.match(ids.conversationId, GUID);
    assert.notEqual(ids.participantId, ids.conversationId);
    const again = (await t.inject({ method: 'POST', url: `${BASE}/conversation.json`, headers: KEY_HEADER, payload: await example(t) })).json() as Ids;
    assert.notEqual(again.conversationId, ids.conversationId, 'every authentication opens a new conversation');

    const chat = await startChat(t, { skill: 'Sales', ...ids });
    const info = (await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).json() as { info: { participantId?: string } };
    assert.equal(info.info.participantId, ids.participantId);
  });
});

test('numbers as strings, the appKey query parameter and redirectUri are accepted', async () => {
  await withApp(OPTS, async (t) => {
    const res = await t.inject({
      method: 'POST',
      url: `${BASE}/conversation.json?v=1&NC=true&appKey=721c180b09eb463d9f3191c41762bb68`,
      payload: { ...(await example(t)), authChatConnId: '568046210', engagementId: '567609310', redirectUri: 'https://brand.example/callback' },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match((res.json() as Ids).participantId, GUID);
  });
});

for (const fmt of FORMATS) {
  test(`${fmt} client: the answer and its errors stay JSON (the vendor's path is conversation.json)`, async () => {
    await withApp(OPTS, async (t) => {
      const accept = fmt === 'xml' ? 'application/xml' : 'application/json';
      const ok = await t.inject({ method: 'POST', url: `${BASE}/conversation`, headers: { ...KEY_HEADER, accept }, payload: await example(t) });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.headers['content-type'], 'application/json');
      assert.match((ok.json() as Ids).conversationId, GUID);

      const bad = await t.inject({ method: 'POST', url: `${BASE}/conversation`, headers: { ...KEY_HEADER, accept }, payload: { ...EXAMPLE, ssoKey: '' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers['content-type'], 'application/json');
      assert.equal((bad.json() as { error: { reason: string } }).error.reason, 'BAD_REQUEST');
    });
  });
}

test('bad bodies answer 400, a missing or foreign app key 401; nothing is stored', async () => {
  await withApp(OPTS, async (t) => {
    const { ssoKey: _omit, ...noKey } = EXAMPLE;
    const bodies: unknown[] = [
      noKey,
      { ...EXAMPLE, ssoKey: 'x'.repeat(8001) },
      { ...EXAMPLE, authChatConnId: 'abc' },
      { ...EXAMPLE, engagementId: -1 },
      { ...EXAMPLE, LETagSessionId: 'x'.repeat(201) },
      '<conversation><ssoKey>k</ssoKey></conversation>',
      '{"ssoKey":',
    ];
    for (const payload of bodies) {
      const res = await t.inject({ method: 'POST', url: `${BASE}/conversation.json`, headers: KEY_HEADER, payload: payload as string });
      assert.equal(res.statusCode, 400, `${JSON.stringify(payload).slice(0, 80)}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/json');
    }
    const none = await t.inject({ method: 'POST', url: `${BASE}/conversation.json`, payload: EXAMPLE });
    assert.equal(none.statusCode, 401);
    const other = await t.inject({ method: 'POST', url: '/api/account/99999999/conversation.json', headers: KEY_HEADER, payload: EXAMPLE });
    assert.equal(other.statusCode, 401);
    const get = await t.inject({ method: 'GET', url: `${BASE}/conversation.json`, headers: KEY_HEADER });
    // A known path, another method: 405 with what it takes (docs/errors.md).
    assert.equal(get.statusCode, 405);
    assert.equal(get.headers.allow, 'POST');
    assert.deepEqual(await t.store.listWaitingChats(ACCOUNT), []);
  });
});
