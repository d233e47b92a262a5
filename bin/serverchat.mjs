#!/usr/bin/env node
// `serverchat` (package.json "bin"): starts src/cli.ts. Plain JavaScript, so that whatever
// `node` is first on the PATH can run it:
// - a Node older than 24 cannot run the TypeScript sources: the Node 24 this package depends
//   on (the `node` npm package) is run instead, with signals passed on and its exit code kept;
// - installed, the sources sit under node_modules, where Node refuses to strip types
//   (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING): a load hook strips this package's own
//   .ts files with node:module's stripTypeScriptTypes, the same transform Node applies itself.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url).href;
const major = Number(process.versions.node.split('.')[0]);

if (major < 24) {
  const require = module.createRequire(import.meta.url);
  const node24 = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  const child = spawn(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 1)));
} else {
  if (root.includes('/node_modules/')) {
    // The one experimental warning this hook causes says nothing to an operator.
    const emitWarning = process.emitWarning.bind(process);
    process.emitWarning = (warning, ...rest) => {
      if (String(typeof warning === 'string' ? warning : warning?.message).includes('stripTypeScriptTypes')) return;
      emitWarning(warning, ...rest);
    };
    module.registerHooks({
      load(url, context, nextLoad) {
        if (!url.startsWith(root) || !url.endsWith('.ts') || url.slice(root.length).includes('node_modules/')) return nextLoad(url, context);
        const source = module.stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'));
        return { format: 'module', source, shortCircuit: true };
      },
    });
  }
  await import(new URL('src/cli.ts', root).href);
}
