// Issue 11, finding 3: no answer builds a chat's whole history. Events come in pages of at
// most --events-page-size; the `next` link says where the following page starts, and a
// client that follows it (as the JS SDK does on its next poll) reads every event once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentAccepted, KEY_HEADER, testApp, type TestApp } from '../helpers/app.ts';
import { asArray, type ChatDoc, type Event } from '../helpers/wire.ts';

const PAGE = 10;

interface EventsDoc {
  events: { link: Array<{ '@rel': string; '@href': string }>; event?: Event | Event[] };
}

const pathOf = (href: string): string => {
  const u = new URL(href);
  return u.pathname + u.search;
};

/** Follows `next` from `first` until a page comes back empty; every page's ids. */
async function follow(t: TestApp, first: string, headers: Record<string, string>, read: (body: unknown) => { ids: number[]; next: string }): Promise<number[][]> {
  const pages: number[][] = [];
  let url = first;
  for (let i = 0; i < 20; i++) {
    const res = await t.inject({ method: 'GET', url, headers });
    assert.equal(res.statusCode, 200, res.body);
    const { ids, next } = read(res.json());
    if (ids.length === 0) return pages;
    pages.push(ids);
    url = next;
  }
  throw new Error('no end to the pages');
}

const eventsPage = (body: unknown) => {
  const doc = body as EventsDoc;
  const next = doc.events.link.find((l) => l['@rel'] === 'next');
  assert.ok(next);
  return { ids: asArray(doc.events.event).map((e) => Number(e['@id'])), next: pathOf(next['@href']) };
};

const chatPage = (body: unknown) => {
  const doc = body as ChatDoc;
  const next = doc.chat.link.find((l) => l['@rel'] === 'next');
  assert.ok(next);
  const inEvents = (doc.chat.events as unknown as EventsDoc['events']).link.find((l) => l['@rel'] === 'next');
  assert.equal(new URL(inEvents?.['@href'] ?? '').search, new URL(next['@href']).search, 'both next links agree');
  return { ids: asArray(doc.chat.events.event).map((e) => Number(e['@id'])), next: pathOf(next['@href']) };
};

test('events come in pages of --events-page-size on both sides; following next reads each event once', async () => {
  const t = await testApp({ settings: { eventsPageSize: PAGE, chatLinesPerSecond: 1000 } });
  try {
    const { agent, visitorChat, agentChat } = await agentAccepted(t);
    for (let i = 0; i < 25; i++) {
      const r = await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: `line ${i}` } } });
      assert.equal(r.statusCode, 201, r.body);
    }
    const all = (await t.store.listEvents('12345678', visitorChat.split('/').pop() as string, 0)).map((e) => e.id);
    assert.ok(all.length > 2 * PAGE, `${all.length} events`);
    for (const [first, headers, read] of [
      [`${visitorChat}/events.json?from=0`, KEY_HEADER, eventsPage],
      [`${visitorChat}.json?from=0`, KEY_HEADER, chatPage],
      [`${agentChat}/events.json?from=0`, agent.auth, eventsPage],
      [`${agentChat}.json?from=0`, agent.auth, chatPage],
    ] as const) {
      const pages = await follow(t, first, headers, read);
      assert.ok(pages.every((p) => p.length <= PAGE), `${first}: pages of ${pages.map((p) => p.length).join(', ')}`);
      assert.deepEqual(pages.flat(), all, first);
    }
    // A page from the middle: exactly PAGE events from `from`, and next right after them.
    const mid = eventsPage((await t.inject({ method: 'GET', url: `${visitorChat}/events.json?from=5`, headers: KEY_HEADER })).json());
    assert.deepEqual(mid.ids, all.slice(5, 5 + PAGE));
    assert.equal(new URL(`http://x${mid.next}`).searchParams.get('from'), String(5 + PAGE));
  } finally {
    await t.close();
  }
});
