// Wire rules every visitor resource follows (spec §1.2–1.7, design.md "Wire rules"): suffixes,
// Accept, exact content types, the app key in header or query, 401/404 bodies in the
// requested format, unknown query parameters ignored, lastUpdate refreshed by every request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoProvisioning } from '../../src/provisioning/provisioning.ts';
import { formatTime } from '../../src/api/representations/time.ts';
import { ACCOUNT, APP_KEY, BASE, KEY_HEADER, startChat, withApp } from '../helpers/app.ts';
import { ORIGIN, parseXmlRoot, TIME, type ErrorDoc, type XNode } from '../helpers/wire.ts';

const XML_CT = /^application\/xml(;\s*charset=utf-8)?$/i;
const PUT = { ...KEY_HEADER, 'x-http-method-override': 'PUT' };

/** The resources a visitor can GET, each with the root element it answers with. */
function getPaths(chat: string): Array<[string, string]> {
  return [
    [BASE, 'account'],
    [chat, 'chat'],
    [`${chat}/events`, 'events'],
    [`${chat}/events/0`, 'event'],
    [`${chat}/info`, 'info'],
    [`${chat}/info/visitorName`, 'visitorName'],
    [`${chat}/info/visitorTyping`, 'visitorTyping'],
    [`${chat}/info/agentTyping`, 'agentTyping'],
  ];
}

function assertJsonError(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number, reason: string): void {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['content-type'], 'application/json');
  const doc = res.json() as ErrorDoc;
  assert.deepEqual(Object.keys(doc), ['error']);
  assert.equal(doc.error.reason, reason);
  assert.equal(typeof doc.error.message, 'string');
  assert.equal(typeof doc.error.internalCode, 'number');
  assert.match(doc.error.time, TIME);
}
function assertXmlError(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, reason: string): void {
  assert.equal(res.statusCode, status);
  assert.match(String(res.headers['content-type']), XML_CT);
  const doc = parseXmlRoot(res.body);
  assert.deepEqual(Object.keys(doc), ['error']);
  const err = doc.error as XNode;
  assert.equal(err.reason, reason);
  for (const k of ['time', 'message', 'internalCode']) assert.ok(typeof err[k] === 'string' && err[k] !== '', k);
}

test('.json and .xml suffixes work on every visitor GET path, before the query string', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    for (const [path, root] of getPaths(chat)) {
      const json = await t.inject({ method: 'GET', url: `${path}.json?v=1&NC=true`, headers: KEY_HEADER });
      assert.equal(json.statusCode, 200, path);
      assert.equal(json.headers['content-type'], 'application/json', path);
      assert.deepEqual(Object.keys(json.json() as object), [root], path);

      const xml = await t.inject({ method: 'GET', url: `${path}.xml?v=1&NC=true`, headers: KEY_HEADER });
      assert.equal(xml.statusCode, 200, path);
      assert.match(String(xml.headers['content-type']), XML_CT, path);
      assert.deepEqual(Object.keys(parseXmlRoot(xml.body)), [root], path);
    }
  });
});

test('suffixes on the write paths; the suffix picks the format of errors too', async () => {
  await withApp({}, async (t) => {
    const req = await t.inject({ method: 'POST', url: `${BASE}/chat/request.xml?v=1`, headers: KEY_HEADER, payload: { request: { skill: 'Sales' } } });
    assert.equal(req.statusCode, 201);
    const chat = new URL(String(req.headers.location)).pathname;
    const line = await t.inject({ method: 'POST', url: `${chat}/events.xml`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hi' } } });
    assert.equal(line.statusCode, 201);
    assert.equal(line.headers.location, `${ORIGIN}${chat}/events/2`, 'no suffix in Location');
    assert.equal((await t.inject({ method: 'POST', url: `${chat}/info/visitorName.xml`, headers: PUT, payload: { visitorName: 'Al' } })).statusCode, 200);
    assert.equal((await t.inject({ method: 'POST', url: `${chat}/info/visitorTyping.json`, headers: PUT, payload: { visitorTyping: 'typing' } })).statusCode, 200);
    assertXmlError(await t.inject({ method: 'POST', url: `${chat}/events.xml`, headers: KEY_HEADER, payload: { event: { '@type': 'line' } } }), 400, 'BAD_REQUEST');
    assertJsonError(await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: { ...KEY_HEADER, accept: 'application/xml' }, payload: {} }), 400, 'BAD_REQUEST');
  });
});

