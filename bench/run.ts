// `npm run bench` (bench/README.md): serverchat against a minimal node:http baseline on one
// pinned core, runs alternated so machine drift cancels; memory per open chat; how late
// 100k simultaneous timeouts fire. On SQLite (the default) or on a PostgreSQL the bench
// starts itself (`--store postgres`), with one or more instances (`--instances N`).
// Prints a table and writes the same as JSON.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaults } from '../src/config.ts';
import { fetchTemplates, keepAgentsAlive, loginAgents, measure, type RunResult } from './load.ts';
import { killAll, nextMessage, pinSelf, rssOf, spawned, startChild, stopChild } from './proc.ts';
import { topSelf } from './profile.ts';
import { compare, evaluateTargets, formatResult, type BenchResult, type Row } from './report.ts';
import { SCENARIOS, type Pools, type ScenarioName } from './scenarios.ts';
import { DEFAULT_CHATS_PER_AGENT, provision, seedChats } from './seed.ts';
import { rssAfterGc, startBaseline, startServer, type Server } from './servers.ts';
import { benchStore, openTarget, type BenchStore, type StoreKind } from './stores.ts';
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

/** PostgreSQL's core: see bench/README.md, "PostgreSQL". */
const DEFAULT_PG_CORE = 1;

const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

function combine(runs: RunResult[]): RunResult {
  const avg = (f: (r: RunResult) => number): number => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const rss = runs.map((r) => r.rss).filter((x): x is number => x !== null);
  const cpu = (f: (c: NonNullable<RunResult['cpu']>) => number | null): number | null => {
    const xs = runs.map((r) => (r.cpu ? f(r.cpu) : null)).filter((x): x is number => x !== null);
    return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
  };
  return {
    rps: avg((r) => r.rps),
    p50: avg((r) => r.p50),
    p99: avg((r) => r.p99),
    max: Math.max(...runs.map((r) => r.max)),
    requests: runs.reduce((s, r) => s + r.requests, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    rss: rss.length > 0 ? Math.max(...rss) : null,
    errorSamples: runs.flatMap((r) => r.errorSamples).slice(0, 3),
    cpu: { server: cpu((c) => c.server), store: cpu((c) => c.store), load: cpu((c) => c.load) ?? 0 },
  };
}

/** Where everything runs; the baseline is always alone on the server core. */
function pinNote(note: string, o: StoreOptions): string {
  if (o.kind === 'sqlite') return note;
  const who = o.instances === 1 ? 'serverchat' : `serverchat (${o.instances} instances)`;
  return o.pgCore === 0 ? `${who} and PostgreSQL on core 0, the load generator on core 1 (taskset)` : `${who} on core 0, PostgreSQL and the load generator on core 1 (taskset)`;
}

interface StoreOptions {
  kind: StoreKind;
  instances: number;
  /** The core PostgreSQL is pinned to. */
  pgCore: number;
}

/** `--store`, `--instances`, `--pg-core`: several instances need a store they can share. */
function storeOptions(v: { store?: string; instances?: string; 'pg-core'?: string }): StoreOptions {
  const kind = v.store ?? 'sqlite';
  if (kind !== 'sqlite' && kind !== 'postgres') throw new Error('--store: sqlite or postgres');
  const n = Number(v.instances ?? 1);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error('--instances: a whole number ≥ 1');
  if (n > 1 && kind !== 'postgres') throw new Error('--instances: several instances share one store only with --store postgres (an SQLite file belongs to one process)');
  const pgCore = Number(v['pg-core'] ?? DEFAULT_PG_CORE);
  if (pgCore !== 0 && pgCore !== 1) throw new Error('--pg-core: 0 (with serverchat) or 1 (with the load generator)');
  return { kind, instances: n, pgCore };
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
      store: { type: 'string' },
      instances: { type: 'string' },
      'pg-core': { type: 'string' },
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
  const opts = storeOptions(values);
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
  const extraPids: number[] = [];
  let bs: BenchStore | null = null;
  try {
    if (opts.kind === 'postgres') log('starting a throwaway PostgreSQL…');
    bs = await benchStore(opts.kind, tmp, pin, opts.pgCore);
    if (bs.mainPid !== null) extraPids.push(bs.mainPid);
    ports.push(...bs.ports);
    if (opts.kind === 'postgres') log(bs.describe);
    // Memory with no chats at all: the same server over a store holding only the account.
    const emptyTarget = await bs.create('empty');
    const empty = await openTarget(emptyTarget);
    await provision(empty, 0, chatsPerAgent);
    await empty.close();
    const e = await startServer(pin, emptyTarget);
    ports.push(e.port);
    const rssEmpty = await rssAfterGc(e.child);
    await stopChild(e.child);

    log(`opening ${p.chats} chats through the store…`);
    const dataTarget = await bs.create('data');
    const store = await openTarget(dataTarget);
    await provision(store, p.chats, chatsPerAgent);
    const t0 = performance.now();
    const chats = await seedChats(store, { chats: p.chats, chatTimeout: 3600, lastUpdate: Date.now(), chatsPerAgent });
    const seedMs = performance.now() - t0;
    await store.close();

    // Every instance on the server core, over the same store; memory is read from the first.
    const instances: Server[] = [];
    let startMs = 0;
    for (let i = 0; i < opts.instances; i++) {
      const s = await startServer(pin, dataTarget);
      instances.push(s);
      servers.push(s);
      ports.push(s.port);
      if (i === 0) startMs = s.startMs;
    }
    const sc = instances[0] as Server;
    const rssOpen = await rssAfterGc(sc.child);
    const memory = { chats: p.chats, rssEmpty, rssOpen, bytesPerChat: (rssOpen - rssEmpty) / p.chats, seedMs, chatsPerSecond: (1000 * p.chats) / seedMs, startMs };
    log(`serverchat at ${instances.map((s) => `${s.url} (pid ${s.pid})`).join(', ')}, ${(memory.bytesPerChat).toFixed(0)} B per open chat`);

    const half = Math.floor(chats.length / 2);
    const read = chats.slice(0, half);
    const write = chats.slice(half);
    const agents = await loginAgents(sc.url, write, p.agents);
    const keepAlive = keepAgentsAlive(sc.url, agents);
    stops.push(() => keepAlive.stop());
    const pools: Pools = { read, write, agents };
    const templates = await fetchTemplates(sc.url, read[0] as (typeof chats)[number], agents[0], write[0] as (typeof chats)[number]);

    const base = await startBaseline(pin, templates);
    servers.push(base);
    ports.push(base.port);

    const storePids = (): number[] => bs?.pids() ?? [];
    const run = (targets: Server[], scenario: ScenarioName, connections: number, seconds: number): Promise<RunResult> =>
      measure({ targets, scenario, pools, connections, seconds, storePids });
    const scenarios = SCENARIOS.map((s) => s.name);
    if (p.warmup > 0) {
      log('warming up…');
      for (const s of scenarios) for (const targets of [[base], instances]) await run(targets, s, 10, p.warmup);
    }
    const rows: Row[] = [];
    for (const s of scenarios) {
      for (const connections of p.connections) {
        const a: RunResult[] = [];
        const b: RunResult[] = [];
        // A B A B …: both see the same drift.
        for (let round = 0; round < p.rounds; round++) {
          a.push(await run([base], s, connections, p.seconds));
          b.push(await run(instances, s, connections, p.seconds));
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
      // Of the first instance; with several, the load still goes to all, as in the table.
      await run(instances, 'info-json', 100, p.seconds);
      const written = nextMessage(sc.child, 'profiled', 60_000);
      sc.child.send({ type: 'profile-stop', file });
      await written;
      profile = { files: [file], infoJson100: topSelf(file, 25).frames };
    }
    keepAlive.stop();
    for (const s of instances) await stopChild(s.child);

    // One process, whatever --instances: how late one instance fires the chats it served.
    log(`timeouts: ${p.timeoutChats} chats with one deadline…`);
    const timeoutsProfile = profile ? join(outDir, `profile-${stamp}`, 'timeouts.cpuprofile') : '';
    const timeoutsTarget = await bs.create('timeouts');
    const tchild = startChild(pin, join(HERE, 'timeouts-child.ts'), [timeoutsTarget, String(p.timeoutChats), mode === 'full' ? '5000' : '2000', String(chatsPerAgent), ...(profile ? [timeoutsProfile] : [])]);
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
      machine: { node: process.version, cpus: cpus()[0]?.model ?? 'unknown', cores, pinning: pin.enabled ? pinNote(pin.note, opts) : `pinning skipped: ${pin.note}` },
      store: { kind: opts.kind, instances: opts.instances, poolSize: opts.kind === 'postgres' ? defaults.storePoolSize : null, describe: bs.describe },
      settings: { chats: p.chats, chatsPerAgent, seconds: p.seconds, rounds: p.rounds, connections: p.connections, agents: agents.length },
      rows,
      memory,
      timeouts,
      targets: evaluateTargets(rows, memory, timeouts, opts.kind === 'postgres'),
      ...(profile ? { profile } : {}),
      harness: { children: [...spawned, ...extraPids], ports },
    };
    const file = join(outDir, `bench-${mode}-${stamp}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${formatResult(result)}\n\nresults: ${file}\n`);
  } finally {
    for (const s of servers) if (rssOf(s.pid) !== null) await stopChild(s.child, 5000);
    for (const stop of stops) stop();
    killAll();
    await bs?.close();
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
