// Custom variables (spec §4.20): the chat's `custom-variables` link (GET, POST + override
// PUT as the JS SDK sends it), inside Start Chat, and the agent's visit customVariables.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { visitIdOf } from '../../src/chat/conversation/custom-variables.ts';
import { agentAccepted, BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { asArray, FORMATS, lastSegment, read, type ErrorDoc, type Fmt } from '../helpers/wire.ts';

const PUT = { ...KEY_HEADER, 'x-http-method-override': 'PUT' };
type Var = { name: string; value: string | number };
interface VarsDoc {
  customVariables: { customVariable?: Var | Var[] } | '';
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What the JS SDK's setCustomVariable sends, in JSON, or the same tree in XML. */
function setVars(t: TestApp, chat: string, fmt: Fmt, vars: Var[]): Promise<LightMyRequestResponse> {
  if (fmt === 'json') return t.inject({ method: 'POST', url: `${chat}/customVariables.json?v=1&NC=true`, headers: PUT, payload: { customVariables: { customVariable: vars } } });
  const xml = `<customVariables>${vars.map((v) => `<customVariable><name>${esc(v.name)}</name><value>${esc(String(v.value))}</value></customVariable>`).join('')}</customVariables>`;
  return t.inject({ method: 'POST', url: `${chat}/customVariables?v=1&NC=true`, headers: { ...PUT, 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' }, payload: xml });
}

async function getVars(t: TestApp, url: string, fmt: Fmt, headers: Record<string, string> = KEY_HEADER): Promise<Var[]> {
  const res = await t.inject({ method: 'GET', url: fmt === 'json' ? `${url}.json` : url, headers: { ...headers, ...(fmt === 'xml' ? { accept: 'application/xml' } : {}) } });
  assert.equal(res.statusCode, 200, res.body);
  const doc = read<VarsDoc>(res, fmt);
  assert.ok('customVariables' in doc);
  return doc.customVariables === '' ? [] : asArray(doc.customVariables.customVariable).map((v) => ({ name: v.name, value: String(v.value) }));
}

function assertBad(res: LightMyRequestResponse, fmt: Fmt, message: RegExp): void {
  assert.equal(res.statusCode, 400, res.body);
  const e = read<ErrorDoc>(res, fmt).error;
  assert.equal(Number(e.internalCode), 401);
  assert.match(e.message, message);
}

for (const fmt of FORMATS) {
  describe(`custom variables (${fmt})`, () => {
    test('set with POST + override PUT (200, empty), read back; setting is by name and keeps the others', async () => {
      await withApp({}, async (t) => {
        const chat = await startChat(t);
        assert.deepEqual(await getVars(t, `${chat}/customVariables`, fmt), [], 'none yet');
        const one = await setVars(t, chat, fmt, [{ name: 'cart', value: 42 }]);
        assert.equal(one.statusCode, 200, one.body);
        assert.equal(one.body, '');
        assert.deepEqual(await getVars(t, `${chat}/customVariables`, fmt), [{ name: 'cart', value: '42' }], 'one variable; numbers arrive as text');
        assert.equal((await setVars(t, chat, fmt, [{ name: 'tier', value: 'gold & <silver>' }, { name: 'cart', value: '43' }])).statusCode, 200);
        assert.deepEqual(await getVars(t, `${chat}/customVariables`, fmt), [
          { name: 'cart', value: '43' },
          { name: 'tier', value: 'gold & <silver>' },
        ]);
        const put = await t.inject({ method: 'PUT', url: `${chat}/customVariables`, headers: KEY_HEADER, payload: { customVariables: { customVariable: { name: 'empty', value: '' } } } });
        assert.equal(put.statusCode, 200, 'a real PUT, and one object instead of a list');
        assert.equal((await getVars(t, `${chat}/customVariables`, fmt)).length, 3);
      });
    });

    test('bad input is 400 and changes nothing', async () => {
      await withApp({}, async (t) => {
        const chat = await startChat(t);
        assert.equal((await setVars(t, chat, fmt, [{ name: 'keep', value: 'me' }])).statusCode, 200);
        assertBad(await setVars(t, chat, fmt, [{ name: ' ', value: 'x' }]), fmt, /name/);
        assertBad(await setVars(t, chat, fmt, [{ name: 'n'.repeat(101), value: 'x' }]), fmt, /name|100/);
        assertBad(await setVars(t, chat, fmt, [{ name: 'big', value: 'v'.repeat(1001) }]), fmt, /value|1000/);
        assertBad(await setVars(t, chat, fmt, [{ name: 'a', value: '1' }, { name: 'a', value: '2' }]), fmt, /twice/);
        // Control characters cannot travel in XML at all; in JSON they are refused by name.
        if (fmt === 'json') assertBad(await setVars(t, chat, fmt, [{ name: 'ok', value: '1' }, { name: 'bad\u0001', value: '2' }]), fmt, /control/);
        const many = Array.from({ length: 51 }, (_, i) => ({ name: `v${i}`, value: 'x' }));
        assertBad(await setVars(t, chat, fmt, many), fmt, /50/);
        // 49 new ones fit in one request but not beside the one already set... plus one more.
        assert.equal((await setVars(t, chat, fmt, many.slice(0, 49))).statusCode, 200);
        assertBad(await setVars(t, chat, fmt, [{ name: 'one-too-many', value: 'x' }]), fmt, /at most 50/);
        // Missing parts.
        const bare = fmt === 'json'
          ? await t.inject({ method: 'POST', url: `${chat}/customVariables.json`, headers: PUT, payload: { customVariables: {} } })
          : await t.inject({ method: 'POST', url: `${chat}/customVariables`, headers: { ...PUT, 'content-type': 'application/xml', accept: 'application/xml' }, payload: '<customVariables><customVariable><name>x</name></customVariable></customVariables>' });
        assertBad(bare, fmt, /customVariable|value/);
        const none = await t.inject({ method: 'POST', url: `${chat}/customVariables${fmt === 'json' ? '.json' : '.xml'}`, headers: PUT });
        assertBad(none, fmt, /body/);
        const vars = await getVars(t, `${chat}/customVariables`, fmt);
        assert.equal(vars.length, 50);
        assert.deepEqual(vars[0], { name: 'keep', value: 'me' });
        assert.ok(!vars.some((v) => v.name === 'one-too-many' || v.name === 'a' || v.name === 'big'));
      });
    });

    test('unknown chat 404, ended chat 409, no app key 401', async () => {
      await withApp({}, async (t) => {
        const unknown = await setVars(t, `${BASE}/chat/H1-0K1`, fmt, [{ name: 'a', value: 'b' }]);
        assert.equal(unknown.statusCode, 404);
        assert.equal(Number(read<ErrorDoc>(unknown, fmt).error.internalCode), 405);
        const chat = await startChat(t);
        await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
        const ended = await setVars(t, chat, fmt, [{ name: 'a', value: 'b' }]);
        assert.equal(ended.statusCode, 409);
        assert.deepEqual(await getVars(t, `${chat}/customVariables`, fmt), [], 'still readable, nothing stored');
        const noKey = await t.inject({ method: 'GET', url: `${chat}/customVariables.json` });
        assert.equal(noKey.statusCode, 401);
      });
    });

    test('sent inside Start Chat, and shown to the agent on the visit\'s customVariables', async () => {
      await withApp({}, async (t) => {
        const { agent, visitorChat } = await agentAccepted(t, { skill: 'Sales', customVariables: { customVariable: [{ name: 'plan', value: 'pro' }] } });
        assert.equal((await setVars(t, visitorChat, fmt, [{ name: 'page', value: 'checkout' }])).statusCode, 200);
        const chatId = lastSegment(visitorChat);
        const visit = `${agent.session}/visits/visit/${visitIdOf(chatId)}/customVariables`;
        assert.match(visitIdOf(chatId), /^H\d+K\d+$/);
        const expected = [{ name: 'plan', value: 'pro' }, { name: 'page', value: 'checkout' }];
        assert.deepEqual(await getVars(t, visit, fmt, agent.auth), expected);
        assert.deepEqual(await getVars(t, `${agent.session}/visits/visit/${chatId}/customVariables`, fmt, agent.auth), expected, 'by chat key too');
        const other = await t.inject({ method: 'GET', url: `${agent.session}/visits/visit/H1K1/customVariables.json`, headers: agent.auth });
        assert.equal(other.statusCode, 404);
        const visitorKey = await t.inject({ method: 'GET', url: `${visit}.json`, headers: KEY_HEADER });
        assert.equal(visitorKey.statusCode, 401, 'agent side needs a bearer');
      });
    });

    test('Start Chat with bad custom variables is 400 and creates no chat', async () => {
      await withApp({}, async (t) => {
        const res = await t.inject({
          method: 'POST',
          url: `${BASE}/chat/request.json`,
          headers: KEY_HEADER,
          payload: { request: { skill: 'Sales', customVariables: { customVariable: [{ name: 'x', value: 'v'.repeat(1001) }] } } },
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal((await t.store.listWaitingChats('12345678')).length, 0);
      });
    });
  });
}
