// Child processes of the bench: pinned to a core with taskset where available, talked to
// over IPC, their RSS read from /proc, and always killed when the bench ends or fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface Pinning {
  enabled: boolean;
  /** Why pinning was skipped, when it was. */
  note: string;
  serverCore: number;
  loadCore: number;
}

/** Pins every thread of `pid` to `core` (children forked later inherit it); false if taskset refused. */
export function pinPid(pid: number, core: number): boolean {
  return spawnSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' }).status === 0;
}

/** Server under test on core 0, load generator (this process, every thread) on core 1. */
export function pinSelf(disabled: boolean): Pinning {
  const skip = (note: string): Pinning => ({ enabled: false, note, serverCore: -1, loadCore: -1 });
  if (disabled) return skip('pinning disabled by --no-pin');
  if (process.platform !== 'linux') return skip(`taskset is Linux-only (platform ${process.platform})`);
  if (availableParallelism() < 2) return skip(`only ${availableParallelism()} core available`);
  const probe = spawnSync('taskset', ['-V'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) return skip('taskset not found (util-linux)');
  if (!pinPid(process.pid, 1)) return skip('taskset could not pin the load generator');
  return { enabled: true, note: 'server on core 0, load generator on core 1 (taskset)', serverCore: 0, loadCore: 1 };
}

const live = new Set<ChildProcess>();
/** Every child pid started, so a run can show that none outlived it. */
export const spawned: number[] = [];

/** Starts `node [nodeArgs] script [args]` (pinned to the server core when pinning) with an IPC channel. */
export function startChild(pinning: Pinning, script: string, args: string[], nodeArgs: string[] = []): ChildProcess {
  const argv = [...nodeArgs, script, ...args];
  const child = pinning.enabled
    ? spawn('taskset', ['-c', String(pinning.serverCore), process.execPath, ...argv], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    : spawn(process.execPath, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  if (child.pid !== undefined) spawned.push(child.pid);
  child.once('exit', () => live.delete(child));
  return child;
}

/** The next IPC message of `type` from the child, or an error if it exits or takes too long. */
export function nextMessage<T extends { type: string }>(child: ChildProcess, type: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no "${type}" from child ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: unknown): void => {
      const msg = m as { type?: string; message?: string };
      if (msg.type === 'error') done(new Error(`child ${child.pid}: ${msg.message ?? 'failed'}`));
      else if (msg.type === type) done(null, m as T);
    };
    const onExit = (code: number | null, signal: string | null): void => done(new Error(`child ${child.pid} exited (${code ?? signal}) before "${type}"`));
    function done(err: Error | null, value?: T): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(value as T);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Asks the child to stop (SIGTERM: it closes and exits), then SIGKILLs it after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** Last resort on exit or failure: no child outlives the bench. */
export function killAll(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function liveChildren(): number {
  return live.size;
}

/** Resident set size of a process in bytes (Linux /proc), or null where unavailable. */
export function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` until stopped; returns the peak. */
export function rssSampler(pid: number, everyMs = 200): { stop(): number | null } {
  let peak: number | null = rssOf(pid);
  const t = setInterval(() => {
    const r = rssOf(pid);
    if (r !== null && (peak === null || r > peak)) peak = r;
  }, everyMs);
  return {
    stop() {
      clearInterval(t);
      const r = rssOf(pid);
      if (r !== null && (peak === null || r > peak)) peak = r;
      return peak;
    },
  };
}

interface ProcStat {
  comm: string;
  ppid: number;
  /** user + system time, in clock ticks */
  ticks: number;
}

/** /proc/PID/stat, or null once the process is gone. The name may hold spaces and parentheses: fields count from the last ")". */
function procStat(pid: number): ProcStat | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const f = raw.slice(close + 2).split(' ');
    return { comm: raw.slice(raw.indexOf('(') + 1, close), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null;
  }
}

/** The live children of `ppid` (optionally only those named `comm`), from /proc; none where there is no /proc. */
export function childrenOf(ppid: number, comm?: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const e of entries) {
    const st = procStat(Number(e));
    if (st && st.ppid === ppid && (comm === undefined || st.comm === comm)) out.push(Number(e));
  }
  return out;
}

let clockTicks = 0;
function ticksPerSecond(): number {
  if (clockTicks === 0) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    clockTicks = Number(r.stdout) > 0 ? Number(r.stdout) : 100;
  }
  return clockTicks;
}

/**
 * CPU used by the processes `pids()` names, from now until stop(), in cores (1 = one core busy
 * the whole time). Asked again at stop, so processes that appeared meanwhile (new PostgreSQL
 * backends) count from zero; those that exited meanwhile are lost. Null where there is no /proc.
 */
export function cpuMeter(pids: () => number[]): { stop(): number | null } {
  const t0 = performance.now();
  const start = new Map<number, number>();
  for (const pid of pids()) {
    const st = procStat(pid);
    if (st) start.set(pid, st.ticks);
  }
  return {
    stop() {
      if (start.size === 0) return null;
      let ticks = 0;
      for (const pid of pids()) {
        const st = procStat(pid);
        if (st) ticks += st.ticks - (start.get(pid) ?? 0);
      }
      const seconds = (performance.now() - t0) / 1000;
      return seconds > 0 ? ticks / ticksPerSecond() / seconds : null;
    },
  };
}
