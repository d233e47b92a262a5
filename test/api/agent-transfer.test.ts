// Retrieve Available Skills and Transfer a Chat (agent API §4.20, §4.21; spec §3): to a skill
// (line 15) or an agent (line 13), in JSON and XML; the old agent loses the chat, the new
// one gets it ringing, the visitor sees the new agent once accepted. Bad input changes nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SystemMessage, systemTexts } from '../../src/chat/core/system-messages.ts';
import { startChat, visitorEvents, withApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { accept, availabilityOf, BILLING, BILLY, body, logIn, NATALIE, ringingCount, SALES, setAvailability, stored, threeAgents, TOM, visitorInfo } from '../helpers/contact-centre.ts';
import { asArray, FORMATS, lastSegment, read, type ErrorDoc, type Event, type EventsDoc, type Fmt } from '../helpers/wire.ts';

const LONG = { skill: 'Sales', interactionTimeout: 3600 };

interface TransferDoc {
  transfer: { skill?: SkillRow | SkillRow[] };
}
interface SkillRow {
  id: string;
  name: string;
  onlineAgents: string;
}

/** Natalie holds a Sales chat; Tom (Sales) and Billy (Billing) are logged in (Online unless told). */
async function setup(t: TestApp, online = true): Promise<{ natalie: AgentHandle; tom: AgentHandle; billy: AgentHandle; chat: string; chatId: string }> {
  const natalie = await logIn(t, NATALIE);
  const chat = await startChat(t, LONG);
  const chatId = lastSegment(chat);
  assert.equal(await accept(t, natalie), chatId);
  const tom = await logIn(t, TOM, online);
  const billy = await logIn(t, BILLY, online);
  return { natalie, tom, billy, chat, chatId };
}

function transferUrl(agent: AgentHandle, chatId: string): string {
  return `${agent.session}/chat/${chatId}/transfer`;
}

async function post(t: TestApp, fmt: Fmt, agent: AgentHandle, chatId: string, doc: Record<string, never> | Parameters<typeof body>[1]) {
  return t.inject({ method: 'POST', url: transferUrl(agent, chatId), ...body(fmt, doc, agent.auth) });
}

async function agentEvents(t: TestApp, agent: AgentHandle, chatId: string): Promise<Event[]> {
  const res = await t.inject({ method: 'GET', url: `${agent.session}/chat/${chatId}/events.json`, headers: agent.auth });
  assert.equal(res.statusCode, 200, res.body);
  return asArray((res.json() as EventsDoc).events.event);
}

for (const fmt of FORMATS) {
  describe(`transfer (${fmt})`, () => {
    test('GET transfer lists skills with an Online or Occupied agent other than the holder', async () => {
      await withApp({ provisioning: threeAgents() }, async (t) => {
        const { natalie, tom, chatId } = await setup(t);
        const res = await t.inject({ method: 'GET', url: transferUrl(natalie, chatId), headers: { ...natalie.auth, accept: fmt === 'json' ? 'application/json' : 'application/xml' } });
        assert.equal(res.statusCode, 200, res.body);
        const skills = asArray(read<TransferDoc>(res, fmt).transfer.skill);
        assert.deepEqual(skills, [
          { id: String(SALES), name: 'Sales', onlineAgents: '1' },
          { id: String(BILLING), name: 'Billing', onlineAgents: '1' },
        ]);
        await setAvailability(t, tom, 'Occupied');
        const occupied = asArray(read<TransferDoc>(await t.inject({ method: 'GET', url: `${transferUrl(natalie, chatId)}.${fmt}`, headers: natalie.auth }), fmt).transfer.skill);
        assert.equal(occupied.length, 2, 'Occupied agents receive transfers');
        await setAvailability(t, tom, 'Away');
        const away = asArray(read<TransferDoc>(await t.inject({ method: 'GET', url: `${transferUrl(natalie, chatId)}.${fmt}`, headers: natalie.auth }), fmt).transfer.skill);
        assert.deepEqual(away.map((s) => s.name), ['Billing']);
      });
    });

    test('transfer to a skill: line 15, waiting, the old agent loses it, a skill agent accepts', async () => {
      await withApp({ provisioning: threeAgents() }, async (t) => {
        const { natalie, billy, chat, chatId } = await setup(t);
        const res = await post(t, fmt, natalie, chatId, { transfer: { skill: { id: BILLING }, text: 'Billing question & <more>' } });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.body, '');
        const s = await stored(t, chat);
        assert.equal(s.state, 'waiting');
        assert.equal(s.skillId, BILLING);
        assert.equal(s.agentId, null);
        const gone = await t.inject({ method: 'GET', url: `${natalie.session}/chat/${chatId}.json`, headers: natalie.auth });
        assert.equal(gone.statusCode, 403, 'the old agent loses access');
        const seen = await visitorEvents(t, chat);
        assert.deepEqual(seen.slice(-2).map((e) => [e['@type'], e.state ?? e.text, e.systemMessageId]), [
          ['line', systemTexts.transferredToSkill('Billing'), SystemMessage.transferredToSkill],
          ['state', 'waiting', undefined],
        ]);
        assert.ok(!seen.some((e) => e.text?.includes('Billing question')), 'the note never reaches the visitor');
        const info = await visitorInfo(t, chat);
        assert.equal(info.state, 'waiting');
        assert.equal(info.agentName, undefined);
        assert.equal(info.skillName, 'Billing');
        assert.equal(await ringingCount(t, billy), 1);
        assert.equal(await accept(t, billy), chatId);
        const note = (await agentEvents(t, billy, chatId)).find((e) => e.subType === 'ONLY_TO_REP');
        assert.equal(note?.text, 'Billing question & <more>');
        assert.equal(note?.by, 'Natalie');
        const after = await visitorInfo(t, chat);
        assert.equal(after.state, 'chatting');
        assert.equal(after.agentName, 'Billy');
        assert.equal((await visitorEvents(t, chat)).at(-1)?.text, 'You are now chatting with Billy.');
      });
    });

    test('transfer to an agent: line 13, it rings for that agent at once (text beside transfer)', async () => {
      await withApp({ provisioning: threeAgents() }, async (t) => {
        const { natalie, tom, chat, chatId } = await setup(t);
        await setAvailability(t, tom, 'Occupied');
        const res = await post(t, fmt, natalie, chatId, fmt === 'json' ? { transfer: { agent: { id: TOM.id }, skill: { id: BILLING } }, text: 'over to you' } : { transfer: { agent: { id: TOM.id }, text: 'over to you' } });
        assert.equal(res.statusCode, 200, res.body);
        const s = await stored(t, chat);
        assert.equal(s.ringingAgentId, TOM.id, 'the agent wins over the skill');
        assert.equal(s.skillId, SALES);
        assert.equal((await visitorEvents(t, chat)).at(-2)?.text, systemTexts.transferredToAgent('Tom'));
        assert.equal((await visitorEvents(t, chat)).at(-2)?.systemMessageId, SystemMessage.transferredToAgent);
        assert.equal(await ringingCount(t, tom), 1, 'Occupied agents get transfers');
        assert.equal(await accept(t, tom), chatId);
        assert.equal((await visitorInfo(t, chat)).agentName, 'Tom');
        assert.equal((await agentEvents(t, tom, chatId)).find((e) => e.subType === 'ONLY_TO_REP')?.text, 'over to you');
      });
    });

    test('an agent transfer not accepted in 20 s: that agent goes Away, the chat goes to the skill but not back to the sender', async () => {
      await withApp({ provisioning: threeAgents() }, async (t) => {
        const { natalie, tom, chat, chatId } = await setup(t);
        await setAvailability(t, tom, 'Away');
        const late = await logIn(t, TOM);
        assert.equal((await post(t, fmt, natalie, chatId, { transfer: { agent: { id: TOM.id } } })).statusCode, 200);
        await t.tick(20_000);
        assert.equal(await availabilityOf(t, TOM.id), 'Away');
        const s = await stored(t, chat);
        assert.equal(s.state, 'waiting');
        assert.equal(s.ringingAgentId, null, 'Natalie is Online with Sales and free, but she sent it away');
        await setAvailability(t, late, 'Online');
        assert.equal(await ringingCount(t, late), 1);
      });
    });

    const bad: Array<[string, (ids: { tom: number }) => Parameters<typeof body>[1], number, number]> = [
      ['unknown skill', () => ({ transfer: { skill: { id: 99 } } }), 400, 403],
      ['unknown agent', () => ({ transfer: { agent: { id: 99 } } }), 400, 440],
      ['neither skill nor agent', () => ({ transfer: { text: 'hi' } }), 400, 401],
      ['no transfer element', () => ({ other: { skill: { id: SALES } } }), 400, 401],
      ['a skill id that is not a number', () => ({ transfer: { skill: { id: 'Sales' } } }), 400, 401],
      ['an oversized note', () => ({ transfer: { skill: { id: SALES }, text: 'x'.repeat(5001) } }), 400, 401],
      ['a skill with no other agent online', () => ({ transfer: { skill: { id: SALES } } }), 409, 441],
      ['an agent who is Away', (ids) => ({ transfer: { agent: { id: ids.tom } } }), 409, 441],
      ['to oneself', () => ({ transfer: { agent: { id: NATALIE.id } } }), 409, 441],
    ];
    for (const [name, doc, status, internal] of bad) {
      test(`bad transfer: ${name} → ${status}, nothing changes`, async () => {
        await withApp({ provisioning: threeAgents() }, async (t) => {
          const { natalie, chat, chatId } = await setup(t, false);
          const before = await stored(t, chat);
          const res = await post(t, fmt, natalie, chatId, doc({ tom: TOM.id }));
          assert.equal(res.statusCode, status, res.body);
          assert.equal(Number(read<ErrorDoc>(res, fmt).error.internalCode), internal);
          assert.deepEqual(await stored(t, chat), before);
        });
      });
    }

    test('who may transfer: not the holder 403, only ringing 409, ended 409, wrong token 401, unknown chat 404', async () => {
      await withApp({ provisioning: threeAgents() }, async (t) => {
        const { natalie, tom, billy, chat, chatId } = await setup(t);
        const doc = { transfer: { skill: { id: BILLING } } };
        assert.equal((await post(t, fmt, tom, chatId, doc)).statusCode, 403);
        const get = await t.inject({ method: 'GET', url: `${transferUrl(tom, chatId)}.${fmt}`, headers: tom.auth });
        assert.equal(get.statusCode, 403);
        const ringing = await startChat(t, { skill: 'Billing', interactionTimeout: 3600 });
        assert.equal(await ringingCount(t, billy), 1);
        const r = await post(t, fmt, billy, lastSegment(ringing), { transfer: { skill: { id: SALES } } });
        assert.equal(r.statusCode, 409);
        assert.equal(Number(read<ErrorDoc>(r, fmt).error.internalCode), 412);
        const wrong = await post(t, fmt, { ...natalie, auth: { authorization: 'Bearer nope' } }, chatId, doc);
        assert.equal(wrong.statusCode, 401);
        assert.equal((await post(t, fmt, natalie, 'H0000000000000000000-00000000000000000000000000000000K0000000', doc)).statusCode, 404);
        const other = await t.inject({ method: 'POST', url: `/api/account/99999999/agentSession/${lastSegment(natalie.session)}/chat/${chatId}/transfer`, ...body(fmt, doc, natalie.auth) });
        assert.equal(other.statusCode, 401, "another account's path: the bearer is not valid there");
        const end = await t.inject({ method: 'POST', url: `${natalie.session}/chat/${chatId}/events.json`, headers: natalie.auth, payload: { event: { '@type': 'state', state: 'ended' } } });
        assert.equal(end.statusCode, 201);
        const ended = await post(t, fmt, natalie, chatId, doc);
        assert.equal(ended.statusCode, 409);
        assert.equal(Number(read<ErrorDoc>(ended, fmt).error.internalCode), 410);
        assert.equal((await stored(t, chat)).state, 'ended');
      });
    });
  });
}

