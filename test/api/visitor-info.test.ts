// Retrieve Chat Information (spec §4.11), the visitor's name (§4.12, §4.13) and typing
// (§4.14–4.16), in JSON and XML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, endByVisitor, KEY_HEADER, startChat, visitorGet, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { list, obj, ORIGIN, parseXml, type Info } from '../helpers/wire.ts';

const TYPING_TIMEOUT = 6;
const PUT = { ...KEY_HEADER, 'x-http-method-override': 'PUT' };
const XML_BODY = { ...KEY_HEADER, 'content-type': 'application/xml; charset=UTF-8' };

const info = async (t: TestApp, chat: string): Promise<Info> => (await visitorGet<{ info: Info }>(t, `${chat}/info.json?v=1&NC=true`)).info;
const visitorTyping = async (t: TestApp, chat: string): Promise<string> =>
  (await visitorGet<{ visitorTyping: string }>(t, `${chat}/info/visitorTyping.json`)).visitorTyping;
const agentTyping = async (t: TestApp, chat: string): Promise<string> =>
  (await visitorGet<{ agentTyping: string }>(t, `${chat}/info/agentTyping.json`)).agentTyping;
const setVisitorTyping = (t: TestApp, chat: string, value: string) =>
  t.inject({ method: 'POST', url: `${chat}/info/visitorTyping.json`, headers: PUT, payload: { visitorTyping: value } });
const setAgentTyping = (t: TestApp, agent: AgentHandle, agentChat: string, value: string) =>
  t.inject({ method: 'POST', url: `${agentChat}/info/agentTyping.json`, headers: { ...agent.auth, 'x-http-method-override': 'PUT' }, payload: { agentTyping: value } });

test('info.json: four links in order; no agent fields while waiting, agent fields once accepted', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const waiting = await info(t, chat);
    const url = `${ORIGIN}${chat}/info`;
    assert.deepEqual(waiting.link, [
      { '@href': url, '@rel': 'self' },
      { '@href': `${url}/visitorName`, '@rel': 'visitor-name' },
      { '@href': `${url}/visitorTyping`, '@rel': 'visitor-typing' },
      { '@href': `${url}/agentTyping`, '@rel': 'agent-typing' },
    ]);
    assert.equal(waiting.state, 'waiting');
    assert.ok(!('agentName' in waiting) && !('agentId' in waiting));

    await acceptNext(t, await agentOnline(t));
    const chatting = await info(t, chat);
    assert.equal(chatting.state, 'chatting');
    assert.equal(chatting.agentName, 'Natalie');
    assert.equal(chatting.agentId, 25025413);
  });
});

test('info.xml: <info> with <link href rel/> elements and one element per field', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    await acceptNext(t, await agentOnline(t));
    const json = await info(t, chat);
    const res = await t.inject({ method: 'GET', url: `${chat}/info`, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    const root = obj(parseXml(res.body).info);
    assert.deepEqual(list(root.link).map((l) => ({ '@href': l['@href'], '@rel': l['@rel'] })), json.link);
    // Every JSON field is an element of the same name, in the same order, with the same text.
    const fields = Object.entries(json).filter(([k]) => k !== 'link');
    assert.deepEqual(Object.keys(root).filter((k) => k !== 'link'), fields.map(([k]) => k));
    for (const [k, v] of fields) assert.equal(root[k], String(v), k);
  });
});

test('visitorName: "You" by default; set by POST + override PUT (JSON) → 200; shown in info', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    assert.deepEqual(await visitorGet(t, `${chat}/info/visitorName.json?v=1&NC=true`), { visitorName: 'You' });
    const xml = await t.inject({ method: 'GET', url: `${chat}/info/visitorName.xml`, headers: KEY_HEADER });
    assert.deepEqual(parseXml(xml.body).visitorName, 'You');

    const set = await t.inject({ method: 'POST', url: `${chat}/info/visitorName.json?v=1&NC=true`, headers: PUT, payload: { visitorName: 'Natalie' } });
    assert.equal(set.statusCode, 200);
    assert.deepEqual(await visitorGet(t, `${chat}/info/visitorName.json`), { visitorName: 'Natalie' });
    assert.equal((await info(t, chat)).visitorName, 'Natalie');
  });
});

test('visitorName: a real PUT with an XML body → 200; reads back in XML; the agent sees it', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    const set = await t.inject({ method: 'PUT', url: `${chat}/info/visitorName`, headers: XML_BODY, payload: '<visitorName>Bob &amp; Co</visitorName>' });
    assert.equal(set.statusCode, 200);
    const res = await t.inject({ method: 'GET', url: `${chat}/info/visitorName`, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    assert.equal(parseXml(res.body).visitorName, 'Bob & Co');
    assert.ok(res.body.includes('<visitorName>Bob &amp; Co</visitorName>'), 'the ampersand is escaped on the wire');
    const seen = await t.inject({ method: 'GET', url: `${agentChat}/info/visitorName.json`, headers: agent.auth });
    assert.deepEqual(seen.json(), { visitorName: 'Bob & Co' });
  });
});

