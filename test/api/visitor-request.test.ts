// Start Chat (spec §4.7): POST /chat/request → 201, absolute Location, empty body; the request
// fields flow into the chat's info and events. Bad input → 400 in the client's format, and
// nothing is stored.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACCOUNT, BASE, KEY_HEADER, locationPath, SKILL, testApp, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';
import { parseXml, TIME, type ErrorDoc, type Info, type XNode } from '../helpers/wire.ts';
import { demoProvisioning } from '../../src/provisioning/provisioning.ts';
import { authenticated, makeIdp, trusting } from '../helpers/sso.ts';

const CHAT_URL = new RegExp(`^http://localhost:80${BASE}/chat/H\\d+-[0-9a-f]{32}K\\d+$`);
const XML_HEADERS = { ...KEY_HEADER, 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' };

async function post(t: TestApp, request: unknown) {
  return t.inject({ method: 'POST', url: `${BASE}/chat/request.json?v=1&NC=true`, headers: KEY_HEADER, payload: { request } as object });
}
async function infoOf(t: TestApp, chatPath: string): Promise<Info> {
  const res = await t.inject({ method: 'GET', url: `${chatPath}/info.json`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { info: Info }).info;
}
async function assertNothingStored(t: TestApp): Promise<void> {
  assert.deepEqual(await t.store.listOpenDeadlines(), []);
  assert.deepEqual(await t.store.listWaitingChats(ACCOUNT), []);
}

test('JSON request: 201, absolute Location of the new chat, empty body; the chat is waiting', async () => {
  await withApp({}, async (t) => {
    const res = await post(t, { skill: 'Sales' });
    assert.equal(res.statusCode, 201);
    assert.match(String(res.headers.location), CHAT_URL);
    assert.equal(res.body, '');
    const info = await infoOf(t, locationPath(res));
    assert.equal(info.state, 'waiting');
    assert.equal(info.skillName, 'Sales');
    assert.equal(info.skillId, SKILL.id);
    assert.equal(info.chatTimeout, 40, 'the account default when no interactionTimeout is sent');
    const deadlines = await t.store.listOpenDeadlines();
    assert.equal(deadlines.length, 1);
  });
});

test('XML request: <request><skill>…</skill>…</request> → 201, Location, empty body', async () => {
  await withApp({}, async (t) => {
    const payload =
      '<?xml version="1.0" encoding="UTF-8"?><request><skill>Sales</skill><interactionTimeout>120</interactionTimeout>' +
      '<userAgent>AndroidChat</userAgent><visitorId>123</visitorId><LETagContextId>2</LETagContextId>' +
      '<preChatLines><line>first</line><line>second</line></preChatLines></request>';
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request?v=1&NC=true`, headers: XML_HEADERS, payload });
    assert.equal(res.statusCode, 201);
    assert.match(String(res.headers.location), CHAT_URL);
    assert.equal(res.body, '');
    const chat = locationPath(res);
    const info = await infoOf(t, chat);
    assert.equal(info.skillName, 'Sales');
    assert.equal(info.chatTimeout, 120);
    assert.equal(info.sharkContextId, '2');
    const lines = (await visitorEvents(t, chat)).filter((e) => e.systemMessageId === 0).map((e) => e.text);
    assert.deepEqual(lines, ['first', 'second']);
  });
});

test('XML request with a single <line>: one pre-chat line', async () => {
  await withApp({}, async (t) => {
    const payload = '<request><skill>Sales</skill><preChatLines><line>only one</line></preChatLines></request>';
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.xml`, headers: XML_HEADERS, payload });
    assert.equal(res.statusCode, 201);
    const lines = (await visitorEvents(t, locationPath(res))).filter((e) => e.systemMessageId === 0);
    assert.deepEqual(lines.map((e) => e.text), ['only one']);
  });
});

test('skill by skillId (string or number) and by name in any case', async () => {
  await withApp({}, async (t) => {
    for (const request of [{ skillId: String(SKILL.id) }, { skillId: SKILL.id }, { skill: 'sales' }]) {
      const res = await post(t, request);
      assert.equal(res.statusCode, 201, JSON.stringify(request));
      const info = await infoOf(t, locationPath(res));
      assert.equal(info.skillName, SKILL.name);
      assert.equal(info.skillId, SKILL.id);
    }
  });
});

for (const form of ['line', 'lines'] as const) {
  test(`preChatLines {"${form}": [...]} become system lines with systemMessageId 0, in order`, async () => {
    await withApp({}, async (t) => {
      const res = await post(t, { skill: 'Sales', preChatLines: { [form]: ['This is a pre-chat line 1', 'This is a pre-chat line 2'] } });
      assert.equal(res.statusCode, 201);
      const events = await visitorEvents(t, locationPath(res));
      assert.deepEqual(events.map((e) => e['@id']), ['0', '1', '2', '3']);
      assert.equal(events[1]?.systemMessageId, 4, 'the routing message comes first');
      for (const [i, e] of events.slice(2).entries()) {
        assert.equal(e['@type'], 'line');
        assert.equal(e.text, `This is a pre-chat line ${i + 1}`);
        assert.equal(e.source, 'system');
        assert.equal(e.by, 'info');
        assert.equal(e.systemMessageId, 0);
      }
    });
  });
}

