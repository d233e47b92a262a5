// Fault rules, the request journal and the conformance report (issue 13 §5–6), in-process;
// a dropped connection needs a real socket (test at the end).
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ACCOUNT, agentAccepted, APP_KEY, BASE, KEY_HEADER, startChat, visitorEvents, withApp, type TestApp } from '../helpers/app.ts';
import { start } from '../../src/server.ts';
import { defaults } from '../../src/config.ts';

const C = '/_serverchat';
const opts = { control: { virtualClock: true } };

async function addFault(t: TestApp, rule: Record<string, unknown>, status = 201): Promise<Record<string, unknown>> {
  const res = await t.inject({ method: 'POST', url: `${C}/faults`, payload: rule });
  assert.equal(res.statusCode, status, res.body);
  return res.json() as Record<string, unknown>;
}

describe('faults', () => {
  it('a status rule answers the vendor error document once (times defaults to 1), then the real answer', async () => {
    await withApp(opts, async (t) => {
      const chat = await startChat(t);
      const rule = await addFault(t, { method: 'info', status: 503 });
      assert.equal(rule.id, 'f1');
      assert.equal(rule.remaining, 1);
      const failed = await t.inject({ method: 'GET', url: `${chat}/info.json?v=1`, headers: KEY_HEADER });
      assert.equal(failed.statusCode, 503);
      assert.equal(failed.headers['content-type'], 'application/json');
      const err = (failed.json() as { error: Record<string, unknown> }).error;
      assert.deepEqual(Object.keys(err), ['time', 'reason', 'message', 'internalCode', 'responseStatus']);
      assert.equal(err.reason, 'SERVICE_UNAVAILABLE');
      // In XML too, as the request asked.
      await addFault(t, { method: 'info', status: 429 });
      const xml = await t.inject({ method: 'GET', url: `${chat}/info.xml?v=1`, headers: KEY_HEADER });
      assert.equal(xml.statusCode, 429);
      assert.match(xml.body, /<reason>TOO_MANY_REQUESTS<\/reason>/);
      assert.equal((await t.inject({ method: 'GET', url: `${chat}/info.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
      const list = (await t.inject({ method: 'GET', url: `${C}/faults` })).json() as { faults: Array<{ id: string; hits: number; remaining: number }> };
      assert.deepEqual(list.faults.map((f) => [f.id, f.hits, f.remaining]), [['f1', 1, 0], ['f2', 1, 0]]);
    });
  });
  it('matches by method + path, account, chat, app key; times and probability; DELETE removes', async () => {
    await withApp(opts, async (t) => {
      const a = await startChat(t);
      const b = await startChat(t);
      const bId = b.split('/').pop();
      await addFault(t, { httpMethod: 'GET', path: '/events$', chatId: bId, appKey: APP_KEY, accountId: ACCOUNT, status: 500, times: 2 });
      assert.equal((await t.inject({ method: 'GET', url: `${a}/events.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
      assert.equal((await t.inject({ method: 'GET', url: `${b}/events.json?v=1`, headers: KEY_HEADER })).statusCode, 500);
      assert.equal((await t.inject({ method: 'GET', url: `${b}/events.json?v=1`, headers: KEY_HEADER })).statusCode, 500);
      assert.equal((await t.inject({ method: 'GET', url: `${b}/events.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
      const always = await addFault(t, { method: 'availability', status: 502, probability: 1 });
      for (let i = 0; i < 3; i++) assert.equal((await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: KEY_HEADER })).statusCode, 502);
      assert.equal((await t.inject({ method: 'DELETE', url: `${C}/faults/${String(always.id)}` })).statusCode, 204);
      assert.equal((await t.inject({ method: 'DELETE', url: `${C}/faults/${String(always.id)}` })).statusCode, 404);
      assert.equal((await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
      await addFault(t, { method: 'availability', status: 502 });
      assert.deepEqual((await t.inject({ method: 'DELETE', url: `${C}/faults` })).json(), { faults: [] });
      assert.equal((await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
    });
  });
  it('accept, delayMs and endChat', async () => {
    await withApp(opts, async (t) => {
      await addFault(t, { method: 'accept', status: 500 });
      await assert.rejects(agentAccepted(t), /accept failed: 500/);
      await t.inject({ method: 'POST', url: `${C}/reset` });
      const { visitorChat } = await agentAccepted(t);
      await addFault(t, { method: 'events', side: 'visitor', delayMs: 50 });
      const started = performance.now();
      assert.equal((await t.inject({ method: 'GET', url: `${visitorChat}/events.json?v=1`, headers: KEY_HEADER })).statusCode, 200);
      assert.ok(performance.now() - started >= 45);
      await addFault(t, { method: 'events', endChat: true });
      const events = await visitorEvents(t, visitorChat);
      assert.equal(events.at(-2)?.text, 'The chat was disconnected by the service.');
      assert.equal(events.at(-1)?.state, 'ended');
    });
  });
  it('refuses rules that say nothing, or contradict themselves, listing every problem', async () => {
    await withApp(opts, async (t) => {
      const res = await addFault(t, { status: 500, drop: true, path: '(' }, 400);
      const err = res.error as { code: string; problems: string[] };
      assert.equal(err.code, 'bad-fault');
      assert.equal(err.problems.length, 2, err.problems.join('\n'));
      assert.equal((await addFault(t, { method: 'info' }, 400)).error !== undefined, true);
      assert.equal((await addFault(t, { method: 'info', status: 200 }, 400)).error !== undefined, true);
    });
  });
  it('reset removes the fault rules', async () => {
    await withApp(opts, async (t) => {
      await addFault(t, { method: 'info', status: 500 });
      await t.inject({ method: 'POST', url: `${C}/reset` });
      assert.deepEqual((await t.inject({ method: 'GET', url: `${C}/faults` })).json(), { faults: [] });
    });
  });
  it('drop closes the connection without an answer (a real socket)', async () => {
    const server = await start({ ...defaults, port: 0, memory: true, logLevel: 'silent', control: true, clock: 'manual' });
    try {
      const url = new URL(server.url);
      const post = (path: string, body: unknown): Promise<number> => fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.status);
      assert.equal(await post(`${C}/faults`, { method: 'availability', drop: true }), 201);
      const outcome = await new Promise<string>((resolve) => {
        const req = request({ host: url.hostname, port: url.port, path: `${BASE}/chat/availability.json?v=1&appKey=${APP_KEY}` }, (res) => resolve(`answered ${res.statusCode}`));
        req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        req.end();
      });
      assert.equal(outcome, 'ECONNRESET');
    } finally {
      await server.app.close();
    }
  });
});

describe('journal and conformance', () => {
  it('journals vendor requests with time, status, ms, account, chat and client; filters by chat', async () => {
    await withApp(opts, async (t) => {
      const chat = await startChat(t);
      const chatId = chat.split('/').pop();
      await t.inject({ method: 'GET', url: `${chat}/events.json?v=1`, headers: { ...KEY_HEADER, 'user-agent': 'widget/1.0' } });
      await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: KEY_HEADER });
      const all = (await t.inject({ method: 'GET', url: `${C}/requests?limit=2` })).json() as { requests: Array<Record<string, unknown>> };
      assert.equal(all.requests.length, 2);
      const [events] = ((await t.inject({ method: 'GET', url: `${C}/requests?chatId=${chatId}` })).json() as { requests: Array<Record<string, unknown>> }).requests;
      assert.deepEqual(events, {
        time: new Date(t.clock.now()).toISOString(), method: 'GET', path: `${chat}/events.json`, status: 200, ms: events?.ms,
        accountId: ACCOUNT, chatId, vendorMethod: 'events', side: 'visitor', client: { appKey: APP_KEY, userAgent: 'widget/1.0', ip: '127.0.0.1' },
      });
      assert.equal(typeof events?.ms, 'number');
    });
  });
  it('reports deviations per client with a count and an example', async () => {
    await withApp(opts, async (t) => {
      const ua = { ...KEY_HEADER, 'user-agent': 'sloppy/2' };
      const chat = await startChat(t);
      await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: ua });
      await t.inject({ method: 'GET', url: `${chat}/events.json?v=1&bogus=1`, headers: { ...ua, accept: 'text/html' } });
      await t.inject({ method: 'POST', url: `${chat}/events.json?v=1`, headers: { ...ua, 'content-type': 'text/plain' }, payload: JSON.stringify({ event: { '@type': 'state', state: 'ended' } }) });
      await t.inject({ method: 'POST', url: `${chat}/events.json?v=1`, headers: ua, payload: { event: { '@type': 'line', text: 'late' } } });
      await t.clock.advance(41_000);
      await t.inject({ method: 'GET', url: `${chat}/events.json?v=1&from=5`, headers: ua });
      const report = (await t.inject({ method: 'GET', url: `${C}/conformance` })).json() as { clients: Array<{ userAgent: string; deviations: Array<{ code: string; count: number; example: { path: string; detail: string } }> }> };
      const sloppy = report.clients.find((c) => c.userAgent === 'sloppy/2');
      assert.ok(sloppy, JSON.stringify(report));
      const counts = Object.fromEntries(sloppy.deviations.map((d) => [d.code, d.count]));
      assert.deepEqual(counts, {
        'missing-v': 1, 'no-next-cursor': 1, 'wrong-accept': 1, 'unknown-parameter': 1, 'wrong-content-type': 1, 'write-to-ended-chat': 1, 'silence-over-chat-timeout': 1,
      });
      const v = sloppy.deviations.find((d) => d.code === 'missing-v');
      assert.equal(v?.example.path, `${chat}/events.json`);
      assert.match(v?.example.detail ?? '', /v=1/);
    });
  });
  it('--strict answers a deviating request with 400 and the explanation; a clean one passes', async () => {
    await withApp({ control: { strict: true, enabled: false } }, async (t) => {
      const bad = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?bogus=1`, headers: KEY_HEADER });
      assert.equal(bad.statusCode, 400);
      const msg = (bad.json() as { error: { message: string } }).error.message;
      assert.match(msg, /missing-v/);
      assert.match(msg, /unknown-parameter: "bogus"/);
      assert.equal((await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1&NC=true`, headers: KEY_HEADER })).statusCode, 200);
      assert.equal((await t.inject({ method: 'GET', url: `${C}/conformance` })).statusCode, 404);
      // The Login Service: login is v=1.3; refresh and logout carry no v, as the vendor's URLs.
      const login = await t.inject({ method: 'POST', url: `${BASE}/login?v=1.3`, payload: { username: 'natalie', password: 'secret' } });
      assert.equal(login.statusCode, 200, login.body);
      const bearer = { authorization: `Bearer ${(login.json() as { bearer: string }).bearer}` };
      assert.equal((await t.inject({ method: 'POST', url: `${BASE}/refresh`, headers: bearer })).statusCode, 200);
      assert.equal((await t.inject({ method: 'POST', url: `${BASE}/logout`, headers: bearer })).statusCode, 200);
    });
  });
});
