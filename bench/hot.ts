// One hot chat (issue 14): what one request costs serverchat, against the baseline answering
// the same document — as CPU time per request of each server process (from /proc), which a
// busy machine changes far less than req/s — plus req/s and p99 at 100 connections.
//   node bench/hot.ts [info-json|info-xml|next-none|next-one|post-line] [SECONDS] [ROUNDS] [PROFILE_FILE]
// Runs alternate baseline and serverchat; medians are printed. PROFILE_FILE: one more
// serverchat run, CPU-profiled (summarise it with `node bench/profile.ts FILE`).
// Lines are posted to 50 chats in turn (a chat holds at most --max-chat-events).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { fetchTemplates } from './load.ts';
import { killAll, nextMessage, pinSelf, stopChild } from './proc.ts';
import { BENCH_ACCOUNT, BENCH_APP_KEY, provision, seedChats } from './seed.ts';
import { startBaseline, startServer, type Server } from './servers.ts';
import { openTarget } from './stores.ts';

const SCENARIOS = ['info-json', 'info-xml', 'next-none', 'next-one', 'post-line'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Run {
  rps: number;
  p99: number;
  cpuUsPerRequest: number;
  bad: number;
}

/** utime + stime of a process, in seconds (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const scenario = (process.argv[2] ?? 'info-json') as Scenario;
  if (!SCENARIOS.includes(scenario)) throw new Error(`scenario: one of ${SCENARIOS.join(', ')}`);
  const seconds = Number(process.argv[3] ?? 3);
  const rounds = Number(process.argv[4] ?? 3);
  const profileFile = process.argv[5];
  const pin = pinSelf(false);
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-hot-'));
  const servers: Server[] = [];
  try {
    const store = await openTarget(dir);
    await provision(store, 100, 100);
    const chats = await seedChats(store, { chats: 100, chatTimeout: 3600, lastUpdate: Date.now(), chatsPerAgent: 100 });
    await store.close();
    const sc = await startServer(pin, dir);
    servers.push(sc);
    const hot = chats[0];
    const writes = chats.slice(50);
    if (!hot || writes.length === 0) throw new Error('no chats seeded');
    const base = await startBaseline(pin, await fetchTemplates(sc.url, hot, undefined, writes[0] ?? hot));
    servers.push(base);
    const chatPath = (id: string): string => `/api/account/${BENCH_ACCOUNT}/chat/${id}`;
    const paths: Record<Scenario, string> = {
      'info-json': `${chatPath(hot.id)}/info.json`,
      'info-xml': `${chatPath(hot.id)}/info.xml`,
      'next-none': `${chatPath(hot.id)}.json?from=${hot.nextEventId}`,
      'next-one': `${chatPath(hot.id)}.json?from=${hot.nextEventId - 1}`,
      'post-line': `${chatPath(hot.id)}/events.json?v=1&NC=true`,
    };
    const post = scenario === 'post-line';
    let n = 0;
    const run = async (s: Server, secs: number): Promise<Run> => {
      const c0 = cpuSeconds(s.pid);
      const r = await autocannon({
        url: `${s.url}${paths[scenario]}`,
        connections: 100,
        duration: secs,
        method: post ? 'POST' : 'GET',
        headers: { authorization: `LivePerson appKey=${BENCH_APP_KEY}`, ...(post ? { 'content-type': 'application/json' } : {}) },
        ...(post
          ? {
              body: JSON.stringify({ event: { '@type': 'line', text: 'hello' } }),
              requests: [{ setupRequest: (req) => ({ ...req, path: `${chatPath((writes[n++ % writes.length] ?? hot).id)}/events.json?v=1&NC=true` }) }],
            }
          : {}),
      });
      return { rps: r.requests.average, p99: r.latency.p99, cpuUsPerRequest: (1e6 * (cpuSeconds(s.pid) - c0)) / Math.max(1, r.requests.total), bad: r.non2xx + r.errors + r.timeouts };
    };
    await run(base, 1);
    await run(sc, 1);
    const runs: Record<'baseline' | 'serverchat', Run[]> = { baseline: [], serverchat: [] };
    for (let i = 0; i < rounds; i++) {
      runs.baseline.push(await run(base, seconds));
      runs.serverchat.push(await run(sc, seconds));
    }
    const line = (who: 'baseline' | 'serverchat'): string => {
      const xs = runs[who];
      return `  ${who.padEnd(10)} ${median(xs.map((x) => x.rps)).toFixed(0).padStart(6)} req/s  p99 ${median(xs.map((x) => x.p99))} ms  ${median(xs.map((x) => x.cpuUsPerRequest)).toFixed(1)} µs CPU/request  failed ${xs.reduce((a, x) => a + x.bad, 0)}`;
    };
    const cpu = (who: 'baseline' | 'serverchat'): number => median(runs[who].map((x) => x.cpuUsPerRequest));
    const rps = (who: 'baseline' | 'serverchat'): number => median(runs[who].map((x) => x.rps));
    process.stdout.write(`${scenario}, one hot chat, 100 connections, ${rounds} × ${seconds} s alternated\n${line('baseline')}\n${line('serverchat')}\n`);
    process.stdout.write(`  serverchat vs baseline: CPU per request ${((100 * cpu('baseline')) / cpu('serverchat')).toFixed(0)}% (the load-independent figure), req/s ${((100 * rps('serverchat')) / rps('baseline')).toFixed(0)}%\n`);
    if (profileFile) {
      sc.child.send({ type: 'profile-start' });
      await nextMessage(sc.child, 'profiling', 10_000);
      await run(sc, seconds);
      sc.child.send({ type: 'profile-stop', file: profileFile });
      await nextMessage(sc.child, 'profiled', 30_000);
      process.stdout.write(`  profile: ${profileFile}\n`);
    }
  } finally {
    for (const s of servers) await stopChild(s.child);
    killAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  killAll();
  process.exit(1);
});
