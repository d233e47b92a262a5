// Golden test of Retrieve Chat Information (spec §4.11) against the vendor's own example
// (seed-info.json; source: permalink server-chat-api-methods-retrieve-chat-information.html).
// A real chat is driven to the seed's situation — skill Sales, agent Natalie accepted, the
// engagement ids of the seed sent in the request — and the info document must carry every
// field of the seed, in the seed's order, with the seed's JSON types and, where the value is
// determined by what happened, the seed's value.
//
// Links: the seed page prints `href`/`rel`; we emit `@href`/`@rel` deliberately (spec §1.6 and
// §6 #1 — the XML-to-JSON mapping and what real clients read). So we compare the rels and
// their order, and that each href is absolute and points where the seed's does; not the key
// spelling.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { acceptNext, ACCOUNT, agentOnline, BASE, KEY_HEADER, locationPath, withApp, type TestApp } from '../helpers/app.ts';
import { ORIGIN, parseXmlRoot, TIME } from '../helpers/wire.ts';

type Info = Record<string, unknown> & { link: Array<Record<string, string>> };
const seed = JSON.parse(readFileSync(new URL('./seed-info.json', import.meta.url), 'utf8')) as { _source: { permalink: string }; info: Info };

const CHAT_KEY = /^H\d+-[0-9a-f]{32}K\d+$/;
/** Fields whose value the scenario fixes: they must equal the seed's. */
const DETERMINED = [
  'state',
  'skillName',
  'skillId',
  'agentName',
  'agentId',
  'duration',
  'chatTimeout',
  'agentTyping',
  'visitorTyping',
  'visitorName',
  'sharkVisitorId',
  'sharkSessionId',
  'sharkContextId',
  'engagementId',
  'campaignId',
  'language',
];

/** Starts the seed's chat (its engagement ids as in a Start Chat request) and has Natalie accept it. */
async function seedChat(t: TestApp): Promise<{ chat: string; chatId: string }> {
  const res = await t.inject({
    method: 'POST',
    url: `${BASE}/chat/request.json?v=1&NC=true`,
    headers: KEY_HEADER,
    payload: {
      request: {
        skill: 'Sales',
        interactionTimeout: 40,
        LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
        LETagSessionId: 'rN82d4rATN6EuiA4cJwaPg',
        LETagContextId: '3',
        // Numbers in the Start Chat example; strings in the info example.
        engagementId: 27469613,
        campaignId: 26948813,
        language: 'en-US',
      },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  const chat = locationPath(res);
  await acceptNext(t, await agentOnline(t));
  await t.tick(5_000);
  return { chat, chatId: chat.split('/').pop() ?? '' };
}

test('the golden copy is the seed page example', () => {
  assert.equal(seed._source.permalink, 'server-chat-api-methods-retrieve-chat-information.html');
  assert.equal(Object.keys(seed.info).length, 22);
  assert.match(String(seed.info.chatSessionKey), CHAT_KEY);
  assert.match(String(seed.info.startTime), TIME);
});

test('info.json has every field of the seed, in order, with the same JSON types and determined values', async () => {
  await withApp({}, async (t) => {
    const { chat, chatId } = await seedChat(t);
    const res = await t.inject({ method: 'GET', url: `${chat}/info.json?v=1&NC=true`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const doc = res.json() as { info: Info };
    assert.deepEqual(Object.keys(doc), ['info']);
    const info = doc.info;

    assert.deepEqual(Object.keys(info), Object.keys(seed.info), 'same fields, same order, nothing extra');
    for (const [k, v] of Object.entries(seed.info)) {
      const kind = (x: unknown): string => (Array.isArray(x) ? 'array' : typeof x);
      assert.equal(kind(info[k]), kind(v), `JSON type of ${k}`);
    }
    for (const k of DETERMINED) assert.equal(info[k], seed.info[k], k);

    assert.equal(info.chatSessionKey, chatId);
    assert.match(String(info.chatSessionKey), CHAT_KEY);
    assert.match(String(info.startTime), TIME);
    assert.match(String(info.lastUpdate), TIME);
    assert.ok(String(info.lastUpdate) > String(info.startTime), 'the GET refreshed lastUpdate');
    assert.ok(Number.isSafeInteger(info.visitorId) && Number(info.visitorId) > 0);
    assert.ok(Number.isSafeInteger(info.rtSessionId) && Number(info.rtSessionId) > 0);

    // Links: same rels in the same order; absolute hrefs to the seed's paths (see the header).
    assert.deepEqual(info.link.map((l) => l['@rel']), seed.info.link.map((l) => l.rel));
    info.link.forEach((l, i) => {
      assert.deepEqual(Object.keys(l), ['@href', '@rel']);
      const href = String(l['@href']);
      assert.match(href, /^https?:\/\/[^/]+\/api\/account\//, 'absolute');
      const expected = String(seed.info.link[i]?.href)
        .replace('https://{domain}', ORIGIN)
        .replace('{accountId}', ACCOUNT)
        .replace('{chatId}', chatId);
      assert.equal(href, expected);
    });
  });
});

test('info.xml carries the same fields as elements, in the seed order, links as attributes', async () => {
  await withApp({}, async (t) => {
    const { chat } = await seedChat(t);
    const res = await t.inject({ method: 'GET', url: `${chat}/info.xml?v=1&NC=true`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    const doc = parseXmlRoot(res.body) as { info: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc), ['info']);
    assert.deepEqual(Object.keys(doc.info), Object.keys(seed.info));
    const links = doc.info.link as Array<Record<string, string>>;
    assert.deepEqual(links.map((l) => l['@rel']), seed.info.link.map((l) => l.rel));
    for (const l of links) assert.match(String(l['@href']), /^http:\/\/localhost:80\/api\/account\//);
    for (const k of DETERMINED) assert.equal(doc.info[k], String(seed.info[k]), k);
  });
});
