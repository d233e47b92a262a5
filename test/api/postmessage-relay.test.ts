// The JS SDK's postmessage relay on the server's side (docs/compatibility.md "The JS SDK's
// postmessage relay"): the page under its three names with a CSP that lets any site frame
// it, and the per-account, per-side allowedOrigins rule applied to what it relays. The page
// itself runs in Chromium in test/browser/cross-origin.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WEB_ROOT } from '../../src/api/web.ts';
import { RELAY_HEADER } from '../../src/api/cors.ts';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { agentOnline, BASE, KEY_HEADER, withApp } from '../helpers/app.ts';

const SHOP = 'https://shop.example';
const restricted: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, allowedOrigins: { visitor: [SHOP], agent: [] } })),
};
const PAGES = ['/hcp/html/postmessage.min.html', '/hcp/html/postmessage.html', '/hcp/html/lpsunco/postmessage.html'];

test('the relay page under the three names the SDK frames, with a CSP any site may frame', async () => {
  await withApp({}, async (t) => {
    const html = readFileSync(join(WEB_ROOT, 'hcp/html/postmessage.min.html'), 'utf8');
    for (const url of PAGES) {
      // The SDK adds ?bust=…&loc=… to the frame's address.
      const res = await t.inject({ method: 'GET', url: `${url}?bust=1733000000000&loc=${encodeURIComponent(SHOP)}` });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, html, url);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', url);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /frame-ancestors \*/, url);
      assert.match(csp, /script-src 'self'/, url);
      assert.match(csp, /connect-src 'self'/, url);
      assert.match(csp, /default-src 'none'/, url);
    }
    const js = await t.inject({ method: 'GET', url: '/hcp/relay.js' });
    assert.equal(js.statusCode, 200);
    assert.equal(js.body, readFileSync(join(WEB_ROOT, 'hcp/relay.js'), 'utf8'));
    assert.ok(html.includes('src="/hcp/relay.js"'));
    // The console keeps its own policy: nobody frames it.
    assert.match(String((await t.inject({ method: 'GET', url: '/agent' })).headers['content-security-policy']), /frame-ancestors 'none'/);
  });
});

test('relayed requests: any origin by default on the visitor side; a listed one only when listed; never the agent side by default', async () => {
  await withApp({}, async (t) => {
    const ok = await t.inject({ method: 'GET', url: `${BASE}/chat/availability.json?v=1`, headers: { ...KEY_HEADER, [RELAY_HEADER]: 'https://anywhere.example' } });
    assert.equal(ok.statusCode, 200, ok.body);
    const agent = await agentOnline(t);
    const refused = await t.inject({ method: 'GET', url: `${agent.session}/availability.json?v=1`, headers: { ...agent.auth, [RELAY_HEADER]: 'https://anywhere.example' } });
    assert.equal(refused.statusCode, 403, refused.body);
    assert.equal(JSON.parse(refused.body).error.reason, 'FORBIDDEN');
    assert.match(JSON.parse(refused.body).error.message, /agent API of account/);
  });
  await withApp({ provisioning: restricted }, async (t) => {
    const url = `${BASE}/chat/request.json?v=1`;
    const payload = { request: { skill: 'Sales' } };
    const listed = await t.inject({ method: 'POST', url, headers: { ...KEY_HEADER, [RELAY_HEADER]: 'HTTPS://SHOP.EXAMPLE' }, payload });
    assert.equal(listed.statusCode, 201, listed.body);
    for (const fmt of ['json', 'xml']) {
      const other = await t.inject({ method: 'POST', url: `${BASE}/chat/request.${fmt}?v=1`, headers: { ...KEY_HEADER, [RELAY_HEADER]: 'https://evil.example' }, payload });
      assert.equal(other.statusCode, 403, other.body);
      assert.ok(other.body.includes('origin-not-allowed') || other.body.includes('may not use the visitor API'), other.body);
    }
    // Not even a chat is created for a refused origin: the refusal comes before routing.
    const agent = await agentOnline(t);
    const rings = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json?v=1`, headers: agent.auth });
    assert.equal(JSON.parse(rings.body).incomingRequests.ringingCount, '1');
  });
});

test('the relay header outside the chat APIs is refused, and no page of another origin may send it', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: '/web-config.json', headers: { [RELAY_HEADER]: SHOP } });
    assert.equal(res.statusCode, 403);
    const pre = await t.inject({
      method: 'OPTIONS',
      url: `${BASE}/chat/request.json?v=1`,
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': RELAY_HEADER },
    });
    assert.equal(pre.statusCode, 204);
    assert.ok(!String(pre.headers['access-control-allow-headers']).toLowerCase().includes(RELAY_HEADER), 'a preflight never allows the relay header');
  });
});
