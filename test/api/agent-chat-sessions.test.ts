// Retrieve Chat Sessions (agent API §4.9) and Retrieve Data for Multiple Chats (§4.11), in
// JSON and XML: continuity across sessions, `href`/`rel` and `id`/`type` without "@" in
// JSON (agent spec §5 #7), per-chat `fromEventIds`, bad queries, and that no agent ever
// reads another agent's or another account's chats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, ACCOUNT, AGENT, BASE, endByVisitor, KEY_HEADER, startChat, TOM, withApp, type TestApp } from '../helpers/app.ts';
import { agentIn, assertErr, BOB, directoryProvisioning, fmtGet, OTHER_BASE } from '../helpers/agents.ts';
import { FORMATS, lastSegment, list, obj, ORIGIN, read, type Fmt, type XNode } from '../helpers/wire.ts';

const opts = { provisioning: directoryProvisioning };

/** A chat of the other account, accepted by Bob; returns its key. */
async function bobsChat(t: TestApp): Promise<string> {
  const bob = await agentIn(t, BOB, { base: OTHER_BASE, online: true });
  const res = await t.inject({ method: 'POST', url: `${OTHER_BASE}/chat/request.json`, headers: { authorization: 'LivePerson appKey=0therAccountKey' }, payload: { request: { skill: 'Support' } } });
  assert.equal(res.statusCode, 201, res.body);
  return lastSegment(await acceptNext(t, bob));
}

function sessionsOf(res: { statusCode: number; body: string }, fmt: Fmt, raw: Parameters<typeof read>[0]): XNode[] {
  assert.equal(res.statusCode, 200, res.body);
  const doc = read<{ chatSessions: XNode | string }>(raw, fmt);
  return doc.chatSessions === '' ? [] : list(obj(doc.chatSessions).chatSession);
}

