// Health probes and Prometheus metrics (issue 12 §2, §3): in-process, on the app tests use.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { manualTimerHost } from '../../src/chat/core/timers.ts';
import { sequentialIds } from '../../src/ids.ts';
import { Metrics } from '../../src/api/metrics.ts';
import { buildApp } from '../../src/server.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { agentOnline, BASE, KEY_HEADER, startChat, withApp } from '../helpers/app.ts';

/** Prometheus text format: `name{labels} value` lines; comments skipped. */
function parseMetrics(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  const out: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  return parseMetrics(text).find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('health probes', () => {
  it('/healthz and /readyz answer 200 without a key, in JSON', async () => {
    await withApp({}, async (t) => {
      for (const url of ['/healthz', '/readyz']) {
        const res = await t.inject({ method: 'GET', url });
        assert.equal(res.statusCode, 200, res.body);
        assert.match(String(res.headers['content-type']), /^application\/json/);
      }
      assert.deepEqual((await t.inject({ method: 'GET', url: '/readyz' })).json(), { status: 'ready' });
    });
  });

  it('/readyz answers 503 with the reason when the store is closed, and when the timers are stopped', async () => {
    const store = new SqliteStore(':memory:');
    const { app, domain } = buildApp({ logLevel: 'silent', typingTimeout: 6, tlsCert: null, tlsKey: null }, { store, clock: new ManualClock(), ids: sequentialIds(), timerHost: manualTimerHost });
    try {
      const before = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(before.statusCode, 503, 'timers not started yet');
      assert.deepEqual(before.json(), { status: 'not ready', reason: 'timers: not running' });
      await domain.start();
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      await store.close();
      const closed = await app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(closed.statusCode, 503);
      assert.deepEqual(closed.json(), { status: 'not ready', reason: 'store: unreachable or not migrated' });
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'alive all the same');
    } finally {
      domain.stop();
      await app.close().catch(() => undefined);
    }
  });
});

describe('/metrics', () => {
  it('is Prometheus text whose counters and gauges move with requests', async () => {
    await withApp({}, async (t) => {
      const first = await t.inject({ method: 'GET', url: '/metrics' });
      assert.equal(first.statusCode, 200);
      assert.match(String(first.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const infoRoute = '/api/account/:accountId/chat/:chatId/info';
      assert.equal(sample(first.body, 'serverchat_http_requests_total', { route: infoRoute }), undefined);
      assert.ok(sample(first.body, 'serverchat_process_cpu_user_seconds_total', {}) !== undefined, 'process metrics');

      const chat = await startChat(t);
      for (let i = 0; i < 3; i++) assert.equal((await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER })).statusCode, 200);
      assert.equal((await t.inject({ method: 'GET', url: `${chat}/info`, headers: { ...KEY_HEADER, accept: 'application/xml' } })).statusCode, 200);
      assert.equal((await t.inject({ method: 'GET', url: `${chat}/info.json` })).statusCode, 401);
      await agentOnline(t, { online: false });

      const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      assert.equal(sample(text, 'serverchat_http_requests_total', { method: 'GET', route: infoRoute, status: '200', format: 'json' }), 3);
      assert.equal(sample(text, 'serverchat_http_requests_total', { method: 'GET', route: infoRoute, status: '200', format: 'xml' }), 1);
      assert.equal(sample(text, 'serverchat_http_requests_total', { method: 'GET', route: infoRoute, status: '401', format: 'json' }), 1);
      assert.equal(sample(text, 'serverchat_http_request_duration_seconds_count', { method: 'GET', route: infoRoute, format: 'json' }), 4);
      assert.equal(sample(text, 'serverchat_open_chats', { account: '12345678', state: 'waiting' }), 1);
      assert.equal(sample(text, 'serverchat_queue_length', { account: '12345678', skill: 'Sales' }), 1);
      assert.ok((sample(text, 'serverchat_queue_longest_wait_seconds', { account: '12345678', skill: 'Sales' }) ?? -1) >= 0);
      const agents = parseMetrics(text).filter((m) => m.name === 'serverchat_agents' && m.labels.account === '12345678');
      assert.equal(agents.reduce((n, m) => n + m.value, 0), 1, 'one agent, counted once');
      assert.ok(agents.every((m) => ['Online', 'Away', 'Occupied', 'Offline'].includes(m.labels.availability ?? '')));
      assert.ok((sample(text, 'serverchat_store_operation_duration_seconds_count', { operation: 'createChat', outcome: 'ok' }) ?? 0) >= 1);
      // No label carries a chat id: every value is bounded.
      const chatId = chat.split('/').pop() as string;
      assert.ok(!text.includes(chatId));
      // Unrouted paths share one label value.
      await t.inject({ method: 'GET', url: `${BASE}/nothing/here/${chatId}` });
      const after = (await t.inject({ method: 'GET', url: '/metrics' })).body;
      assert.equal(sample(after, 'serverchat_http_requests_total', { route: 'unmatched', status: '404' }), 1);
      assert.ok(!after.includes(chatId));
    });
  });

  it('counts domain timers with their lateness, and keep-alive batches by size', async () => {
    const metrics = new Metrics();
    const fired: number[] = [];
    const host = metrics.timers({ set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as NodeJS.Timeout) });
    await new Promise<void>((res) => host.set(() => (fired.push(1), res()), 5));
    const store = metrics.store(new SqliteStore(':memory:'));
    await store.touchChats([{ accountId: 'a', chatId: 'c1', lastUpdate: 1 }, { accountId: 'a', chatId: 'c2', lastUpdate: 1 }]);
    await store.close();
    const text = await metrics.registry.metrics();
    assert.deepEqual(fired, [1]);
    assert.equal(sample(text, 'serverchat_timers_fired_total', {}), 1);
    assert.equal(sample(text, 'serverchat_timer_lateness_seconds_count', {}), 1);
    assert.equal(sample(text, 'serverchat_keepalive_flush_size_sum', {}), 2);
    assert.equal(sample(text, 'serverchat_store_operation_duration_seconds_count', { operation: 'touchChats', outcome: 'ok' }), 1);
  });

  it('is absent with --metrics=false', async () => {
    const store = new SqliteStore(':memory:');
    const { app } = buildApp({ logLevel: 'silent', typingTimeout: 6, tlsCert: null, tlsKey: null, metrics: false }, { store, clock: new ManualClock(), ids: sequentialIds(), timerHost: manualTimerHost });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});
