// Single item versus list (spec §1.4): a repeated element that occurs once is an object in
// JSON and several are an array; in XML both are sibling elements of that name, with "@"
// keys as attributes, scalar answers as a root element with text, and no element at all for
// an empty list. Checked on real resources and on the codecs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeJson } from '../../src/api/codecs/json.ts';
import { encodeXml } from '../../src/api/codecs/xml.ts';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { agentOnline, BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { list, obj, parseXmlRoot } from '../helpers/wire.ts';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';

async function get(t: TestApp, url: string, headers: Record<string, string> = KEY_HEADER): Promise<string> {
  const res = await t.inject({ method: 'GET', url, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.body;
}

test('events: one event is an object, several an array, none no key (JSON)', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t, { skill: 'Sales', preChatLines: { line: ['first', 'second'] } });
    // A fresh chat with two pre-chat lines has events 0–3.
    const several = JSON.parse(await get(t, `${chat}/events.json`)) as { events: { event: unknown } };
    assert.ok(Array.isArray(several.events.event));
    assert.equal((several.events.event as unknown[]).length, 4);

    const one = JSON.parse(await get(t, `${chat}/events.json?from=3`)) as { events: { event: unknown; link: unknown } };
    const event = one.events.event as Record<string, unknown>;
    assert.ok(!Array.isArray(event) && typeof event === 'object', JSON.stringify(one));
    assert.equal(event['@id'], '3');
    assert.equal(event['text'], 'second');
    assert.ok(Array.isArray(one.events.link), 'self and next stay a list');

    const none = JSON.parse(await get(t, `${chat}/events.json?from=4`)) as { events: Record<string, unknown> };
    assert.deepEqual(Object.keys(none.events), ['link']);

    // The chat resource nests the same events object: one event there is an object too.
    const chatDoc = JSON.parse(await get(t, `${chat}.json?from=3`)) as { chat: { events: { event: unknown } } };
    assert.ok(!Array.isArray(chatDoc.chat.events.event));
  });
});

test('events: one or several <event> siblings with id/type attributes, none absent (XML)', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t, { skill: 'Sales', preChatLines: { line: ['first', 'second'] } });
    const several = await get(t, `${chat}/events.xml`);
    assert.match(several, /^<\?xml version="1\.0" encoding="UTF-8"\?><events><link href="[^"]+\/events" rel="self"\/><link href="[^"]+\/events\?from=4" rel="next"\/><event id="0" type="state"><time>[^<]+<\/time><state>waiting<\/state><\/event><event id="1" type="line">/);
    assert.equal(list(obj(parseXmlRoot(several).events).event).length, 4);
    assert.ok(!several.includes('<event>') && !several.includes('<events><events>'), 'no wrapper around repeated elements');

    const one = await get(t, `${chat}/events.xml?from=3`);
    assert.equal((one.match(/<event /g) ?? []).length, 1);
    assert.match(one, /<event id="3" type="line"><time>[^<]+<\/time><textType>plain<\/textType><text>second<\/text><by>info<\/by><source>system<\/source><systemMessageId>0<\/systemMessageId><subType>REGULAR<\/subType><\/event><\/events>$/);

    const none = await get(t, `${chat}/events.xml?from=4`);
    assert.ok(!/<event[ >/]/.test(none), none);
    assert.equal(list(obj(parseXmlRoot(none).events).link).length, 2);
  });
});

test('a single link is an object (incomingRequests), the account root links an array; XML <link href rel/>', async () => {
  await withApp({}, async (t) => {
    const agent = await agentOnline(t);
    await startChat(t);
    const json = JSON.parse(await get(t, `${agent.session}/incomingRequests.json`, agent.auth)) as { incomingRequests: { link: unknown } };
    const link = json.incomingRequests.link as Record<string, unknown>;
    assert.ok(!Array.isArray(link));
    assert.equal(link['@rel'], 'accept');
    const xml = await get(t, `${agent.session}/incomingRequests.xml`, agent.auth);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?><incomingRequests><ringingCount>1<\/ringingCount><link href="[^"]+\/incomingRequests" rel="accept"\/><\/incomingRequests>$/);

    const root = JSON.parse(await get(t, `${BASE}.json`)) as { account: { link: unknown } };
    assert.ok(Array.isArray(root.account.link));
    const rootXml = await get(t, `${BASE}.xml`);
    assert.match(rootXml, /^<\?xml version="1\.0" encoding="UTF-8"\?><account id="12345678">(<link href="[^"]+" rel="[a-zA-Z-]+"\/>){8}<\/account>$/);
  });
});

