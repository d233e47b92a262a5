// Retrieve Availability, Available Slots and Estimated Wait Time (spec §4.1–§4.3), in JSON and
// XML: answers computed from the online agents, their load, the queue and recent chats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { acceptNext, agentOnline, BASE, endByVisitor, KEY_HEADER, SKILL, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { FORMATS, obj, read, type Fmt } from '../helpers/wire.ts';

const SUPPORT = { id: 31000001, name: 'Support' };
/** The demo account plus a Support skill nobody has. */
const withSupport: Provisioning = { accounts: demoProvisioning.accounts.map((a) => ({ ...a, skills: [...a.skills, SUPPORT] })) };
/** Chats that do not time out while the test moves the clock. */
const LONG = { skill: 'Sales', interactionTimeout: 3600 };

/** GETs a capacity resource in `fmt` and returns its single value (XML text is converted back). */
async function value(t: TestApp, fmt: Fmt, resource: string, query = ''): Promise<unknown> {
  const res = await t.inject({ method: 'GET', url: `${BASE}/chat/${resource}.${fmt}?v=1&NC=true${query}`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  const doc = read<Record<string, unknown>>(res, fmt);
  assert.deepEqual(Object.keys(doc), [resource]);
  const v = doc[resource];
  if (fmt === 'json' || typeof v !== 'string') return v;
  return v === 'true' ? true : v === 'false' ? false : Number(v);
}

const answers = async (t: TestApp, fmt: Fmt, query = '') => ({
  availability: await value(t, fmt, 'availability', query),
  availableSlots: await value(t, fmt, 'availableSlots', query),
  estimatedWaitTime: await value(t, fmt, 'estimatedWaitTime', query),
});

for (const fmt of FORMATS) {
  test(`${fmt}: nobody online — availability false, 0 slots, wait -1`, async () => {
    await withApp({}, async (t) => {
      assert.deepEqual(await answers(t, fmt), { availability: false, availableSlots: 0, estimatedWaitTime: -1 });
      await agentOnline(t, { online: false });
      assert.deepEqual(await answers(t, fmt, '&skill=Sales'), { availability: false, availableSlots: 0, estimatedWaitTime: -1 });
    });
  });

  test(`${fmt}: an Online agent with room — available, her free slots, wait 0`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      assert.deepEqual(await answers(t, fmt), { availability: true, availableSlots: 4, estimatedWaitTime: 0 });
      await startChat(t, LONG);
      await acceptNext(t, agent);
      assert.deepEqual(await answers(t, fmt, '&skill=Sales'), { availability: true, availableSlots: 3, estimatedWaitTime: 0 });
      // Skills are matched like Start Chat's: any case, or by id.
      assert.equal(await value(t, fmt, 'availableSlots', '&skill=sales'), 3);
      assert.equal(await value(t, fmt, 'estimatedWaitTime', `&skill=${SKILL.id}`), 0);
      assert.equal(await value(t, fmt, 'availability', '&maxWaitTime=0'), true);
    });
  });

  test(`${fmt}: a full agent — waits, without history -2; then from the chats that ended`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      const chats: string[] = [];
      for (let i = 0; i < 4; i++) {
        chats.push(await startChat(t, LONG));
        await acceptNext(t, agent);
      }
      assert.deepEqual(await answers(t, fmt), { availability: true, availableSlots: 0, estimatedWaitTime: -2 });
      assert.equal(await value(t, fmt, 'availability', '&maxWaitTime=0'), false);
      assert.equal(await value(t, fmt, 'availability', '&maxWaitTime=30'), true, 'no data: agents are online');

      // One chat lasts 120 s; a new one takes its slot (it rings): 4 busy slots again.
      t.clock.advance(120_000);
      await endByVisitor(t, chats[0] as string);
      await startChat(t, LONG);
      assert.equal(await value(t, fmt, 'estimatedWaitTime'), 30, '(0 ahead + 1) × 120 s / 4 slots');
      await startChat(t, LONG);
      assert.equal(await value(t, fmt, 'estimatedWaitTime', '&skill=Sales'), 60, '(1 ahead + 1) × 120 s / 4 slots');
      assert.equal(await value(t, fmt, 'availability', '&maxWaitTime=60'), true);
      assert.equal(await value(t, fmt, 'availability', '&skill=Sales&maxWaitTime=59'), false);
      assert.equal(await value(t, fmt, 'availability', '&serviceQueue=Sales&maxWaitTime=60'), true);
      assert.equal(await value(t, fmt, 'availableSlots'), 0);
      // Within 120 s: 4 releases expected, one of them for the chat already waiting.
      assert.equal(await value(t, fmt, 'availableSlots', '&maxWaitTime=120'), 3);
    });
  });

  test(`${fmt}: a skill nobody online has — false, 0, -1; several skills answer per skill`, async () => {
    await withApp({ provisioning: withSupport }, async (t) => {
      await agentOnline(t);
      assert.deepEqual(await answers(t, fmt, '&skill=Support'), { availability: false, availableSlots: 0, estimatedWaitTime: -1 });
      const res = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.${fmt}?skill=Sales&skill=Support`, headers: KEY_HEADER });
      assert.equal(res.statusCode, 200, res.body);
      const doc = read<{ availability: { AvailabilityForSkills: { skillAvailability: Array<{ skill: string; isAvailable: boolean | string }> } } }>(res, fmt);
      const list = doc.availability.AvailabilityForSkills.skillAvailability;
      assert.ok(Array.isArray(list));
      assert.deepEqual(
        list.map((s) => [s.skill, String(s.isAvailable)]),
        [['Sales', 'true'], ['Support', 'false']],
      );
    });
  });

  test(`${fmt}: one agent by login name (agent alone)`, async () => {
    await withApp({}, async (t) => {
      await agentOnline(t, { online: false });
      assert.equal(await value(t, fmt, 'availability', '&agent=natalie'), false);
      assert.equal(await value(t, fmt, 'availableSlots', '&agent=natalie'), 0);
      const agent = await agentOnline(t);
      assert.equal(await value(t, fmt, 'availability', '&agent=natalie'), true);
      await startChat(t, LONG);
      await acceptNext(t, agent);
      assert.equal(await value(t, fmt, 'availableSlots', '&agent=natalie'), 3);
      // An unknown login reads as an agent who is not online: login names are not revealed.
      assert.equal(await value(t, fmt, 'availability', '&agent=nobody'), false);
      assert.equal(await value(t, fmt, 'availableSlots', '&agent=nobody'), 0);
    });
  });

  test(`${fmt}: bad parameters answer 400 in the client's format`, async () => {
    await withApp({}, async (t) => {
      const cases: Array<[string, string, string]> = [
        ['availability', 'maxWaitTime=86401', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=-1', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=soon', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=1.5', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=%20', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=1e2', 'BAD_REQUEST'],
        ['availableSlots', 'maxWaitTime=0x10', 'BAD_REQUEST'],
        ['availability', 'maxWaitTime=10&maxWaitTime=20', 'BAD_REQUEST'],
        ['availableSlots', 'maxWaitTime=100000', 'BAD_REQUEST'],
        ['availableSlots', 'maxWaitTime=x', 'BAD_REQUEST'],
        ['availability', 'skill=Marketing', 'BAD_REQUEST'],
        ['availableSlots', 'skill=Marketing', 'BAD_REQUEST'],
        ['estimatedWaitTime', 'skill=Marketing', 'BAD_REQUEST'],
        ['estimatedWaitTime', 'serviceQueue=Marketing', 'BAD_REQUEST'],
        ['availability', 'agent=natalie&skill=Sales', 'BAD_REQUEST'],
        ['availableSlots', 'agent=natalie&maxWaitTime=0', 'BAD_REQUEST'],
        ['availability', 'serviceQueue=Sales', 'BAD_REQUEST'],
        ['estimatedWaitTime', 'agent=natalie', 'BAD_REQUEST'],
        ['availableSlots', 'skill=Sales&skill=Sales', 'BAD_REQUEST'],
        ['availability', `skill=${'x'.repeat(101)}`, 'BAD_REQUEST'],
        ['availability', 'skill=', 'BAD_REQUEST'],
      ];
      for (const [resource, query, reason] of cases) {
        const res = await t.inject({ method: 'GET', url: `${BASE}/chat/${resource}.${fmt}?${query}`, headers: KEY_HEADER });
        assert.equal(res.statusCode, 400, `${resource}?${query}: ${res.body}`);
        const err = obj(read<{ error: unknown }>(res, fmt).error);
        assert.equal(err.reason, reason);
        assert.ok(String(err.message).length > 0);
      }
      const unknown = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.${fmt}?skill=Marketing`, headers: KEY_HEADER });
      assert.match(String(obj(read<{ error: unknown }>(unknown, fmt).error).message), /skill.*Marketing/i);
    });
  });

  test(`${fmt}: without an app key, or with another account's, 401`, async () => {
    await withApp({}, async (t) => {
      for (const resource of ['availability', 'availableSlots', 'estimatedWaitTime']) {
        const none = await t.inject({ method: 'GET', url: `${BASE}/chat/${resource}.${fmt}?v=1` });
        assert.equal(none.statusCode, 401);
        assert.equal(obj(read<{ error: unknown }>(none, fmt).error).reason, 'UNAUTHORIZED');
        const other = await t.inject({ method: 'GET', url: `/api/account/999/chat/${resource}.${fmt}`, headers: KEY_HEADER });
        assert.equal(other.statusCode, 401);
      }
    });
  });
}

test('the rels of the account root lead to the capacity resources (the JS SDK flow), appKey in the query', async () => {
  await withApp({}, async (t) => {
    await agentOnline(t);
    const root = (await t.inject({ method: 'GET', url: `${BASE}.json?v=1`, headers: KEY_HEADER })).json() as { account: { link: Array<{ '@href': string; '@rel': string }> } };
    const rels = new Map(root.account.link.map((l) => [l['@rel'], new URL(l['@href']).pathname]));
    const get = async (rel: string) => {
      const res = await t.inject({ method: 'GET', url: `${rels.get(rel)}.json?v=1&NC=true&__d=123&appKey=721c180b09eb463d9f3191c41762bb68` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/json');
      return res.json() as unknown;
    };
    assert.deepEqual(await get('chat-availability'), { availability: true });
    assert.deepEqual(await get('chat-available-slots'), { availableSlots: 4 });
    assert.deepEqual(await get('chat-estimatedWaitTime'), { estimatedWaitTime: 0 });
  });
});

test('XML bodies are the documented scalar roots', async () => {
  await withApp({}, async (t) => {
    const body = async (resource: string) => (await t.inject({ method: 'GET', url: `${BASE}/chat/${resource}`, headers: { ...KEY_HEADER, accept: 'application/xml' } })).body;
    assert.equal(await body('availability'), '<?xml version="1.0" encoding="UTF-8"?><availability>false</availability>');
    assert.equal(await body('availableSlots'), '<?xml version="1.0" encoding="UTF-8"?><availableSlots>0</availableSlots>');
    assert.equal(await body('estimatedWaitTime'), '<?xml version="1.0" encoding="UTF-8"?><estimatedWaitTime>-1</estimatedWaitTime>');
  });
});
