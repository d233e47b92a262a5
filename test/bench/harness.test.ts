// The bench harness itself (not serverchat's speed: no timed assertions here). On a tiny
// workload it must run every scenario to the end, print the table, write its JSON where it
// is told, and leave no child process or listening port behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BenchResult } from '../../bench/report.ts';
import { SCENARIOS } from '../../bench/scenarios.ts';

const RUN = join(import.meta.dirname, '..', '..', 'bench', 'run.ts');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
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

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

test('the bench runs a tiny workload to the end, reports it and cleans up after itself', { timeout: 240_000 }, async () => {
  const out = await mkdtemp(join(tmpdir(), 'serverchat-bench-test-'));
  try {
    const { code, stdout, stderr } = await run(['--tiny', '--out', out]);
    assert.equal(code, 0, `bench exited ${code}\n${stderr}\n${stdout}`);

    // The table: a header, every scenario, both servers, the memory and timeout lines.
    assert.match(stdout, /scenario\s+conns\s+server\s+req\/s\s+p50 ms\s+p99 ms\s+max ms\s+errors\s+RSS MB/);
    for (const s of SCENARIOS) assert.match(stdout, new RegExp(`^${s.name}\\s`, 'm'), `row for ${s.name}`);
    assert.match(stdout, /serverchat/);
    assert.match(stdout, /per open chat/);
    assert.match(stdout, /timeouts: 50 chats with the same deadline/);

    // The JSON, where --out said, and named in the output.
    const files = (await readdir(out)).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 1, `one result file in ${out}: ${files.join(', ')}`);
    assert.ok(stdout.includes(join(out, files[0] as string)));
    const result = JSON.parse(await readFile(join(out, files[0] as string), 'utf8')) as BenchResult;
    assert.equal(result.mode, 'tiny');
    assert.deepEqual(
      result.rows.map((r) => r.scenario),
      SCENARIOS.map((s) => s.name),
    );
    for (const r of result.rows) {
      for (const who of ['baseline', 'serverchat'] as const) {
        assert.ok(r[who].requests > 0, `${who} answered ${r.scenario}`);
        // Every answer was checked for status and shape; none may fail on a tiny, quiet run.
        assert.equal(r[who].errors, 0, `${who} ${r.scenario}: ${r[who].errorSamples.join(' | ')}`);
      }
      assert.ok(r.rpsRatio > 0);
    }
    assert.equal(result.memory.chats, 50);
    assert.ok(result.memory.rssOpen > 0 && result.memory.rssEmpty > 0);
    assert.ok(result.timeouts);
    assert.equal(result.timeouts.fired, 50, 'every chat timed out');
    assert.ok(result.targets.length > 0);

    // Nothing left behind: no child alive, no port still listening.
    assert.ok(result.harness.children.length >= 4, 'server children, baseline and timeouts phase were started');
    for (const pid of result.harness.children) assert.equal(alive(pid), false, `child ${pid} still running`);
    assert.ok(result.harness.ports.length >= 2);
    for (const port of result.harness.ports) assert.equal(await refused(port), true, `port ${port} still listening`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
