// The package as another project gets it (issue 13 "How it is checked"): `npm pack`, the
// tarball installed into a temporary project, a test file there that imports
// `serverchat/testing`, and the `serverchat` command with --control --clock manual.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
// npm and the installed command run on this Node (24), found first on PATH.
// Without NODE_TEST_CONTEXT, the inner `node --test` reports to its own stdout, not to this runner.
const { NODE_TEST_CONTEXT: _ctx, ...outer } = process.env;
const env = { ...outer, PATH: `${dirname(process.execPath)}:${join(root, 'node_modules/.bin')}:${process.env.PATH ?? ''}`, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

const CONSUMER_TEST = `
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServerchat } from 'serverchat/testing';

test('a widget test, five lines long', async () => {
  const sc = await startServerchat();
  const headers = { authorization: \`LivePerson appKey=\${sc.appKey}\`, 'content-type': 'application/json' };
  const res = await fetch(\`\${sc.baseUrl}/chat/request.json?v=1\`, { method: 'POST', headers, body: JSON.stringify({ request: { skill: 'Sales' } }) });
  const chatId = res.headers.get('location').split('/').pop();
  await sc.advance(1000);
  assert.equal((await sc.chat(chatId)).agent.name, 'Max');
  await sc.advance(40_000);
  assert.equal((await sc.chat(chatId)).state, 'ended');
  await sc.close();
});
`;

test('npm pack, install the tarball elsewhere, import serverchat/testing and run the command', { timeout: 300_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'serverchat-pack-'));
  try {
    await run('npm', ['pack', '--pack-destination', work], { cwd: root, env, timeout: 120_000 });
    const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack made a tarball');
    const project = join(work, 'project');
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-package-lock', join(work, tarball)], { cwd: project, env, timeout: 180_000 });
    writeFileSync(join(project, 'widget.test.js'), CONSUMER_TEST);
    const result = await run(process.execPath, ['--test', '--test-reporter=spec', 'widget.test.js'], { cwd: project, env, timeout: 60_000 });
    assert.match(result.stdout, /ℹ pass 1\n/);
    assert.match(result.stdout, /ℹ fail 0\n/);

    // The command the package installs, as `npx serverchat --control --clock manual` runs it.
    const child = spawn(join(project, 'node_modules/.bin/serverchat'), ['--control', '--clock', 'manual', '--memory', '--port', '0', '--log-level', 'silent'], { cwd: project, env });
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no banner in 20 s: ${out}`)), 20_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('clock:')) {
            clearTimeout(timer);
            resolve(out);
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = /listening on (http:\/\/\S+)/.exec(banner)?.[1];
      assert.ok(url, banner);
      assert.match(banner, /control plane: +http:\/\/127\.0\.0\.1:\d+\/_serverchat\//);
      const clock = (await (await fetch(`${url}/_serverchat/clock`)).json()) as { mode: string };
      assert.equal(clock.mode, 'manual');
      const agents = (await (await fetch(`${url}/_serverchat/agents`)).json()) as { agents: Array<{ loginName: string; bot: boolean }> };
      assert.deepEqual(agents.agents.map((a) => [a.loginName, a.bot]), [['natalie', false], ['max-bot', true]]);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(join(root, 'dist'), { recursive: true, force: true });
  }
});
