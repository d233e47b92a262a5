// Retrieve Chat Events (spec §4.9) and Add Lines / End Chat (spec §4.10), in JSON and XML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, KEY_HEADER, locationPath, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { asArray, list, obj, ORIGIN, parseXml, TIME, type Event, type EventsDoc } from '../helpers/wire.ts';

const XML_BODY = { ...KEY_HEADER, 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' };

async function eventsOf(t: TestApp, chat: string, from = 0): Promise<EventsDoc['events']> {
  const res = await t.inject({ method: 'GET', url: `${chat}/events.json?from=${from}&v=1&NC=true`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as EventsDoc).events;
}
const ids = (e: Event | Event[] | undefined): string[] => asArray(e).map((x) => x['@id']);
const postEvent = (t: TestApp, chat: string, event: object) =>
  t.inject({ method: 'POST', url: `${chat}/events.json?v=1&NC=true`, headers: KEY_HEADER, payload: { event } });

test('GET events.json: self and next links, events with string ids, from filters', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const url = `${ORIGIN}${chat}/events`;
    const all = await eventsOf(t, chat);
    assert.deepEqual(all.link, [
      { '@href': url, '@rel': 'self' },
      { '@href': `${url}?from=2`, '@rel': 'next' },
    ]);
    assert.ok(Array.isArray(all.event));
    const [state, line] = all.event;
    assert.deepEqual(state, { '@id': '0', '@type': 'state', time: state?.time, state: 'waiting' });
    assert.match(String(state?.time), TIME);
    assert.deepEqual(Object.keys(line ?? {}), ['@id', '@type', 'time', 'textType', 'text', 'by', 'source', 'systemMessageId', 'subType']);
    assert.equal(line?.systemMessageId, 4);
    assert.equal(line?.subType, 'REGULAR');

    const later = await eventsOf(t, chat, 1);
    assert.ok(later.event !== undefined && !Array.isArray(later.event), 'one event is an object');
    assert.equal(later.event['@id'], '1');
    const none = await eventsOf(t, chat, 2);
    assert.ok(!('event' in none));
    assert.equal(none.link[1]?.['@href'], `${url}?from=2`);
  });
});

test('GET events.xml: <events> with <link href rel/> and repeated <event id type>', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const res = await t.inject({ method: 'GET', url: `${chat}/events.xml?from=0`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    const root = obj(parseXml(res.body).events);
    assert.deepEqual(list(root.link).map((l) => [l['@rel'], l['@href']]), [
      ['self', `${ORIGIN}${chat}/events`],
      ['next', `${ORIGIN}${chat}/events?from=2`],
    ]);
    const items = list(root.event);
    assert.deepEqual(items.map((e) => [e['@id'], e['@type']]), [['0', 'state'], ['1', 'line']]);
    assert.equal(items[0]?.state, 'waiting');
    const children = Object.keys(items[1] ?? {}).filter((k) => !k.startsWith('@'));
    assert.deepEqual(children, ['time', 'textType', 'text', 'by', 'source', 'systemMessageId', 'subType']);
    assert.equal(items[1]?.systemMessageId, '4');
  });
});

test('POST a line (JSON): 201, Location of the event, and that Location answers with it', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const res = await postEvent(t, chat, { '@type': 'line', text: 'hi <b>there</b>' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.location, `${ORIGIN}${chat}/events/2`);
    assert.equal(res.body, '');

    const got = await t.inject({ method: 'GET', url: `${locationPath(res)}.json`, headers: KEY_HEADER });
    assert.equal(got.statusCode, 200);
    const e = (got.json() as { event: Event }).event;
    assert.equal(e['@id'], '2');
    assert.equal(e['@type'], 'line');
    assert.equal(e.text, 'hi <b>there</b>', 'visitor HTML is kept as text');
    assert.equal(e.textType, 'plain');
    assert.equal(e.source, 'visitor');
    assert.equal(e.subType, 'REGULAR');
    assert.equal(e.systemMessageId, undefined);
    assert.match(e.time, TIME);
    assert.deepEqual(ids((await eventsOf(t, chat, 2)).event), ['2']);
  });
});

test('POST a line (XML): <event type="line"><text>hi</text></event> → 201; the event reads back in XML', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const res = await t.inject({ method: 'POST', url: `${chat}/events?v=1&NC=true`, headers: XML_BODY, payload: '<event type="line"><text>hi</text></event>' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.location, `${ORIGIN}${chat}/events/2`);
    const got = await t.inject({ method: 'GET', url: locationPath(res), headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.equal(got.statusCode, 200);
    const e = obj(parseXml(got.body).event);
    assert.equal(e['@id'], '2');
    assert.equal(e['@type'], 'line');
    assert.equal(e.text, 'hi');
    assert.equal(e.source, 'visitor');
  });
});

