// Retrieve Available Agents (agent API §4.4) and Retrieve Agent Information (§4.6), in JSON
// and XML: fields, filters, one agent versus several, bad queries, wrong tokens, other
// accounts and other agents' sessions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, acceptNext, AGENT, BASE, SKILL, startChat, TOM, withApp } from '../helpers/app.ts';
import { agentIn, assertErr, BILLING, BOB, directoryProvisioning, fmtGet, OTHER_BASE } from '../helpers/agents.ts';
import { FORMATS, list, obj, ORIGIN, read, type XNode } from '../helpers/wire.ts';

const opts = { provisioning: directoryProvisioning };

/** The agents of an availableAgents answer, as a list, whatever the format. */
function agentsOf(doc: { availableAgents: { agents?: XNode | string; link: XNode } }): XNode[] {
  const agents = doc.availableAgents.agents;
  return agents === undefined || agents === '' ? [] : list(obj(agents).agent);
}

for (const fmt of FORMATS) {
  test(`[${fmt}] available agents lists every agent of the account with the documented fields`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const tomH = await agentIn(t, TOM);
      // Natalie holds one chat; Tom none.
      await startChat(t);
      await acceptNext(t, nat);
      const res = await fmtGet(t, `${nat.session}/availableAgents`, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const doc = read<{ availableAgents: { agents: XNode; link: XNode } }>(res, fmt);
      const agents = agentsOf(doc);
      assert.equal(agents.length, 2);
      const [n, tm] = agents as [XNode, XNode];
      // Attributes: numeric codes as strings (2 Online, 4 Away, voice 1 Offline).
      assert.deepEqual(
        { id: n['@id'], chatState: n['@chatState'], voiceState: n['@voiceState'], maxChats: n['@maxChats'] },
        { id: String(AGENT.id), chatState: '2', voiceState: '1', maxChats: '4' },
      );
      assert.equal(n.userName, AGENT.loginName);
      assert.equal(n.nickname, AGENT.name);
      assert.equal(n.chats, '1');
      assert.equal(n.email, undefined);
      assert.equal(obj(n.skills).skill, String(SKILL.id));
      assert.deepEqual(
        { id: tm['@id'], chatState: tm['@chatState'], maxChats: tm['@maxChats'], email: tm.email, privilegeGroup: tm.privilegeGroup, nickname: tm.nickname, userName: tm.userName },
        { id: String(TOM.id), chatState: '4', maxChats: '-1', email: 'tom@example.com', privilegeGroup: 'administrators', nickname: TOM.name, userName: TOM.loginName },
      );
      // No chats: no `chats` element (the sample app reads that as a free agent).
      assert.equal(tm.chats, undefined);
      assert.deepEqual(obj(tm.skills).skill, [String(SKILL.id), String(BILLING.id)]);
      // No password hash or other internals leak.
      assert.doesNotMatch(res.body, /passwordHash|scrypt|appLogin/);
      const next = obj(doc.availableAgents.link);
      assert.equal(next['@rel'], 'next');
      assert.equal(next['@href'], `${ORIGIN}${nat.session}/availableAgents?timeStamp=${t.clock.now()}`);
      // Tom sees the same list from his own session.
      const fromTom = await fmtGet(t, `${tomH.session}/availableAgents`, tomH.auth, fmt);
      assert.equal(agentsOf(read(fromTom, fmt)).length, 2);
    });
  });

  test(`[${fmt}] available agents filters by skill, chatState, voiceState and chatReasonId; one match is an object`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await agentIn(t, TOM);
      const ids = async (query: string): Promise<string[]> => {
        const res = await fmtGet(t, `${nat.session}/availableAgents?${query}`, nat.auth, fmt);
        assert.equal(res.statusCode, 200, `${query}: ${res.body}`);
        const doc = read<{ availableAgents: { agents?: XNode; link: XNode } }>(res, fmt);
        const raw: unknown = doc.availableAgents.agents;
        // One agent arrives as an object, not a one-item list (spec §1.4).
        if (raw !== undefined && raw !== '' && fmt === 'json') {
          const a = obj(raw).agent;
          if (Array.isArray(a)) assert.ok(a.length > 1);
        }
        return agentsOf(doc as never).map((a) => String(a['@id']));
      };
      assert.deepEqual(await ids('skill=Billing'), [String(TOM.id)]);
      assert.deepEqual(await ids('skill=sales'), [String(AGENT.id), String(TOM.id)]);
      assert.deepEqual(await ids(`skill=${BILLING.id}`), [String(TOM.id)]);
      assert.deepEqual(await ids('chatState=Online'), [String(AGENT.id)]);
      assert.deepEqual(await ids('chatState=Away'), [String(TOM.id)]);
      assert.deepEqual(await ids('chatState=Occupied'), []);
      assert.deepEqual(await ids('chatState=Away&skill=Sales'), [String(TOM.id)]);
      assert.deepEqual(await ids('voiceState=Offline'), [String(AGENT.id), String(TOM.id)]);
      assert.deepEqual(await ids('voiceState=Online'), []);
      assert.deepEqual(await ids('chatReasonId=lunch'), []);
      // The next link repeats the filters.
      const res = await fmtGet(t, `${nat.session}/availableAgents?skill=Billing&chatState=Away&timeStamp=5`, nat.auth, fmt);
      const href = String(obj(read<{ availableAgents: { link: XNode } }>(res, fmt).availableAgents.link)['@href']);
      assert.equal(href, `${ORIGIN}${nat.session}/availableAgents?skill=Billing&chatState=Away&timeStamp=${t.clock.now()}`);
    });
  });

  test(`[${fmt}] available agents refuses bad filters with 400`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT);
      for (const q of ['chatState=Busy', 'voiceState=online', 'skill=', 'skill=Nope', 'timeStamp=abc', 'timeStamp=-1', `skill=${'x'.repeat(101)}`]) {
        const res = await fmtGet(t, `${nat.session}/availableAgents?${q}`, nat.auth, fmt);
        assertErr(res, fmt, 400, q === 'skill=Nope' ? 403 : 402);
      }
    });
  });

  test(`[${fmt}] agent information gives the calling agent's profile, state and skills`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const res = await fmtGet(t, `${nat.session}/info`, nat.auth, fmt);
      assert.equal(res.statusCode, 200, res.body);
      const info = obj(read<{ info: XNode }>(res, fmt).info);
      assert.deepEqual(obj(info.link), { '@href': `${ORIGIN}${nat.session}/info`, '@rel': 'self' });
      assert.equal(info.agentName, AGENT.name);
      assert.equal(info.displayName, AGENT.name);
      assert.equal(info.loginName, AGENT.loginName);
      assert.equal(info.id, String(AGENT.id));
      assert.equal(info.maxChats, '4');
      assert.deepEqual(obj(info.availability), { chat: 'Online', voice: 'Offline' });
      assert.equal(info.chatReasonId, undefined);
      // One skill: an object (spec §1.4).
      assert.deepEqual(obj(obj(info.skillsInfo).skillInfo), { id: String(SKILL.id), name: SKILL.name });
      if (fmt === 'json') assert.deepEqual(Object.keys(info), ['link', 'agentName', 'displayName', 'loginName', 'id', 'maxChats', 'availability', 'skillsInfo']);

      const tomH = await agentIn(t, TOM);
      const tres = await fmtGet(t, `${tomH.session}/info`, tomH.auth, fmt);
      const ti = obj(read<{ info: XNode }>(tres, fmt).info);
      assert.equal(ti.displayName, 'Tom T.');
      assert.equal(ti.maxChats, '-1');
      assert.deepEqual(obj(ti.availability), { chat: 'Away', voice: 'Offline' });
      assert.deepEqual(list(obj(ti.skillsInfo).skillInfo), [
        { id: String(SKILL.id), name: SKILL.name },
        { id: String(BILLING.id), name: BILLING.name },
      ]);
    });
  });

  test(`[${fmt}] available agents and agent info refuse wrong tokens, other accounts and other agents' sessions`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT);
      const tomH = await agentIn(t, TOM);
      const bob = await agentIn(t, BOB, { base: OTHER_BASE });
      for (const res of ['availableAgents', 'info']) {
        // No bearer, a made-up one, a logged-out one.
        assertErr(await fmtGet(t, `${nat.session}/${res}`, {}, fmt), fmt, 401, 12);
        assertErr(await fmtGet(t, `${nat.session}/${res}`, { authorization: 'Bearer nope' }, fmt), fmt, 401, 12);
        // Another account's bearer on this account's session, and this bearer on the other account.
        assertErr(await fmtGet(t, `${nat.session}/${res}`, bob.auth, fmt), fmt, 401, 12);
        assertErr(await fmtGet(t, `${bob.session}/${res}`, nat.auth, fmt), fmt, 401, 12);
        // Another agent's session with one's own bearer: not found, and nothing of Tom's shown.
        const r = await fmtGet(t, `${tomH.session}/${res}`, nat.auth, fmt);
        assertErr(r, fmt, 404, 406);
        assert.doesNotMatch(r.body, /tom/i);
        // A session id of the same number under the other account path is not this one.
        assertErr(await fmtGet(t, `${OTHER_BASE}/agentSession/${nat.session.split('/').pop()}/${res}`, nat.auth, fmt), fmt, 401, 12);
        assertErr(await fmtGet(t, `${BASE}/agentSession/99999/${res}`, nat.auth, fmt), fmt, 404, 406);
      }
      // Bob's list holds Bob only: never the demo account's agents.
      const bobList = await fmtGet(t, `${bob.session}/availableAgents`, bob.auth, fmt);
      assert.equal(bobList.statusCode, 200);
      assert.deepEqual(agentsOf(read(bobList, fmt)).map((a) => a['@id']), [String(BOB.id)]);
      assert.doesNotMatch(bobList.body, new RegExp(`${AGENT.loginName}|${TOM.loginName}|${ACCOUNT}`));
      const logout = await t.inject({ method: 'POST', url: `${BASE}/logout`, headers: nat.auth, payload: {} });
      assert.equal(logout.statusCode, 200);
      assertErr(await fmtGet(t, `${nat.session}/info`, nat.auth, fmt), fmt, 401, 12);
    });
  });
}

