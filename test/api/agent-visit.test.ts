// The agent chat's `visit-id` and `collaboration-channels` targets (agent spec §2, §4.10), in
// JSON and XML: the visit resource (pages, pre-chat and exit survey answers, its
// customVariables link), the empty collaboration channels, and who may read them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visitIdOf } from '../../src/chat/conversation/custom-variables.ts';
import { acceptNext, AGENT, KEY_HEADER, startChat, TOM, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { agentIn, assertErr, BOB, directoryProvisioning, fmtGet, OTHER_BASE } from '../helpers/agents.ts';
import { EXIT, PRE } from '../helpers/surveys.ts';
import { asArray, FORMATS, lastSegment, list, obj, ORIGIN, read, TIME, type Link, type XNode } from '../helpers/wire.ts';

const opts = { provisioning: directoryProvisioning };

async function visitorUrl(t: TestApp, chat: string, url: string): Promise<void> {
  const res = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'url', url } } });
  assert.equal(res.statusCode, 201, res.body);
}

/** Natalie Online, a chat started with `request` and accepted by her. */
async function natalieChat(t: TestApp, request: Record<string, unknown> = { skill: 'Sales' }): Promise<{ nat: AgentHandle; visitorChat: string; chatId: string }> {
  const nat = await agentIn(t, AGENT, { online: true });
  const visitorChat = await startChat(t, request);
  const chatId = lastSegment(await acceptNext(t, nat));
  return { nat, visitorChat, chatId };
}

const rels = (links: unknown): Array<[unknown, unknown]> => list(links).map((l) => [l['@rel'], l['@href']]);

