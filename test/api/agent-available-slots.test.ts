// Retrieve Available Slots on the agent side (agent spec §4.5), in JSON and XML: the visitor
// method's answer behind the agent's bearer and session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, BASE, KEY_HEADER, startChat, TOM, withApp, withTom, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { FORMATS, obj, read, type Fmt } from '../helpers/wire.ts';

async function slots(t: TestApp, agent: AgentHandle, fmt: Fmt, query = ''): Promise<number> {
  const res = await t.inject({ method: 'GET', url: `${agent.session}/chat/availableSlots.${fmt}?v=1&NC=true${query}`, headers: agent.auth });
  assert.equal(res.statusCode, 200, res.body);
  const doc = read<{ availableSlots: number | string }>(res, fmt);
  assert.deepEqual(Object.keys(doc), ['availableSlots']);
  return Number(doc.availableSlots);
}

for (const fmt of FORMATS) {
  test(`${fmt}: the account's free slots, per skill, per agent, within maxWaitTime`, async () => {
    await withApp({ provisioning: withTom }, async (t) => {
      const natalie = await agentOnline(t);
      assert.equal(await slots(t, natalie, fmt), 4);
      const tom = await agentOnline(t, { login: TOM.loginName, password: TOM.password });
      assert.equal(await slots(t, natalie, fmt), 8);
      await startChat(t, { skill: 'Sales', interactionTimeout: 3600 });
      await acceptNext(t, natalie);
      assert.equal(await slots(t, tom, fmt, '&skill=Sales'), 7);
      assert.equal(await slots(t, tom, fmt, '&skill=Sales&maxWaitTime=0'), 7);
      assert.equal(await slots(t, tom, fmt, '&agent=natalie'), 3);
      assert.equal(await slots(t, natalie, fmt, '&agent=tom'), 4);
      assert.equal(await slots(t, natalie, fmt, '&agent=nobody'), 0);
      // The same answer the visitor gets.
      const visitor = await t.inject({ method: 'GET', url: `${BASE}/chat/availableSlots.json?skill=Sales`, headers: KEY_HEADER });
      assert.deepEqual(visitor.json(), { availableSlots: 7 });
    });
  });

  test(`${fmt}: an agent who is not Online still reads the account's slots`, async () => {
    await withApp({}, async (t) => {
      const away = await agentOnline(t, { online: false });
      assert.equal(await slots(t, away, fmt), 0);
      assert.equal(await slots(t, away, fmt, '&agent=natalie'), 0);
    });
  });

  test(`${fmt}: bad parameters 400, no bearer 401, unknown session 404 — in the client's format`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      for (const q of ['maxWaitTime=86401', 'maxWaitTime=-5', 'maxWaitTime=abc', 'skill=Marketing', 'agent=natalie&skill=Sales', 'skill=Sales&skill=Sales']) {
        const res = await t.inject({ method: 'GET', url: `${agent.session}/chat/availableSlots.${fmt}?${q}`, headers: agent.auth });
        assert.equal(res.statusCode, 400, `${q}: ${res.body}`);
        assert.equal(obj(read<{ error: unknown }>(res, fmt).error).reason, 'BAD_REQUEST');
      }
      const none = await t.inject({ method: 'GET', url: `${agent.session}/chat/availableSlots.${fmt}` });
      assert.equal(none.statusCode, 401);
      assert.equal(obj(read<{ error: unknown }>(none, fmt).error).reason, 'UNAUTHORIZED');
      const appKey = await t.inject({ method: 'GET', url: `${agent.session}/chat/availableSlots.${fmt}`, headers: KEY_HEADER });
      assert.equal(appKey.statusCode, 401, 'a visitor app key is not an agent bearer');
      const unknown = await t.inject({ method: 'GET', url: `${BASE}/agentSession/999/chat/availableSlots.${fmt}`, headers: agent.auth });
      assert.equal(unknown.statusCode, 404);
      assert.equal(obj(read<{ error: unknown }>(unknown, fmt).error).reason, 'NOT_FOUND');
    });
  });
}
