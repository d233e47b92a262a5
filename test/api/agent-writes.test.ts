// What an agent may write, and how: only to a chat it holds; HTML made safe for the visitor
// (agent API §4.13); every created event readable at its Location; malformed URLs answered
// in the error format like everything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, BASE, KEY_HEADER, locationPath, startChat, withApp } from '../helpers/app.ts';

test('an agent must accept a ringing chat before writing to it (409 not-chatting, nothing written)', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const chatId = chat.split('/').pop() as string;
    const agentChat = `${agent.session}/chat/${chatId}`;
    const before = await t.store.getChat('12345678', chatId);
    const writes = [
      t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'too early' } } }),
      t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'state', state: 'ended' } } }),
      t.inject({ method: 'PUT', url: `${agentChat}/info/agentTyping.json`, headers: agent.auth, payload: { agentTyping: 'typing' } }),
    ];
    for (const res of await Promise.all(writes)) {
      assert.equal(res.statusCode, 409, res.body);
      assert.equal((res.json() as { error: { internalCode: number } }).error.internalCode, 412);
    }
    const after = await t.store.getChat('12345678', chatId);
    assert.equal(after?.version, before?.version);
    assert.equal(after?.nextEventId, before?.nextEventId);
    // Reading a ringing chat is allowed: the agent sees what it is about to take.
    assert.equal((await t.inject({ method: 'GET', url: `${agentChat}/info.json`, headers: agent.auth })).statusCode, 200);
    assert.equal(await acceptNext(t, agent), agentChat);
    const ok = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'now' } } });
    assert.equal(ok.statusCode, 201);
  });
});

test('agent HTML reaches the visitor without scripts or iframes, links open in a new tab', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    const html = `<div dir='ltr' style='direction:ltr;text-align:left;'>hi <a href="https://example.com/x" onclick="steal()">docs</a><script>alert(1)</script><iframe src="https://evil"></iframe><img src="javascript:alert(1)"></div>`;
    const res = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: html, textType: 'html' } } });
    assert.equal(res.statusCode, 201);
    const line = await t.inject({ method: 'GET', url: `${locationPath(res).replace(agent.session, BASE)}.json`, headers: KEY_HEADER });
    assert.equal(line.statusCode, 200, line.body);
    const text = (line.json() as { event: { text: string; textType: string } }).event;
    assert.equal(text.textType, 'html');
    assert.equal(text.text, '<div dir="ltr" style="direction:ltr;text-align:left">hi <a href="https://example.com/x" target="_blank" rel="noopener noreferrer">docs</a><img /></div>');
    const onlyScript = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: '<script>x()</script>', textType: 'html' } } });
    assert.equal(onlyScript.statusCode, 400);
    const events = await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY_HEADER });
    assert.ok(!events.body.includes('x()'));
  });
});

test('the Location of an agent line and of the end answers with that event, in JSON and XML', async () => {
  await withApp({}, async (t) => {
    await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    const line = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'hello' } } });
    const linePath = locationPath(line);
    const got = await t.inject({ method: 'GET', url: `${linePath}.json`, headers: agent.auth });
    assert.equal(got.statusCode, 200);
    assert.deepEqual(
      (({ '@type': type, text, source, by }) => ({ type, text, source, by }))((got.json() as { event: Record<string, string> }).event),
      { type: 'line', text: 'hello', source: 'agent', by: 'Natalie' },
    );
    const end = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
    const endXml = await t.inject({ method: 'GET', url: `${locationPath(end)}.xml`, headers: agent.auth });
    assert.equal(endXml.statusCode, 200);
    assert.match(endXml.body, /<event id="\d+" type="state"><time>[^<]+<\/time><state>ended<\/state><\/event>/);
    const missing = await t.inject({ method: 'GET', url: `${agentChat}/events/999.json`, headers: agent.auth });
    assert.equal(missing.statusCode, 404);
  });
});

test('a malformed URL gets a 400 error body in the requested format', async () => {
  await withApp({}, async (t) => {
    const json = await t.inject({ method: 'GET', url: `${BASE}/chat/%E0%A4%A`, headers: KEY_HEADER });
    assert.equal(json.statusCode, 400);
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal((json.json() as { error: { reason: string } }).error.reason, 'BAD_REQUEST');
    const xml = await t.inject({ method: 'GET', url: `${BASE}/chat/%E0%A4%A.xml`, headers: KEY_HEADER });
    assert.equal(xml.statusCode, 400);
    assert.match(xml.body, /^<\?xml[^>]*\?><error><time>[^<]+<\/time><reason>BAD_REQUEST<\/reason>/);
  });
});