for (const fmt of FORMATS) {
  test(`[${fmt}] the visit: links, pages the visitor reported, pre-chat and exit survey answers`, async () => {
    await withApp(opts, async (t) => {
      const { nat, visitorChat, chatId } = await natalieChat(t, {
        skill: 'Sales',
        survey: { id: PRE.id, question: [{ id: PRE.name, answer: 'Ann' }, { id: PRE.topic, answer: 'Billing' }] },
        customVariables: { customVariable: { name: 'plan', value: 'pro' } },
      });
      await visitorUrl(t, visitorChat, 'https://shop.example/cart');
      await t.tick(1_000);
      await visitorUrl(t, visitorChat, 'https://shop.example/checkout');
      // A page the agent pushes is not part of the visitor's visit.
      const push = await t.inject({ method: 'POST', url: `${nat.session}/chat/${chatId}/events.json`, headers: nat.auth, payload: { event: { '@type': 'url', url: 'https://shop.example/help' } } });
      assert.equal(push.statusCode, 201, push.body);
      const exit = await t.inject({ method: 'POST', url: `${visitorChat}/exitSurvey.json`, headers: { ...KEY_HEADER, 'x-http-method-override': 'PUT' }, payload: { survey: { id: EXIT.id, question: { id: EXIT.rating, answer: '5' } } } });
      assert.equal(exit.statusCode, 200, exit.body);

      const visitId = visitIdOf(chatId);
      assert.match(visitId, /^H\d+K\d+$/);
      const visitPath = `${nat.session}/visits/visit/${visitId}`;
      const res = await fmtGet(t, visitPath, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const v = obj(read<{ visit: XNode }>(res, fmt).visit);
      assert.deepEqual(Object.keys(v), ['link', 'id', 'chatSessionKey', 'visitorId', 'startTime', 'pages', 'preChatSurvey', 'exitSurvey']);
      assert.deepEqual(rels(v.link), [['self', `${ORIGIN}${visitPath}`], ['custom-variables', `${ORIGIN}${visitPath}/customVariables`]]);
      assert.equal(v.id, visitId);
      assert.equal(v.chatSessionKey, chatId);
      assert.match(String(v.visitorId), /^\d+$/);
      assert.match(String(v.startTime), TIME);
      const pages = list(obj(v.pages).page);
      assert.deepEqual(pages.map((p) => p.url), ['https://shop.example/cart', 'https://shop.example/checkout']);
      for (const p of pages) assert.match(String(p.time), TIME);
      assert.notEqual(pages[0]?.time, pages[1]?.time);

      const pre = obj(v.preChatSurvey);
      assert.equal(String(pre.id), String(PRE.id));
      assert.match(String(pre.time), TIME);
      const qs = list(pre.question);
      assert.deepEqual(qs.map((q) => [String(q.id), q.label, q.answer]), [
        [String(PRE.name), 'What is your name?', 'Ann'],
        [String(PRE.topic), 'What is your question about?', 'Billing'],
      ]);
      const ex = obj(v.exitSurvey);
      assert.equal(String(ex.id), String(EXIT.id));
      assert.deepEqual(list(ex.question).map((q) => [String(q.id), q.answer]), [[String(EXIT.rating), '5']]);
      if (fmt === 'json') {
        assert.equal(typeof pre.id, 'number');
        assert.equal(typeof v.visitorId, 'number');
      }

      // The custom-variables link is served; the chat key reaches the same visit, named by its visit id.
      const cvHref = String(list(v.link)[1]?.['@href']);
      const cv = await fmtGet(t, new URL(cvHref).pathname, nat.auth, fmt);
      assert.equal(cv.statusCode, 200, cv.body);
      assert.equal(obj(obj(read<{ customVariables: XNode }>(cv, fmt).customVariables).customVariable).value, 'pro');
      const byKey = await fmtGet(t, `${nat.session}/visits/visit/${chatId}`, nat.auth, fmt);
      assert.equal(byKey.statusCode, 200, byKey.body);
      assert.equal(byKey.body, res.body);

      // Once ended, the visit id (looked up among open chats) is gone; the chat key still reads it.
      const end = await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
      assert.equal(end.statusCode, 201, end.body);
      assertErr(await fmtGet(t, visitPath, nat.auth, fmt), fmt, 404, 404);
      const ended = await fmtGet(t, `${nat.session}/visits/visit/${chatId}`, nat.auth, fmt);
      assert.equal(ended.statusCode, 200, ended.body);
      assert.equal(list(obj(obj(read<{ visit: XNode }>(ended, fmt).visit).pages).page).length, 2);
    });
  });

  test(`[${fmt}] a visit with nothing reported: empty pages, no survey elements; readable while it rings`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const chatId = lastSegment(await startChat(t));
      // Ringing for Natalie, not yet accepted: the neighbouring customVariables rule allows it.
      const res = await fmtGet(t, `${nat.session}/visits/visit/${visitIdOf(chatId)}`, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const v = obj(read<{ visit: XNode }>(res, fmt).visit);
      assert.deepEqual(Object.keys(v), ['link', 'id', 'chatSessionKey', 'visitorId', 'startTime', 'pages']);
      if (fmt === 'json') assert.deepEqual(v.pages, {});
      else assert.match(res.body, /<pages\/>|<pages><\/pages>/);
    });
  });

  test(`[${fmt}] collaboration channels: the element with its self link and no channel`, async () => {
    await withApp(opts, async (t) => {
      const { nat, chatId } = await natalieChat(t);
      const path = `${nat.session}/chat/${chatId}/collaborationChannels`;
      const res = await fmtGet(t, path, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const doc = obj(read<{ collaborationChannels: XNode }>(res, fmt).collaborationChannels);
      assert.deepEqual(Object.keys(doc), ['link']);
      assert.deepEqual(rels(doc.link), [['self', `${ORIGIN}${path}`]]);
      if (fmt === 'json') assert.equal(res.body, `{"collaborationChannels":{"link":{"@href":"${ORIGIN}${path}","@rel":"self"}}}`);
    });
  });

  test(`[${fmt}] visit and collaboration channels refuse wrong tokens, other agents, other accounts and unknown chats`, async () => {
    await withApp(opts, async (t) => {
      const { nat, chatId } = await natalieChat(t);
      const tomH = await agentIn(t, TOM);
      const bob = await agentIn(t, BOB, { base: OTHER_BASE });
      const visit = (session: string, id: string): string => `${session}/visits/visit/${id}`;
      const channels = (session: string, id: string): string => `${session}/chat/${id}/collaborationChannels`;
      for (const url of [visit(nat.session, visitIdOf(chatId)), channels(nat.session, chatId)]) {
        // No bearer, a made-up one, another account's bearer on this session.
        assertErr(await fmtGet(t, url, {}, fmt), fmt, 401, 12);
        assertErr(await fmtGet(t, url, { authorization: 'Bearer nope' }, fmt), fmt, 401, 12);
        assertErr(await fmtGet(t, url, bob.auth, fmt), fmt, 401, 12);
        // Natalie's bearer on Tom's session: not her session.
        assertErr(await fmtGet(t, url.replace(nat.session, tomH.session), nat.auth, fmt), fmt, 404, 406);
      }
      // Another agent of the account, through its own session: the chat key is 403 as for the
      // chat itself; a visit id is looked up among the caller's own chats only, so 404.
      for (const url of [visit(tomH.session, chatId), channels(tomH.session, chatId)]) {
        const r = await fmtGet(t, url, tomH.auth, fmt);
        assertErr(r, fmt, 403, 13);
        assert.ok(!r.body.includes('shop.example') && !r.body.includes('visitorId'), r.body);
      }
      assertErr(await fmtGet(t, visit(tomH.session, visitIdOf(chatId)), tomH.auth, fmt), fmt, 404, 404);
      // Another account's agent naming this account's chat, and unknown chats and visits.
      assertErr(await fmtGet(t, visit(bob.session, chatId), bob.auth, fmt), fmt, 404, 404);
      assertErr(await fmtGet(t, channels(bob.session, chatId), bob.auth, fmt), fmt, 404, 405);
      assertErr(await fmtGet(t, channels(nat.session, 'H1-abcK2'), nat.auth, fmt), fmt, 404, 405);
      assertErr(await fmtGet(t, visit(nat.session, 'H1K2'), nat.auth, fmt), fmt, 404, 404);
      const tooLong = await fmtGet(t, visit(nat.session, 'H'.repeat(129)), nat.auth, fmt);
      assert.equal(tooLong.statusCode, 400, tooLong.body);
      // Visitor credentials never reach the agent side.
      assert.equal((await t.inject({ method: 'GET', url: `${visit(nat.session, visitIdOf(chatId))}.json`, headers: KEY_HEADER })).statusCode, 401);
    });
  });

  test(`[${fmt}] every link of the agent chat resource leads somewhere`, async () => {
    await withApp(opts, async (t) => {
      const { nat, chatId } = await natalieChat(t);
      const res = await fmtGet(t, `${nat.session}/chat/${chatId}`, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const links = asArray(read<{ chat: { link: Link[] } }>(res, fmt).chat.link);
      assert.equal(links.length, 9);
      for (const l of links) {
        // transfer-account is a POST-only action (agent spec §2 "[link only]").
        if (l['@rel'] === 'transfer-account') continue;
        const u = new URL(l['@href']);
        const r = await fmtGet(t, `${u.pathname}${u.search}`, nat.auth, fmt);
        assert.ok(r.statusCode === 200 || r.statusCode === 204, `${l['@rel']}: ${r.statusCode} ${r.body}`);
      }
    });
  });
}
