// Agent session expiry and logout (agent API §3): the agent's chats are requeued with system
// line 23, keeping their history and their place by arrival, or disconnected (line 6) when
// no other agent could take them; the agent goes Offline. Driven by the ManualClock.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { SystemMessage, systemTexts } from '../../src/chat/core/system-messages.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { BASE, KEY_HEADER, startChat, testApp, visitorEvents, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { accept, availabilityOf, BILLY, logIn, NATALIE, ringingCount, stored, threeAgents, TOM, visitorInfo } from '../helpers/contact-centre.ts';
import { lastSegment } from '../helpers/wire.ts';

const LONG = { skill: 'Sales', interactionTimeout: 3600 };

async function sessionStatus(t: TestApp, agent: AgentHandle): Promise<number> {
  return (await t.inject({ method: 'GET', url: `${agent.session}.json`, headers: agent.auth })).statusCode;
}

async function say(t: TestApp, chat: string, text: string): Promise<void> {
  const res = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text } } });
  assert.equal(res.statusCode, 201);
}

test('an unused agent session expires: line 23, the chat back in the queue with its history, the agent Offline', async () => {
  await withApp({ provisioning: threeAgents() }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    const chat = await startChat(t, LONG);
    assert.equal(await accept(t, natalie), lastSegment(chat));
    await say(t, chat, 'hello?');
    const tom = await logIn(t, TOM);
    await t.tick(200_000);
    assert.equal(await ringingCount(t, tom), 0); // Tom's request keeps his session alive
    await t.tick(99_999);
    assert.equal((await stored(t, chat)).agentId, NATALIE.id);
    await t.tick(1);
    assert.equal(await sessionStatus(t, natalie), 404);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Offline');
    const events = await visitorEvents(t, chat);
    assert.deepEqual(
      events.map((e) => [e['@type'], e.state ?? e.text, e.systemMessageId]),
      [
        ['state', 'waiting', undefined],
        ['line', 'Thank you for choosing to chat with us.', 4],
        ['state', 'chatting', undefined],
        ['line', 'You are now chatting with Natalie.', 3],
        ['line', 'hello?', undefined],
        ['line', systemTexts.requeued(), SystemMessage.requeued],
        ['state', 'waiting', undefined],
      ],
    );
    const info = await visitorInfo(t, chat);
    assert.equal(info.state, 'waiting');
    assert.equal(info.agentName, undefined);
    // Tom (Sales, Online) takes it over and the visitor sees his name.
    assert.equal(await ringingCount(t, tom), 1);
    assert.equal(await accept(t, tom), lastSegment(chat));
    const after = await visitorEvents(t, chat);
    assert.equal(after.at(-1)?.text, 'You are now chatting with Tom.');
    assert.equal((await visitorInfo(t, chat)).agentName, 'Tom');
    // The old session id is gone; a new login works and starts Away.
    const again = await logIn(t, NATALIE, false);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Away');
    assert.equal(await sessionStatus(t, again), 200);
  });
});

test('with no other agent able to take it, the chat is disconnected (line 6) instead', async () => {
  await withApp({ provisioning: threeAgents() }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    await logIn(t, BILLY); // Billing only: does not fit a Sales chat
    const chat = await startChat(t, LONG);
    await accept(t, natalie);
    await t.tick(300_000);
    const s = await stored(t, chat);
    assert.equal(s.state, 'ended');
    const events = await visitorEvents(t, chat);
    assert.deepEqual(events.slice(-2).map((e) => [e['@type'], e.state ?? e.text, e.systemMessageId]), [
      ['line', systemTexts.agentLeft(), SystemMessage.disconnected],
      ['state', 'ended', undefined],
    ]);
  });
});

test('requests under the session keep it alive; the --agent-session-timeout setting applies', async () => {
  await withApp({ provisioning: threeAgents(), agentSessionTimeout: 60 }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    for (let i = 0; i < 5; i++) {
      await t.tick(59_000);
      assert.equal(await sessionStatus(t, natalie), 200);
    }
    await t.tick(60_000);
    assert.equal(await sessionStatus(t, natalie), 404);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Offline');
  });
});