for (const fmt of FORMATS) {
  test(`[${fmt}] a chatReasonId set with the availability shows in agent info and filters the agents list`, async () => {
    await withApp(opts, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      await agentIn(t, TOM);
      const put = (availability: Record<string, unknown>) =>
        t.inject({ method: 'POST', url: `${nat.session}/availability.json`, headers: { ...nat.auth, 'x-http-method-override': 'PUT' }, payload: { availability } });
      assert.equal((await put({ chat: 'Away', chatReasonId: 'lunch-1' })).statusCode, 200);
      const info = async (): Promise<XNode> => obj(read<{ info: XNode }>(await fmtGet(t, `${nat.session}/info`, nat.auth, fmt), fmt).info);
      assert.equal((await info()).chatReasonId, 'lunch-1');
      if (fmt === 'json') assert.deepEqual(Object.keys(await info()).slice(-2), ['chatReasonId', 'skillsInfo']);
      const byReason = await fmtGet(t, `${nat.session}/availableAgents?chatReasonId=lunch-1`, nat.auth, fmt);
      assert.deepEqual(agentsOf(read(byReason, fmt)).map((a) => a['@id']), [String(AGENT.id)]);
      // Bad reasons are refused and change nothing.
      for (const chatReasonId of ['has space', 'x'.repeat(101), { nested: 1 }]) {
        const res = await put({ chat: 'Online', chatReasonId });
        assert.equal(res.statusCode, 400, res.body);
      }
      assert.equal((await info()).chatReasonId, 'lunch-1');
      assert.deepEqual(obj((await info()).availability), { chat: 'Away', voice: 'Offline' });
      // A state set without a reason clears it; a numeric reason is kept as text.
      assert.equal((await put({ chat: 'Online' })).statusCode, 200);
      assert.equal((await info()).chatReasonId, undefined);
      assert.equal((await put({ chat: 'Occupied', chatReasonId: 42 })).statusCode, 200);
      assert.equal((await info()).chatReasonId, '42');
      const none = await fmtGet(t, `${nat.session}/availableAgents?chatReasonId=lunch-1`, nat.auth, fmt);
      assert.deepEqual(agentsOf(read(none, fmt)), []);
    });
  });
}