test('without a suffix: Accept decides, then an XML body, then JSON; a suffix beats Accept', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const cases: Array<[Record<string, string>, 'json' | 'xml']> = [
      [{ accept: 'application/xml' }, 'xml'],
      [{ accept: 'text/xml' }, 'xml'],
      [{ accept: 'application/json' }, 'json'],
      [{ accept: '*/*' }, 'json'],
      [{ accept: 'application/json, application/xml' }, 'json'],
      [{}, 'json'],
    ];
    for (const [headers, want] of cases) {
      const res = await t.inject({ method: 'GET', url: `${chat}/info?v=1`, headers: { ...KEY_HEADER, ...headers } });
      assert.equal(res.statusCode, 200);
      if (want === 'json') assert.equal(res.headers['content-type'], 'application/json', JSON.stringify(headers));
      else assert.match(String(res.headers['content-type']), XML_CT, JSON.stringify(headers));
    }
    const suffixed = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.equal(suffixed.headers['content-type'], 'application/json');
    const xmlBody = await t.inject({
      method: 'POST',
      url: `${chat}/events`,
      headers: { ...KEY_HEADER, 'content-type': 'application/xml; charset=UTF-8' },
      payload: '<event type="bogus"/>',
    });
    assertXmlError(xmlBody, 400, 'BAD_REQUEST');
  });
});

test('the app key: header, appKey or appkey query parameter', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    for (const res of [
      await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER }),
      await t.inject({ method: 'GET', url: `${chat}/info.json?v=1&appKey=${APP_KEY}` }),
      await t.inject({ method: 'GET', url: `${chat}/events.json?appkey=${APP_KEY}&from=0` }),
    ]) {
      assert.equal(res.statusCode, 200, res.body);
    }
    const started = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json?v=1&NC=true&appKey=${APP_KEY}`, payload: { request: { skill: 'Sales' } } });
    assert.equal(started.statusCode, 201);
  });
});

test('401 without a key, with a wrong key, with another account\'s key; body in the requested format', async () => {
  const other = { id: '87654321', appKeys: ['0123456789abcdef0123456789abcdef'], chatTimeout: 40, language: 'en-US', skills: [{ id: 1, name: 'Support' }], agents: [] };
  await withApp({ provisioning: { accounts: [...demoProvisioning.accounts, other] } }, async (t) => {
    const chat = await startChat(t);
    const otherKey = { authorization: `LivePerson appKey=${other.appKeys[0]}` };
    assert.equal((await t.inject({ method: 'GET', url: `/api/account/${other.id}.json`, headers: otherKey })).statusCode, 200, 'the key works on its own account');

    for (const path of [BASE, chat, `${chat}/events`, `${chat}/info`, `${chat}/info/visitorName`]) {
      assertJsonError(await t.inject({ method: 'GET', url: `${path}.json` }), 401, 'UNAUTHORIZED');
      assertXmlError(await t.inject({ method: 'GET', url: `${path}.xml` }), 401, 'UNAUTHORIZED');
      assertJsonError(await t.inject({ method: 'GET', url: `${path}.json`, headers: { authorization: 'LivePerson appKey=wrong' } }), 401, 'UNAUTHORIZED');
      assertJsonError(await t.inject({ method: 'GET', url: `${path}.json?appKey=wrong` }), 401, 'UNAUTHORIZED');
      assertXmlError(await t.inject({ method: 'GET', url: path, headers: { ...otherKey, accept: 'application/xml' } }), 401, 'UNAUTHORIZED');
    }
    const post = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers: otherKey, payload: { request: { skill: 'Sales' } } });
    assertJsonError(post, 401, 'UNAUTHORIZED');
    const line = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: otherKey, payload: { event: { '@type': 'line', text: 'x' } } });
    assertJsonError(line, 401, 'UNAUTHORIZED');
    assert.equal((await t.store.listWaitingChats(ACCOUNT)).length, 1, 'only the one chat started with the right key');
    const events = await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY_HEADER });
    assert.equal((events.json() as { events: { event: unknown[] } }).events.event.length, 2, 'no line was written');
  });
});

test('404 for an unknown chat, in JSON and in XML, on every chat resource', async () => {
  await withApp({}, async (t) => {
    const missing = `${BASE}/chat/H1-00000000000000000000000000000000K1`;
    for (const [path] of getPaths(missing).slice(1)) {
      assertJsonError(await t.inject({ method: 'GET', url: `${path}.json`, headers: KEY_HEADER }), 404, 'NOT_FOUND');
      assertXmlError(await t.inject({ method: 'GET', url: `${path}.xml`, headers: KEY_HEADER }), 404, 'NOT_FOUND');
    }
    const line = await t.inject({ method: 'POST', url: `${missing}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'x' } } });
    assertJsonError(line, 404, 'NOT_FOUND');
    const name = await t.inject({ method: 'PUT', url: `${missing}/info/visitorName`, headers: { ...KEY_HEADER, 'content-type': 'application/xml' }, payload: '<visitorName>A</visitorName>' });
    assertXmlError(name, 404, 'NOT_FOUND');
  });
});

