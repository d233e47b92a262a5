// The bench's output: the table on the terminal, the JSON file under bench/results/, the
// targets from the issue, and the comparison of two JSON files.
import { readFileSync } from 'node:fs';
import type { RunResult } from './load.ts';
import type { Frame } from './profile.ts';
import type { ScenarioName } from './scenarios.ts';
import type { TimeoutsResult } from './timeouts-child.ts';

export interface Row {
  scenario: ScenarioName;
  connections: number;
  baseline: RunResult;
  serverchat: RunResult;
  /** serverchat req/s ÷ baseline req/s. */
  rpsRatio: number;
  /** serverchat p99 ÷ baseline p99. */
  p99Ratio: number;
}

export interface BenchResult {
  version: 1;
  startedAt: string;
  mode: 'full' | 'quick' | 'tiny';
  machine: { node: string; cpus: string; cores: number; pinning: string };
  /** The store serverchat ran on and how many instances shared it (absent in files from before `--store`: SQLite, one). */
  store?: { kind: 'sqlite' | 'postgres'; instances: number; poolSize: number | null; describe: string };
  settings: { chats: number; chatsPerAgent: number; seconds: number; rounds: number; connections: number[]; agents: number };
  rows: Row[];
  memory: { chats: number; rssEmpty: number; rssOpen: number; bytesPerChat: number; seedMs: number; chatsPerSecond: number; startMs: number };
  timeouts: TimeoutsResult | null;
  targets: Array<{ target: string; value: string; met: boolean }>;
  profile?: { infoJson100?: Frame[]; timeouts?: Frame[]; files: string[] };
  /** What the harness started (child pids, loopback ports), for checking that nothing is left behind. */
  harness: { children: number[]; ports: number[] };
}

const mb = (b: number | null): string => (b === null ? 'n/a' : (b / 1048576).toFixed(0));
const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');
const ms = (x: number): string => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : 'n/a');
const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : 'n/a');
const core = (x: number | null | undefined): string => (x === null || x === undefined ? '–' : (100 * x).toFixed(0));
/** CPU of the server / the store's processes / the load generator, in % of one core. */
const cpuCell = (x: RunResult): string => (x.cpu ? `${core(x.cpu.server)}/${core(x.cpu.store)}/${core(x.cpu.load)}` : '');

/** "SQLite, 1 instance" for files that predate `--store`. */
export function storeLabel(r: BenchResult): string {
  const s = r.store ?? { kind: 'sqlite', instances: 1 };
  return `${s.kind === 'postgres' ? 'PostgreSQL' : 'SQLite'}, ${s.instances} instance${s.instances === 1 ? '' : 's'}`;
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(w[i] ?? 0) : c.padStart(w[i] ?? 0))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

/** The issue's req/s targets (issue 14), at 100 connections, as a share of the baseline's. */
export const RPS_TARGETS: Partial<Record<ScenarioName, number>> = { 'info-json': 0.7, 'info-xml': 0.5, 'next-none': 0.6, 'next-one': 0.6, 'post-line': 0.4, mixed: 0.5 };
/** The longest the event loop may go without a turn while mass timeouts end (issue 14). */
export const MAX_TIMEOUT_STALL_MS = 50;

