// The old XML agent client (agent spec §1.1): app key in Authorization, the `agent-session`
// link from the account root, <loginData> with user name and password posted to it (201 +
// Location), and from then on the app key and the Session_id cookie the login set.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENT, BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { list, obj, parseXml } from '../helpers/wire.ts';

const XML = { ...KEY_HEADER, accept: 'application/xml', 'content-type': 'application/xml; charset=UTF-8' };

function loginData(userName: string, password: string): string {
  return `<loginData><userName>${userName}</userName><password>${password}</password></loginData>`;
}

async function agentSessionHref(t: TestApp): Promise<string> {
  const root = await t.inject({ method: 'GET', url: `${BASE}?v=1`, headers: XML });
  assert.equal(root.statusCode, 200, root.body);
  const link = list(obj(parseXml(root.body).account).link).find((l) => l['@rel'] === 'agent-session');
  assert.ok(link, root.body);
  return new URL(String(link['@href'])).pathname;
}

test('the XML client logs in with <loginData> on Start Agent Session and works on with its app key and cookie', async () => {
  await withApp({}, async (t) => {
    const href = await agentSessionHref(t);
    const res = await t.inject({ method: 'POST', url: `${href}?v=1&NC=true`, headers: XML, payload: loginData(AGENT.loginName, AGENT.password) });
    assert.equal(res.statusCode, 201, res.body);
    const location = String(res.headers.location);
    assert.match(location, new RegExp(`${BASE}/agentSession/[^/]+$`));
    assert.equal(obj(obj(parseXml(res.body).agentSessionLocation).link)['@href'], location);
    const cookie = String(res.headers['set-cookie']).split(';')[0] as string;
    assert.match(cookie, /^Session_id=./);
    const session = new URL(location).pathname;
    const headers = { ...XML, cookie };
    // It sets availability and takes a chat, as the sample flow does.
    const online = await t.inject({ method: 'POST', url: `${session}/availability`, headers: { ...headers, 'x-http-method-override': 'PUT' }, payload: '<availability><chat>Online</chat></availability>' });
    assert.equal(online.statusCode, 200, online.body);
    await startChat(t);
    const accept = await t.inject({ method: 'POST', url: `${session}/incomingRequests`, headers, payload: '' });
    assert.equal(accept.statusCode, 201, accept.body);
    // The cookie alone, or with another account's key, is not enough; nor is the key alone.
    const plain = { accept: 'application/xml' };
    assert.equal((await t.inject({ method: 'GET', url: `${session}/availability`, headers: { ...plain, cookie } })).statusCode, 401);
    assert.equal((await t.inject({ method: 'GET', url: `${session}/availability`, headers: { ...plain, cookie, authorization: 'LivePerson appKey=wrong' } })).statusCode, 401);
    assert.equal((await t.inject({ method: 'GET', url: `${session}/availability`, headers: XML })).statusCode, 401);
    // JSON works the same way.
    const json = await t.inject({ method: 'POST', url: `${href}.json`, headers: KEY_HEADER, payload: { loginData: { userName: AGENT.loginName, password: AGENT.password } } });
    assert.equal(json.statusCode, 201, json.body);
  });
});

test('a wrong password is 401 bad-credentials, a missing loginData 400, no key 401; no session is opened', async () => {
  await withApp({}, async (t) => {
    const href = `${BASE}/agentSession`;
    const wrong = await t.inject({ method: 'POST', url: href, headers: XML, payload: loginData(AGENT.loginName, 'nope') });
    assert.equal(wrong.statusCode, 401);
    assert.equal(obj(parseXml(wrong.body).error).internalCode, '11');
    for (const payload of ['', '<loginData/>', '<loginData><userName>natalie</userName></loginData>', '<loginData></loginData>']) {
      const res = await t.inject({ method: 'POST', url: href, headers: XML, payload });
      assert.equal(res.statusCode, 400, `${payload}: ${res.body}`);
      assert.match(res.body, /<reason>BAD_REQUEST<\/reason>/);
    }
    const none = await t.inject({ method: 'POST', url: href, headers: { accept: 'application/xml', 'content-type': 'application/xml' }, payload: loginData(AGENT.loginName, AGENT.password) });
    assert.equal(none.statusCode, 401);
    assert.deepEqual(await t.store.listAgentSessions('12345678'), []);
  });
});
