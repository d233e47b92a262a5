// A serverchat (or npm) child process for tests: output captured, every wait bounded, and
// stop() always ends it (SIGTERM, then SIGKILL after 5 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const NODE = join(ROOT, 'node_modules/.bin/node');
export const WAIT_MS = 20_000;

export interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The environment without SERVERCHAT_* settings, so that nothing leaks into the child. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SERVERCHAT_')));
}

export function spawnChild(command: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Child {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `node src/cli.ts ARGS` with the project's Node 24. */
export function cli(args: string[]): Child {
  return spawnChild(NODE, ['src/cli.ts', ...args]);
}

/** Resolves once `ready()` holds; fails after WAIT_MS or when the child exits first. */
export async function until(r: Child, ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  let exited = false;
  void r.exited.then(() => (exited = true));
  while (!ready()) {
    if (exited) throw new Error(`the process exited before ${what}\nstdout: ${r.stdout()}\nstderr: ${r.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\nstdout: ${r.stdout()}\nstderr: ${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 25));
  }
}

/** The exit code, or a failure if the child still runs after `ms`. */
export async function exitCode(r: Child, ms = WAIT_MS): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => (timer = setTimeout(() => rej(new Error(`still running after ${ms} ms\nstdout: ${r.stdout()}\nstderr: ${r.stderr()}`)), ms)));
  try {
    return await Promise.race([r.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function stop(r: Child): Promise<void> {
  if (r.child.exitCode !== null || r.child.signalCode !== null) return;
  r.child.kill('SIGTERM');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 5_000);
  await r.exited;
  clearTimeout(timer);
}

/** The base URL from the banner's first line, once it is printed. */
export async function baseUrl(r: Child): Promise<string> {
  await until(r, () => /agent login:.*\n/.test(r.stdout()), 'the banner');
  const m = /listening on (https?:\/\/[^\s]+)/.exec(r.stdout());
  if (!m?.[1]) throw new Error(`no URL in the banner: ${r.stdout()}`);
  return m[1];
}
