// The console and demo page assets (src/api/web.ts): served from memory with an ETag and a
// strict CSP, beside the API without disturbing it (suffixes, negotiation, 404s), and
// /web-config.json, which names the demo account only while it is provisioned.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { WEB_ROOT } from '../../src/api/web.ts';
import { ACCOUNT, APP_KEY, BASE, KEY_HEADER, withApp } from '../helpers/app.ts';
import { FORMATS, read } from '../helpers/wire.ts';

const demo = demoProvisioning.accounts[0];
assert.ok(demo);

interface WebConfigDoc {
  webConfig: { demo?: { accountId: string; appKey: string; skills: unknown; agent?: { loginName: string; password: string } } };
}

const PAGES: Array<[string, string]> = [
  ['/', 'visitor/index.html'],
  ['/agent', 'agent/index.html'],
  ['/agent/console.js', 'agent/console.js'],
  ['/agent/chat-panel.js', 'agent/chat-panel.js'],
  ['/visitor/demo.js', 'visitor/demo.js'],
  ['/widget.js', 'widget.js'],
  ['/widget/app.js', 'widget/app.js'],
  ['/widget/widget.css', 'widget/widget.css'],
  ['/shared/api.js', 'shared/api.js'],
  ['/shared/base.css', 'shared/base.css'],
  ['/shared/icon.svg', 'shared/icon.svg'],
];
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', svg: 'image/svg+xml' };

test('each page and asset is served byte for byte with its type, an ETag and no-cache', async () => {
  await withApp({}, async (t) => {
    for (const [url, file] of PAGES) {
      const res = await t.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, readFileSync(join(WEB_ROOT, file), 'utf8'), url);
      assert.equal(res.headers['content-type'], TYPES[file.split('.').pop() ?? ''], url);
      assert.match(String(res.headers.etag), /^"[\w-]{22}"$/, url);
      assert.equal(res.headers['cache-control'], 'no-cache', url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
    // The widget's scripts and styles load on any site: CORS for the module imports.
    for (const url of ['/widget.js', '/widget/app.js', '/widget/widget.css', '/shared/api.js', '/shared/base.css']) {
      const res = await t.inject({ method: 'GET', url, headers: { origin: 'https://shop.example' } });
      assert.equal(res.headers['access-control-allow-origin'], '*', url);
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', url);
    }
    const html = await t.inject({ method: 'GET', url: '/agent', headers: { origin: 'https://shop.example' } });
    assert.equal(html.headers['access-control-allow-origin'], undefined, 'the pages are not shared cross-origin');
    // The pages run only their own scripts and talk only to this origin.
    const page = await t.inject({ method: 'GET', url: '/agent/' });
    assert.equal(page.statusCode, 200, 'a trailing slash reaches the console too');
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'.*script-src 'self'.*connect-src 'self'/);
    assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/);
  });
});

test('a matching If-None-Match answers 304 with no body; HEAD answers headers only', async () => {
  await withApp({}, async (t) => {
    const first = await t.inject({ method: 'GET', url: '/agent/console.js' });
    const etag = String(first.headers.etag);
    const again = await t.inject({ method: 'GET', url: '/agent/console.js', headers: { 'if-none-match': `"other", ${etag}` } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    const stale = await t.inject({ method: 'GET', url: '/agent/console.js', headers: { 'if-none-match': '"stale"' } });
    assert.equal(stale.statusCode, 200);
    const head = await t.inject({ method: 'HEAD', url: '/' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-type'], 'text/html; charset=utf-8');
  });
});

for (const fmt of FORMATS) {
  test(`${fmt}: unknown paths under the pages still answer the API's 404 in the format asked for`, async () => {
    await withApp({}, async (t) => {
      const accept = fmt === 'xml' ? 'application/xml' : 'application/json';
      for (const url of ['/agent/nope.js', '/agent/index.html', '/visitor/../../src/server.ts', '/agent/%2e%2e/%2e%2e/src/cli.ts', '/web/agent/console.js', '/shared', `/agent/console.${fmt}`]) {
        const res = await t.inject({ method: 'GET', url, headers: { accept } });
        assert.equal(res.statusCode, 404, url);
        const doc = read<{ error: { reason: string; message: string } }>(res, fmt);
        assert.equal(doc.error.reason, 'NOT_FOUND', url);
      }
      // Writing to an asset is not a thing either: a known path, so 405 with what it takes.
      const post = await t.inject({ method: 'POST', url: '/agent/console.js', headers: { accept }, payload: {} });
      assert.equal(post.statusCode, 405);
      assert.match(String(post.headers.allow), /\bGET\b/);
    });
  });

  test(`${fmt}: the API beside the pages keeps its suffixes and negotiation`, async () => {
    await withApp({}, async (t) => {
      const res = await t.inject({ method: 'GET', url: `${BASE}.${fmt}?v=1&NC=true`, headers: KEY_HEADER });
      assert.equal(res.statusCode, 200);
      assert.equal(read<{ account: { '@id': string } }>(res, fmt).account['@id'], ACCOUNT);
    });
  });

  test(`${fmt}: /web-config names the demo account, its skills and the demo login while they are provisioned`, async () => {
    await withApp({}, async (t) => {
      const res = await t.inject({ method: 'GET', url: `/web-config.${fmt}` });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const cfg = read<WebConfigDoc>(res, fmt).webConfig;
      assert.ok(cfg.demo);
      assert.equal(cfg.demo.accountId, ACCOUNT);
      assert.equal(cfg.demo.appKey, APP_KEY);
      assert.deepEqual(cfg.demo.agent, { loginName: 'natalie', password: 'secret' });
      const skills = fmt === 'json' ? cfg.demo.skills : [cfg.demo.skills].flat();
      assert.deepEqual(skills, [fmt === 'json' ? { id: 25975313, name: 'Sales' } : { id: '25975313', name: 'Sales' }]);
    });
  });
}

test('/web-config.json reveals nothing when the demo account is not provisioned', async () => {
  assert.ok(demo);
  const other: Provisioning = { accounts: [{ ...demo, id: 'acme', appKeys: ['acme-secret-key'] }] };
  await withApp({ provisioning: other }, async (t) => {
    const res = await t.inject({ method: 'GET', url: '/web-config.json' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { webConfig: {} });
    assert.ok(!res.body.includes('acme'));
  });
  // The demo account id with another key is not the demo account either.
  const rekeyed: Provisioning = { accounts: [{ ...demo, appKeys: ['not-the-demo-key'] }] };
  await withApp({ provisioning: rekeyed }, async (t) => {
    const res = await t.inject({ method: 'GET', url: '/web-config.json' });
    assert.deepEqual(res.json(), { webConfig: {} });
  });
});

test('/web-config.json leaves the agent login out once the demo password was changed', async () => {
  assert.ok(demo);
  const changed: Provisioning = { accounts: [{ ...demo, agents: demo.agents.map((a) => ({ ...a, password: 'a-real-password' })) }] };
  await withApp({ provisioning: changed }, async (t) => {
    for (let i = 0; i < 2; i++) {
      const res = await t.inject({ method: 'GET', url: '/web-config.json' });
      const cfg = (res.json() as WebConfigDoc).webConfig;
      assert.equal(cfg.demo?.accountId, ACCOUNT);
      assert.equal(cfg.demo?.agent, undefined);
      assert.ok(!res.body.includes('a-real-password'));
    }
  });
});
