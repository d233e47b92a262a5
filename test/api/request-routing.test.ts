// Start Chat routing parameters (spec §4.7): maxWaitTime (0–86400; the chat ends with system
// line 2 when nobody took it in time), agent (that agent only, alone), serviceQueue (a skill,
// only with maxWaitTime). Every request in JSON and XML; bad input stores nothing.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { SystemMessage, systemTexts } from '../../src/chat/core/system-messages.ts';
import { ACCOUNT, BASE, KEY_HEADER, testApp, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';
import { accept, availabilityOf, BILLING, BILLY, body, logIn, NATALIE, ringingCount, setAvailability, stored, threeAgents, TOM } from '../helpers/contact-centre.ts';
import { FORMATS, lastSegment, read, type ErrorDoc, type Fmt } from '../helpers/wire.ts';

const provisioning = threeAgents();

async function request(t: TestApp, fmt: Fmt, r: Record<string, string | number>) {
  return t.inject({ method: 'POST', url: `${BASE}/chat/request`, ...body(fmt, { request: r }, KEY_HEADER) });
}

async function requested(t: TestApp, fmt: Fmt, r: Record<string, string | number>): Promise<string> {
  const res = await request(t, fmt, r);
  assert.equal(res.statusCode, 201, res.body);
  return new URL(String(res.headers.location)).pathname;
}

for (const fmt of FORMATS) {
  describe(`Start Chat routing parameters (${fmt})`, () => {
    test('maxWaitTime: a chat nobody took in time ends with line 2, stamped at the deadline', async () => {
      await withApp({ provisioning }, async (t) => {
        const start = t.clock.now();
        const chat = await requested(t, fmt, { skill: 'Sales', maxWaitTime: 30, interactionTimeout: 3600 });
        assert.equal((await stored(t, chat)).maxWaitTime, 30);
        await t.tick(29_999);
        assert.equal((await stored(t, chat)).state, 'waiting');
        await t.tick(1);
        const s = await stored(t, chat);
        assert.equal(s.state, 'ended');
        assert.equal(s.endTime, start + 30_000);
        const events = await visitorEvents(t, chat);
        assert.deepEqual(events.slice(-2).map((e) => [e['@type'], e.state ?? e.text, e.systemMessageId]), [
          ['line', systemTexts.operatorsBusy(), SystemMessage.operatorsBusy],
          ['state', 'ended', undefined],
        ]);
      });
    });

    test('maxWaitTime 0: ends at once unless an agent can be offered the chat right away', async () => {
      await withApp({ provisioning }, async (t) => {
        const alone = await requested(t, fmt, { skill: 'Sales', maxWaitTime: 0 });
        await t.tick(0);
        assert.equal((await stored(t, alone)).state, 'ended');
        const natalie = await logIn(t, NATALIE);
        const offered = await requested(t, fmt, { skill: 'Sales', maxWaitTime: 0, interactionTimeout: 3600 });
        await t.tick(0);
        assert.equal((await stored(t, offered)).state, 'waiting', 'a ringing chat waits for its accept window');
        await t.tick(5_000);
        assert.equal(await accept(t, natalie), lastSegment(offered));
        await t.tick(60_000);
        assert.equal((await stored(t, offered)).state, 'chatting', 'maxWaitTime no longer applies once accepted');
      });
    });

    test('maxWaitTime passing while the chat rings: it ends when the window closes unanswered', async () => {
      await withApp({ provisioning }, async (t) => {
        await logIn(t, NATALIE);
        const chat = await requested(t, fmt, { skill: 'Sales', maxWaitTime: 10, interactionTimeout: 3600 });
        await t.tick(10_000);
        assert.equal((await stored(t, chat)).state, 'waiting');
        await t.tick(10_000);
        assert.equal((await stored(t, chat)).state, 'ended');
        assert.equal((await visitorEvents(t, chat)).at(-2)?.systemMessageId, SystemMessage.operatorsBusy);
        assert.equal(await availabilityOf(t, NATALIE.id), 'Away');
      });
    });

    test('maxWaitTime passing while the chat rings: the agent going Away ends it at once', async () => {
      await withApp({ provisioning }, async (t) => {
        const natalie = await logIn(t, NATALIE);
        const chat = await requested(t, fmt, { skill: 'Sales', maxWaitTime: 10, interactionTimeout: 3600 });
        await t.tick(15_000);
        assert.equal((await stored(t, chat)).state, 'waiting');
        await setAvailability(t, natalie, 'Away');
        assert.equal((await stored(t, chat)).state, 'ended');
        assert.equal((await visitorEvents(t, chat)).at(-2)?.systemMessageId, SystemMessage.operatorsBusy);
      });
    });

    test('agent: the chat rings only for that agent (login name)', async () => {
      await withApp({ provisioning }, async (t) => {
        const natalie = await logIn(t, NATALIE);
        const tom = await logIn(t, TOM, false);
        const chat = await requested(t, fmt, { agent: 'tom', interactionTimeout: 3600 });
        assert.equal((await stored(t, chat)).requestedAgentId, TOM.id);
        assert.equal(await ringingCount(t, natalie), 0, 'Natalie is idle and Online, but not asked for');
        await setAvailability(t, tom, 'Online');
        assert.equal(await ringingCount(t, tom), 1);
        assert.equal(await accept(t, tom), lastSegment(chat));
        // Tom's window on a second request for him: nobody else takes it after it closes.
        const second = await requested(t, fmt, { agent: 'tom', interactionTimeout: 3600 });
        await t.tick(20_000);
        assert.equal(await availabilityOf(t, TOM.id), 'Away');
        assert.equal(await ringingCount(t, natalie), 0);
        assert.equal((await stored(t, second)).ringingAgentId, null);
      });
    });

    test('serviceQueue names a skill (with maxWaitTime); skill wins when both are given', async () => {
      await withApp({ provisioning }, async (t) => {
        const billy = await logIn(t, BILLY);
        const chat = await requested(t, fmt, { serviceQueue: 'Billing', maxWaitTime: 60 });
        assert.equal((await stored(t, chat)).skillId, BILLING);
        assert.equal(await ringingCount(t, billy), 1);
        const both = await requested(t, fmt, { skill: 'Sales', serviceQueue: 'Billing', maxWaitTime: 60 });
        assert.notEqual((await stored(t, both)).skillId, BILLING);
      });
    });

    const bad: Array<[string, Record<string, string | number>, number, string]> = [
      ['maxWaitTime below 0', { skill: 'Sales', maxWaitTime: -1 }, 400, 'bad-body'],
      ['maxWaitTime above 86400', { skill: 'Sales', maxWaitTime: 86401 }, 400, 'bad-body'],
      ['maxWaitTime not a number', { skill: 'Sales', maxWaitTime: 'soon' }, 400, 'bad-body'],
      ['agent with skill', { agent: 'tom', skill: 'Sales' }, 400, 'bad-body'],
      ['agent with skillId', { agent: 'tom', skillId: 25975313 }, 400, 'bad-body'],
      ['agent with maxWaitTime', { agent: 'tom', maxWaitTime: 0 }, 400, 'bad-body'],
      ['agent with serviceQueue', { agent: 'tom', serviceQueue: 'Sales', maxWaitTime: 5 }, 400, 'bad-body'],
      ['serviceQueue without maxWaitTime', { serviceQueue: 'Sales' }, 400, 'bad-body'],
      ['unknown agent', { agent: 'nobody' }, 400, 'unknown-agent'],
      ['unknown serviceQueue', { serviceQueue: 'Nope', maxWaitTime: 5 }, 400, 'unknown-skill'],
      ['oversized agent', { agent: 'x'.repeat(201) }, 400, 'bad-body'],
    ];
    for (const [name, r, status, code] of bad) {
      test(`bad input: ${name} → ${status}, nothing stored`, async () => {
        const t = await testApp({ provisioning });
        try {
          const res = await request(t, fmt, r);
          assert.equal(res.statusCode, status, res.body);
          const doc = read<ErrorDoc>(res, fmt);
          const internal = { 'bad-body': 401, 'unknown-agent': 440, 'unknown-skill': 403 }[code];
          assert.equal(Number(doc.error.internalCode), internal);
          assert.deepEqual(await t.store.listWaitingChats(ACCOUNT), []);
        } finally {
          await t.close();
        }
      });
    }
  });
}

test('maxWaitTime survives a restart: re-armed, or acted on at start when it passed while down', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-wait-'));
  const file = join(dir, 'serverchat.db');
  try {
    const clock = new ManualClock();
    const start = clock.now();
    const t1 = await testApp({ provisioning, store: new SqliteStore(file), clock });
    const short = await requested(t1, 'json', { skill: 'Sales', maxWaitTime: 10, interactionTimeout: 3600 });
    const long = await requested(t1, 'json', { skill: 'Sales', maxWaitTime: 60, interactionTimeout: 3600 });
    await t1.close();
    clock.advance(30_000);
    const t2 = await testApp({ provisioning: { accounts: [] }, store: new SqliteStore(file), clock });
    try {
      const s = await stored(t2, short);
      assert.equal(s.state, 'ended');
      assert.equal(s.endTime, start + 10_000, 'stamped at the deadline, though the server was down');
      assert.equal((await stored(t2, long)).state, 'waiting');
      await t2.tick(29_999);
      assert.equal((await stored(t2, long)).state, 'waiting');
      await t2.tick(1);
      assert.equal((await stored(t2, long)).state, 'ended');
    } finally {
      await t2.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
