// Retrieve Available Agents' timeStamp (agent API §4.4): the `next` link's call lists only the
// agents whose availability or load changed since the list it came from — an availability
// change, a chat accepted, ended by either side, timed out — and nothing when nothing did.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AGENT_MARK_AHEAD_MS as AHEAD } from '../../src/chat/core/chat-writer.ts';
import { acceptNext, AGENT, KEY_HEADER, startChat, TOM, withApp, type TestApp } from '../helpers/app.ts';
import { agentIn, directoryProvisioning, fmtGet } from '../helpers/agents.ts';
import { FORMATS, list, obj, read, type Fmt, type XNode } from '../helpers/wire.ts';

interface Listing {
  ids: string[];
  chats: Record<string, string | undefined>;
  next: string;
}

async function listing(t: TestApp, url: string, auth: Record<string, string>, fmt: Fmt): Promise<Listing> {
  const res = await fmtGet(t, url, auth, fmt);
  assert.equal(res.statusCode, 200, res.body);
  const doc = read<{ availableAgents: { agents?: XNode | string; link: XNode } }>(res, fmt);
  const a = doc.availableAgents.agents;
  const agents = a === undefined || a === '' ? [] : list(obj(a).agent);
  const next = new URL(String(obj(doc.availableAgents.link)['@href']));
  return {
    ids: agents.map((g) => String(g['@id'])),
    chats: Object.fromEntries(agents.map((g) => [String(g['@id']), g.chats === undefined ? undefined : String(g.chats)])),
    next: next.pathname + next.search,
  };
}

for (const fmt of FORMATS) {
  test(`[${fmt}] the next link's timeStamp lists only the agents that changed since`, async () => {
    await withApp({ provisioning: directoryProvisioning }, async (t) => {
      const nat = await agentIn(t, AGENT, { online: true });
      const tom = await agentIn(t, TOM);
      // A change is stamped a second ahead (AGENT_MARK_AHEAD_MS): lists read within that second
      // list it again. Start past the sessions' changes, and move past each change below.
      await t.tick(AHEAD + 1);
      const full = await listing(t, `${nat.session}/availableAgents`, nat.auth, fmt);
      assert.deepEqual(full.ids, [String(AGENT.id), String(TOM.id)]);
      await t.tick(1000);
      // Nothing changed: an empty list, and its own next link.
      const quiet = await listing(t, full.next, nat.auth, fmt);
      assert.deepEqual(quiet.ids, []);
      await t.tick(1000);
      // Tom goes Occupied (he takes no new chats then): only Tom.
      const set = await t.inject({ method: 'POST', url: `${tom.session}/availability.json`, headers: { ...tom.auth, 'x-http-method-override': 'PUT' }, payload: { availability: { chat: 'Occupied' } } });
      assert.equal(set.statusCode, 200);
      await t.tick(AHEAD + 1); // past the change's stamp (see above)
      const tomOnline = await listing(t, quiet.next, nat.auth, fmt);
      assert.deepEqual(tomOnline.ids, [String(TOM.id)]);
      await t.tick(1000);
      // A chat accepted by Natalie: her load changed (chats 1); Tom did not change.
      const chat = await startChat(t);
      // Ringing is no load: nobody changed yet.
      const ringing = await listing(t, tomOnline.next, nat.auth, fmt);
      assert.deepEqual(ringing.ids, []);
      await t.tick(1000);
      await acceptNext(t, nat);
      await t.tick(AHEAD + 1);
      const accepted = await listing(t, ringing.next, nat.auth, fmt);
      const holder = String(AGENT.id);
      assert.deepEqual(accepted.ids, [holder]);
      assert.equal(accepted.chats[holder], '1');
      await t.tick(1000);
      // The visitor ends it: the holder again, with no chats.
      const end = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
      assert.equal(end.statusCode, 201);
      await t.tick(AHEAD + 1);
      const ended = await listing(t, accepted.next, nat.auth, fmt);
      assert.deepEqual(ended.ids, [holder]);
      assert.equal(ended.chats[holder], undefined);
      await t.tick(1000);
      // A chat that times out under its agent: the holder once more.
      await startChat(t);
      await acceptNext(t, nat);
      await t.tick(AHEAD + 1);
      const beforeTimeout = await listing(t, ended.next, nat.auth, fmt);
      assert.deepEqual(beforeTimeout.ids, [holder]);
      await t.tick(1000);
      const idle = await listing(t, beforeTimeout.next, nat.auth, fmt);
      assert.deepEqual(idle.ids, []);
      // Agent polls keep the agent session, not the chat, alive (wire-details.test.ts).
      await t.tick(41_000 - AHEAD - 1);
      const timedOut = await listing(t, idle.next, nat.auth, fmt);
      assert.deepEqual(timedOut.ids, [holder]);
      assert.equal(timedOut.chats[holder], undefined);
      // Without timeStamp: the full list, as always.
      assert.deepEqual((await listing(t, `${nat.session}/availableAgents`, nat.auth, fmt)).ids, [String(AGENT.id), String(TOM.id)]);
    });
  });
}
