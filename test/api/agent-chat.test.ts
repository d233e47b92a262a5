// Agent side of one chat (agent API §4.7, 4.8, 4.10, 4.12–4.14), in JSON and in XML:
// ringing, accepting, the chat resource, events, lines and ending.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { agentAccepted, agentOnline, KEY_HEADER, startChat, visitorEvents, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { visitIdOf } from '../../src/chat/conversation/custom-variables.ts';
import { asArray, FORMATS, lastSegment, read, type AgentErrorDoc, type Event, type Events, type Fmt, type Info, type Link } from '../helpers/wire.ts';

const path = (href: string): string => new URL(href).pathname + new URL(href).search;

/** Asserts a 201 whose body links (rel "location", under `key`) to what its Location header names; returns that href. */
function createdAt(res: LightMyRequestResponse, fmt: Fmt, key: 'chatLocation' | 'chatEventLocation'): string {
  assert.equal(res.statusCode, 201, res.body);
  const loc = read<Record<typeof key, { link: Link }>>(res, fmt)[key].link;
  assert.equal(loc['@rel'], 'location');
  assert.equal(res.headers.location, loc['@href']);
  return loc['@href'];
}

async function ringing(t: TestApp, agent: AgentHandle, fmt: Fmt): Promise<{ ringingCount: string; link?: Link }> {
  const res = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.${fmt}?v=1&NC=true`, headers: agent.auth });
  assert.equal(res.statusCode, 200);
  return read<{ incomingRequests: { ringingCount: string; link?: Link } }>(res, fmt).incomingRequests;
}

async function agentEvents(t: TestApp, agent: AgentHandle, chat: string, fmt: Fmt, from = 0): Promise<Event[]> {
  const res = await t.inject({ method: 'GET', url: `${chat}/events.${fmt}?from=${from}`, headers: agent.auth });
  assert.equal(res.statusCode, 200);
  return asArray(read<{ events: Events }>(res, fmt).events.event);
}

function linePayload(fmt: Fmt, text: string, extra: Record<string, string> = {}): { payload: string | Record<string, unknown>; headers: Record<string, string> } {
  if (fmt === 'json') return { payload: { event: { '@type': 'line', text, ...extra } }, headers: {} };
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const fields = Object.entries({ text, ...extra }).map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('');
  return { payload: `<event type="line">${fields}</event>`, headers: { 'content-type': 'application/xml' } };
}

for (const fmt of FORMATS) {
  test(`incomingRequests rings, accept answers 201 with chatLocation and Location (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      const idle = await ringing(t, agent, fmt);
      assert.equal(idle.ringingCount, '0');
      assert.equal(idle.link, undefined, 'no link while nothing rings');

      const chat = await startChat(t);
      const rings = await ringing(t, agent, fmt);
      assert.equal(rings.ringingCount, '1');
      assert.ok(rings.link, 'a link to take the chat while it rings');
      assert.equal(new URL(rings.link['@href']).pathname, `${agent.session}/incomingRequests`);

      const res = await t.inject({ method: 'POST', url: `${path(rings.link['@href'])}.${fmt}`, headers: agent.auth, payload: {} });
      assert.equal(new URL(createdAt(res, fmt, 'chatLocation')).pathname, `${agent.session}/chat/${lastSegment(chat)}`);

      const after = await ringing(t, agent, fmt);
      assert.equal(after.ringingCount, '0');
      assert.equal(after.link, undefined);
      // The visitor sees the acceptance: chatting, then system message 3.
      const seen = await visitorEvents(t, chat);
      assert.deepEqual(seen.slice(2).map((e) => [e['@type'], e.state ?? e.systemMessageId]), [['state', 'chatting'], ['line', 3]]);
    });
  });

  test(`accept with nothing ringing answers 409 (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      const res = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests.${fmt}`, headers: agent.auth, payload: {} });
      assert.equal(res.statusCode, 409);
      assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'CONFLICT');
    });
  });

  test(`the agent chat resource: all nine links in the §4.10 order; events with from (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t);
      const res = await t.inject({ method: 'GET', url: `${chat}.${fmt}?v=1&NC=true`, headers: agent.auth });
      assert.equal(res.statusCode, 200);
      const doc = read<{ chat: { link: Link[]; events: Events; info: Info } }>(res, fmt).chat;
      assert.deepEqual(
        doc.link.map((l) => [l['@rel'], path(l['@href'])]),
        // Agent spec §4.10, in the example's order: clients read links by position.
        [
          ['self', chat],
          ['events', `${chat}/events`],
          ['info', `${chat}/info`],
          ['next', `${chat}?from=4`],
          ['collaboration-channels', `${chat}/collaborationChannels`],
          ['visit-id', `${agent.session}/visits/visit/${visitIdOf(lastSegment(chat))}`],
          ['transfer', `${chat}/transfer`],
          ['transfer-account', `${chat}/transferAccount`],
          ['agent-survey', `${chat}/survey`],
        ],
      );
      if (fmt === 'xml') assert.match(res.body, /^<\?xml[^>]*\?><chat><link [^>]*rel="self"\/><link [^>]*rel="events"\/><link [^>]*rel="info"\/><link [^>]*rel="next"\/><link [^>]*rel="collaboration-channels"\/><link [^>]*rel="visit-id"\/><link [^>]*rel="transfer"\/><link [^>]*rel="transfer-account"\/><link [^>]*rel="agent-survey"\/><events>/);
      else assert.deepEqual((res.json() as { chat: { link: Link[] } }).chat.link.map((l) => l['@rel']), ['self', 'events', 'info', 'next', 'collaboration-channels', 'visit-id', 'transfer', 'transfer-account', 'agent-survey']);
      assert.deepEqual(asArray(doc.events.event).map((e) => e['@id']), ['0', '1', '2', '3']);
      assert.deepEqual(asArray(doc.events.link).map((l) => [l['@rel'], path(l['@href'])]), [['self', `${chat}/events`], ['next', `${chat}/events?from=4`]]);
      assert.equal(doc.info.state, 'chatting');
      assert.equal(doc.info.chatSessionKey, lastSegment(visitorChat));
      assert.equal(doc.info.visitorName, 'visitor');

      // from=N returns only events with id >= N; a poll at the cursor returns none.
      const from2 = read<{ chat: { events: Events } }>(await t.inject({ method: 'GET', url: `${chat}.${fmt}?from=2`, headers: agent.auth }), fmt);
      assert.deepEqual(asArray(from2.chat.events.event).map((e) => e['@id']), ['2', '3']);
      const atNext = read<{ chat: { link: Link[]; events: Events } }>(await t.inject({ method: 'GET', url: `${chat}.${fmt}?from=4`, headers: agent.auth }), fmt);
      assert.equal(atNext.chat.events.event, undefined);
      assert.equal(path(atNext.chat.link[3]?.['@href'] ?? ''), `${chat}?from=4`);

      const ev = await t.inject({ method: 'GET', url: `${chat}/events.${fmt}?from=1`, headers: agent.auth });
      const evDoc = read<{ events: Events }>(ev, fmt).events;
      assert.deepEqual(asArray(evDoc.event).map((e) => [e['@id'], e['@type']]), [['1', 'line'], ['2', 'state'], ['3', 'line']]);
      assert.equal(path(asArray(evDoc.link)[1]?.['@href'] ?? ''), `${chat}/events?from=4`);
      assert.equal(String(asArray(evDoc.event)[2]?.systemMessageId), '3');
    });
  });

  test(`agent lines: 201 + chatEventLocation, html kept, ONLY_TO_REP hidden from the visitor (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t);
      // Safe HTML in the sanitiser's own form passes through unchanged (agent-writes.test.ts covers the stripping).
      const html = '<div dir="ltr" style="direction:ltr;text-align:left">Hello &amp; welcome</div>';
      const line = linePayload(fmt, html, { textType: 'html' });
      const res = await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...line.headers }, payload: line.payload });
      assert.equal(path(createdAt(res, fmt, 'chatEventLocation')), `${chat}/events/4`);

      const note = linePayload(fmt, 'private: this visitor is a VIP', { subType: 'ONLY_TO_REP' });
      const noteRes = await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...note.headers }, payload: note.payload });
      assert.equal(noteRes.statusCode, 201);
      assert.equal(path(read<{ chatEventLocation: { link: Link } }>(noteRes, fmt).chatEventLocation.link['@href']), `${chat}/events/5`);

      const mine = await agentEvents(t, agent, chat, fmt, 4);
      assert.deepEqual(
        mine.map((e) => [e['@id'], e.textType, e.text, e.source, e.by, e.subType]),
        [
          ['4', 'html', html, 'agent', 'Natalie', 'REGULAR'],
          ['5', 'plain', 'private: this visitor is a VIP', 'agent', 'Natalie', 'ONLY_TO_REP'],
        ],
      );

      const theirs = await visitorEvents(t, visitorChat);
      assert.ok(theirs.some((e) => e['@id'] === '4' && e.textType === 'html' && e.text === html));
      assert.ok(!theirs.some((e) => e['@id'] === '5' || e.subType === 'ONLY_TO_REP' || (e.text ?? '').includes('VIP')), 'the private note never reaches the visitor');
      const vchat = await t.inject({ method: 'GET', url: `${visitorChat}.json`, headers: KEY_HEADER });
      assert.ok(!vchat.body.includes('VIP'));

      // A visitor line reaches the agent.
      await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'thanks!' } } });
      const next = await agentEvents(t, agent, chat, fmt, 6);
      assert.deepEqual(next.map((e) => [e['@id'], e.source, e.text]), [['6', 'visitor', 'thanks!']]);

      // An empty line is refused.
      const empty = linePayload(fmt, '   ');
      const bad = await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...empty.headers }, payload: empty.payload });
      assert.equal(bad.statusCode, 400);
    });
  });

  test(`agent ends the chat: 201 chatLocation, visitor sees system message 5 and ended (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t);
      // 45 s pass while the visitor keeps polling (the chat would time out after 40 s of silence).
      for (const ms of [20_000, 20_000, 5_000]) {
        await t.tick(ms);
        assert.equal((await t.inject({ method: 'GET', url: `${visitorChat}/info.json`, headers: KEY_HEADER })).statusCode, 200);
      }
      const end = fmt === 'json' ? { payload: { event: { '@type': 'state', state: 'ended' } }, headers: {} } : { payload: '<event type="state"><state>ended</state></event>', headers: { 'content-type': 'application/xml' } };
      const res = await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...end.headers }, payload: end.payload });
      assert.equal(path(createdAt(res, fmt, 'chatLocation')), `${chat}/events/5`);

      const tail = (await visitorEvents(t, visitorChat)).slice(4);
      assert.deepEqual(tail.map((e) => [e['@id'], e['@type'], e.systemMessageId ?? e.state]), [['4', 'line', 5], ['5', 'state', 'ended']]);
      assert.equal(tail[0]?.source, 'system');
      const vinfo = (await t.inject({ method: 'GET', url: `${visitorChat}/info.json`, headers: KEY_HEADER })).json() as { info: Info };
      assert.equal(vinfo.info.state, 'ended');

      const info = read<{ info: Info }>(await t.inject({ method: 'GET', url: `${chat}/info.${fmt}`, headers: agent.auth }), fmt).info;
      assert.equal(info.state, 'ended');
      assert.equal(String(info.duration), '45');

      // The resource is kept; further writes are refused.
      assert.equal((await t.inject({ method: 'GET', url: `${chat}.${fmt}`, headers: agent.auth })).statusCode, 200);
      const again = await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...end.headers }, payload: end.payload });
      assert.equal(again.statusCode, 409);
      const line = linePayload(fmt, 'too late');
      assert.equal((await t.inject({ method: 'POST', url: `${chat}/events.${fmt}`, headers: { ...agent.auth, ...line.headers }, payload: line.payload })).statusCode, 409);
    });
  });
}

test('accept takes {}, {"chat":"start"}, an empty body and XML', async () => {
  await withApp({}, async (t) => {
    const agent = await agentOnline(t);
    const variants: Array<[string, Record<string, string>, string | Record<string, unknown> | undefined, Fmt]> = [
      ['{}', { 'content-type': 'application/json' }, {}, 'json'],
      ['{"chat":"start"}', { 'content-type': 'application/json' }, { chat: 'start' }, 'json'],
      ['no body, no type', {}, undefined, 'json'],
      ['empty JSON body', { 'content-type': 'application/json' }, '', 'json'],
      ['empty XML body', { 'content-type': 'application/xml' }, '', 'xml'],
      ['XML body', { 'content-type': 'application/xml' }, '<chat>start</chat>', 'xml'],
    ];
    for (const [label, headers, payload, fmt] of variants) {
      const visitorChat = await startChat(t);
      const res = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests`, headers: { ...agent.auth, ...headers }, ...(payload === undefined ? {} : { payload }) });
      assert.equal(res.statusCode, 201, `${label}: ${res.body}`);
      const href = read<{ chatLocation: { link: Link } }>(res, fmt).chatLocation.link['@href'];
      assert.equal(lastSegment(href), lastSegment(visitorChat), label);
      // End it so the agent's capacity does not run out.
      const end = await t.inject({ method: 'POST', url: `${path(href)}/events.json`, headers: agent.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
      assert.equal(end.statusCode, 201);
    }
  });
});
