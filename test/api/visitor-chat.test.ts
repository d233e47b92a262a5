// The chat resource (spec §4.8): GET {chat-session-uri} — links in the documented order, then
// events, then info; `?from=N` filters; `next` carries the id the next event will get.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, endByVisitor, KEY_HEADER, startChat, visitorGet, withApp, type TestApp } from '../helpers/app.ts';
import { asArray, list, obj, ORIGIN, parseXml, type ChatDoc } from '../helpers/wire.ts';

const RELS = ['self', 'events', 'info', 'next', 'transcript-request', 'transcript-with-subject-request', 'exit-survey', 'custom-variables'];
const getChat = (t: TestApp, url: string): Promise<ChatDoc> => visitorGet<ChatDoc>(t, url);

/** A chat the agent has accepted: events 0..3 as in the doc example. */
async function acceptedChat(t: TestApp): Promise<string> {
  const chat = await startChat(t);
  await acceptNext(t, await agentOnline(t));
  return chat;
}

test('JSON: links in the documented order, absolute, then events, then info', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const url = `${ORIGIN}${chat}`;
    const doc = await getChat(t, `${chat}.json?v=1&NC=true`);
    assert.deepEqual(Object.keys(doc), ['chat']);
    assert.deepEqual(Object.keys(doc.chat), ['link', 'events', 'info']);
    assert.deepEqual(
      doc.chat.link.map((l) => l['@rel']),
      RELS,
    );
    assert.deepEqual(
      doc.chat.link.map((l) => l['@href']),
      [
        url,
        `${url}/events`,
        `${url}/info`,
        `${url}?from=4`,
        `${url}/transcriptRequest`,
        `${url}/transcriptWithSubjectRequest`,
        `${url}/exitSurvey`,
        `${url}/customVariables`,
      ],
    );
    assert.deepEqual(doc.chat.events.link, [
      { '@href': `${url}/events`, '@rel': 'self' },
      { '@href': `${url}/events?from=4`, '@rel': 'next' },
    ]);
    assert.deepEqual(doc.chat.info.link.map((l) => l['@rel']), ['self', 'visitor-name', 'visitor-typing', 'agent-typing']);
    assert.equal(doc.chat.info.link[0]?.['@href'], `${url}/info`);
    assert.equal(doc.chat.info.state, 'chatting');
    assert.equal(doc.chat.info.agentName, 'Natalie');
    assert.equal(url.endsWith(doc.chat.info.chatSessionKey), true);
  });
});

test('JSON: the events of an accepted chat, as in the doc example', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const ev = asArray((await getChat(t, `${chat}.json`)).chat.events.event);
    assert.deepEqual(
      ev.map((e) => [e['@id'], e['@type'], e.state ?? e.systemMessageId]),
      [
        ['0', 'state', 'waiting'],
        ['1', 'line', 4],
        ['2', 'state', 'chatting'],
        ['3', 'line', 3],
      ],
    );
    assert.equal(ev[3]?.text, 'You are now chatting with Natalie.');
  });
});

test('JSON: ?from=N returns only events with id >= N; next stays at the next id', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const doc = await getChat(t, `${chat}.json?from=2`);
    assert.deepEqual(asArray(doc.chat.events.event).map((e) => e['@id']), ['2', '3']);
    assert.equal(doc.chat.link[3]?.['@href'], `${ORIGIN}${chat}?from=4`);
    assert.equal(doc.chat.info.state, 'chatting', 'info is whole whatever the from');
  });
});

test('JSON: a single event is an object, not a one-item array', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const doc = await getChat(t, `${chat}.json?from=3`);
    const e = doc.chat.events.event;
    assert.ok(e !== undefined && !Array.isArray(e), 'one event renders as an object');
    assert.equal(e['@id'], '3');
    assert.equal(e.systemMessageId, 3);
  });
});

test('JSON: an empty poll has no event key at all', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    for (const from of [4, 50]) {
      const doc = await getChat(t, `${chat}.json?from=${from}`);
      assert.ok(!('event' in doc.chat.events), `no "event" for from=${from}`);
      assert.equal(doc.chat.link[3]?.['@href'], `${ORIGIN}${chat}?from=4`);
    }
  });
});