test("another live session of the same agent keeps the agent's chats", async () => {
  await withApp({ provisioning: threeAgents() }, async (t) => {
    const first = await logIn(t, NATALIE);
    const chat = await startChat(t, LONG);
    await accept(t, first);
    await t.tick(100_000);
    const second = await logIn(t, NATALIE, false);
    await t.tick(200_000);
    assert.equal(await sessionStatus(t, first), 404);
    assert.equal(await sessionStatus(t, second), 200);
    assert.equal((await stored(t, chat)).agentId, NATALIE.id);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Online');
  });
});

test('a requeued chat goes ahead of chats that arrived after it (FIFO by arrival)', async () => {
  await withApp({ provisioning: threeAgents(1) }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    const tom = await logIn(t, TOM);
    const a = await startChat(t, LONG);
    const x = await startChat(t, LONG);
    assert.equal(await accept(t, natalie), lastSegment(a));
    assert.equal(await accept(t, tom), lastSegment(x));
    await t.tick(1_000);
    const b = await startChat(t, LONG); // both agents full: waits
    await t.tick(200_000);
    await ringingCount(t, tom);
    await t.tick(100_000); // Natalie's session expires: a is requeued, Tom (full) fits
    assert.equal((await stored(t, a)).state, 'waiting');
    const end = await t.inject({ method: 'POST', url: `${tom.session}/chat/${lastSegment(x)}/events.json`, headers: tom.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(end.statusCode, 201);
    assert.equal(await accept(t, tom), lastSegment(a), 'the requeued chat, older than b, comes first');
    assert.equal((await stored(t, b)).state, 'waiting');
  });
});

test('logout closes the sessions, requeues the chats (line 23) and withdraws offers', async () => {
  await withApp({ provisioning: threeAgents() }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    await logIn(t, TOM, false);
    const held = await startChat(t, LONG);
    await accept(t, natalie);
    const tom = await logIn(t, TOM);
    const out = await t.inject({ method: 'POST', url: `${BASE}/logout`, headers: natalie.auth });
    assert.equal(out.statusCode, 200, out.body);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Offline');
    const events = await visitorEvents(t, held);
    assert.equal(events.at(-2)?.systemMessageId, SystemMessage.requeued);
    assert.equal(events.at(-1)?.state, 'waiting');
    assert.equal(await ringingCount(t, tom), 1);
    // A fresh login does not get the old session back.
    const again = await logIn(t, NATALIE, false);
    const old = await t.inject({ method: 'GET', url: `${natalie.session}.json`, headers: again.auth });
    assert.equal(old.statusCode, 404);
  });
});

test('session expiry is re-armed after a restart, and one that passed while down acts at start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-presence-'));
  const file = join(dir, 'serverchat.db');
  try {
    const clock = new ManualClock();
    const t1 = await testApp({ provisioning: threeAgents(), store: new SqliteStore(file), clock });
    const natalie = await logIn(t1, NATALIE);
    const chat = await startChat(t1, LONG);
    await accept(t1, natalie);
    await t1.tick(100_000);
    const tom = await logIn(t1, TOM);
    await t1.close();
    clock.advance(250_000); // Natalie's session (t+300) expires while down; Tom's (t+400) not yet
    const t2 = await testApp({ provisioning: { accounts: [] }, store: new SqliteStore(file), clock });
    try {
      assert.equal(await availabilityOf(t2, NATALIE.id), 'Offline');
      assert.equal((await stored(t2, chat)).state, 'waiting');
      assert.equal((await visitorEvents(t2, chat)).at(-2)?.systemMessageId, SystemMessage.requeued);
      await t2.tick(49_999);
      assert.equal(await availabilityOf(t2, TOM.id), 'Away', 'the chat rang Tom for 20 s meanwhile');
      await t2.tick(1);
      assert.equal(await availabilityOf(t2, TOM.id), 'Offline', "Tom's expiry was re-armed");
      assert.equal(await sessionStatus(t2, tom), 404);
    } finally {
      await t2.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an accept window and a session expiry falling due together leave the agent Offline', async () => {
  await withApp({ provisioning: threeAgents(), agentSessionTimeout: 20 }, async (t) => {
    await logIn(t, NATALIE);
    const chat = await startChat(t, LONG);
    assert.equal((await stored(t, chat)).ringingAgentId, NATALIE.id);
    await t.tick(20_000);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Offline');
    const s = await stored(t, chat);
    assert.equal(s.state, 'waiting');
    assert.equal(s.ringingAgentId, null);
  });
});
