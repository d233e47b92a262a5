// The package as an operator installs it (issue 12 §5): a `serverchat` command, Node 24 in
// the production dependencies, an honest `engines`, the LICENSE it names, and a tarball with
// the sources the command runs and nothing of the tests. (Packing, installing the tarball
// in an empty folder and `npx serverchat` were tried by hand: docs/operations.md.)
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { defaults, settings } from '../../src/config.ts';
import { helpLines } from '../../src/help.ts';
import { ROOT } from '../helpers/child.ts';

interface Pkg {
  bin: Record<string, string>;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
  license: string;
}

test('package.json: the serverchat command, Node 24 as a production dependency, engines, LICENSE', async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Pkg;
  assert.equal(pkg.bin.serverchat, 'bin/serverchat.mjs');
  assert.match(pkg.dependencies.node ?? '', /^\^24\./);
  assert.equal(pkg.devDependencies.node, undefined);
  assert.ok(pkg.engines.node, 'engines.node is declared');
  assert.match(pkg.scripts.start ?? '', /^exec node /, 'npm start execs node, so SIGTERM reaches the server');
  assert.equal(pkg.license, 'MIT');
  assert.match(await readFile(join(ROOT, 'LICENSE'), 'utf8'), /^MIT License/);
});

test('the packed tarball has the command, the sources and the LICENSE, and no tests', async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, timeout: 60_000 });
  const [packed] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  const files = new Set(packed?.files.map((f) => f.path));
  for (const f of ['bin/serverchat.mjs', 'src/cli.ts', 'src/server.ts', 'src/web/agent/index.html', 'LICENSE', 'README.md', 'package.json', 'docs/operations.md']) assert.ok(files.has(f), `${f} is packed`);
  assert.deepEqual([...files].filter((f) => f.startsWith('test/') || f.startsWith('bench/')), []);
});

test('--help has a line for every setting, with the default config.ts has', () => {
  for (const s of settings) {
    const line = helpLines[s.flag];
    assert.ok(line, `src/help.ts has a line for --${s.flag}`);
    assert.ok(line.text.length > 0);
  }
  assert.equal(helpLines.port?.default, String(defaults.port));
  assert.equal(helpLines['shutdown-grace']?.default, String(defaults.shutdownGrace));
  assert.equal(helpLines['log-format']?.default, defaults.logFormat);
});
