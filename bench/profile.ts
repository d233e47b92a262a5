// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self
// time, so a profile can be read in a terminal and pasted into an issue.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface Frame {
  fn: string;
  where: string;
  selfMs: number;
  selfPct: number;
}

function frameName(n: ProfileNode): { fn: string; where: string } {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.startsWith('file://') ? relative(process.cwd(), new URL(url).pathname) : url || '(native)';
  return { fn: functionName || '(anonymous)', where: url ? `${file}:${lineNumber + 1}` : file };
}

/** Top `limit` functions by self time, merged across call sites. */
export function topSelf(file: string, limit = 25): { totalMs: number; frames: Frame[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  // A sample's time is the delta to the next sample (the profiler's own convention).
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    const dt = (deltas[i + 1] ?? 0) / 1000;
    self.set(id, (self.get(id) ?? 0) + dt);
  }
  const parent = new Map<number, ProfileNode>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const merged = new Map<string, Frame>();
  let totalMs = 0;
  for (const [id, ms] of self) {
    totalMs += ms;
    const n = byId.get(id);
    if (!n) continue;
    let { fn, where } = frameName(n);
    // A native function (SQLite's run/get, writev) is named after the JS function that called it.
    const up = parent.get(id);
    if (!n.callFrame.url && up && up.callFrame.url) {
      const caller = frameName(up);
      fn = `${fn} ← ${caller.fn}`;
      where = caller.where;
    }
    const key = `${fn}@${where}`;
    const f = merged.get(key) ?? { fn, where, selfMs: 0, selfPct: 0 };
    f.selfMs += ms;
    merged.set(key, f);
  }
  const frames = [...merged.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, limit);
  for (const f of frames) f.selfPct = totalMs > 0 ? (100 * f.selfMs) / totalMs : 0;
  return { totalMs, frames };
}

export function formatFrames(frames: Frame[]): string {
  return frames.map((f) => `${f.selfPct.toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.fn}  ${f.where}`).join('\n');
}

// `node bench/profile.ts FILE.cpuprofile [N]`
if (import.meta.main) {
  const [file, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: node bench/profile.ts FILE.cpuprofile [N]\n');
    process.exit(2);
  }
  const { totalMs, frames } = topSelf(file, n ? Number(n) : 25);
  process.stdout.write(`total sampled: ${totalMs.toFixed(0)} ms\n${formatFrames(frames)}\n`);
}
