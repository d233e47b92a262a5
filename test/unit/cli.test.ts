// The command line (`npm start`): banner on success, every problem on stderr on failure.
// Each child is bounded in time and killed at the end, even when an assertion fails.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli as run, exitCode, stop, until, type Child as Run } from '../helpers/child.ts';

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-cli-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const BASE_ARGS = ['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'];

/** Runs the CLI with `args`, hands the child to `fn` and always stops it. */
async function withCli(args: string[], fn: (r: Run) => Promise<void>): Promise<void> {
  const r = run(args);
  try {
    await fn(r);
  } finally {
    await stop(r);
  }
}

/** Writes a provisioning file `{ accounts }` as provision.json in `dir`; returns its path. */
async function writeProvisioning(dir: string, accounts: unknown[]): Promise<string> {
  const file = join(dir, 'provision.json');
  await writeFile(file, JSON.stringify({ accounts }));
  return file;
}

test('with a valid provisioning file the server starts and prints how to use it', async () => {
  await withTempDir(async (dir) => {
    const file = await writeProvisioning(dir, [
      {
        id: '55555555',
        appKeys: ['cli-test-app-key'],
        skills: [{ id: 1, name: 'Support' }],
        agents: [{ id: 9, name: 'Zoe', loginName: 'zoe', password: 'zoepass', skills: [1] }],
      },
    ]);
    await withCli([...BASE_ARGS, '--provision', file], async (r) => {
      await until(r, () => /agent login:.*\n/.test(r.stdout()), 'the banner');
      const out = r.stdout();
      const m = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      assert.ok(m, out);
      assert.notEqual(m[2], '0');
      assert.match(out, /account id:\s+55555555/);
      assert.match(out, /app key:\s+cli-test-app-key/);
      assert.match(out, /agent login:\s+zoe \/ zoepass/);
      // It really serves the provisioned account.
      const root = await fetch(`${m[1]}/api/account/55555555?v=1&NC=true`, { headers: { authorization: 'LivePerson appKey=cli-test-app-key' }, signal: AbortSignal.timeout(5_000) });
      assert.equal(root.status, 200);
      const login = await fetch(`${m[1]}/api/account/55555555/login?v=1.3`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'zoe', password: 'zoepass' }),
        signal: AbortSignal.timeout(5_000),
      });
      assert.equal(login.status, 200);
    });
  });
});

test('an invalid provisioning file exits non-zero and lists every problem', async () => {
  await withTempDir(async (dir) => {
    const file = await writeProvisioning(dir, [
      {
        id: 'not an id!',
        appKeys: [],
        chatTimeout: 0,
        skills: [{ id: 1, name: 'Support' }],
        agents: [{ id: -3, name: '', loginName: 'x', password: '', skills: [99], maxChats: 0 }],
      },
    ]);
    await withCli([...BASE_ARGS, '--provision', file], async (r) => {
      const code = await exitCode(r);
      assert.notEqual(code, 0);
      const err = r.stderr();
      for (const where of [
        'accounts[0].id',
        'accounts[0].appKeys',
        'accounts[0].chatTimeout',
        'accounts[0].agents[0].id',
        'accounts[0].agents[0].name',
        'accounts[0].agents[0].password',
        'accounts[0].agents[0].skills',
        'accounts[0].agents[0].maxChats',
      ]) {
        assert.ok(err.includes(where), `stderr names ${where}:\n${err}`);
      }
      assert.ok(err.includes(file), 'stderr names the file');
      assert.doesNotMatch(r.stdout(), /listening on/);
    });
  });
});

test('a provisioning file that is not JSON, or missing, exits non-zero', async () => {
  await withTempDir(async (dir) => {
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "accounts": [ ');
    for (const f of [file, join(dir, 'missing.json')]) {
      await withCli([...BASE_ARGS, '--provision', f], async (r) => {
        assert.notEqual(await exitCode(r), 0);
        assert.ok(r.stderr().includes(f), r.stderr());
      });
    }
  });
});

test('invalid flag values exit non-zero and name every problem', async () => {
  await withCli(['--memory', '--port', 'abc', '--host', '127.0.0.1', '--log-level', 'loud'], async (r) => {
    assert.notEqual(await exitCode(r), 0);
    const err = r.stderr();
    assert.match(err, /port: "abc"/);
    assert.match(err, /log-level: "loud"/);
    assert.doesNotMatch(r.stdout(), /listening on/);
  });
  await withCli(['--memory', '--port', '0', '--host', '127.0.0.1', '--no-such-flag'], async (unknown) => {
    assert.notEqual(await exitCode(unknown), 0);
    assert.match(unknown.stderr(), /no-such-flag/);
  });
});

test('a port already in use exits non-zero with a plain message', async () => {
  const { createServer } = await import('node:net');
  const holder = createServer();
  await new Promise<void>((res) => holder.listen(0, '127.0.0.1', res));
  const port = (holder.address() as { port: number }).port;
  try {
    await withCli(['--memory', '--port', String(port), '--host', '127.0.0.1'], async (r) => {
      assert.equal(await exitCode(r), 1);
      assert.match(r.stderr(), /cannot listen there \(EADDRINUSE/);
      assert.match(r.stderr(), /--port/);
    });
  } finally {
    await new Promise((res) => holder.close(res));
  }
});