for (const fmt of FORMATS) {
  const attr = (name: string): string => (fmt === 'json' ? name : `@${name}`);

  test(`[${fmt}] chat sessions lists the open chats the agent holds, from any of its sessions`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const empty = await fmtGet(t, `${nat.session}/chatSessions`, nat.auth, fmt);
      assert.deepEqual(sessionsOf(empty, fmt, empty), []);
      if (fmt === 'json') assert.equal(empty.body, '{"chatSessions":{}}');

      const started = t.clock.now();
      await startChat(t);
      const chatId = lastSegment(await acceptNext(t, nat));
      // A second session of the same agent (another device) sees the chat under its own URI.
      const second = await agentIn(t, AGENT);
      const res = await fmtGet(t, `${second.session}/chatSessions`, second.auth, fmt);
      const [one, ...rest] = sessionsOf(res, fmt, res);
      assert.equal(rest.length, 0);
      // One chat: an object, not a list (spec §1.4).
      if (fmt === 'json') assert.ok(!Array.isArray((res.json() as { chatSessions: { chatSession: unknown } }).chatSessions.chatSession));
      const l = obj(one?.link);
      const href = `${ORIGIN}${second.session}/chat/${chatId}`;
      assert.deepEqual(l, { [attr('href')]: href, [attr('rel')]: 'chat-session' });
      assert.equal(one?.chatSessionKey, chatId);
      assert.equal(fmt === 'json' ? one?.startTime : Number(one?.startTime), started);
      // The link works from the second session.
      const chat = await t.inject({ method: 'GET', url: `${new URL(href).pathname}.json`, headers: second.auth });
      assert.equal(chat.statusCode, 200, chat.body);

      // A ringing chat is not held yet; two held chats are a list; ended chats drop out.
      await startChat(t);
      const ringing = await fmtGet(t, `${nat.session}/chatSessions`, nat.auth, fmt);
      assert.equal(sessionsOf(ringing, fmt, ringing).length, 1);
      const chat2 = await acceptNext(t, nat);
      const two = await fmtGet(t, `${nat.session}/chatSessions`, nat.auth, fmt);
      assert.deepEqual(sessionsOf(two, fmt, two).map((s) => s.chatSessionKey), [chatId, lastSegment(chat2)]);
      const end = await t.inject({ method: 'POST', url: `${chat2}/events.json`, headers: nat.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
      assert.equal(end.statusCode, 201);
      const after = await fmtGet(t, `${nat.session}/chatSessions`, nat.auth, fmt);
      assert.deepEqual(sessionsOf(after, fmt, after).map((s) => s.chatSessionKey), [chatId]);
    });
  });

  test(`[${fmt}] chat sessions never shows another agent's or account's chats, and refuses wrong tokens`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await startChat(t);
      const natChat = lastSegment(await acceptNext(t, nat));
      const tomH = await agentIn(t, TOM);
      const bobChat = await bobsChat(t);
      const bob = await agentIn(t, BOB, { base: OTHER_BASE });
      const tomList = await fmtGet(t, `${tomH.session}/chatSessions`, tomH.auth, fmt);
      assert.deepEqual(sessionsOf(tomList, fmt, tomList), []);
      const bobList = await fmtGet(t, `${bob.session}/chatSessions`, bob.auth, fmt);
      assert.deepEqual(sessionsOf(bobList, fmt, bobList).map((s) => s.chatSessionKey), [bobChat]);
      assert.ok(!bobList.body.includes(natChat));
      assertErr(await fmtGet(t, `${nat.session}/chatSessions`, {}, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, `${nat.session}/chatSessions`, { authorization: 'Bearer forged' }, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, `${nat.session}/chatSessions`, bob.auth, fmt), fmt, 401, 12);
      const viaTom = await fmtGet(t, `${nat.session}/chatSessions`, tomH.auth, fmt);
      assertErr(viaTom, fmt, 404, 406);
      assert.ok(!viaTom.body.includes(natChat));
    });
  });

  test(`[${fmt}] multiple chats answers each chat resource with its own fromEventId`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const v1 = await startChat(t);
      const c1 = lastSegment(await acceptNext(t, nat));
      await startChat(t);
      const c2 = lastSegment(await acceptNext(t, nat));
      const line = await t.inject({ method: 'POST', url: `${v1}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'hello' } } });
      assert.equal(line.statusCode, 201);
      // Chat 1: events 0-4 (state, routing line, state, accepted line, visitor line); from 4 gives the visitor's line.
      const res = await fmtGet(t, `${nat.session}/chat?chatSessionKeys=${c1},${c2}&fromEventIds=4,0&v=1&NC=true`, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const chats = list(obj(read<{ chats: XNode }>(res, fmt).chats).chat);
      assert.equal(chats.length, 2);
      const [a, b] = chats as [XNode, XNode];
      const base = `${ORIGIN}${nat.session}/chat/${c1}`;
      const links = list(a.link).map((l) => [l[attr('rel')], l[attr('href')]]);
      assert.deepEqual(links.slice(0, 4), [
        ['self', base],
        ['events', `${base}/events`],
        ['info', `${base}/info`],
        ['next', `${base}?from=5`],
      ]);
      // The same links as the one-chat resource (agent API §4.10), whatever it lists after those.
      const oneChat = await fmtGet(t, `${nat.session}/chat/${c1}`, nat.auth, fmt);
      const oneLinks = list(obj(read<{ chat: XNode }>(oneChat, fmt).chat).link).map((l) => [l['@rel'], l['@href']]);
      assert.deepEqual(links, oneLinks);
      const aEvents = list(obj(a.events).event);
      assert.deepEqual(aEvents.map((e) => [e[attr('id')], e[attr('type')], e.text]), [['4', 'line', 'hello']]);
      assert.equal(obj(a.info).chatSessionKey, c1);
      const bEvents = list(obj(b.events).event);
      assert.deepEqual(bEvents.map((e) => e[attr('id')]), ['0', '1', '2', '3']);
      // System lines keep their numeric systemMessageId (agent API §4.25): 4 routing, 3 accepted.
      assert.deepEqual(bEvents.filter((e) => e.systemMessageId !== undefined).map((e) => e.systemMessageId), fmt === 'json' ? [4, 3] : ['4', '3']);
      // JSON spells attributes without "@" on this resource, everywhere in it.
      if (fmt === 'json') assert.doesNotMatch(res.body, /"@/);
      else assert.match(res.body, /<event id="0" type="state">/);
      // Without fromEventIds every event comes; one chat is an object.
      const single = await fmtGet(t, `${nat.session}/chat?chatSessionKeys=${c2}`, nat.auth, fmt);
      const one = read<{ chats: { chat: unknown } }>(single, fmt).chats.chat;
      assert.equal(obj(obj(one).info).chatSessionKey, c2);
      assert.equal(list(obj(obj(one).events).event).length, 4);
      // A chat that only rings for the agent may be read too, as through its own resource.
      await startChat(t);
      const ringing = (await t.store.listAgentChats(ACCOUNT, AGENT.id)).find((c) => c.state === 'waiting');
      assert.ok(ringing);
      const r = await fmtGet(t, `${nat.session}/chat?chatSessionKeys=${ringing.id}`, nat.auth, fmt);
      assert.equal(obj(obj(read<{ chats: { chat: unknown } }>(r, fmt).chats.chat).info).state, 'waiting');
    });
  });

  test(`[${fmt}] multiple chats refuses bad queries with 400`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await startChat(t);
      const c1 = lastSegment(await acceptNext(t, nat));
      const many = Array.from({ length: 51 }, (_, i) => `k${i}`).join(',');
      const cases = [
        '',
        'chatSessionKeys=',
        `chatSessionKeys=${c1},`,
        `chatSessionKeys=${c1},${c1}`,
        `chatSessionKeys=${c1}&fromEventIds=1,2`,
        `chatSessionKeys=${c1}&fromEventIds=abc`,
        `chatSessionKeys=${c1}&fromEventIds=-1`,
        `chatSessionKeys=${c1}&fromEventIds=99999999999`,
        `chatSessionKeys=${'x'.repeat(129)}`,
        `chatSessionKeys=${many}`,
      ];
      for (const q of cases) assertErr(await fmtGet(t, `${nat.session}/chat?${q}`, nat.auth, fmt), fmt, 400, 402);
    });
  });

  test(`[${fmt}] multiple chats refuses the whole call for another agent's or account's chat`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await startChat(t);
      const mine = lastSegment(await acceptNext(t, nat));
      // Tom takes the next chat: Natalie goes Away so it rings for Tom.
      const tomH = await agentIn(t, TOM, { online: true });
      const away = await t.inject({ method: 'PUT', url: `${nat.session}/availability.json`, headers: nat.auth, payload: { availability: { chat: 'Away' } } });
      assert.equal(away.statusCode, 200);
      await startChat(t);
      const toms = lastSegment(await acceptNext(t, tomH));
      const bobChat = await bobsChat(t);
      const bob = await agentIn(t, BOB, { base: OTHER_BASE });
      const q = (keys: string[]): string => `${nat.session}/chat?chatSessionKeys=${keys.join(',')}`;
      // Another agent's chat of the account: 403; another account's or an unknown key: 404.
      for (const [keys, status, code] of [
        [[mine, toms], 403, 13],
        [[toms], 403, 13],
        [[mine, bobChat], 404, 405],
        [['H1-nope'], 404, 405],
      ] as Array<[string[], number, number]>) {
        const res = await fmtGet(t, q(keys), nat.auth, fmt);
        assertErr(res, fmt, status, code);
        // Nothing of any chat leaks into the refusal, not even the caller's own.
        assert.ok(!res.body.includes('chatting'), res.body);
      }
      assertErr(await fmtGet(t, q([mine]), {}, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, q([mine]), bob.auth, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, q([mine]), tomH.auth, fmt), fmt, 404, 406);
      assertErr(await fmtGet(t, `${bob.session}/chat?chatSessionKeys=${mine}`, bob.auth, fmt), fmt, 404, 405);
      // Ended chats stay readable to the agent who held them, as the one-chat resource.
      await endByVisitor(t, `${BASE}/chat/${mine}`);
      const ended = await fmtGet(t, q([mine]), nat.auth, fmt);
      assert.equal(ended.statusCode, 200, ended.body);
      assert.equal(obj(obj(read<{ chats: { chat: unknown } }>(ended, fmt).chats.chat).info).state, 'ended');
    });
  });
}
