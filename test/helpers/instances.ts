// serverchat as a real child process (`src/cli.ts`), for the end-to-end tests that need
// several instances, a `kill -9` or the CLI's own exit: started on a free port, ready once
// it prints its banner, and never outliving the test process (an exit hook, and a detached
// watchdog for when the test process itself is killed). Plus a small fetch wrapper.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BANNER = /^serverchat listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Instance {
  readonly name: string;
  /** http://127.0.0.1:PORT, from the banner. */
  readonly url: string;
  readonly pid: number;
  /** Everything it printed so far (stdout and stderr, interleaved). */
  output(): string;
  /** Whether the process is still there. */
  running(): boolean;
  /** Resolves when the process has exited, however. */
  readonly exited: Promise<Exit>;
  /** Sends `signal` (default SIGKILL) and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
}

/** Kills `pid` once this test process is gone, even by SIGKILL (no exit hook runs then). */
function watchdog(pid: number): ChildProcess {
  const script = 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; kill -9 "$2" 2>/dev/null';
  const dog = spawn('sh', ['-c', script, 'serverchat-instance-watchdog', String(process.pid), String(pid)], { detached: true, stdio: 'ignore' });
  dog.unref();
  return dog;
}

function spawnCli(args: string[]): { child: ChildProcess; output: () => string; exited: Promise<Exit> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => void (out = (out + d.toString()).slice(-50_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const dog = child.pid === undefined ? null : watchdog(child.pid);
  const onExit = (): void => void child.kill('SIGKILL');
  process.on('exit', onExit);
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      process.off('exit', onExit);
      dog?.kill();
      resolve({ code, signal });
    });
  });
  return { child, output: () => out, exited };
}

/** Starts `node src/cli.ts ARGS` and resolves once it listens (rejects, with its output, if it exits or hangs). */
export async function startInstance(name: string, args: string[], timeoutMs = 20_000): Promise<Instance> {
  const { child, output, exited } = spawnCli(args);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name}: no banner within ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const look = (): void => {
      const m = BANNER.exec(output());
      if (!m?.[1]) return;
      clearTimeout(timer);
      resolve(m[1]);
    };
    child.stdout?.on('data', look);
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${e.code ?? e.signal}) before listening:\n${output()}`));
    });
  });
  return {
    name,
    url,
    pid: child.pid ?? -1,
    output,
    running: () => child.exitCode === null && child.signalCode === null,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs `node src/cli.ts ARGS` to its end (killed after `timeoutMs`): exit, stdout, stderr. */
export async function runCli(args: string[], timeoutMs = 20_000): Promise<Exit & { stdout: string; stderr: string; timedOut: boolean }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const onExit = (): void => void child.kill('SIGKILL');
  process.on('exit', onExit);
  const exit = await new Promise<Exit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  clearTimeout(timer);
  process.off('exit', onExit);
  return { ...exit, stdout, stderr, timedOut };
}

export interface Reply {
  status: number;
  location: string | null;
  contentType: string | null;
  text: string;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as is (give its content-type in headers). */
  body?: unknown;
  timeoutMs?: number;
}

/** One HTTP request; network failures reject (callers decide what a lost answer means). */
export async function http(method: string, url: string, opts: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  let body: string | undefined;
  if (typeof opts.body === 'string') body = opts.body;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
  return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type'), text: await res.text() };
}

/** The JSON body of a reply. */
export const json = <T>(r: Reply): T => JSON.parse(r.text) as T;

/** The path (and query) of an absolute URL: Locations name the instance that answered. */
export const pathOf = (href: string): string => {
  const u = new URL(href);
  return u.pathname + u.search;
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
