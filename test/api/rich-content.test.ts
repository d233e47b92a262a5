// Rich-content lines (agent API §4.13): the structured-content template an agent sends is
// re-emitted in the documented wire form — the `json` object itself in JSON (lists of one
// stay lists: it is the template, not a vendor resource), its JSON text in XML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentAccepted, KEY_HEADER, withApp } from '../helpers/app.ts';
import { list, obj, parseXml } from '../helpers/wire.ts';

const TEMPLATE = {
  type: 'vertical',
  elements: [
    { type: 'text', text: 'Pick one', tooltip: 'text tooltip' },
    { type: 'button', title: 'Open', click: { actions: [{ type: 'link', name: 'Open', uri: 'https://brand.example/a?b=1&c=<2>' }] } },
  ],
};

interface JsonEvent {
  '@type': string;
  textType?: string;
  json?: unknown;
  source?: string;
}

test('a rich-content line reads back as its template, on both sides, in JSON and XML', async () => {
  await withApp({}, async (t) => {
    const { agent, visitorChat, agentChat } = await agentAccepted(t);
    const sent = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', textType: 'rich-content', json: TEMPLATE } } });
    assert.equal(sent.statusCode, 201, sent.body);
    for (const [url, headers] of [[`${visitorChat}/events`, KEY_HEADER], [`${agentChat}/events`, agent.auth]] as const) {
      const json = await t.inject({ method: 'GET', url: `${url}.json`, headers });
      const events = list(obj((json.json() as { events: unknown }).events).event) as unknown as JsonEvent[];
      const rich = events.find((e) => e.textType === 'rich-content');
      assert.ok(rich, json.body);
      assert.deepEqual(rich.json, TEMPLATE, 'the object itself, its one-item list (actions) still a list');
      assert.equal(rich.source, 'agent');
      const xml = await t.inject({ method: 'GET', url, headers: { ...headers, accept: 'application/xml' } });
      const x = list(obj(parseXml(xml.body).events).event).find((e) => e.textType === 'rich-content');
      assert.ok(x, xml.body);
      assert.deepEqual(JSON.parse(String(x.json)), TEMPLATE, 'XML carries the JSON text');
    }
  });
});

test('an XML agent sends the template as JSON text: it reads back as the same template', async () => {
  await withApp({}, async (t) => {
    const { agent, agentChat } = await agentAccepted(t);
    const text = JSON.stringify(TEMPLATE).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    const sent = await t.inject({
      method: 'POST',
      url: `${agentChat}/events`,
      headers: { ...agent.auth, 'content-type': 'application/xml', accept: 'application/xml' },
      payload: `<event type="line"><textType>rich-content</textType><json>${text}</json></event>`,
    });
    assert.equal(sent.statusCode, 201, sent.body);
    const json = await t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth });
    const rich = (list(obj((json.json() as { events: unknown }).events).event) as unknown as JsonEvent[]).find((e) => e.textType === 'rich-content');
    assert.deepEqual(rich?.json, TEMPLATE);
  });
});

test('a rich-content line without json is 400 and writes nothing', async () => {
  await withApp({}, async (t) => {
    const { agent, agentChat } = await agentAccepted(t);
    const before = await t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth });
    const res = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', textType: 'rich-content' } } });
    assert.equal(res.statusCode, 400);
    const after = await t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth });
    assert.equal(after.body, before.body);
  });
});