test('AvailabilityForSkills: several skills give a skillAvailability array / repeated elements', async () => {
  const twoSkills: Provisioning = { accounts: demoProvisioning.accounts.map((a) => ({ ...a, skills: [...a.skills, { id: 31000001, name: 'Support' }] })) };
  await withApp({ provisioning: twoSkills }, async (t) => {
    const json = JSON.parse(await get(t, `${BASE}/chat/availability.json?skill=Sales&skill=Support`)) as {
      availability: { AvailabilityForSkills: { skillAvailability: unknown } };
    };
    assert.deepEqual(json.availability.AvailabilityForSkills.skillAvailability, [
      { skill: 'Sales', isAvailable: false },
      { skill: 'Support', isAvailable: false },
    ]);
    assert.equal(
      await get(t, `${BASE}/chat/availability.xml?skill=Sales&skill=Support`),
      `${PROLOG}<availability><AvailabilityForSkills><skillAvailability><skill>Sales</skill><isAvailable>false</isAvailable></skillAvailability><skillAvailability><skill>Support</skill><isAvailable>false</isAvailable></skillAvailability></AvailabilityForSkills></availability>`,
    );
    // One skill is the plain scalar answer.
    assert.equal(await get(t, `${BASE}/chat/availability.json?skill=Sales`), '{"availability":false}');
  });
});

test('scalar answers are root elements with text; errors are <error> with child elements', async () => {
  await withApp({}, async (t) => {
    await agentOnline(t);
    assert.equal(await get(t, `${BASE}/chat/availability.xml`), `${PROLOG}<availability>true</availability>`);
    assert.equal(await get(t, `${BASE}/chat/estimatedWaitTime.xml`), `${PROLOG}<estimatedWaitTime>0</estimatedWaitTime>`);
    const err = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.xml?maxWaitTime=-1`, headers: KEY_HEADER });
    assert.equal(err.statusCode, 400);
    assert.match(err.body, /^<\?xml version="1\.0" encoding="UTF-8"\?><error><time>[^<]+<\/time><reason>BAD_REQUEST<\/reason><message>[^<]+<\/message><internalCode>\d+<\/internalCode><responseStatus>BAD_REQUEST<\/responseStatus><\/error>$/);
  });
});

test('codecs: one → object / several → array, the same elements in XML, at any depth', () => {
  const shapes: Array<[unknown[], string, string]> = [
    [[{ '@id': '0' }], '{"r":{"e":{"@id":"0"}}}', '<r><e id="0"/></r>'],
    [[{ '@id': '0' }, { '@id': '1' }], '{"r":{"e":[{"@id":"0"},{"@id":"1"}]}}', '<r><e id="0"/><e id="1"/></r>'],
    [['2'], '{"r":{"e":"2"}}', '<r><e>2</e></r>'],
    [['2', '4'], '{"r":{"e":["2","4"]}}', '<r><e>2</e><e>4</e></r>'],
    [[], '{"r":{}}', '<r/>'],
    [[null, { '@id': '0' }, undefined], '{"r":{"e":{"@id":"0"}}}', '<r><e id="0"/></r>'],
    // XML has no list of lists: a nested list is one flat sequence, in both formats.
    [[['a', 'b'], ['c']], '{"r":{"e":["a","b","c"]}}', '<r><e>a</e><e>b</e><e>c</e></r>'],
    [[['a']], '{"r":{"e":"a"}}', '<r><e>a</e></r>'],
  ];
  for (const [items, json, xml] of shapes) {
    const doc = { r: { e: items as never } };
    assert.equal(encodeJson(doc), json, JSON.stringify(items));
    assert.equal(encodeXml(doc), `${PROLOG}${xml}`, JSON.stringify(items));
  }
  // Collapsing works inside repeated elements too.
  const nested = { r: { item: [{ tag: ['x'] }, { tag: ['y', 'z'] }] } };
  assert.equal(encodeJson(nested), '{"r":{"item":[{"tag":"x"},{"tag":["y","z"]}]}}');
  assert.equal(encodeXml(nested), `${PROLOG}<r><item><tag>x</tag></item><item><tag>y</tag><tag>z</tag></item></r>`);
});