test('interactionTimeout becomes info.chatTimeout', async () => {
  await withApp({}, async (t) => {
    for (const timeout of [40, 120, 3600]) {
      const res = await post(t, { skill: 'Sales', interactionTimeout: timeout });
      assert.equal(res.statusCode, 201);
      assert.equal((await infoOf(t, locationPath(res))).chatTimeout, timeout);
    }
  });
});

test('LETag ids, engagementId, campaignId, language and participantId flow into info as strings', async () => {
  const idp = await makeIdp();
  await withApp({ provisioning: trusting(demoProvisioning, idp) }, async (t) => {
    const { participantId } = await authenticated(t, idp);
    const res = await post(t, {
      skill: 'Sales',
      LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
      LETagSessionId: 'rN82d4rATN6EuiA4cJwaPg',
      LETagContextId: 2,
      engagementId: 27469613,
      campaignId: '26948813',
      language: 'fr-FR',
      participantId,
    });
    assert.equal(res.statusCode, 201);
    const info = await infoOf(t, locationPath(res));
    assert.equal(info.sharkVisitorId, 'rloXnVgEQ-iQuoOytvKNqA');
    assert.equal(info.sharkSessionId, 'rN82d4rATN6EuiA4cJwaPg');
    assert.equal(info.sharkContextId, '2');
    assert.equal(info.engagementId, '27469613');
    assert.equal(info.campaignId, '26948813');
    assert.equal(info.language, 'fr-FR');
    assert.equal(info.participantId, participantId);
  });
});

describe('bad chat requests: 400 with an error body, nothing stored', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
  });
  after(async () => {
    await t.close();
  });

  const jsonCases: Array<[string, unknown]> = [
    ['no request object', { skill: 'Sales' }],
    ['request is a string', { request: 'Sales' }],
    ['interactionTimeout "abc"', { request: { skill: 'Sales', interactionTimeout: 'abc' } }],
    ['interactionTimeout 0', { request: { skill: 'Sales', interactionTimeout: 0 } }],
    ['interactionTimeout 100000', { request: { skill: 'Sales', interactionTimeout: 100000 } }],
    ['maxWaitTime -1', { request: { skill: 'Sales', maxWaitTime: -1 } }],
    ['unknown skill', { request: { skill: 'Nope' } }],
    ['unknown skillId', { request: { skillId: 1 } }],
    ['oversized LETagVisitorId', { request: { skill: 'Sales', LETagVisitorId: 'x'.repeat(201) } }],
    ['oversized language', { request: { skill: 'Sales', language: 'x'.repeat(36) } }],
    ['oversized userAgent', { request: { skill: 'Sales', userAgent: 'x'.repeat(2001) } }],
    ['preChatLines as a string', { request: { skill: 'Sales', preChatLines: 'hello' } }],
    ['too many preChatLines', { request: { skill: 'Sales', preChatLines: { line: Array.from({ length: 51 }, () => 'x') } } }],
  ];
  for (const [name, payload] of jsonCases) {
    test(`JSON: ${name}`, async () => {
      const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers: KEY_HEADER, payload: payload as object });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.headers['content-type'], 'application/json');
      const doc = res.json() as ErrorDoc;
      assert.deepEqual(Object.keys(doc), ['error']);
      assert.equal(doc.error.reason, 'BAD_REQUEST');
      assert.ok(doc.error.message.length > 0);
      assert.equal(typeof doc.error.internalCode, 'number');
      assert.match(doc.error.time, TIME);
      await assertNothingStored(t);
    });
  }

  test('JSON: malformed JSON', async () => {
    const res = await t.inject({
      method: 'POST',
      url: `${BASE}/chat/request.json`,
      headers: { ...KEY_HEADER, 'content-type': 'application/json' },
      payload: '{"request": {"skill": "Sales"',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal((res.json() as ErrorDoc).error.reason, 'BAD_REQUEST');
    await assertNothingStored(t);
  });

  test('JSON: no body at all', async () => {
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 400);
    assert.equal((res.json() as ErrorDoc).error.reason, 'BAD_REQUEST');
    await assertNothingStored(t);
  });

  const xmlCases: Array<[string, string]> = [
    ['malformed XML', '<request><skill>Sales</skill'],
    ['wrong root element', '<chat><skill>Sales</skill></chat>'],
    ['interactionTimeout "abc"', '<request><skill>Sales</skill><interactionTimeout>abc</interactionTimeout></request>'],
    ['unknown skill', '<request><skill>Nope</skill></request>'],
    ['a DTD', '<!DOCTYPE request [<!ENTITY x "y">]><request><skill>&x;</skill></request>'],
  ];
  for (const [name, payload] of xmlCases) {
    test(`XML: ${name}`, async () => {
      const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request`, headers: XML_HEADERS, payload });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(String(res.headers['content-type']), /^application\/xml\b/);
      const doc = parseXml(res.body);
      assert.deepEqual(Object.keys(doc), ['?xml', 'error']);
      const err = doc.error as XNode;
      assert.equal(err.reason, 'BAD_REQUEST');
      assert.ok(String(err.message).length > 0);
      assert.match(String(err.internalCode), /^\d+$/);
      assert.match(String(err.time), TIME);
      await assertNothingStored(t);
    });
  }

  test('no app key: 401 and nothing stored', async () => {
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, payload: { request: { skill: 'Sales' } } });
    assert.equal(res.statusCode, 401);
    assert.equal((res.json() as ErrorDoc).error.reason, 'UNAUTHORIZED');
    await assertNothingStored(t);
  });
});
