// Start Agent Session and availability (agent API §4.1–4.3), in JSON and in XML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { agentOnline, BASE, TOM, withApp, withTom, type TestApp } from '../helpers/app.ts';
import { asArray, FORMATS, read, type AgentErrorDoc, type Link } from '../helpers/wire.ts';

async function bearerOf(t: TestApp, username = 'natalie', password = 'secret'): Promise<{ authorization: string }> {
  const res = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload: { username, password } });
  assert.equal(res.statusCode, 200);
  return { authorization: `Bearer ${(res.json() as { bearer: string }).bearer}` };
}

for (const fmt of FORMATS) {
  test(`Start Agent Session answers 201 with Location and agentSessionLocation (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const auth = await bearerOf(t);
      const bodies: Array<[string, string | Record<string, unknown>]> =
        fmt === 'json'
          ? [
              ['application/json', { loginData: '' }],
              ['application/json', { loginData: {} }],
              ['application/json', { loginData: { userName: 'natalie', password: 'secret' } }],
            ]
          : [
              ['application/xml', '<loginData><userName>natalie</userName><password>secret</password></loginData>'],
              ['application/xml', '<loginData></loginData>'],
            ];
      const seen = new Set<string>();
      for (const [type, payload] of bodies) {
        const res = await t.inject({ method: 'POST', url: `${BASE}/agentSession.${fmt}?v=1&NC=true`, headers: { ...auth, 'content-type': type }, payload });
        assert.equal(res.statusCode, 201, res.body);
        const body = read<{ agentSessionLocation: { link: Link } }>(res, fmt);
        const href = body.agentSessionLocation.link['@href'];
        // agentSessionId: the href's last segment (agent API §4.1).
        assert.equal((body.agentSessionLocation as { agentSessionId?: string }).agentSessionId, href.split('/').pop());
        assert.equal(body.agentSessionLocation.link['@rel'], 'location');
        assert.equal(res.headers.location, href);
        assert.match(href, /^http:\/\/localhost(:80)?\/api\/account\/12345678\/agentSession\/[^/?]+$/);
        seen.add(href);
      }
      assert.equal(seen.size, bodies.length, 'every Start Agent Session makes a new session');
    });
  });

  test(`GET the agent session lists its availability and incoming-requests links (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t, { online: false });
      const res = await t.inject({ method: 'GET', url: `${agent.session}.${fmt}?v=1&NC=true`, headers: agent.auth });
      assert.equal(res.statusCode, 200);
      const body = read<{ agentSessionId: { '@id': string; link: Link | Link[] } }>(res, fmt);
      const id = agent.session.split('/').pop();
      assert.equal(body.agentSessionId['@id'], id);
      const links = asArray(body.agentSessionId.link);
      const byRel = new Map(links.map((l) => [l['@rel'], new URL(l['@href']).pathname]));
      assert.equal(byRel.get('self'), agent.session);
      assert.equal(byRel.get('availability'), `${agent.session}/availability`);
      assert.equal(byRel.get('incoming-requests'), `${agent.session}/incomingRequests`);
      // The resources of the session this server adds (rel names ours: the vendor's are unknown).
      assert.equal(byRel.get('available-agents'), `${agent.session}/availableAgents`);
      assert.equal(byRel.get('info'), `${agent.session}/info`);
      assert.equal(byRel.get('chat-sessions'), `${agent.session}/chatSessions`);
    });
  });

  test(`availability GET and PUT: Online, Away, Occupied (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t, { online: false });
      const url = `${agent.session}/availability.${fmt}?v=1&NC=true`;
      const get = async (): Promise<{ chat: string; voice: string }> => {
        const res = await t.inject({ method: 'GET', url, headers: agent.auth });
        assert.equal(res.statusCode, 200);
        return read<{ availability: { chat: string; voice: string } }>(res, fmt).availability;
      };
      // A fresh session takes no chats until the agent says Online.
      assert.deepEqual(await get(), { chat: 'Away', voice: 'Offline' });

      const put = async (value: string, how: 'override' | 'put'): Promise<void> => {
        const payload = fmt === 'json' ? { availability: { chat: value } } : `<availability><chat>${value}</chat></availability>`;
        const headers = { ...agent.auth, 'content-type': fmt === 'json' ? 'application/json' : 'application/xml', ...(how === 'override' ? { 'x-http-method-override': 'PUT' } : {}) };
        const res = await t.inject({ method: how === 'override' ? 'POST' : 'PUT', url, headers, payload });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(read<{ availability: { chat: string } }>(res, fmt).availability.chat, value);
      };
      await put('Online', 'override');
      assert.equal((await get()).chat, 'Online');
      await put('Occupied', 'put');
      assert.equal((await get()).chat, 'Occupied');
      await put('Away', 'override');
      assert.equal((await get()).chat, 'Away');
      await put('Online', 'put');
      assert.equal((await get()).chat, 'Online');
    });
  });

  test(`availability with a bad value answers 400 and changes nothing (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t);
      const url = `${agent.session}/availability.${fmt}?v=1&NC=true`;
      const bad: Array<string | Record<string, unknown>> =
        fmt === 'json'
          ? [{ availability: { chat: 'Offline' } }, { availability: { chat: 'online' } }, { availability: {} }, { chat: 'Online' }, { availability: { chat: 'Busy' } }]
          : ['<availability><chat>Offline</chat></availability>', '<availability><chat>Busy</chat></availability>', '<availability></availability>', '<chat>Online</chat>'];
      for (const payload of bad) {
        const res = await t.inject({
          method: 'POST',
          url,
          headers: { ...agent.auth, 'x-http-method-override': 'PUT', 'content-type': fmt === 'json' ? 'application/json' : 'application/xml' },
          payload,
        });
        assert.equal(res.statusCode, 400, `${JSON.stringify(payload)} -> ${res.body}`);
        assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'BAD_REQUEST');
      }
      const now = await t.inject({ method: 'GET', url, headers: agent.auth });
      assert.equal(read<{ availability: { chat: string } }>(now, fmt).availability.chat, 'Online');
    });
  });

  test(`another agent's session id answers 404 (${fmt})`, async () => {
    await withApp({ provisioning: withTom }, async (t) => {
      const natalie = await agentOnline(t, { online: false });
      const tom = await agentOnline(t, { online: false, login: TOM.loginName, password: TOM.password });
      const natalieId = natalie.session.split('/').pop() as string;
      const tomsView = `${BASE}/agentSession/${natalieId}`;
      for (const [method, url] of [
        ['GET', `${tomsView}.${fmt}`],
        ['GET', `${tomsView}/availability.${fmt}`],
        ['GET', `${tomsView}/incomingRequests.${fmt}`],
        ['GET', `${BASE}/agentSession/999999.${fmt}`],
      ] as const) {
        const res = await t.inject({ method, url, headers: tom.auth });
        assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
        assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'NOT_FOUND');
      }
      const put = await t.inject({
        method: 'PUT',
        url: `${tomsView}/availability.${fmt}`,
        headers: tom.auth,
        payload: { availability: { chat: 'Online' } },
      });
      assert.equal(put.statusCode, 404);
      // Natalie's availability was not changed by Tom's attempt.
      const mine = await t.inject({ method: 'GET', url: `${natalie.session}/availability.${fmt}`, headers: natalie.auth });
      assert.equal(read<{ availability: { chat: string } }>(mine, fmt).availability.chat, 'Away');
    });
  });

  test(`no bearer or an invalid one answers 401 (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const agent = await agentOnline(t, { online: false });
      const headersList: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer not-a-token' },
        { authorization: 'Basic bmF0YWxpZTpzZWNyZXQ=' },
        { authorization: 'Bearer' },
        { authorization: agent.auth.authorization.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')) },
      ];
      for (const headers of headersList) {
        for (const [method, url] of [
          ['POST', `${BASE}/agentSession.${fmt}`],
          ['GET', `${agent.session}.${fmt}`],
          ['GET', `${agent.session}/availability.${fmt}`],
          ['PUT', `${agent.session}/availability.${fmt}`],
        ] as const) {
          const res = await t.inject({ method, url, headers, payload: method === 'GET' ? undefined : method === 'PUT' ? { availability: { chat: 'Online' } } : { loginData: '' } });
          assert.equal(res.statusCode, 401, `${method} ${url} with ${JSON.stringify(headers)}: ${res.body}`);
          assert.equal(read<AgentErrorDoc>(res, fmt).error.responseStatus, 'UNAUTHORIZED');
        }
      }
    });
  });
}
