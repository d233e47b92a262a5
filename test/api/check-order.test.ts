// The order of checks is a property of the whole route table (compatibility.md, "Errors";
// docs/errors.md): every vendor route is walked — 401 before anything, even a malformed
// body, query or path; then 404 for an unknown chat or agent session; then 400; and a known
// path with a method it does not take is 405 with `Allow`, in the negotiated format.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authFor } from '../../src/api/auth.ts';
import { agentOnline, BASE, KEY_HEADER, startChat, testApp, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { parseXml, type Fmt } from '../helpers/wire.ts';

let t: TestApp;
let agent: AgentHandle;

before(async () => {
  t = await testApp();
  agent = await agentOnline(t);
  await startChat(t);
});
after(async () => t.close());

interface VendorRoute {
  url: string;
  method: string;
  kind: ReturnType<typeof authFor>;
}

function vendorRoutes(): VendorRoute[] {
  const out: VendorRoute[] = [];
  for (const r of t.app.routeTable.routes()) {
    for (const method of r.methods) {
      if (method === 'HEAD') continue;
      const kind = authFor(method, r.url);
      if (kind !== 'public') out.push({ url: r.url, method, kind });
    }
  }
  return out;
}

/** A concrete path: the demo account, an unknown chat, malformed ids elsewhere. */
function pathOf(url: string, sessionId: string): string {
  return url
    .replace(':accountId', BASE.split('/').pop() as string)
    .replace(':sessionId', sessionId)
    .replace(':chatId', 'H1-nosuchchat')
    .replace(':eventId', 'not-a-number')
    .replace(/:\w+/g, 'x');
}

const MALFORMED_QUERY = '?v=1&from=abc&maxWaitTime=x&chatState=Nope&skill=&chatSessionKeys=';

function errorOf(body: string, fmt: Fmt): { reason: string } {
  if (fmt === 'xml') return (parseXml(body) as { error: { reason: string } }).error;
  return (JSON.parse(body) as { error: { reason: string } }).error;
}

async function call(r: VendorRoute, path: string, fmt: Fmt, headers: Record<string, string>) {
  const accept = fmt === 'xml' ? 'application/xml' : 'application/json';
  const withBody = r.method !== 'GET';
  return t.inject({
    method: r.method as 'GET',
    url: path + MALFORMED_QUERY,
    headers: { accept, ...headers, ...(withBody ? { 'content-type': fmt === 'xml' ? 'application/xml' : 'application/json' } : {}) },
    ...(withBody ? { payload: fmt === 'xml' ? '<request><unclosed>' : '{"request": {' } : {}),
  });
}

/** The Login Service and Visitor Authentication answer JSON whatever is asked (compatibility.md). */
const jsonOnly = (url: string): boolean => url.endsWith('/conversation');

describe('the order of checks, route by route', () => {
  it('the table has the vendor routes of both sides', () => {
    const routes = vendorRoutes();
    assert.ok(routes.filter((r) => r.kind === 'visitor').length >= 20, 'visitor routes');
    assert.ok(routes.filter((r) => r.kind === 'agent').length >= 20, 'agent routes');
  });

  for (const fmt of ['json', 'xml'] as const) {
    it(`401 before 404 and 400, for every route (${fmt})`, async () => {
      const sessionId = agent.session.split('/').pop() as string;
      for (const r of vendorRoutes()) {
        const path = pathOf(r.url, sessionId);
        for (const headers of [{} as Record<string, string>, { authorization: 'LivePerson appKey=wrong' }, { authorization: 'Bearer wrong' }]) {
          const res = await call(r, path, fmt, headers);
          const where = `${r.method} ${r.url} with ${JSON.stringify(headers)}`;
          assert.equal(res.statusCode, 401, `${where}: ${res.body}`);
          assert.equal(errorOf(res.body, jsonOnly(r.url) ? 'json' : fmt).reason, 'UNAUTHORIZED', where);
        }
      }
    });

    it(`then 404 for an unknown chat or session before 400 for a malformed request (${fmt})`, async () => {
      let checked = 0;
      for (const r of vendorRoutes()) {
        const hasChat = r.url.includes(':chatId');
        const hasSession = r.url.includes(':sessionId');
        if (!hasChat && !hasSession) continue;
        const creds = r.kind === 'agent' ? agent.auth : KEY_HEADER;
        // An unknown session for the agent side, an unknown chat in a live session otherwise.
        const sessions = r.kind === 'agent' && hasSession ? ['nosuchsession', agent.session.split('/').pop() as string] : [''];
        for (const sessionId of sessions) {
          if (sessionId !== 'nosuchsession' && !hasChat) continue;
          const res = await call(r, pathOf(r.url, sessionId), fmt, creds);
          assert.equal(res.statusCode, 404, `${r.method} ${r.url} (session ${sessionId}): ${res.body}`);
          assert.equal(errorOf(res.body, fmt).reason, 'NOT_FOUND');
          checked++;
        }
      }
      assert.ok(checked > 30, `routes checked: ${checked}`);
    });

    it(`a known path with another method is 405 with Allow (${fmt})`, async () => {
      const sessionId = agent.session.split('/').pop() as string;
      for (const r of t.app.routeTable.routes()) {
        if (!r.url.startsWith('/api/account/')) continue;
        const path = pathOf(r.url, sessionId);
        const allowed = t.app.routeTable.allowed(path);
        const res = await t.inject({ method: 'PATCH', url: path, headers: { accept: fmt === 'xml' ? 'application/xml' : 'application/json' } });
        assert.equal(res.statusCode, 405, `PATCH ${r.url}: ${res.body}`);
        assert.equal(res.headers.allow, allowed.join(', '));
        for (const m of r.methods) assert.ok(allowed.includes(m), `${r.url} allows ${m}`);
        assert.equal(errorOf(res.body, fmt).reason, 'METHOD_NOT_ALLOWED');
      }
    });
  }

  it('405 also for a method override the resource does not take', async () => {
    const res = await t.inject({ method: 'POST', url: `${BASE}/chat/availability.xml`, headers: { ...KEY_HEADER, 'x-http-method-override': 'DELETE' } });
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers.allow, 'GET, HEAD');
    assert.match(res.body, /<reason>METHOD_NOT_ALLOWED<\/reason>/);
  });

  it('an unknown path stays 404', async () => {
    const res = await t.inject({ method: 'GET', url: `${BASE}/nothing/here`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 404);
  });
});
