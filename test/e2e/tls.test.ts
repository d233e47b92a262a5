// `--tls-cert`/`--tls-key` serve HTTPS directly (real clients hard-code https://), and links
// carry the https scheme and the port the request came in on.
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/server.ts';
import { APP_KEY } from '../helpers/app.ts';
import { makeTestCert } from '../helpers/tls.ts';

function httpsCall(url: string, ca: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, ca, timeout: 10_000 }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

test('serves the API over HTTPS with the given certificate', async () => {
  const cert = await makeTestCert();
  const config = loadConfig(['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile], {});
  const { app, url } = await start(config);
  try {
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const auth = { authorization: `LivePerson appKey=${APP_KEY}`, 'content-type': 'application/json' };
    const created = await httpsCall(`${url}/api/account/12345678/chat/request.json?v=1&NC=true`, cert.cert, 'POST', auth, JSON.stringify({ request: { skill: 'Sales' } }));
    assert.equal(created.status, 201);
    const location = String(created.headers.location);
    assert.ok(location.startsWith(`${url}/api/account/12345678/chat/H`), location);
    const info = await httpsCall(`${location}/info.json?v=1`, cert.cert, 'GET', auth);
    assert.equal(info.status, 200);
    assert.equal(info.headers['content-type'], 'application/json');
    const body = JSON.parse(info.body) as { info: { state: string; link: Array<{ '@href': string }> } };
    assert.equal(body.info.state, 'waiting');
    assert.equal(body.info.link[0]?.['@href'], `${location}/info`);
  } finally {
    await app.close();
    cert.cleanup();
  }
});
