// The accept window (agent API §3: "accept within 20 seconds; otherwise the system treats
// the agent as idle and sets it to Away"): the chat moves to the next agent or back to the
// queue; the window is a setting, driven by the ManualClock, and survives restarts.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ACCOUNT, endByVisitor, startChat, testApp, visitorEvents, withApp } from '../helpers/app.ts';
import { accept, availabilityOf, logIn, NATALIE, ringingCount, setAvailability, stored, threeAgents, TOM } from '../helpers/contact-centre.ts';
import { lastSegment } from '../helpers/wire.ts';

const provisioning = threeAgents();

test('a chat not accepted in 20 s sets the agent Away and rings the next agent', async () => {
  await withApp({ provisioning }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    const tom = await logIn(t, TOM);
    const chat = await startChat(t, { skill: 'Sales', interactionTimeout: 3600 });
    // Both idle: the lowest id (Natalie) rings first.
    assert.equal((await stored(t, chat)).ringingAgentId, NATALIE.id);
    await t.tick(19_999);
    assert.equal((await stored(t, chat)).ringingAgentId, NATALIE.id);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Online');
    await t.tick(1);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Away');
    assert.equal(await ringingCount(t, natalie), 0);
    assert.equal(await ringingCount(t, tom), 1);
    // Tom's window starts when it rings for him, not when the chat was requested.
    await t.tick(19_999);
    assert.equal(await ringingCount(t, tom), 1);
    await t.tick(1);
    assert.equal(await availabilityOf(t, TOM.id), 'Away');
    const back = await stored(t, chat);
    assert.equal(back.state, 'waiting');
    assert.equal(back.ringingAgentId, null, 'nobody left: the chat waits in the queue');
    // Ringing is invisible to the visitor: still the first two events only.
    assert.deepEqual((await visitorEvents(t, chat)).map((e) => e['@id']), ['0', '1']);
    // An agent who comes back Online gets it again, with a fresh window.
    await setAvailability(t, natalie, 'Online');
    assert.equal(await ringingCount(t, natalie), 1);
    await t.tick(10_000);
    assert.equal(await accept(t, natalie), lastSegment(chat));
    await t.tick(60_000);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Online', 'an accepted chat has no window any more');
    assert.equal((await stored(t, chat)).state, 'chatting');
  });
});

test('the window is the --ring-timeout setting', async () => {
  await withApp({ provisioning, ringTimeout: 5 }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    await startChat(t);
    await t.tick(4_999);
    assert.equal(await ringingCount(t, natalie), 1);
    await t.tick(1);
    assert.equal(await ringingCount(t, natalie), 0);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Away');
  });
});

test('going Away on a timeout withdraws every other offer of the agent too', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await logIn(t, TOM);
    const first = await startChat(t);
    await t.tick(10_000);
    const second = await startChat(t);
    assert.equal(await ringingCount(t, tom), 2);
    await t.tick(10_000); // the first chat's window closes
    assert.equal(await availabilityOf(t, TOM.id), 'Away');
    assert.equal(await ringingCount(t, tom), 0);
    for (const c of [first, second]) {
      const s = await stored(t, c);
      assert.equal(s.state, 'waiting');
      assert.equal(s.ringingAgentId, null);
    }
    // The second chat's old window closing later changes nothing.
    await setAvailability(t, tom, 'Away');
    await t.tick(20_000);
    assert.equal(await availabilityOf(t, TOM.id), 'Away');
  });
});

test('a ringing chat the visitor ends stops ringing, and its window does not set the agent Away', async () => {
  await withApp({ provisioning }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    const chat = await startChat(t);
    await endByVisitor(t, chat);
    assert.equal(await ringingCount(t, natalie), 0);
    await t.tick(30_000);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Online');
    assert.equal(await accept(t, natalie), 409);
  });
});

test('a ringing chat that times out (visitor gone) stops ringing without setting the agent Away', async () => {
  await withApp({ provisioning }, async (t) => {
    const natalie = await logIn(t, NATALIE);
    const chat = await startChat(t, { skill: 'Sales', interactionTimeout: 10 });
    await t.tick(10_000);
    assert.equal((await stored(t, chat)).state, 'ended');
    assert.equal(await ringingCount(t, natalie), 0);
    await t.tick(10_000);
    assert.equal(await availabilityOf(t, NATALIE.id), 'Online');
  });
});

test('accept windows are re-armed after a restart; one that closed while down acts at start', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-ring-'));
  const file = join(dir, 'serverchat.db');
  try {
    const clock = new ManualClock();
    const t1 = await testApp({ provisioning, store: new SqliteStore(file), clock });
    await logIn(t1, NATALIE);
    await logIn(t1, TOM);
    const early = await startChat(t1, { skill: 'Sales', interactionTimeout: 3600 });
    assert.equal((await stored(t1, early)).ringingAgentId, NATALIE.id);
    await t1.tick(5_000);
    const late = await startChat(t1, { skill: 'Sales', interactionTimeout: 3600 });
    assert.equal((await stored(t1, late)).ringingAgentId, TOM.id);
    await t1.close();

    // Down until t+23: Natalie's window (t+20) closes while down, Tom's (t+25) not yet.
    clock.advance(18_000);
    const t2 = await testApp({ provisioning: { accounts: [] }, store: new SqliteStore(file), clock });
    try {
      assert.equal(await availabilityOf(t2, NATALIE.id), 'Away', 'the closed window acted at start');
      assert.equal((await stored(t2, late)).ringingAgentId, TOM.id);
      await t2.tick(1_999);
      assert.equal(await availabilityOf(t2, TOM.id), 'Online');
      await t2.tick(1);
      assert.equal(await availabilityOf(t2, TOM.id), 'Away', 'the open window was re-armed');
      for (const c of [early, late]) assert.equal((await stored(t2, c)).ringingAgentId, null);
    } finally {
      await t2.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a waiting chat whose visitor left (ended, or stopped polling) drops out of the queue', async () => {
  await withApp({ provisioning }, async (t) => {
    const tom = await logIn(t, TOM, false);
    const ended = await startChat(t, { skill: 'Sales', interactionTimeout: 3600 });
    const silent = await startChat(t, { skill: 'Sales', interactionTimeout: 30 });
    await t.tick(1_000);
    const stays = await startChat(t, { skill: 'Sales', interactionTimeout: 3600 });
    await endByVisitor(t, ended);
    await t.tick(30_000);
    assert.equal((await stored(t, silent)).state, 'ended');
    const waiting = await t.store.listWaitingChats(ACCOUNT);
    assert.deepEqual(waiting.map((c) => c.id), [lastSegment(stays)]);
    await setAvailability(t, tom, 'Online');
    assert.equal(await ringingCount(t, tom), 1);
    assert.equal(await accept(t, tom), lastSegment(stays));
  });
});