test("a transfer to an agent respects that agent's maxChats", async () => {
  await withApp({ provisioning: threeAgents(1) }, async (t) => {
    const { natalie, tom, chatId } = await setup(t);
    const busy = await startChat(t, LONG);
    assert.equal(await accept(t, tom), lastSegment(busy));
    const res = await post(t, 'json', natalie, chatId, { transfer: { agent: { id: TOM.id } } });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /no free slot/);
  });
});

test('the chat resource links `transfer`; with nobody else online the skill list is empty', async () => {
  await withApp({ provisioning: threeAgents() }, async (t) => {
    const { natalie, chatId } = await setup(t, false);
    const res = await t.inject({ method: 'GET', url: `${natalie.session}/chat/${chatId}.json`, headers: natalie.auth });
    const links = (res.json() as { chat: { link: Array<{ '@rel': string; '@href': string }> } }).chat.link;
    const href = links.find((l) => l['@rel'] === 'transfer')?.['@href'];
    assert.ok(href);
    const json = await t.inject({ method: 'GET', url: `${new URL(href).pathname}.json`, headers: natalie.auth });
    assert.equal(json.statusCode, 200);
    assert.deepEqual(json.json(), { transfer: {} });
    const xml = await t.inject({ method: 'GET', url: `${new URL(href).pathname}.xml`, headers: natalie.auth });
    assert.deepEqual(read(xml, 'xml'), { transfer: '' });
  });
});

