// Agent side chat information (agent API §4.15–4.19) and who may touch a chat, in JSON and XML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { acceptNext, AGENT, agentAccepted, agentOnline, KEY_HEADER, SKILL, startChat, TOM, withApp, withTom } from '../helpers/app.ts';
import { FORMATS, lastSegment, read, type AgentErrorDoc, type Event, type Info } from '../helpers/wire.ts';

const path = (href: string): string => new URL(href).pathname;

for (const fmt of FORMATS) {
  test(`chat info on the agent side (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t, { skill: 'Sales', interactionTimeout: 120 });
      const res = await t.inject({ method: 'GET', url: `${chat}/info.${fmt}?v=1&NC=true`, headers: agent.auth });
      assert.equal(res.statusCode, 200);
      const info = read<{ info: Info }>(res, fmt).info;
      assert.deepEqual(
        info.link.map((l) => [l['@rel'], path(l['@href'])]),
        [
          ['self', `${chat}/info`],
          ['visitor-name', `${chat}/info/visitorName`],
          ['visitor-typing', `${chat}/info/visitorTyping`],
          ['agent-typing', `${chat}/info/agentTyping`],
        ],
      );
      assert.equal(info.state, 'chatting');
      assert.equal(info.chatSessionKey, lastSegment(visitorChat));
      assert.equal(info.skillName, SKILL.name);
      assert.equal(String(info.skillId), String(SKILL.id));
      assert.equal(info.agentName, AGENT.name);
      assert.equal(String(info.agentId), String(AGENT.id));
      assert.equal(String(info.chatTimeout), '120');
      assert.equal(info.agentTyping, 'not-typing');
      assert.equal(info.visitorTyping, 'not-typing');
      assert.equal(info.visitorName, 'visitor');
      assert.equal(String(info.duration), '0');
    });
  });

  test(`visitorName: "visitor" by default on the agent side, then the visitor's own (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t);
      const get = async (): Promise<string> => {
        const res = await t.inject({ method: 'GET', url: `${chat}/info/visitorName.${fmt}`, headers: agent.auth });
        assert.equal(res.statusCode, 200);
        return read<{ visitorName: string }>(res, fmt).visitorName;
      };
      assert.equal(await get(), 'visitor');
      const set = await t.inject({ method: 'POST', url: `${visitorChat}/info/visitorName.json`, headers: { ...KEY_HEADER, 'x-http-method-override': 'PUT' }, payload: { visitorName: 'Ann' } });
      assert.equal(set.statusCode, 200);
      assert.equal(await get(), 'Ann');
      const info = read<{ info: Info }>(await t.inject({ method: 'GET', url: `${chat}/info.${fmt}`, headers: agent.auth }), fmt).info;
      assert.equal(info.visitorName, 'Ann');
    });
  });

  test(`typing: the visitor's flag reaches the agent, the agent's reaches the visitor (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat: chat } = await agentAccepted(t);
      const agentGet = async (what: 'visitorTyping' | 'agentTyping'): Promise<string> => {
        const res = await t.inject({ method: 'GET', url: `${chat}/info/${what}.${fmt}`, headers: agent.auth });
        assert.equal(res.statusCode, 200);
        return read<Record<string, string>>(res, fmt)[what] as string;
      };
      const visitorGet = async (): Promise<string> => {
        const res = await t.inject({ method: 'GET', url: `${visitorChat}/info/agentTyping.json`, headers: KEY_HEADER });
        return (res.json() as { agentTyping: string }).agentTyping;
      };
      const agentPut = (value: string, how: 'override' | 'put'): Promise<LightMyRequestResponse> =>
        t.inject({
          method: how === 'override' ? 'POST' : 'PUT',
          url: `${chat}/info/agentTyping.${fmt}`,
          headers: { ...agent.auth, ...(how === 'override' ? { 'x-http-method-override': 'PUT' } : {}), 'content-type': fmt === 'json' ? 'application/json' : 'application/xml' },
          payload: fmt === 'json' ? { agentTyping: value } : `<agentTyping>${value}</agentTyping>`,
        });

      assert.equal(await agentGet('visitorTyping'), 'not-typing');
      const vt = await t.inject({ method: 'PUT', url: `${visitorChat}/info/visitorTyping.json`, headers: KEY_HEADER, payload: { visitorTyping: 'typing' } });
      assert.equal(vt.statusCode, 200);
      assert.equal(await agentGet('visitorTyping'), 'typing');
      await t.inject({ method: 'PUT', url: `${visitorChat}/info/visitorTyping.json`, headers: KEY_HEADER, payload: { visitorTyping: 'not-typing' } });
      assert.equal(await agentGet('visitorTyping'), 'not-typing');

      assert.equal(await agentGet('agentTyping'), 'not-typing');
      assert.equal((await agentPut('typing', 'override')).statusCode, 200);
      assert.equal(await agentGet('agentTyping'), 'typing');
      assert.equal(await visitorGet(), 'typing');
      const info = read<{ info: Info }>(await t.inject({ method: 'GET', url: `${chat}/info.${fmt}`, headers: agent.auth }), fmt).info;
      assert.equal(info.agentTyping, 'typing');
      assert.equal((await agentPut('not-typing', 'put')).statusCode, 200);
      assert.equal(await agentGet('agentTyping'), 'not-typing');
      assert.equal(await visitorGet(), 'not-typing');

      // A line clears the agent's typing flag.
      assert.equal((await agentPut('typing', 'put')).statusCode, 200);
      await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'hi' } } });
      assert.equal(await visitorGet(), 'not-typing');

      for (const bad of ['unknown', 'TYPING', '']) {
        const res = await agentPut(bad, 'override');
        assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
        assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'BAD_REQUEST');
      }
    });
  });

  test(`an agent cannot read or write another agent's chat: 403 (${fmt})`, async () => {
    await withApp({ provisioning: withTom }, async (t) => {
      const natalie = await agentOnline(t);
      const tom = await agentOnline(t, { online: false, login: TOM.loginName, password: TOM.password });
      const visitorChat = await startChat(t);
      const chatId = lastSegment(visitorChat);
      // While it rings for Natalie, Tom cannot see it either.
      const tomsPath = `${tom.session}/chat/${chatId}`;
      const ringingRead = await t.inject({ method: 'GET', url: `${tomsPath}.${fmt}`, headers: tom.auth });
      assert.equal(ringingRead.statusCode, 403);
      await acceptNext(t, natalie);

      const reads = ['', '/events', '/info', '/info/visitorName', '/info/visitorTyping', '/info/agentTyping'];
      for (const sub of reads) {
        const res = await t.inject({ method: 'GET', url: `${tomsPath}${sub}.${fmt}`, headers: tom.auth });
        assert.equal(res.statusCode, 403, `GET ${sub}: ${res.body}`);
        assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'FORBIDDEN');
      }
      const writes: Array<[string, Record<string, unknown>]> = [
        ['/events', { event: { '@type': 'line', text: 'not mine' } }],
        ['/events', { event: { '@type': 'state', state: 'ended' } }],
        ['/info/agentTyping', { agentTyping: 'typing' }],
      ];
      for (const [sub, payload] of writes) {
        const method = sub === '/info/agentTyping' ? 'PUT' : 'POST';
        const res = await t.inject({ method, url: `${tomsPath}${sub}.${fmt}`, headers: tom.auth, payload });
        assert.equal(res.statusCode, 403, `${method} ${sub}: ${res.body}`);
        assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'FORBIDDEN');
      }
      // Nothing Tom tried reached the chat.
      const events = (await t.inject({ method: 'GET', url: `${visitorChat}/events.json`, headers: KEY_HEADER })).json() as { events: { event: Array<{ text?: string; state?: string }> } };
      assert.equal(events.events.event.length, 4);
      assert.ok(!events.events.event.some((e) => e.text === 'not mine' || e.state === 'ended'));
      // Natalie cannot reach the chat through Tom's session either: that session is not hers (404).
      const viaTom = await t.inject({ method: 'GET', url: `${tomsPath}.${fmt}`, headers: natalie.auth });
      assert.equal(viaTom.statusCode, 404);
      // A chat id that does not exist is 404.
      const missing = await t.inject({ method: 'GET', url: `${natalie.session}/chat/H0000000000000000000-00000000000000000000000000000000K0.${fmt}`, headers: natalie.auth });
      assert.equal(missing.statusCode, 404);
      // And Natalie herself still can.
      assert.equal((await t.inject({ method: 'GET', url: `${natalie.session}/chat/${chatId}.${fmt}`, headers: natalie.auth })).statusCode, 200);
    });
  });
}

test('a visitor line says who wrote it in each side’s words until the visitor names itself', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    const agentChat = await acceptNext(t, agent);
    const post = (text: string) => t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text } } });
    assert.equal((await post('first')).statusCode, 201);
    const named = await t.inject({ method: 'PUT', url: `${chat}/info/visitorName.json`, headers: KEY_HEADER, payload: { visitorName: 'Ann' } });
    assert.equal(named.statusCode, 200);
    assert.equal((await post('second')).statusCode, 201);
    const byOf = (events: Event[]) => events.filter((e) => e.source === 'visitor').map((e) => [e.text, e.by]);
    const v = await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY_HEADER });
    const a = await t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth });
    assert.deepEqual(byOf((v.json() as { events: { event: Event[] } }).events.event), [['first', 'You'], ['second', 'Ann']]);
    assert.deepEqual(byOf((a.json() as { events: { event: Event[] } }).events.event), [['first', 'visitor'], ['second', 'Ann']]);
  });
});
