// Issue 11, finding 1: a request that will be refused (no such route, wrong credentials) is
// answered before its body is read, so that no one without a key can make the server read
// or parse anything; every route has a body limit of its own; JSON bodies are bounded in
// depth and size before JSON.parse, as XML ones are (docs/security.md "Bodies").
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { APP_KEY, testApp } from '../helpers/app.ts';
import { limitsApp } from '../helpers/limits-app.ts';

const ACCOUNT_URL = '/api/account/12345678';

/**
 * Sends the head of a request announcing `length` bytes of body and only `sent` of them, then
 * waits (at most 5 s) for a whole answer. A server that waits for the body never answers.
 */
function stalledBody(port: number, head: string, length: number, sent: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer while the body was still coming'));
    }, 5000);
    socket.on('error', () => undefined);
    socket.on('data', (c) => {
      text += c.toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      const len = /content-length:\s*(\d+)/i.exec(text.slice(0, end));
      if (end < 0 || !len || text.length - end - 4 < Number(len[1])) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(text.split(' ')[1]), body: text.slice(end + 4) });
    });
    socket.on('connect', () => {
      socket.write(`${head}\r\nHost: 127.0.0.1\r\nContent-Type: application/xml\r\nContent-Length: ${length}\r\n\r\n`);
      socket.write(`<event type="line"><text>${'a'.repeat(sent)}`);
    });
  });
}

test('an unknown route is answered 404 before its body is read', async () => {
  const a = await limitsApp();
  try {
    const port = await a.listen();
    const r = await stalledBody(port, 'POST /nonexistent.xml HTTP/1.1', 10_000_000, 1000);
    assert.equal(r.status, 404);
    assert.match(r.body, /<internalCode>404<\/internalCode>/);
    const r2 = await stalledBody(port, `POST ${ACCOUNT_URL}/no/such/thing HTTP/1.1`, 900_000, 1000);
    assert.equal(r2.status, 404);
  } finally {
    await a.close();
  }
});

test('a wrong app key or bearer is answered 401 before the body is read, on both sides', async () => {
  const a = await limitsApp();
  try {
    const port = await a.listen();
    // Within the route's body limit, so only the credentials can refuse it early.
    const visitor = await stalledBody(port, `POST ${ACCOUNT_URL}/chat/C1/events.xml?appKey=wrong HTTP/1.1`, 60_000, 1000);
    assert.equal(visitor.status, 401);
    assert.match(visitor.body, /<error>/);
    const none = await stalledBody(port, `POST ${ACCOUNT_URL}/chat/request.json HTTP/1.1`, 60_000, 1000);
    assert.equal(none.status, 401);
    assert.match(none.body, /"internalCode"/);
    const agent = await stalledBody(port, `POST ${ACCOUNT_URL}/agentSession/S1/chat/C1/events HTTP/1.1\r\nAuthorization: Bearer nope`, 60_000, 1000);
    assert.equal(agent.status, 401);
  } finally {
    await a.close();
  }
});

test('body limits per route: --max-body for most, --max-text-body for lines and free text; 413 in the vendor format', async () => {
  const a = await limitsApp({ maxBody: 2048, maxTextBody: 8192 });
  try {
    const name = 'n'.repeat(3000);
    // A visitor name is not free text: past --max-body.
    const chat = await a.app.inject({ method: 'POST', url: `${ACCOUNT_URL}/chat/request.json?appKey=${APP_KEY}`, payload: { request: { skill: 'Sales' } } });
    assert.equal(chat.statusCode, 201, chat.body);
    const chatUrl = new URL(chat.headers.location as string).pathname;
    const tooBig = await a.app.inject({ method: 'PUT', url: `${chatUrl}/info/visitorName.xml?appKey=${APP_KEY}`, payload: { visitorName: name } });
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    assert.match(tooBig.body, /<internalCode>413<\/internalCode>/);
    // A line of the same size goes: events carry text.
    const line = await a.app.inject({ method: 'POST', url: `${chatUrl}/events.json?appKey=${APP_KEY}`, payload: { event: { '@type': 'line', text: name } } });
    assert.equal(line.statusCode, 201, line.body);
    const huge = await a.app.inject({ method: 'POST', url: `${chatUrl}/events.json?appKey=${APP_KEY}`, payload: { event: { '@type': 'line', text: 'x'.repeat(9000) } } });
    assert.equal(huge.statusCode, 413, huge.body);
    assert.equal(JSON.parse(huge.body).error.internalCode, 413);
  } finally {
    await a.close();
  }
});

test('a JSON body nested too deep or holding too many values is refused before JSON.parse (400 bad-body)', async () => {
  const a = await limitsApp({ maxTextBody: 1024 * 1024 });
  try {
    const chat = await a.app.inject({ method: 'POST', url: `${ACCOUNT_URL}/chat/request.json?appKey=${APP_KEY}`, payload: { request: { skill: 'Sales' } } });
    const chatUrl = new URL(chat.headers.location as string).pathname;
    const post = (payload: string) => a.app.inject({ method: 'POST', url: `${chatUrl}/events.json?appKey=${APP_KEY}`, headers: { 'content-type': 'application/json' }, payload });
    const deep = await post(`{"event":{"@type":"line","text":"hi","x":${'['.repeat(40)}${']'.repeat(40)}}}`);
    assert.equal(deep.statusCode, 400, deep.body);
    assert.equal(JSON.parse(deep.body).error.internalCode, 401);
    assert.match(deep.body, /nested deeper than 32 levels/);
    const wide = await post(`{"event":{"@type":"line","text":"hi","x":[${Array(3000).fill('0').join(',')}]}}`);
    assert.equal(wide.statusCode, 400, wide.body);
    assert.match(wide.body, /more than 2000 values/);
    // Brackets and commas inside strings are text, not structure.
    const text = await post(JSON.stringify({ event: { '@type': 'line', text: `${'[{,'.repeat(2500)}` } }));
    assert.equal(text.statusCode, 201, text.body);
  } finally {
    await a.close();
  }
});

test('the early 404 comes after every onRequest check: an unknown control path without the token is 401, not 404', async () => {
  const t = await testApp({ control: { token: 'sekret-token' } });
  try {
    const res = await t.inject({ method: 'POST', url: '/_serverchat/nope', payload: { a: 1 } });
    assert.equal(res.statusCode, 401, res.body);
    const known = await t.inject({ method: 'POST', url: '/_serverchat/nope', headers: { authorization: 'Bearer sekret-token' }, payload: { a: 1 } });
    assert.equal(known.statusCode, 404, known.body);
  } finally {
    await t.close();
  }
});
