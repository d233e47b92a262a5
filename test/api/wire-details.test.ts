// Wire details (compatibility.md "Formats"): header names in the vendor's case on a raw
// socket, q-values in Accept, and lastUpdate moved by the visitor's requests only.
import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { negotiate } from '../../src/api/negotiate.ts';
import { canonicalName } from '../../src/api/wire-headers.ts';
import { formatTime } from '../../src/api/representations/time.ts';
import { ACCOUNT, agentAccepted, BASE, KEY_HEADER, testApp } from '../helpers/app.ts';

/** The response head exactly as it crossed the socket. */
function rawHead(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer in 5 s')), 5000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1').split('\r\n\r\n')[0] ?? '');
    });
    socket.on('connect', () => socket.write(request));
  });
}

const names = (head: string): string[] => head.split('\r\n').slice(1).map((l) => l.slice(0, l.indexOf(':')));

test('on the wire: Content-Type, Location and Set-Cookie in the vendor\'s case', async () => {
  const t = await testApp();
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const body = JSON.stringify({ request: { skill: 'Sales' } });
    const start = await rawHead(port, `POST ${BASE}/chat/request.json?v=1 HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${KEY_HEADER.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    assert.match(start, /^HTTP\/1\.1 201 /);
    assert.ok(names(start).includes('Location'), start);
    const chat = /\r\nLocation: (\S+)/.exec(start)?.[1] ?? '';
    const info = await rawHead(port, `GET ${new URL(chat).pathname}/info.json HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${KEY_HEADER.authorization}\r\nConnection: close\r\n\r\n`);
    assert.match(info, /\r\nContent-Type: application\/json\r\n/);
    const login = JSON.stringify({ username: 'natalie', password: 'secret' });
    const l = await rawHead(port, `POST ${BASE}/login?v=1.3 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${login.length}\r\nConnection: close\r\n\r\n${login}`);
    assert.match(l, /\r\nSet-Cookie: Session_id=/);
    // Every name is canonical: no lower-case name anywhere.
    for (const head of [start, info, l]) for (const n of names(head)) assert.equal(n, canonicalName(n), head);
    const missing = await rawHead(port, `DELETE ${BASE}/chat/availability HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    assert.match(missing, /^HTTP\/1\.1 405 [^\r]*\r\n/);
    assert.match(missing, /\r\nAllow: GET, HEAD\r\n/);
  } finally {
    await t.close();
  }
});

test('canonical names', () => {
  assert.deepEqual(['content-type', 'location', 'set-cookie', 'etag', 'retry-after', 'access-control-allow-origin', 'x-serverchat-fault'].map(canonicalName), ['Content-Type', 'Location', 'Set-Cookie', 'ETag', 'Retry-After', 'Access-Control-Allow-Origin', 'X-Serverchat-Fault']);
});

test('Accept q-values decide the format; q=0 excludes', async () => {
  const cases: Array<[string, 'json' | 'xml']> = [
    ['application/xml;q=0.9, application/json;q=0.1', 'xml'],
    ['application/json;q=0.2, text/xml;q=0.8', 'xml'],
    ['application/xml;q=0.1, application/json;q=0.9', 'json'],
    ['application/xml;q=0, application/json;q=0.1', 'json'],
    ['application/json;q=0', 'xml'],
    ['application/xml;q=0', 'json'],
    ['application/xml, */*', 'xml'],
    ['application/json, application/xml', 'json'],
    ['application/xml;q=0.5, application/json;q=0.5', 'json'],
    ['*/*', 'json'],
  ];
  for (const [accept, fmt] of cases) assert.equal(negotiate(null, { headers: { accept } }), fmt, accept);
  const t = await testApp();
  try {
    const res = await t.inject({ method: 'GET', url: `${BASE}/chat/availability`, headers: { ...KEY_HEADER, accept: 'application/xml;q=0.9, application/json;q=0.1' } });
    assert.match(String(res.headers['content-type']), /^application\/xml/);
    assert.match(res.body, /<availability>/);
  } finally {
    await t.close();
  }
});

test('lastUpdate: every visitor request moves it, no agent request does, and the chat times out under a busy agent', async () => {
  const t = await testApp();
  try {
    const { agent, visitorChat, agentChat } = await agentAccepted(t);
    const chatId = visitorChat.split('/').pop() as string;
    const before = (await t.store.getChat(ACCOUNT, chatId))?.lastUpdate;
    // Agent reads and writes, 10 s apart: lastUpdate stays where the visitor left it.
    const agentCalls = [
      () => t.inject({ method: 'GET', url: `${agentChat}.json`, headers: agent.auth }),
      () => t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth }),
      () => t.inject({ method: 'GET', url: `${agentChat}/info.json`, headers: agent.auth }),
      () => t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text: 'hello' } } }),
      () => t.inject({ method: 'POST', url: `${agentChat}/info/agentTyping.json`, headers: { ...agent.auth, 'x-http-method-override': 'PUT' }, payload: { agentTyping: 'typing' } }),
    ];
    for (const call of agentCalls) {
      await t.tick(5_000);
      const res = await call();
      assert.ok(res.statusCode < 300, res.body);
      assert.equal((await t.store.getChat(ACCOUNT, chatId))?.lastUpdate, before);
    }
    const agentInfo = await t.inject({ method: 'GET', url: `${agentChat}/info.json`, headers: agent.auth });
    assert.equal((agentInfo.json() as { info: { lastUpdate: string } }).info.lastUpdate, formatTime(before as number));
    // A visitor poll moves it to now, on both sides.
    const poll = await t.inject({ method: 'GET', url: `${visitorChat}/events.json`, headers: KEY_HEADER });
    assert.equal(poll.statusCode, 200);
    assert.equal((await t.store.getChat(ACCOUNT, chatId))?.lastUpdate, t.clock.now());
    // Then only the agent keeps asking: at chatTimeout (40 s) the chat times out all the same.
    for (let i = 0; i < 9; i++) {
      await t.tick(5_000);
      await t.inject({ method: 'GET', url: `${agentChat}/events.json`, headers: agent.auth });
    }
    assert.equal((await t.store.getChat(ACCOUNT, chatId))?.state, 'ended');
  } finally {
    await t.close();
  }
});
