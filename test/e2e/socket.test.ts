// One whole chat over real HTTP: the server from start() on 127.0.0.1:0, driven with fetch.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { start, type Started } from '../../src/server.ts';
import { ACCOUNT, AGENT, APP_KEY } from '../helpers/app.ts';
import { asArray, type ChatDoc, type Link } from '../helpers/wire.ts';

interface Reply {
  status: number;
  location: string | null;
  contentType: string | null;
  body: unknown;
}
const VISITOR = { authorization: `LivePerson appKey=${APP_KEY}` };

async function call(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type'), body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** Starts the real server (in memory, 127.0.0.1, a free port), runs `fn` with it and always closes it. */
async function withServer(fn: (server: Started) => Promise<void>): Promise<void> {
  const server = await start(loadConfig(['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], {}));
  try {
    await fn(server);
  } finally {
    await server.app.close();
  }
}

const put = (url: string, headers: Record<string, string>, body: unknown): Promise<Reply> => call('POST', url, { headers: { ...headers, 'x-http-method-override': 'PUT' }, body });
const nextOf = (doc: ChatDoc): string => {
  const next = doc.chat.link.find((l) => l['@rel'] === 'next');
  assert.ok(next, 'a next link');
  return next['@href'];
};

test('a whole chat over real HTTP, visitor and agent', async () => {
  await withServer(async (server) => {
    const { url } = server;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(url, 'http://127.0.0.1:0');
    const base = `${url}/api/account/${ACCOUNT}`;

    // Visitor asks for a chat.
    const req = await call('POST', `${base}/chat/request.json?v=1&NC=true`, { headers: VISITOR, body: { request: { skill: 'Sales' } } });
    assert.equal(req.status, 201);
    const visitorChat = req.location;
    assert.ok(visitorChat);
    assert.ok(visitorChat.startsWith(`${base}/chat/`), visitorChat);

    // Agent logs in, opens a session and goes Online.
    const login = await call('POST', `${base}/login?v=1.3`, { body: { username: AGENT.loginName, password: AGENT.password } });
    assert.equal(login.status, 200);
    const auth = { authorization: `Bearer ${(login.body as { bearer: string }).bearer}` };
    const session = await call('POST', `${base}/agentSession?v=1&NC=true`, { headers: auth, body: { loginData: '' } });
    assert.equal(session.status, 201);
    const sessionUrl = (session.body as { agentSessionLocation: { link: Link } }).agentSessionLocation.link['@href'];
    assert.equal(session.location, sessionUrl);
    assert.equal((await put(`${sessionUrl}/availability?v=1&NC=true`, auth, { availability: { chat: 'Online' } })).status, 200);

    // It rings; the agent takes it through the ringing link.
    const ir = await call('GET', `${sessionUrl}/incomingRequests?v=1&NC=true`, { headers: auth });
    assert.equal(ir.status, 200);
    assert.equal(ir.contentType, 'application/json');
    const rings = (ir.body as { incomingRequests: { ringingCount: string; link?: Link } }).incomingRequests;
    assert.equal(rings.ringingCount, '1');
    assert.ok(rings.link);
    const accept = await call('POST', rings.link['@href'], { headers: auth, body: { chat: 'start' } });
    assert.equal(accept.status, 201);
    const agentChat = (accept.body as { chatLocation: { link: Link } }).chatLocation.link['@href'];
    assert.equal(accept.location, agentChat);
    assert.equal(agentChat.split('/').pop(), visitorChat.split('/').pop());

    // Both sides read the chat and keep their next links.
    const v0 = (await call('GET', visitorChat, { headers: VISITOR })).body as ChatDoc;
    assert.equal(v0.chat.info.state, 'chatting');
    assert.equal(v0.chat.info.agentName, AGENT.name);
    let visitorNext = nextOf(v0);
    let agentNext = nextOf((await call('GET', agentChat, { headers: auth })).body as ChatDoc);

    // Both type.
    assert.equal((await put(`${visitorChat}/info/visitorTyping`, VISITOR, { visitorTyping: 'typing' })).status, 200);
    assert.equal((await put(`${agentChat}/info/agentTyping`, auth, { agentTyping: 'typing' })).status, 200);
    const vinfo = (await call('GET', `${visitorChat}/info`, { headers: VISITOR })).body as { info: { agentTyping: string } };
    assert.equal(vinfo.info.agentTyping, 'typing');
    const vt = (await call('GET', `${agentChat}/info/visitorTyping`, { headers: auth })).body as { visitorTyping: string };
    assert.equal(vt.visitorTyping, 'typing');

    // Visitor line -> agent's next poll.
    const vline = await call('POST', `${visitorChat}/events`, { headers: VISITOR, body: { event: { '@type': 'line', text: 'Hi, I need help' } } });
    assert.equal(vline.status, 201);
    const agentPoll = (await call('GET', agentNext, { headers: auth })).body as ChatDoc;
    assert.deepEqual(asArray(agentPoll.chat.events.event).map((e) => [e.source, e.text]), [['visitor', 'Hi, I need help']]);
    assert.equal(agentPoll.chat.info.visitorTyping, 'not-typing', 'a line ends typing');
    agentNext = nextOf(agentPoll);

    // Agent line -> visitor's next poll (it also sees the visitor's own line).
    const aline = await call('POST', `${agentChat}/events`, { headers: auth, body: { event: { '@type': 'line', text: '<div>Sure, how can I help?</div>', textType: 'html' } } });
    assert.equal(aline.status, 201);
    const visitorPoll = (await call('GET', visitorNext, { headers: VISITOR })).body as ChatDoc;
    assert.deepEqual(asArray(visitorPoll.chat.events.event).map((e) => [e.source, e.text]), [
      ['visitor', 'Hi, I need help'],
      ['agent', '<div>Sure, how can I help?</div>'],
    ]);
    visitorNext = nextOf(visitorPoll);
    const agentPoll2 = (await call('GET', agentNext, { headers: auth })).body as ChatDoc;
    assert.deepEqual(asArray(agentPoll2.chat.events.event).map((e) => e.source), ['agent']);

    // The visitor renames itself; the agent sees the name.
    assert.equal((await put(`${visitorChat}/info/visitorName`, VISITOR, { visitorName: 'Ann' })).status, 200);
    const name = (await call('GET', `${agentChat}/info/visitorName`, { headers: auth })).body as { visitorName: string };
    assert.equal(name.visitorName, 'Ann');

    // The agent ends; the visitor's next poll shows system message 5 and ended.
    const end = await call('POST', `${agentChat}/events`, { headers: auth, body: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(end.status, 201);
    const last = (await call('GET', visitorNext, { headers: VISITOR })).body as ChatDoc;
    assert.deepEqual(asArray(last.chat.events.event).map((e) => e.systemMessageId ?? e.state), [5, 'ended']);
    assert.equal(last.chat.info.state, 'ended');
    assert.equal(last.chat.info.visitorName, 'Ann');
  });
});

test('the real server answers XML and errors on the socket too', async () => {
  await withServer(async (server) => {
    const base = `${server.url}/api/account/${ACCOUNT}`;
    const res = await fetch(`${base}/chat/request.xml?v=1&NC=true`, {
      method: 'POST',
      headers: { ...VISITOR, 'content-type': 'application/xml' },
      body: '<request><skill>Sales</skill></request>',
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(res.status, 201);
    const chat = res.headers.get('location');
    assert.ok(chat?.startsWith(`${base}/chat/`));
    const info = await fetch(`${chat}/info.xml`, { headers: VISITOR, signal: AbortSignal.timeout(5_000) });
    assert.equal(info.status, 200);
    assert.match(info.headers.get('content-type') ?? '', /^application\/xml/);
    assert.match(await info.text(), /<state>waiting<\/state>/);
    const bad = await call('GET', `${chat}/info`, { headers: { authorization: 'LivePerson appKey=wrong' } });
    assert.equal(bad.status, 401);
    assert.equal((bad.body as { error: { responseStatus: string } }).error.responseStatus, 'UNAUTHORIZED');
  });
});
