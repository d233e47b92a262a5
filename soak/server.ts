// The server under soak: `node src/cli.ts` as a child on 127.0.0.1 (its own process, so that
// its RSS is its own), a SQLite file in a temporary directory (what the run writes is not
// memory), short chat timeouts so that abandoned chats end, a provisioning with one account, a Sales agent for
// the normal workload and a Support agent for the hostile traffic. The per-address and
// per-app-key rate limits are off: all traffic comes from one address, and what is soaked
// is how every other answer holds up (docs/testing.md "Soak").
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const ACCOUNT = '12345678';
export const APP_KEY = 'soakkey0123456789';
export const SALES = { id: 1, name: 'Sales' };
export const SUPPORT = { id: 2, name: 'Support' };
export const WORKER = { id: 11, name: 'Worker', loginName: 'worker', password: 'worker-pass' };
export const VICTIM = { id: 12, name: 'Victim', loginName: 'victim', password: 'victim-pass' };

export interface SoakServer {
  url: string;
  pid: number;
  /** Resident set size now, in bytes (Linux /proc; 0 elsewhere). */
  rss(): Promise<number>;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServer(): Promise<SoakServer> {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-soak-'));
  const provision = join(dir, 'provision.json');
  await writeFile(
    provision,
    JSON.stringify({
      accounts: [
        {
          id: ACCOUNT,
          appKeys: [APP_KEY],
          chatTimeout: 15,
          skills: [SALES, SUPPORT],
          agents: [
            { ...WORKER, skills: [SALES.id], maxChats: 50 },
            { ...VICTIM, skills: [SUPPORT.id], maxChats: 4 },
          ],
        },
      ],
    }),
  );
  const args = ['src/cli.ts', '--port', '0', '--host', '127.0.0.1', '--data', join(dir, 'data'), '--provision', provision, '--max-waiting-chats', '100000', '--log-level', 'error', '--requests-per-address', '0', '--requests-per-app-key', '0', '--chat-lines-per-second', '1000'];
  const child: ChildProcess = spawn(join(ROOT, 'node_modules/.bin/node'), args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d.length + err.length > 100_000 ? '' : d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 30_000;
  let url: string | undefined;
  while (!url) {
    url = /listening on (https?:\/\/\S+)/.exec(out)?.[1];
    if (url) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start\n${out}\n${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid ?? 0,
    async rss() {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(await readFile(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return kb ? Number(kb) * 1024 : 0;
      } catch {
        return 0;
      }
    },
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
