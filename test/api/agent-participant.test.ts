// Retrieve Participant Info (agent API §4.24) and the system lines an agent reads (§4.25),
// in JSON and XML: only a participant of a chat the agent holds or has ringing is found.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, AGENT, endByVisitor, startChat, TOM, withApp } from '../helpers/app.ts';
import { agentIn, assertErr, BOB, directoryProvisioning, fmtGet, OTHER_BASE } from '../helpers/agents.ts';
import { authenticated, makeIdp, trusting } from '../helpers/sso.ts';
import { FORMATS, list, obj, read, type XNode } from '../helpers/wire.ts';

// Participants are verified visitors (spec §4.7b): their ids come from Visitor Authentication.
const idp = await makeIdp();
const opts = { provisioning: trusting(directoryProvisioning, idp) };

for (const fmt of FORMATS) {
  const path = (session: string, pid: string): string => `${session}/participantExtendedInfo/${encodeURIComponent(pid)}`;

  test(`[${fmt}] participant info answers for the participant of the agent's chat`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const ids = await authenticated(t, idp);
      const PID = ids.participantId;
      const visitorChat = await startChat(t, { skill: 'Sales', ...ids });
      // While it rings for the agent the data is there already (the agent may read the chat).
      const ringing = await fmtGet(t, path(nat.session, PID), nat.auth, fmt);
      assert.equal(ringing.statusCode, 200, ringing.body);
      await acceptNext(t, nat);
      const res = await fmtGet(t, path(nat.session, PID), nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const doc = read<XNode>(res, fmt);
      const root = fmt === 'json' ? doc : obj(doc.participantExtendedInfo);
      if (fmt === 'json') assert.deepEqual(Object.keys(doc), ['authenticatedParticipantInfo', 'authenticatedPersonalInfo']);
      const info = obj(root.authenticatedParticipantInfo);
      assert.equal(info.isUserAuthenticated, fmt === 'json' ? true : 'true');
      assert.equal(info.participantId, PID);
      // The token's SDEs (helpers/sso.ts SDES), in the page's names.
      assert.equal(info.customerId, 'cust-138766AC');
      assert.equal(info.customerStatus, 'gold');
      assert.equal(info.customerType, 'vip');
      assert.equal(info.balance, fmt === 'json' ? -400.99 : '-400.99');
      assert.deepEqual(obj(info.registrationDate), fmt === 'json' ? { day: 23, month: 5, year: 2013 } : { day: '23', month: '5', year: '2013' });
      const personal = obj(root.authenticatedPersonalInfo);
      assert.equal(personal.name, 'John');
      assert.equal(personal.surname, 'Doe');
      assert.deepEqual(list(personal.contacts).map((c) => c.email), ['john@example.com']);
      if (fmt === 'json') assert.ok(Array.isArray(personal.contacts), 'contacts stay a list');
      // Once the chat ends the participant is no longer the agent's to look up.
      await endByVisitor(t, visitorChat);
      assertErr(await fmtGet(t, path(nat.session, PID), nat.auth, fmt), fmt, 404, 404);
    });
  });

  test(`[${fmt}] participant info is not found for unknown participants and other agents' or accounts' chats`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const ids = await authenticated(t, idp);
      const PID = ids.participantId;
      await startChat(t, { skill: 'Sales', ...ids });
      await acceptNext(t, nat);
      const tomH = await agentIn(t, TOM, { online: true });
      const bob = await agentIn(t, BOB, { base: OTHER_BASE, online: true });
      const otherKey = { authorization: 'LivePerson appKey=0therAccountKey' };
      const bobVisitor = await authenticated(t, idp, {}, { base: OTHER_BASE, headers: otherKey });
      const other = await t.inject({ method: 'POST', url: `${OTHER_BASE}/chat/request.json`, headers: otherKey, payload: { request: { skill: 'Support', ...bobVisitor } } });
      assert.equal(other.statusCode, 201);
      await acceptNext(t, bob);
      // Unknown, another agent's (Tom asking for Natalie's visitor), another account's.
      assertErr(await fmtGet(t, path(nat.session, 'nobody'), nat.auth, fmt), fmt, 404, 404);
      assertErr(await fmtGet(t, path(tomH.session, PID), tomH.auth, fmt), fmt, 404, 404);
      assertErr(await fmtGet(t, path(nat.session, bobVisitor.participantId), nat.auth, fmt), fmt, 404, 404);
      assertErr(await fmtGet(t, path(bob.session, PID), bob.auth, fmt), fmt, 404, 404);
      // Tokens and sessions: none, forged, another account's, another agent's session.
      assertErr(await fmtGet(t, path(nat.session, PID), {}, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, path(nat.session, PID), { authorization: 'Bearer x' }, fmt), fmt, 401, 12);
      assertErr(await fmtGet(t, path(nat.session, PID), bob.auth, fmt), fmt, 401, 12);
      const viaTom = await fmtGet(t, path(nat.session, PID), tomH.auth, fmt);
      assertErr(viaTom, fmt, 404, 406);
      assert.ok(!viaTom.body.includes(PID));
      // An oversized id is a bad path.
      assertErr(await fmtGet(t, path(nat.session, 'p'.repeat(201)), nat.auth, fmt), fmt, 400, 400);
    });
  });

  test(`[${fmt}] the agent reads system lines with their numeric systemMessageId (agent API §4.25)`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await startChat(t);
      const chat = await acceptNext(t, nat);
      const end = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: nat.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
      assert.equal(end.statusCode, 201);
      const res = await fmtGet(t, `${chat}/events`, nat.auth, fmt);
      assert.equal(res.statusCode, 200);
      const events = list(obj(read<{ events: XNode }>(res, fmt).events).event);
      const system = events.filter((e) => e.source === 'system');
      // 4 routing, 3 accepted, 5 the agent ended; each by "info", plain, REGULAR.
      assert.deepEqual(system.map((e) => e.systemMessageId), fmt === 'json' ? [4, 3, 5] : ['4', '3', '5']);
      for (const e of system) assert.deepEqual([e.by, e.textType, e.subType, e['@type']], ['info', 'plain', 'REGULAR', 'line']);
      // The state events around them: waiting, chatting, ended, with no systemMessageId.
      assert.deepEqual(events.filter((e) => e['@type'] === 'state').map((e) => [e.state, e.systemMessageId]), [
        ['waiting', undefined],
        ['chatting', undefined],
        ['ended', undefined],
      ]);
    });
  });
}
