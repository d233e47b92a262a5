// Operating the server as a process (issue 12 §4–§6): --help and --version, refusals before
// the store is touched, one process per data directory, graceful shutdown with a request in
// flight, and SIGTERM sent to `npm start` alone. Every child is bounded and always stopped.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { settings } from '../../src/config.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { ACCOUNT, APP_KEY } from '../helpers/app.ts';
import { baseUrl, cleanEnv, cli, exitCode, ROOT, spawnChild, stop, type Child } from '../helpers/child.ts';

const QUIET = ['--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'];

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-ops-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function withChild(r: Child, fn: (r: Child) => Promise<void>): Promise<void> {
  try {
    await fn(r);
  } finally {
    await stop(r);
  }
}

/** True when nothing accepts connections on the port. */
function portFree(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), res(false)));
    s.once('error', () => res(true));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('--help lists every flag with its environment variable and default; --version prints the version', async () => {
  const help = cli(['--help']);
  assert.equal(await exitCode(help), 0);
  for (const s of settings) {
    const line = help.stdout().split('\n').find((l) => l.includes(`--${s.flag} `) || l.trimStart().startsWith(`--${s.flag}`));
    assert.ok(line, `--${s.flag} is listed`);
    assert.ok(line.includes(s.env), `${s.env} is on the line of --${s.flag}`);
    assert.match(line, /\(default: [^)]+\)/, `--${s.flag} has a default`);
  }
  const version = cli(['--version']);
  assert.equal(await exitCode(version), 0);
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version.stdout().trim(), pkg.version);
});

test('a missing TLS file or a port in use is one line and exit 1, before the data directory exists', async () => {
  await withTempDir(async (dir) => {
    const data = join(dir, 'data');
    const tls = cli(['--data', data, ...QUIET, '--tls-cert', join(dir, 'nope.pem'), '--tls-key', join(dir, 'nope.key')]);
    assert.equal(await exitCode(tls), 1);
    assert.equal(tls.stderr(), `serverchat: tls-cert: cannot read ${join(dir, 'nope.pem')} (ENOENT)\n`);
    assert.equal(existsSync(data), false, 'nothing was created');

    const holder = createServer();
    await new Promise<void>((res) => holder.listen(0, '127.0.0.1', res));
    try {
      const port = String((holder.address() as { port: number }).port);
      const busy = cli(['--data', data, '--port', port, '--host', '127.0.0.1', '--log-level', 'silent']);
      assert.equal(await exitCode(busy), 1);
      assert.equal(busy.stderr().trim().split('\n').length, 1, busy.stderr());
      assert.match(busy.stderr(), /cannot listen there \(EADDRINUSE/);
      assert.equal(existsSync(data), false, 'nothing was created');
    } finally {
      await new Promise((res) => holder.close(res));
    }
  });
});

test('a second process on the same data directory is refused; the directory is free again once the first stops', async () => {
  await withTempDir(async (dir) => {
    await withChild(cli(['--data', dir, ...QUIET]), async (first) => {
      await baseUrl(first);
      const second = cli(['--data', dir, ...QUIET]);
      assert.equal(await exitCode(second), 1);
      assert.match(second.stderr(), /^serverchat: store: the data directory .* is in use by another serverchat process/);
      assert.equal(second.stderr().trim().split('\n').length, 1, second.stderr());
      await stop(first);
    });
    await withChild(cli(['--data', dir, ...QUIET]), async (third) => {
      await baseUrl(third);
    });
  });
});

test('SIGTERM with a request in flight: it completes, the process exits 0 within the grace, a keep-alive sent just before is on disk', async () => {
  await withTempDir(async (dir) => {
    const r = cli(['--data', dir, '--port', '0', '--host', '127.0.0.1', '--log-level', 'info', '--log-format', 'json', '--shutdown-grace', '5']);
    await withChild(r, async () => {
      const base = await baseUrl(r);
      const key = { authorization: `LivePerson appKey=${APP_KEY}` };
      const created = await fetch(`${base}/api/account/${ACCOUNT}/chat/request.json?v=1`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: '{"request":{"skill":"Sales"}}', signal: AbortSignal.timeout(5000) });
      assert.equal(created.status, 201);
      const chatUrl = created.headers.get('location') as string;
      await new Promise((res) => setTimeout(res, 50));
      const keptAliveAt = Date.now();
      assert.equal((await fetch(`${chatUrl}/info.json`, { headers: key, signal: AbortSignal.timeout(5000) })).status, 200);

      // A request in flight: its body is half sent when the signal arrives.
      const body = JSON.stringify({ request: { skill: 'Sales' } });
      const url = new URL(`${base}/api/account/${ACCOUNT}/chat/request.json?v=1`);
      const inFlight = new Promise<number>((res, rej) => {
        const req = request(url, { method: 'POST', headers: { ...key, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (resp) => {
          resp.resume();
          res(resp.statusCode ?? 0);
        });
        req.on('error', rej);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          r.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 300);
        }, 100);
      });
      const started = Date.now();
      assert.equal(await inFlight, 201, 'the request in flight completes');
      assert.equal(await exitCode(r, 5000 + 2000), 0);
      assert.ok(Date.now() - started < 5000 + 1000, 'within the grace');
      const steps = r.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.deepEqual(steps.slice(-5), ['SIGTERM: shutting down; no new connections, requests in flight may finish', 'timers stopped', 'keep-alives written', 'store closed', 'stopped; exiting 0']);

      const store = new SqliteStore(join(dir, 'serverchat.db'));
      try {
        const chat = await store.getChat(ACCOUNT, chatUrl.split('/').pop() as string);
        assert.ok(chat && chat.lastUpdate >= keptAliveAt, `the keep-alive is on disk (${chat?.lastUpdate} >= ${keptAliveAt})`);
      } finally {
        await store.close();
      }
    });
  });
});