test("an agent of another account cannot reach the chat: 404 on its own account's path", async () => {
  const base = threeAgents();
  const [mine] = base.accounts;
  assert.ok(mine);
  const other = { ...mine, id: '87654321', appKeys: ['0123456789abcdef0123456789abcdef'], agents: [{ ...mine.agents[0]!, id: 99, loginName: 'otto', name: 'Otto' }] };
  await withApp({ provisioning: { accounts: [mine, other] } }, async (t) => {
    const { chat, chatId } = await setup(t);
    const login = await t.inject({ method: 'POST', url: '/api/account/87654321/login?v=1.3', payload: { username: 'otto', password: NATALIE.password } });
    assert.equal(login.statusCode, 200, login.body);
    const auth = { authorization: `Bearer ${(login.json() as { bearer: string }).bearer}` };
    const s = await t.inject({ method: 'POST', url: '/api/account/87654321/agentSession.json', headers: auth, payload: {} });
    assert.equal(s.statusCode, 201, s.body);
    const session = new URL(String(s.headers.location)).pathname;
    for (const fmt of FORMATS) {
      const res = await t.inject({ method: 'POST', url: `${session}/chat/${chatId}/transfer`, ...body(fmt, { transfer: { skill: { id: BILLING } } }, auth) });
      assert.equal(res.statusCode, 404, res.body);
      assert.equal(Number(read<ErrorDoc>(res, fmt).error.internalCode), 405);
    }
    assert.equal((await stored(t, chat)).state, 'chatting');
  });
});
