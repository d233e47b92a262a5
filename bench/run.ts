// `npm run bench` (bench/README.md): serverchat against a minimal node:http baseline on one
// pinned core, runs alternated so machine drift cancels; memory per open chat; how late
// 100k simultaneous timeouts fire. Prints a table and writes the same as JSON.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { fetchTemplates, keepAgentsAlive, loginAgents, measure, type RunResult } from './load.ts';
import { killAll, nextMessage, pinSelf, rssOf, spawned, startChild, stopChild, type Pinning } from './proc.ts';
import { topSelf } from './profile.ts';
import { compare, evaluateTargets, formatResult, type BenchResult, type Row } from './report.ts';
import { SCENARIOS, type Pools, type ScenarioName } from './scenarios.ts';
import { DEFAULT_CHATS_PER_AGENT, provision, seedChats } from './seed.ts';
import type { TimeoutsResult } from './timeouts-child.ts';

const HERE = import.meta.dirname;
/** Cleaned up on exit, also when interrupted. */
const tmpDirs: string[] = [];
const stops: Array<() => void> = [];

interface Preset {
  chats: number;
  seconds: number;
  rounds: number;
  warmup: number;
  connections: number[];
  agents: number;
  timeoutChats: number;
}

const PRESETS: Record<BenchResult['mode'], Preset> = {
  full: { chats: 100_000, seconds: 5, rounds: 2, warmup: 2, connections: [1, 10, 100, 1000], agents: 32, timeoutChats: 100_000 },
  quick: { chats: 10_000, seconds: 1, rounds: 1, warmup: 0.3, connections: [1, 10, 100, 1000], agents: 8, timeoutChats: 5_000 },
  tiny: { chats: 50, seconds: 1, rounds: 1, warmup: 0, connections: [10], agents: 2, timeoutChats: 50 },
};

const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

interface Server {
  child: ChildProcess;
  url: string;
  pid: number;
}

async function startServer(pin: Pinning, dataDir: string, nodeArgs: string[] = []): Promise<Server & { startMs: number }> {
  const child = startChild(pin, join(HERE, 'server-child.ts'), [dataDir], ['--expose-gc', ...nodeArgs]);
  const ready = await nextMessage<{ type: string; url: string; startMs: number }>(child, 'ready', 300_000);
  return { child, url: ready.url, pid: child.pid as number, startMs: ready.startMs };
}

async function rssAfterGc(child: ChildProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  const reply = nextMessage<{ type: string; rss: number }>(child, 'rss', 30_000);
  child.send({ type: 'rss' });
  return (await reply).rss;
}