test('a second signal exits at once', async () => {
  const r = cli([...QUIET, '--memory', '--shutdown-grace', '30']);
  await withChild(r, async () => {
    const base = await baseUrl(r);
    // A connection that keeps a request open holds the first shutdown in its grace.
    const url = new URL(`${base}/api/account/${ACCOUNT}/chat/request.json`);
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': 100 } });
    req.on('error', () => undefined);
    req.write('{');
    await new Promise((res) => setTimeout(res, 200));
    r.child.kill('SIGTERM');
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(r.child.exitCode, null, 'still in its grace');
    r.child.kill('SIGTERM');
    assert.equal(await exitCode(r, 3000), 1);
    req.destroy();
  });
});

test('SIGTERM sent to the npm process of `npm start` alone stops the server: the port is free, no server process is left', async () => {
  const env = cleanEnv();
  const npm = spawnChild('npm', ['start', '--', ...QUIET, '--memory', '--shutdown-grace', '5'], env);
  await withChild(npm, async () => {
    const base = await baseUrl(npm);
    const port = Number(new URL(base).port);
    const pid = npm.child.pid as number;
    // The server is npm's child (npm runs the script through a shell, which execs node).
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim().split(/\s+/).map(Number);
    assert.equal(children.length, 1, `npm has one child: ${children.join(' ')}`);
    const server = children[0] as number;
    assert.match(await readFile(`/proc/${server}/cmdline`, 'utf8'), /src\/cli\.ts/);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5000 + 2000;
    while ((alive(server) || !(await portFree(port))) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(alive(server), false, 'no server process left');
    assert.equal(await portFree(port), true, 'the port is free');
  });
});

test('a failed login is logged with the account and username, never the password', async () => {
  const r = cli(['--port', '0', '--host', '127.0.0.1', '--memory', '--log-level', 'info', '--log-format', 'json']);
  await withChild(r, async () => {
    const base = await baseUrl(r);
    const res = await fetch(`${base}/api/account/${ACCOUNT}/login?v=1.3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"natalie","password":"wrong-horse"}', signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 401);
    const deadline = Date.now() + 5000;
    while (!r.stdout().includes('login failed') && Date.now() < deadline) await new Promise((res) => setTimeout(res, 25));
    const line = r.stdout().split('\n').find((l) => l.includes('login failed'));
    assert.ok(line, r.stdout());
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry.accountId, ACCOUNT);
    assert.equal(entry.username, 'natalie');
    assert.equal(entry.level, 40);
    assert.ok(!r.stdout().includes('wrong-horse'));
  });
});
