// Runs a documented shell walk-through (the README's, docs/testing.md's) with bash, strict
// and bounded in time, and says which of the tools it needs are missing here.
import { spawn, spawnSync } from 'node:child_process';

export const WALKTHROUGH_TIMEOUT_MS = 60_000;

export interface BashRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runBash(script: string, env: NodeJS.ProcessEnv, timeoutMs = WALKTHROUGH_TIMEOUT_MS): Promise<BashRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The commands of `tools` this machine lacks (a walk-through test is skipped, naming them). */
export const missingTools = (tools: string[]): string[] => tools.filter((cmd) => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error !== undefined);
