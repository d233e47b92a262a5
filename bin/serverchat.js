#!/usr/bin/env node
// The `serverchat` command (`npx serverchat --control --clock manual`). In a checkout it runs
// src/cli.ts through Node's type stripping; an installed package runs the JavaScript built
// into dist/ when it was packed, since Node strips no types under node_modules.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);
const built = new URL('../dist/cli.js', import.meta.url);
const installed = fileURLToPath(import.meta.url).split(/[\\/]/).includes('node_modules');
await import((!installed && existsSync(source)) || !existsSync(built) ? source.href : built.href);
