// Issue 11, findings 3 and 6: what one chat may hold and take, and transcript mail limits,
// answered in the vendor error format (docs/security.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_KEY, AGENT } from '../helpers/app.ts';
import { limitsApp, type LimitsApp } from '../helpers/limits-app.ts';
import { startSmtpSink } from '../helpers/smtp.ts';

const KEY = { authorization: `LivePerson appKey=${APP_KEY}` };
const BASE = '/api/account/12345678';

async function startChat(a: LimitsApp): Promise<string> {
  const res = await a.app.inject({ method: 'POST', url: `${BASE}/chat/request.json`, headers: KEY, payload: { request: { skill: 'Sales' } } });
  assert.equal(res.statusCode, 201, res.body);
  return new URL(String(res.headers.location)).pathname;
}
const line = (a: LimitsApp, chat: string, text: string, fmt: 'json' | 'xml' = 'json') =>
  fmt === 'json'
    ? a.app.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY, payload: { event: { '@type': 'line', text } } })
    : a.app.inject({ method: 'POST', url: `${chat}/events.xml`, headers: { ...KEY, 'content-type': 'application/xml' }, payload: `<event type="line"><text>${text}</text></event>` });
const codeOf = (body: string): number => (JSON.parse(body) as { error: { internalCode: number } }).error.internalCode;

test('a line longer than --max-line-length: 413 line-too-long, in either format, on either side', async () => {
  const a = await limitsApp({ maxLineLength: 100 });
  try {
    const chat = await startChat(a);
    assert.equal((await line(a, chat, 'x'.repeat(100))).statusCode, 201);
    const long = await line(a, chat, 'x'.repeat(101));
    assert.equal(long.statusCode, 413, long.body);
    assert.equal(codeOf(long.body), 610);
    const xml = await line(a, chat, 'y'.repeat(101), 'xml');
    assert.equal(xml.statusCode, 413);
    assert.match(xml.body, /<internalCode>610<\/internalCode>/);
    // Agent side, through the same writer.
    const login = await a.app.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload: { username: AGENT.loginName, password: AGENT.password } });
    assert.equal(login.statusCode, 200, login.body);
    const auth = { authorization: `Bearer ${(login.json() as { bearer: string }).bearer}` };
    const s = await a.app.inject({ method: 'POST', url: `${BASE}/agentSession.json`, headers: auth, payload: { loginData: '' } });
    const session = new URL(String(s.headers.location)).pathname;
    await a.app.inject({ method: 'POST', url: `${session}/availability.json`, headers: { ...auth, 'x-http-method-override': 'PUT' }, payload: { availability: { chat: 'Online' } } });
    const acc = await a.app.inject({ method: 'POST', url: `${session}/incomingRequests.json`, headers: auth, payload: {} });
    assert.equal(acc.statusCode, 201, acc.body);
    const agentChat = new URL(String(acc.headers.location)).pathname;
    const agentLong = await a.app.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: auth, payload: { event: { '@type': 'line', text: 'z'.repeat(101), textType: 'plain' } } });
    assert.equal(agentLong.statusCode, 413, agentLong.body);
  } finally {
    await a.close();
  }
});

test('--chat-lines-per-second: the next line in the same second is 429 with Retry-After; a second later it goes', async () => {
  const a = await limitsApp({ chatLinesPerSecond: 3 });
  try {
    const chat = await startChat(a);
    const other = await startChat(a);
    for (let i = 0; i < 3; i++) assert.equal((await line(a, chat, `l${i}`)).statusCode, 201);
    const over = await line(a, chat, 'one too many');
    assert.equal(over.statusCode, 429, over.body);
    assert.equal(over.headers['retry-after'], '1');
    assert.equal(codeOf(over.body), 612);
    // Another chat is not affected; a second later this one goes again.
    assert.equal((await line(a, other, 'fine')).statusCode, 201);
    a.clock.advance(1000);
    assert.equal((await line(a, chat, 'again')).statusCode, 201);
  } finally {
    await a.close();
  }
});

test('--max-chat-events and --max-chat-chars: 409 chat-full; the chat can still end', async () => {
  const a = await limitsApp({ maxChatEvents: 10, chatLinesPerSecond: 1000 });
  try {
    const chat = await startChat(a);
    let status = 201;
    let n = 0;
    for (; n < 20 && status === 201; n++) status = (await line(a, chat, `l${n}`)).statusCode;
    assert.equal(status, 409);
    const events = await a.app.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY });
    const list = (events.json() as { events: { event: unknown[] } }).events.event;
    assert.ok(list.length <= 10, `${list.length} events`);
    const end = await a.app.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY, payload: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(end.statusCode, 201, end.body);
  } finally {
    await a.close();
  }
  const b = await limitsApp({ maxChatChars: 250, chatLinesPerSecond: 1000 });
  try {
    const chat = await startChat(b);
    assert.equal((await line(b, chat, 'x'.repeat(200))).statusCode, 201);
    const full = await line(b, chat, 'x'.repeat(51));
    assert.equal(full.statusCode, 409, full.body);
    assert.equal(codeOf(full.body), 611);
    assert.equal((await line(b, chat, 'x'.repeat(50))).statusCode, 201);
  } finally {
    await b.close();
  }
});

test('transcripts: per chat per hour, per account per hour, bounded subject', async () => {
  const sink = await startSmtpSink();
  const a = await limitsApp({ smtpUrl: sink.url, transcriptsPerChat: 2, transcriptsPerAccount: 3, maxSubjectLength: 20 });
  const send = (chat: string, body: Record<string, string>) =>
    a.app.inject({ method: 'POST', url: `${chat}/transcriptRequest.json`, headers: { ...KEY, 'x-http-method-override': 'PUT' }, payload: body });
  try {
    const c1 = await startChat(a);
    const c2 = await startChat(a);
    const subject = await send(c1, { email: 'v@example.org', subject: 's'.repeat(21) });
    assert.equal(subject.statusCode, 400, subject.body);
    assert.equal((await send(c1, { email: 'v@example.org' })).statusCode, 200);
    assert.equal((await send(c1, { email: 'v@example.org' })).statusCode, 200);
    const perChat = await send(c1, { email: 'v@example.org' });
    assert.equal(perChat.statusCode, 429, perChat.body);
    assert.ok(Number(perChat.headers['retry-after']) > 3000);
    assert.equal((await send(c2, { email: 'v@example.org' })).statusCode, 200);
    const perAccount = await send(c2, { email: 'v@example.org' });
    assert.equal(perAccount.statusCode, 429, perAccount.body);
    a.clock.advance(3600 * 1000);
    assert.equal((await send(c2, { email: 'v@example.org' })).statusCode, 200);
  } finally {
    await a.close();
    await sink.close();
  }
});