test('unknown query parameters (NC, __d, v, anything) are ignored', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    for (const [path] of getPaths(chat)) {
      const res = await t.inject({ method: 'GET', url: `${path}.json?v=1&NC=true&__d=0.8318&foo=bar`, headers: KEY_HEADER });
      assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
    }
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json?v=1&NC=true&__d=42`, headers: KEY_HEADER, payload: { request: { skill: 'Sales' } } });
    assert.equal(res.statusCode, 201);
  });
});

test('every visitor request refreshes lastUpdate', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const chatId = chat.split('/').pop() ?? '';
    const requests: Array<[string, () => Promise<{ statusCode: number }>]> = [
      ...getPaths(chat)
        .slice(1)
        .map(([path]): [string, () => Promise<{ statusCode: number }>] => [`GET ${path}`, () => t.inject({ method: 'GET', url: `${path}.json`, headers: KEY_HEADER })]),
      ['POST line', () => t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hi' } } })],
      ['PUT visitorName', () => t.inject({ method: 'POST', url: `${chat}/info/visitorName.json`, headers: PUT, payload: { visitorName: 'Al' } })],
      ['PUT visitorTyping', () => t.inject({ method: 'POST', url: `${chat}/info/visitorTyping.json`, headers: PUT, payload: { visitorTyping: 'typing' } })],
    ];
    for (const [name, send] of requests) {
      await t.tick(10_000);
      const res = await send();
      assert.ok(res.statusCode < 300, `${name}: ${res.statusCode}`);
      assert.equal((await t.store.getChat(ACCOUNT, chatId))?.lastUpdate, t.clock.now(), name);
    }
    const info = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER });
    const doc = (info.json() as { info: { lastUpdate: string; startTime: string; state: string } }).info;
    assert.equal(doc.lastUpdate, formatTime(t.clock.now()));
    assert.notEqual(doc.lastUpdate, doc.startTime);
    assert.equal(doc.state, 'waiting', 'kept alive for 100 s although chatTimeout is 40 s');
  });
});

test('a chat no request reaches for chatTimeout seconds ends (system message 6)', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    await t.tick(30_000);
    assert.equal((await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).statusCode, 200);
    await t.tick(39_000);
    assert.equal(((await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).json() as { info: { state: string } }).info.state, 'waiting');
    await t.tick(41_000);
    const res = await t.inject({ method: 'GET', url: `${chat}.json?from=2`, headers: KEY_HEADER });
    const doc = res.json() as { chat: { info: { state: string }; events: { event: Array<{ '@type': string; systemMessageId?: number; state?: string }> } } };
    assert.equal(doc.chat.info.state, 'ended');
    assert.deepEqual(doc.chat.events.event.map((e) => e.systemMessageId ?? e.state), [6, 'ended']);
  });
});

test('Location and links use the Host the request came in on', async () => {
  await withApp({}, async (t) => {
    const headers = { ...KEY_HEADER, host: 'chat.example.test:8443' };
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers, payload: { request: { skill: 'Sales' } } });
    assert.equal(res.statusCode, 201);
    const loc = new URL(String(res.headers.location));
    assert.equal(loc.origin, 'http://chat.example.test:8443');
    const info = await t.inject({ method: 'GET', url: `${loc.pathname}/info.json`, headers });
    const links = (info.json() as { info: { link: Array<{ '@href': string }> } }).info.link;
    for (const l of links) assert.ok(l['@href'].startsWith(`http://chat.example.test:8443${loc.pathname}/info`), l['@href']);
  });
});
