// docs/testing.md's curl walk-through works as printed against `--control --clock manual`,
// and its node:test example runs as shown against the kit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { test } from 'node:test';
import { missingTools, runBash, WALKTHROUGH_TIMEOUT_MS } from '../helpers/bash.ts';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/server.ts';

const DOC = readFileSync(new URL('../../docs/testing.md', import.meta.url), 'utf8');
const TIMEOUT_MS = WALKTHROUGH_TIMEOUT_MS;

function block(lang: string, marker: string): string {
  const found = [...DOC.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1] as string).filter((b) => b.includes(marker));
  assert.equal(found.length, 1, `docs/testing.md should have exactly one \`\`\`${lang} block containing ${marker}`);
  return found[0] as string;
}


const missing = missingTools(['bash', 'curl']);

test('the docs/testing.md curl walk-through runs as printed', { skip: missing.length > 0 ? `needs ${missing.join(' and ')}` : false, timeout: TIMEOUT_MS + 10_000 }, async () => {
  const script = block('sh', 'CONTROL=$BASE/_serverchat');
  const { app, url } = await start(loadConfig(['--memory', '--port', '0', '--log-level', 'silent', '--control', '--clock', 'manual'], {}));
  try {
    const env = { ...process.env, BASE: url, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
    const run = await runBash(script, env);
    const report = `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
    assert.equal(run.code, 0, report);
    const out = run.stdout;
    for (const expected of [
      '{"reset":"all","ms":',
      '"mode":"manual"}',
      '\nwaiting\n',
      '{"id":25025499,"name":"Max"}',
      '"text":"You are now chatting with Max."',
      '"text":"Hi, I am Max, a bot. How can I help?"',
      '{"agentTyping":"typing"}',
      '\nOur plans start at 10 EUR a month.\n',
      '"id":"f1","remaining":1',
      '\n503\n',
      '\nchatting\n',
      '"vendorMethod":"info"',
      '{"clients":[]}',
    ]) {
      assert.ok(out.includes(expected), `expected ${expected}\n${report}`);
    }
    assert.equal(out.trimEnd().split('\n').at(-1), 'ended', report);
  } finally {
    await app.close();
  }
});

test('the docs/testing.md node:test example passes against the kit', { timeout: 30_000 }, async () => {
  const example = block('js', "from 'node:test'").replace("from 'serverchat/testing'", `from ${JSON.stringify(new URL('../../src/testing.ts', import.meta.url).href)}`);
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-doc-'));
  try {
    writeFileSync(join(dir, 'widget.test.mjs'), example);
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', join(dir, 'widget.test.mjs')], { env, encoding: 'utf8', timeout: 25_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /ℹ pass 1\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
