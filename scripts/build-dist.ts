// `npm pack` (prepack): JavaScript and type declarations for the published package, in dist/.
// Node strips no types under node_modules, so an installed serverchat runs this build; a
// checkout keeps running src/ directly (no build step while developing).
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.dist.json`], { stdio: 'inherit' });
// The agent console and visitor page are served from web/ beside api/ (src/api/web.ts).
cpSync(`${root}src/web`, `${dist}/web`, { recursive: true, filter: (f) => !f.endsWith('tsconfig.json') });