test('visitorName: bad values → 400 and the name is unchanged', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    for (const payload of [{}, { visitorName: '' }, { visitorName: '   ' }, { visitorName: 'x'.repeat(201) }, { name: 'Bob' }]) {
      const res = await t.inject({ method: 'POST', url: `${chat}/info/visitorName.json`, headers: PUT, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal((res.json() as { error: { reason: string } }).error.reason, 'BAD_REQUEST');
    }
    const xml = await t.inject({ method: 'PUT', url: `${chat}/info/visitorName`, headers: { ...XML_BODY, accept: 'application/xml' }, payload: '<visitorName></visitorName>' });
    assert.equal(xml.statusCode, 400);
    assert.equal(obj(parseXml(xml.body).error).reason, 'BAD_REQUEST');
    assert.deepEqual(await visitorGet(t, `${chat}/info/visitorName.json`), { visitorName: 'You' });
  });
});

test('visitorTyping: set typing → 200, read in JSON, XML and info; expires after the typing timeout', async () => {
  await withApp({ typingTimeout: TYPING_TIMEOUT }, async (t) => {
    const chat = await startChat(t);
    assert.equal(await visitorTyping(t, chat), 'not-typing');
    const set = await setVisitorTyping(t, chat, 'typing');
    assert.equal(set.statusCode, 200);
    assert.equal(await visitorTyping(t, chat), 'typing');
    const xml = await t.inject({ method: 'GET', url: `${chat}/info/visitorTyping.xml`, headers: KEY_HEADER });
    assert.equal(parseXml(xml.body).visitorTyping, 'typing');
    assert.equal((await info(t, chat)).visitorTyping, 'typing');

    await t.tick(TYPING_TIMEOUT * 1000 - 1);
    assert.equal(await visitorTyping(t, chat), 'typing');
    await t.tick(2);
    assert.equal(await visitorTyping(t, chat), 'not-typing');
    assert.equal((await info(t, chat)).visitorTyping, 'not-typing');
  });
});

test('visitorTyping: "not-typing" clears it, a posted line clears it, XML and real PUT work', async () => {
  await withApp({ typingTimeout: TYPING_TIMEOUT }, async (t) => {
    const chat = await startChat(t);
    assert.equal((await setVisitorTyping(t, chat, 'typing')).statusCode, 200);
    assert.equal((await setVisitorTyping(t, chat, 'not-typing')).statusCode, 200);
    assert.equal(await visitorTyping(t, chat), 'not-typing');

    const xml = await t.inject({ method: 'PUT', url: `${chat}/info/visitorTyping`, headers: XML_BODY, payload: '<visitorTyping>typing</visitorTyping>' });
    assert.equal(xml.statusCode, 200);
    assert.equal(await visitorTyping(t, chat), 'typing');
    const line = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hi' } } });
    assert.equal(line.statusCode, 201);
    assert.equal(await visitorTyping(t, chat), 'not-typing');
  });
});

test('visitorTyping: bad values → 400 in the client format, flag unchanged', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    for (const payload of [{ visitorTyping: 'maybe' }, { visitorTyping: '' }, { visitorTyping: 'unknown' }, {}]) {
      const res = await t.inject({ method: 'POST', url: `${chat}/info/visitorTyping.json`, headers: PUT, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.headers['content-type'], 'application/json');
    }
    const xml = await t.inject({ method: 'PUT', url: `${chat}/info/visitorTyping`, headers: { ...XML_BODY, accept: 'application/xml' }, payload: '<visitorTyping>yes</visitorTyping>' });
    assert.equal(xml.statusCode, 400);
    assert.equal(obj(parseXml(xml.body).error).reason, 'BAD_REQUEST');
    assert.equal(await visitorTyping(t, chat), 'not-typing');
  });
});

test('agentTyping reflects what the agent sets through the agent API, and expires', async () => {
  await withApp({ typingTimeout: TYPING_TIMEOUT }, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    assert.equal(await agentTyping(t, chat), 'not-typing');

    assert.equal((await setAgentTyping(t, agent, agentChat, 'typing')).statusCode, 200);
    assert.equal(await agentTyping(t, chat), 'typing');
    const xml = await t.inject({ method: 'GET', url: `${chat}/info/agentTyping`, headers: { ...KEY_HEADER, accept: 'application/xml' } });
    assert.match(String(xml.headers['content-type']), /^application\/xml\b/);
    assert.equal(parseXml(xml.body).agentTyping, 'typing');
    assert.equal((await info(t, chat)).agentTyping, 'typing');

    await t.tick(TYPING_TIMEOUT * 1000 + 1);
    assert.equal(await agentTyping(t, chat), 'not-typing');

    assert.equal((await setAgentTyping(t, agent, agentChat, 'typing')).statusCode, 200);
    const line = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'Hi' } } });
    assert.equal(line.statusCode, 201);
    assert.equal(await agentTyping(t, chat), 'not-typing', 'an agent line clears the flag');
  });
});

test('setters on an ended chat: 409; the getters still answer', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    await endByVisitor(t, chat);
    const name = await t.inject({ method: 'POST', url: `${chat}/info/visitorName.json`, headers: PUT, payload: { visitorName: 'Late' } });
    assert.equal(name.statusCode, 409);
    assert.equal((name.json() as { error: { reason: string } }).error.reason, 'CONFLICT');
    assert.equal((await setVisitorTyping(t, chat, 'typing')).statusCode, 409);
    assert.deepEqual(await visitorGet(t, `${chat}/info/visitorName.json`), { visitorName: 'You' });
    assert.equal(await visitorTyping(t, chat), 'not-typing');
    assert.equal((await info(t, chat)).state, 'ended');
  });
});