test('POST ended (JSON): 201, an ended state event, info state ended', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    await acceptNext(t, await agentOnline(t));
    const res = await postEvent(t, chat, { '@type': 'state', state: 'ended' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.location, `${ORIGIN}${chat}/events/4`);
    const got = await t.inject({ method: 'GET', url: `${locationPath(res)}.json`, headers: KEY_HEADER });
    const e = (got.json() as { event: Event }).event;
    assert.deepEqual([e['@id'], e['@type'], e.state], ['4', 'state', 'ended']);
    const info = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER });
    assert.equal((info.json() as { info: { state: string } }).info.state, 'ended');
  });
});

test('POST ended (XML): <event type="state"><state>ended</state></event> → 201', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const res = await t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload: '<event type="state"><state>ended</state></event>' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers.location, `${ORIGIN}${chat}/events/2`);
    const root = obj(parseXml((await t.inject({ method: 'GET', url: `${chat}/events.xml?from=2`, headers: KEY_HEADER })).body).events);
    const e = obj(root.event);
    assert.deepEqual([e['@id'], e['@type'], e.state], ['2', 'state', 'ended']);
  });
});

test('bad event bodies: 400 in the client format, nothing written', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const bad: object[] = [
      { event: { '@type': 'line' } },
      { event: { '@type': 'line', text: '' } },
      { event: { '@type': 'line', text: '   ' } },
      { event: { '@type': 'url', text: 'x' } },
      { event: { '@type': 'state', state: 'chatting' } },
      { event: { '@type': 'state' } },
      { event: { text: 'no type' } },
      { line: 'hi' },
    ];
    for (const payload of bad) {
      const res = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.headers['content-type'], 'application/json');
      assert.equal((res.json() as { error: { reason: string } }).error.reason, 'BAD_REQUEST');
    }
    const badXml = [
      '<event type="line"></event>',
      '<event type="line"><text></text></event>',
      '<event type="bogus"><text>x</text></event>',
      '<event type="state"><state>waiting</state></event>',
      '<event type="line"><text>unclosed</event>',
    ];
    for (const payload of badXml) {
      const res = await t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload });
      assert.equal(res.statusCode, 400, payload);
      assert.match(String(res.headers['content-type']), /^application\/xml\b/);
      assert.equal(obj(parseXml(res.body).error).reason, 'BAD_REQUEST');
    }
    const after = await eventsOf(t, chat);
    assert.deepEqual(ids(after.event), ['0', '1']);
    assert.equal(after.link[1]?.['@href'], `${ORIGIN}${chat}/events?from=2`);
  });
});

test('a line on an ended chat: 409 with an error body, no event written; a second ended: 409', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    assert.equal((await postEvent(t, chat, { '@type': 'state', state: 'ended' })).statusCode, 201);

    const line = await postEvent(t, chat, { '@type': 'line', text: 'too late' });
    assert.equal(line.statusCode, 409);
    assert.equal(line.headers['content-type'], 'application/json');
    const err = (line.json() as { error: { reason: string; message: string } }).error;
    assert.equal(err.reason, 'CONFLICT');
    assert.ok(err.message.length > 0);

    const xml = await t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload: '<event type="line"><text>too late</text></event>' });
    assert.equal(xml.statusCode, 409);
    assert.equal(obj(parseXml(xml.body).error).reason, 'CONFLICT');

    const again = await postEvent(t, chat, { '@type': 'state', state: 'ended' });
    assert.equal(again.statusCode, 409);
    assert.equal((again.json() as { error: { reason: string } }).error.reason, 'CONFLICT');

    assert.deepEqual(ids((await eventsOf(t, chat)).event), ['0', '1', '2']);
  });
});

test('agent lines reach the visitor; private agent notes (ONLY_TO_REP) do not', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    const say = (event: object) => t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event } });
    assert.equal((await say({ '@type': 'line', text: 'note to self', subType: 'ONLY_TO_REP' })).statusCode, 201);
    assert.equal((await say({ '@type': 'line', text: 'Hello!', textType: 'plain' })).statusCode, 201);

    const seen = await eventsOf(t, chat, 4);
    const e = seen.event;
    assert.ok(e !== undefined && !Array.isArray(e), 'only the public line');
    assert.deepEqual([e['@id'], e.text, e.source, e.by], ['5', 'Hello!', 'agent', 'Natalie']);
    assert.equal(seen.link[1]?.['@href'], `${ORIGIN}${chat}/events?from=6`);
    const hidden = await t.inject({ method: 'GET', url: `${chat}/events/4.json`, headers: KEY_HEADER });
    assert.equal(hidden.statusCode, 404);
  });
});

test('GET an event that does not exist: 404 in the client format', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const json = await t.inject({ method: 'GET', url: `${chat}/events/99.json`, headers: KEY_HEADER });
    assert.equal(json.statusCode, 404);
    assert.equal((json.json() as { error: { reason: string } }).error.reason, 'NOT_FOUND');
    const xml = await t.inject({ method: 'GET', url: `${chat}/events/99.xml`, headers: KEY_HEADER });
    assert.equal(xml.statusCode, 404);
    assert.equal(obj(parseXml(xml.body).error).reason, 'NOT_FOUND');
  });
});