test('JSON: following the next link returns exactly the new events and advances next', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const first = await getChat(t, `${chat}.json`);
    assert.deepEqual(asArray(first.chat.events.event).map((e) => e['@id']), ['0', '1']);
    const next = first.chat.link.find((l) => l['@rel'] === 'next')?.['@href'];
    assert.equal(next, `${ORIGIN}${chat}?from=2`);

    const post = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hello' } } });
    assert.equal(post.statusCode, 201);

    const u = new URL(next);
    const second = await getChat(t, `${u.pathname}.json${u.search}&v=1&NC=true`);
    const e = second.chat.events.event;
    assert.ok(e !== undefined && !Array.isArray(e));
    assert.equal(e['@id'], '2');
    assert.equal(e.text, 'hello');
    assert.equal(second.chat.link[3]?.['@href'], `${ORIGIN}${chat}?from=3`);
    assert.equal(second.chat.events.link[1]?.['@href'], `${ORIGIN}${chat}/events?from=3`);
  });
});

test('XML: <chat> with link elements (href, rel) in order, then <events>, then <info>', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const url = `${ORIGIN}${chat}`;
    const res = await t.inject({ method: 'GET', url: `${chat}.xml?v=1&NC=true`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    const root = obj(parseXml(res.body).chat);
    assert.deepEqual(Object.keys(root), ['link', 'events', 'info']);
    const links = list(root.link);
    assert.deepEqual(links.map((l) => l['@rel']), RELS);
    assert.equal(links[0]?.['@href'], url);
    assert.equal(links[3]?.['@href'], `${url}?from=4`);

    const ev = obj(root.events);
    assert.deepEqual(list(ev.link).map((l) => [l['@rel'], l['@href']]), [
      ['self', `${url}/events`],
      ['next', `${url}/events?from=4`],
    ]);
    const items = list(ev.event);
    assert.deepEqual(items.map((e) => [e['@id'], e['@type']]), [
      ['0', 'state'],
      ['1', 'line'],
      ['2', 'state'],
      ['3', 'line'],
    ]);
    assert.equal(items[0]?.state, 'waiting');
    assert.equal(items[3]?.text, 'You are now chatting with Natalie.');
    assert.equal(items[3]?.systemMessageId, '3');

    const info = obj(root.info);
    assert.deepEqual(list(info.link).map((l) => l['@rel']), ['self', 'visitor-name', 'visitor-typing', 'agent-typing']);
    assert.equal(info.state, 'chatting');
    assert.equal(info.agentName, 'Natalie');
  });
});

test('XML: ?from filters; a single event is one <event>; an empty poll has none', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    const one = await t.inject({ method: 'GET', url: `${chat}?from=3`, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.equal(one.statusCode, 200);
    const ev = obj(obj(parseXml(one.body).chat).events);
    const single = obj(ev.event);
    assert.equal(single['@id'], '3');
    assert.equal(single['@type'], 'line');

    const none = await t.inject({ method: 'GET', url: `${chat}.xml?from=4`, headers: KEY_HEADER });
    assert.equal(none.statusCode, 200);
    const empty = obj(obj(parseXml(none.body).chat).events);
    assert.ok(!('event' in empty));
    assert.equal(list(empty.link).length, 2);
  });
});

test('an ended chat stays retrievable: state ended, events kept', async () => {
  await withApp({}, async (t) => {
    const chat = await acceptedChat(t);
    await endByVisitor(t, chat);
    const doc = await getChat(t, `${chat}.json`);
    assert.equal(doc.chat.info.state, 'ended');
    const ev = asArray(doc.chat.events.event);
    assert.equal(ev.length, 5);
    assert.deepEqual([ev[4]?.['@type'], ev[4]?.state], ['state', 'ended']);
    assert.equal(doc.chat.link[3]?.['@href'], `${ORIGIN}${chat}?from=5`);
  });
});