/** `shared`: a shared store, which arms no chat on start, so memory per open chat says nothing of a served chat and is not judged. */
export function evaluateTargets(rows: Row[], memory: BenchResult['memory'], timeouts: TimeoutsResult | null, shared = false): BenchResult['targets'] {
  const at = (s: ScenarioName): Row | undefined => rows.find((r) => r.scenario === s && r.connections === 100);
  const out: BenchResult['targets'] = [];
  const ratio = (s: ScenarioName, min: number, label: string): void => {
    const r = at(s);
    if (r) out.push({ target: `${label} ≥ ${pct(min)} of baseline req/s at 100 connections`, value: pct(r.rpsRatio), met: r.rpsRatio >= min });
  };
  ratio('info-json', RPS_TARGETS['info-json'] ?? 0, 'info JSON');
  const ij = at('info-json');
  if (ij) out.push({ target: 'info JSON p99 ≤ 2× baseline p99 at 100 connections', value: `${ij.p99Ratio.toFixed(2)}×`, met: ij.p99Ratio <= 2 });
  ratio('info-xml', RPS_TARGETS['info-xml'] ?? 0, 'info XML');
  ratio('next-none', RPS_TARGETS['next-none'] ?? 0, 'next poll (nothing new)');
  ratio('next-one', RPS_TARGETS['next-one'] ?? 0, 'next poll (one new event)');
  ratio('post-line', RPS_TARGETS['post-line'] ?? 0, 'post a line');
  ratio('mixed', RPS_TARGETS.mixed ?? 0, 'mixed');
  if (!shared) out.push({ target: '≤ 2 KB RSS per open chat', value: `${n0(memory.bytesPerChat)} B`, met: memory.bytesPerChat <= 2048 });
  if (timeouts) {
    const late = Math.max(timeouts.lateness.max, 0);
    // A shared store waits its grace past every deadline by design; the target is the time after that.
    const grace = timeouts.graceMs ?? 0;
    out.push({
      target: `${n0(timeouts.chats)} simultaneous timeouts all fired within 1 s of their deadline${grace > 0 ? ` (+ the shared store's ${ms(grace)} ms grace)` : ''}`,
      value: `${n0(timeouts.fired)} fired, last ${ms(late)} ms late`,
      met: timeouts.fired === timeouts.chats && late - grace <= 1000,
    });
    if (timeouts.maxLoopStallMs !== undefined) {
      out.push({ target: `requests never stalled more than ${MAX_TIMEOUT_STALL_MS} ms while they ended`, value: `${ms(timeouts.maxLoopStallMs)} ms`, met: timeouts.maxLoopStallMs <= MAX_TIMEOUT_STALL_MS });
    }
  }
  return out;
}

/** The row's target (at 100 connections), and whether this run met it. */
function targetCell(row: Row, who: 'baseline' | 'serverchat'): string {
  const min = RPS_TARGETS[row.scenario];
  if (who !== 'serverchat' || row.connections !== 100 || min === undefined) return '';
  const p99 = row.scenario === 'info-json' ? ', p99 ≤ 2×' : '';
  const met = row.rpsRatio >= min && (row.scenario !== 'info-json' || row.p99Ratio <= 2);
  return `≥ ${pct(min)}${p99} ${met ? 'met' : 'MISS'}`;
}

export function formatResult(r: BenchResult): string {
  const out: string[] = [];
  out.push(`serverchat bench (${r.mode}) — ${r.startedAt}`);
  out.push(`node ${r.machine.node}, ${r.machine.cores} cores (${r.machine.cpus}); ${r.machine.pinning}`);
  out.push(`store: ${storeLabel(r)}${r.store ? ` — ${r.store.describe}${r.store.poolSize !== null ? `; pool of ${r.store.poolSize} per instance` : ''}` : ''}`);
  out.push(`${n0(r.settings.chats)} open chats, ${r.settings.chatsPerAgent} per agent; ${r.settings.seconds} s per run, ${r.settings.rounds} round(s) of baseline/serverchat alternated; ${r.settings.agents} agents replying in "mixed"`);
  out.push('');
  const body: string[][] = [];
  for (const row of r.rows) {
    for (const who of ['baseline', 'serverchat'] as const) {
      const x = row[who];
      body.push([
        who === 'baseline' ? row.scenario : '',
        who === 'baseline' ? String(row.connections) : '',
        who,
        n0(x.rps),
        ms(x.p50),
        ms(x.p99),
        ms(x.max),
        n0(x.errors),
        mb(x.rss),
        who === 'serverchat' ? pct(row.rpsRatio) : '',
        who === 'serverchat' ? (row.baseline.p99 < 1 && row.serverchat.p99 < 1 ? '<1 ms both' : `${row.p99Ratio.toFixed(2)}×`) : '',
        cpuCell(x),
        targetCell(row, who),
      ]);
    }
  }
  out.push(table(['scenario', 'conns', 'server', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'RSS MB', 'req/s vs base', 'p99 vs base', 'CPU % srv/db/load', 'target'], body));
  const samples = r.rows.flatMap((row) => [...row.serverchat.errorSamples.map((s) => `serverchat ${row.scenario}@${row.connections}: ${s}`), ...row.baseline.errorSamples.map((s) => `baseline ${row.scenario}@${row.connections}: ${s}`)]);
  if (samples.length > 0) out.push('', 'first failed checks:', ...samples.slice(0, 10).map((s) => `  ${s}`));
  const m = r.memory;
  out.push('', 'memory and opening chats:');
  const armed = r.store?.kind === 'postgres' ? 'none armed' : 'timeouts armed';
  out.push(`  RSS with 0 chats: ${mb(m.rssEmpty)} MB; with ${n0(m.chats)} open chats (${armed}): ${mb(m.rssOpen)} MB → ${n0(m.bytesPerChat)} B per open chat`);
  out.push(`  opening ${n0(m.chats)} chats through the store: ${(m.seedMs / 1000).toFixed(1)} s (${n0(m.chatsPerSecond)} chats/s); server start with them open: ${(m.startMs / 1000).toFixed(2)} s`);
  if (r.store?.kind === 'postgres') out.push('  (a shared store arms no chat on start — each instance arms the chats it serves — so this is not the cost of a served chat, and is not judged below)');
  const t = r.timeouts;
  if (t) {
    out.push('', `timeouts: ${n0(t.chats)} chats with the same deadline`);
    out.push(`  fired ${n0(t.fired)}; lateness from the deadline to the end written: first ${ms(t.firstMs)} ms, p50 ${ms(t.lateness.p50)} ms, p99 ${ms(t.lateness.p99)} ms, max ${ms(t.lateness.max)} ms (arming took ${ms(t.armMs)} ms)`);
    if (t.graceMs) out.push(`  the lateness includes the ${ms(t.graceMs)} ms a shared store waits past every deadline by design (docs/architecture.md)`);
    if (t.maxLoopStallMs !== undefined) out.push(`  the event loop stalled up to ${ms(t.maxLoopStallMs)} ms meanwhile (no request answered during a stall)`);
  }
  out.push('', 'targets:');
  for (const x of r.targets) out.push(`  [${x.met ? 'met ' : 'MISS'}] ${x.target}: ${x.value}`);
  if (r.profile) {
    const fmt = (f: Frame): string => `    ${f.selfPct.toFixed(1).padStart(5)}%  ${f.fn}  ${f.where}`;
    if (r.profile.infoJson100) out.push('', 'profile, serverchat info JSON at 100 connections (top self time):', ...r.profile.infoJson100.slice(0, 15).map(fmt));
    if (r.profile.timeouts) out.push('', 'profile, timeouts phase (top self time):', ...r.profile.timeouts.slice(0, 15).map(fmt));
    out.push(`  profiles: ${r.profile.files.join(', ')}`);
  }
  return out.join('\n');
}

/** Two result files side by side: serverchat's req/s and p99, and its ratio to the baseline (the drift-proof figure). */
export function compare(fileA: string, fileB: string): string {
  const a = JSON.parse(readFileSync(fileA, 'utf8')) as BenchResult;
  const b = JSON.parse(readFileSync(fileB, 'utf8')) as BenchResult;
  const rows: string[][] = [];
  for (const rb of b.rows) {
    const ra = a.rows.find((x) => x.scenario === rb.scenario && x.connections === rb.connections);
    if (!ra) continue;
    const d = (x: number, y: number): string => (x > 0 ? `${y >= x ? '+' : ''}${((100 * (y - x)) / x).toFixed(0)}%` : 'n/a');
    rows.push([rb.scenario, String(rb.connections), n0(ra.serverchat.rps), n0(rb.serverchat.rps), d(ra.serverchat.rps, rb.serverchat.rps), ms(ra.serverchat.p99), ms(rb.serverchat.p99), pct(ra.rpsRatio), pct(rb.rpsRatio)]);
  }
  const out = [`A: ${fileA} (${a.mode}, ${storeLabel(a)}, ${a.startedAt})`, `B: ${fileB} (${b.mode}, ${storeLabel(b)}, ${b.startedAt})`, ''];
  out.push(table(['scenario', 'conns', 'A req/s', 'B req/s', 'change', 'A p99', 'B p99', 'A vs base', 'B vs base'], rows));
  out.push('', `bytes per open chat: A ${n0(a.memory.bytesPerChat)}, B ${n0(b.memory.bytesPerChat)}`);
  const late = (t: TimeoutsResult): string => `${ms(t.lateness.max)} ms${t.graceMs ? ` (incl. the ${ms(t.graceMs)} ms grace)` : ''}`;
  if (a.timeouts && b.timeouts) out.push(`timeouts max lateness: A ${late(a.timeouts)}, B ${late(b.timeouts)}`);
  return out.join('\n');
}