function combine(runs: RunResult[]): RunResult {
  const avg = (f: (r: RunResult) => number): number => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const rss = runs.map((r) => r.rss).filter((x): x is number => x !== null);
  return {
    rps: avg((r) => r.rps),
    p50: avg((r) => r.p50),
    p99: avg((r) => r.p99),
    max: Math.max(...runs.map((r) => r.max)),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    rss: rss.length > 0 ? Math.max(...rss) : null,
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 3),
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      tiny: { type: 'boolean' },
      out: { type: 'string' },
      profile: { type: 'boolean' },
      'no-pin': { type: 'boolean' },
      compare: { type: 'string', multiple: true },
      'chats-per-agent': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (values.compare) {
    // `--compare A.json B.json`: B arrives as a positional.
    const files = [...values.compare, ...positionals];
    if (files.length !== 2 || files.some((f) => !f)) throw new Error('usage: npm run bench -- --compare A.json B.json');
    process.stdout.write(`${compare(files[0] as string, files[1] as string)}\n`);
    return;
  }
  const mode: BenchResult['mode'] = values.tiny ? 'tiny' : values.quick ? 'quick' : 'full';
  const p = PRESETS[mode];
  const chatsPerAgent = Number(values['chats-per-agent'] ?? DEFAULT_CHATS_PER_AGENT);
  if (!Number.isSafeInteger(chatsPerAgent) || chatsPerAgent < 1) throw new Error('--chats-per-agent: a whole number ≥ 1');
  const outDir = resolve(values.out ?? join(HERE, 'results'));
  mkdirSync(outDir, { recursive: true });
  const cores = availableParallelism();
  const pin = pinSelf(values['no-pin'] ?? false);
  log(pin.enabled ? pin.note : `pinning skipped: ${pin.note}`);
  const startedAt = new Date().toISOString();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const tmp = mkdtempSync(join(tmpdir(), 'serverchat-bench-'));
  tmpDirs.push(tmp);
  const servers: Server[] = [];
  const ports: number[] = [];
  try {
    // Memory with no chats at all: the same server over a store holding only the account.
    const emptyDir = join(tmp, 'empty');
    const empty = new SqliteStore(join(emptyDir, 'serverchat.db'));
    await provision(empty, 0, chatsPerAgent);
    await empty.close();
    const e = await startServer(pin, emptyDir);
    ports.push(Number(new URL(e.url).port));
    const rssEmpty = await rssAfterGc(e.child);
    await stopChild(e.child);

    log(`opening ${p.chats} chats through the store…`);
    const dataDir = join(tmp, 'data');
    const store = new SqliteStore(join(dataDir, 'serverchat.db'));
    await provision(store, p.chats, chatsPerAgent);
    const t0 = performance.now();
    const chats = await seedChats(store, { chats: p.chats, chatTimeout: 3600, lastUpdate: Date.now(), chatsPerAgent });
    const seedMs = performance.now() - t0;
    await store.close();

    const sc = await startServer(pin, dataDir);
    servers.push(sc);
    ports.push(Number(new URL(sc.url).port));
    const rssOpen = await rssAfterGc(sc.child);
    const memory = { chats: p.chats, rssEmpty, rssOpen, bytesPerChat: (rssOpen - rssEmpty) / p.chats, seedMs, chatsPerSecond: (1000 * p.chats) / seedMs, startMs: sc.startMs };
    log(`serverchat at ${sc.url} (pid ${sc.pid}), ${(memory.bytesPerChat).toFixed(0)} B per open chat`);

    const half = Math.floor(chats.length / 2);
    const read = chats.slice(0, half);
    const write = chats.slice(half);
    const agents = await loginAgents(sc.url, write, p.agents);
    const keepAlive = keepAgentsAlive(sc.url, agents);
    stops.push(() => keepAlive.stop());
    const pools: Pools = { read, write, agents };
    const templates = await fetchTemplates(sc.url, read[0] as (typeof chats)[number], agents[0], write[0] as (typeof chats)[number]);

    const baseChild = startChild(pin, join(HERE, 'baseline.ts'), []);
    baseChild.send({ type: 'templates', templates });
    const baseReady = await nextMessage<{ type: string; url: string }>(baseChild, 'ready', 30_000);
    const base: Server = { child: baseChild, url: baseReady.url, pid: baseChild.pid as number };
    servers.push(base);
    ports.push(Number(new URL(base.url).port));

    const scenarios = SCENARIOS.map((s) => s.name);
    if (p.warmup > 0) {
      log('warming up…');
      for (const s of scenarios) for (const srv of [base, sc]) await measure(srv.url, srv.pid, s, pools, 10, p.warmup);
    }
    const rows: Row[] = [];
    for (const s of scenarios) {
      for (const connections of p.connections) {
        const a: RunResult[] = [];
        const b: RunResult[] = [];
        // A B A B …: both see the same drift.
        for (let round = 0; round < p.rounds; round++) {
          a.push(await measure(base.url, base.pid, s, pools, connections, p.seconds));
          b.push(await measure(sc.url, sc.pid, s, pools, connections, p.seconds));
        }
        const baseline = combine(a);
        const serverchat = combine(b);
        rows.push({ scenario: s, connections, baseline, serverchat, rpsRatio: serverchat.rps / baseline.rps, p99Ratio: serverchat.p99 / Math.max(baseline.p99, 1) });
        log(`${s} @${connections}: serverchat ${Math.round(serverchat.rps)} req/s, baseline ${Math.round(baseline.rps)} req/s, errors ${serverchat.errors}/${baseline.errors}`);
      }
    }
    await stopChild(base.child);

    let profile: BenchResult['profile'];
    if (values.profile) {
      // Only the measured window is profiled (the inspector, started and stopped over IPC).
      const dir = join(outDir, `profile-${stamp}`);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, 'info-json-100.cpuprofile');
      log('profiling info JSON at 100 connections…');
      const started = nextMessage(sc.child, 'profiling', 30_000);
      sc.child.send({ type: 'profile-start' });
      await started;
      await measure(sc.url, sc.pid, 'info-json', pools, 100, p.seconds);
      const written = nextMessage(sc.child, 'profiled', 60_000);
      sc.child.send({ type: 'profile-stop', file });
      await written;
      profile = { files: [file], infoJson100: topSelf(file, 25).frames };
    }
    keepAlive.stop();
    await stopChild(sc.child);

    log(`timeouts: ${p.timeoutChats} chats with one deadline…`);
    const timeoutsProfile = profile ? join(outDir, `profile-${stamp}`, 'timeouts.cpuprofile') : '';
    const tchild = startChild(pin, join(HERE, 'timeouts-child.ts'), [String(p.timeoutChats), mode === 'full' ? '5000' : '2000', String(chatsPerAgent), ...(profile ? [timeoutsProfile] : [])]);
    const done = await nextMessage<{ type: string; result: TimeoutsResult }>(tchild, 'done', 900_000);
    await new Promise<void>((r) => (tchild.exitCode !== null ? r() : tchild.once('exit', () => r())));
    const timeouts = done.result;
    if (profile) {
      profile.files.push(timeoutsProfile);
      profile.timeouts = topSelf(timeoutsProfile, 25).frames;
    }

    const result: BenchResult = {
      version: 1,
      startedAt,
      mode,
      machine: { node: process.version, cpus: cpus()[0]?.model ?? 'unknown', cores, pinning: pin.enabled ? pin.note : `pinning skipped: ${pin.note}` },
      settings: { chats: p.chats, chatsPerAgent, seconds: p.seconds, rounds: p.rounds, connections: p.connections, agents: agents.length },
      rows,
      memory,
      timeouts,
      targets: evaluateTargets(rows, memory, timeouts),
      ...(profile ? { profile } : {}),
      harness: { children: spawned, ports },
    };
    const file = join(outDir, `bench-${mode}-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${formatResult(result)}\n\nresults: ${file}\n`);
  } finally {
    for (const s of servers) if (rssOf(s.pid) !== null) await stopChild(s.child, 5000);
    for (const stop of stops) stop();
    killAll();
    rmSync(tmp, { recursive: true, force: true });
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    killAll();
    for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    killAll();
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
