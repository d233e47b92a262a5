// The account root (spec §1.6): GET /api/account/{accountId}, in JSON and in XML. The JS SDK
// and the XML clients start here and follow the rels, so the links must be absolute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, BASE, KEY_HEADER, locationPath, withApp } from '../helpers/app.ts';
import { list, obj, ORIGIN, parseXml, type Link } from '../helpers/wire.ts';

interface AccountDoc {
  account: { '@id': string; link: Link[] };
}

const ACCOUNT_URL = `${ORIGIN}${BASE}`;

test('GET account.json: the account id and absolute links, self first', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: `${BASE}.json?v=1&NC=true`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const doc = res.json() as AccountDoc;
    assert.deepEqual(Object.keys(doc), ['account']);
    assert.equal(doc.account['@id'], ACCOUNT);
    assert.ok(Array.isArray(doc.account.link));
    assert.deepEqual(doc.account.link[0], { '@href': ACCOUNT_URL, '@rel': 'self' });
    // Every rel of spec §1.6 / real-clients.md, in that order; agent-side clients add agent-session.
    assert.deepEqual(
      doc.account.link.map((l) => l['@rel']),
      ['self', 'chat-availability', 'chat-available-slots', 'chat-estimatedWaitTime', 'chat-request', 'prechat-survey', 'chat-offline-survey', 'agent-session'],
    );
    const byRel = new Map(doc.account.link.map((l) => [l['@rel'], l['@href']]));
    assert.equal(byRel.get('chat-request'), `${ACCOUNT_URL}/chat/request`);
    assert.equal(byRel.get('chat-availability'), `${ACCOUNT_URL}/chat/availability`);
    assert.equal(byRel.get('chat-available-slots'), `${ACCOUNT_URL}/chat/availableSlots`);
    assert.equal(byRel.get('chat-estimatedWaitTime'), `${ACCOUNT_URL}/chat/estimatedWaitTime`);
    assert.equal(byRel.get('prechat-survey'), `${ACCOUNT_URL}/chat/preSurvey`);
    assert.equal(byRel.get('chat-offline-survey'), `${ACCOUNT_URL}/chat/offlineSurvey`);
    assert.equal(byRel.get('agent-session'), `${ACCOUNT_URL}/agentSession`);
    for (const l of doc.account.link) {
      assert.ok(l['@href'].startsWith(`${ACCOUNT_URL}`), `absolute href: ${l['@href']}`);
      // Hrefs carry no v/NC parameters: clients add them (spec §1.6).
      assert.ok(!l['@href'].includes('?'), `no query in ${l['@href']}`);
    }
    assert.equal(new Set(byRel.keys()).size, doc.account.link.length, 'each rel once');
  });
});

test('GET account.xml: <account id> with <link href rel/> elements matching the JSON', async () => {
  await withApp({}, async (t) => {
    const json = (await t.inject({ method: 'GET', url: `${BASE}.json`, headers: KEY_HEADER })).json() as AccountDoc;
    const res = await t.inject({ method: 'GET', url: `${BASE}.xml?v=1&NC=true`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    assert.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?>/);
    const doc = parseXml(res.body);
    const account = obj(doc.account);
    assert.equal(account['@id'], ACCOUNT);
    const links = list(account.link);
    assert.deepEqual(
      links.map((l) => ({ '@href': l['@href'], '@rel': l['@rel'] })),
      json.account.link,
    );
  });
});

test('GET account without a suffix: Accept picks the format, JSON by default', async () => {
  await withApp({}, async (t) => {
    const xml = await t.inject({ method: 'GET', url: BASE, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.equal(xml.statusCode, 200);
    assert.match(String(xml.headers['content-type']), /^application\/xml\b/);
    assert.equal(obj(parseXml(xml.body).account)['@id'], ACCOUNT);

    const json = await t.inject({ method: 'GET', url: BASE, headers: { ...KEY_HEADER, accept: 'application/json' } });
    assert.equal(json.statusCode, 200);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal((json.json() as AccountDoc).account['@id'], ACCOUNT);

    const plain = await t.inject({ method: 'GET', url: `${BASE}?v=1`, headers: KEY_HEADER });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-type'], 'application/json');
  });
});

test('account links use the scheme, host and port the request came in on', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: `${BASE}.json`, headers: { ...KEY_HEADER, host: 'chat.example.test:8443' } });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as AccountDoc;
    for (const l of doc.account.link) assert.ok(l['@href'].startsWith(`http://chat.example.test:8443${BASE}`), l['@href']);
  });
});

test('the chat-request rel of the account root starts a chat (the JS SDK flow)', async () => {
  await withApp({}, async (t) => {
    const doc = (await t.inject({ method: 'GET', url: `${BASE}.json`, headers: KEY_HEADER })).json() as AccountDoc;
    const href = doc.account.link.find((l) => l['@rel'] === 'chat-request')?.['@href'];
    assert.ok(href);
    const res = await t.inject({ method: 'POST', url: `${new URL(href).pathname}.json?v=1&NC=true`, headers: KEY_HEADER, payload: { request: { skill: 'Sales' } } });
    assert.equal(res.statusCode, 201);
    const info = await t.inject({ method: 'GET', url: `${locationPath(res)}/info.json`, headers: KEY_HEADER });
    assert.equal(info.statusCode, 200);
    assert.equal((info.json() as { info: { state: string } }).info.state, 'waiting');
  });
});

test('account root without an app key: 401 with an error body in the requested format', async () => {
  await withApp({}, async (t) => {
    const json = await t.inject({ method: 'GET', url: `${BASE}.json` });
    assert.equal(json.statusCode, 401);
    assert.equal(json.headers['content-type'], 'application/json');
    const err = (json.json() as { error: { reason: string; message: string; internalCode: number } }).error;
    assert.equal(err.reason, 'UNAUTHORIZED');
    assert.equal(typeof err.message, 'string');
    assert.equal(typeof err.internalCode, 'number');

    const xml = await t.inject({ method: 'GET', url: `${BASE}.xml` });
    assert.equal(xml.statusCode, 401);
    assert.match(String(xml.headers['content-type']), /^application\/xml\b/);
    assert.equal(obj(parseXml(xml.body).error).reason, 'UNAUTHORIZED');
  });
});

test('an account the key does not belong to (or that does not exist) answers 401', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: '/api/account/99999999.json', headers: KEY_HEADER });
    assert.equal(res.statusCode, 401);
    assert.equal((res.json() as { error: { reason: string } }).error.reason, 'UNAUTHORIZED');
    assert.ok(!res.body.includes('"account"'));
  });
});
