// The provisioning example shipped in examples/ (the issue's own example) stays valid, and
// `npm start -- --port 9000 --memory --provision p.json`'s path through start() accepts it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseProvisioning } from '../../src/provisioning/provisioning.ts';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/server.ts';

const example = new URL('../../examples/provision.json', import.meta.url);

test('examples/provision.json is a valid provisioning file', () => {
  const parsed = parseProvisioning(JSON.parse(readFileSync(example, 'utf8')));
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problems.join('\n'));
  const [account] = parsed.value.accounts;
  assert.equal(account?.id, '12345678');
  assert.equal(account?.language, 'en-US');
  assert.deepEqual(account?.agents[0]?.skills, [25975313]);
});

test('start() provisions the example and lets its agent log in', async () => {
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--memory', '--log-level', 'silent', '--provision', example.pathname], {});
  const { app, url, provisioning } = await start(config);
  try {
    assert.equal(provisioning?.accounts[0]?.id, '12345678');
    const res = await fetch(`${url}/api/account/12345678/login?v=1.3`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'natalie', password: 'secret' }),
    });
    assert.equal(res.status, 200);
    assert.equal(typeof ((await res.json()) as { bearer: unknown }).bearer, 'string');
  } finally {
    await app.close();
  }
});
