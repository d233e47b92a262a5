// Issue 11, finding 11: the Host header is checked before it is written into a link or a
// Location; --public-url decides them when given; X-Forwarded-* count only with --trust-proxy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_KEY, KEY_HEADER } from '../helpers/app.ts';
import { limitsApp } from '../helpers/limits-app.ts';

const REQUEST = '/api/account/12345678/chat/request.json';
const start = { method: 'POST' as const, url: REQUEST, payload: { request: { skill: 'Sales' } } };

test('a Host that is not a host name is refused (400, vendor format), never echoed', async () => {
  const a = await limitsApp();
  try {
    for (const host of ['evil.example"<x>', 'a b', 'x/y', 'h:99999', 'h:port']) {
      const res = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host } });
      assert.equal(res.statusCode, 400, `${JSON.stringify(host)}: ${res.statusCode} ${res.body}`);
      assert.equal((res.json() as { error: { internalCode: number } }).error.internalCode, 400);
      assert.ok(!res.body.includes('<x>') && res.headers.location === undefined);
    }
    for (const host of ['chat.example.com', 'chat.example.com:8443', '127.0.0.1:8080', '[::1]:8080', 'my_host']) {
      const res = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host } });
      assert.equal(res.statusCode, 201, res.body);
      assert.ok(String(res.headers.location).startsWith(`http://${host}/api/account/12345678/chat/`));
    }
    // Without --trust-proxy, X-Forwarded-* change nothing.
    const fwd = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host: 'inside:8080', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    assert.ok(String(fwd.headers.location).startsWith('http://inside:8080/'), String(fwd.headers.location));
  } finally {
    await a.close();
  }
});

test('--public-url decides the scheme, host, port and prefix of links and Location', async () => {
  const a = await limitsApp({ publicUrl: 'https://chat.example.com:8443/lp' });
  try {
    const res = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host: 'evil.example' } });
    assert.equal(res.statusCode, 201, res.body);
    const loc = String(res.headers.location);
    assert.match(loc, /^https:\/\/chat\.example\.com:8443\/lp\/api\/account\/12345678\/chat\/[^/]+$/);
    const chat = new URL(loc).pathname.replace(/^\/lp/, '');
    const got = await a.app.inject({ method: 'GET', url: `${chat}.json?appKey=${APP_KEY}`, headers: { host: 'evil.example' } });
    assert.equal(got.statusCode, 200, got.body);
    assert.ok(!got.body.includes('evil.example') && got.body.includes('https://chat.example.com:8443/lp/api/account/12345678/chat/'));
  } finally {
    await a.close();
  }
});

test('--trust-proxy: X-Forwarded-Proto and -Host decide, and are checked like Host', async () => {
  const a = await limitsApp({ trustProxy: true });
  try {
    const res = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host: 'inside:8080', 'x-forwarded-host': 'chat.example.com', 'x-forwarded-proto': 'https' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.ok(String(res.headers.location).startsWith('https://chat.example.com/api/'), String(res.headers.location));
    const bad = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host: 'inside', 'x-forwarded-host': 'evil"<x>' } });
    assert.equal(bad.statusCode, 400);
    const proto = await a.app.inject({ ...start, headers: { ...KEY_HEADER, host: 'inside', 'x-forwarded-proto': 'javascript' } });
    assert.equal(proto.statusCode, 400);
  } finally {
    await a.close();
  }
});
