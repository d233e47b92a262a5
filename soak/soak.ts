// One soak run (issue 11): the normal workload alone for a quiet baseline, then the same
// workload beside `requests` hostile requests (hostile.ts), bounded in count and time. The
// result holds the counts and what the checks found; run.ts prints and judges it, and a short
// run of it is in npm test (test/soak.test.ts).
import fc from 'fast-check';
import { problemOf, requests, type HostileRequest, type Targets } from './hostile.ts';
import { ACCOUNT, APP_KEY, startServer, VICTIM, type SoakServer } from './server.ts';
import { Workload, type WorkloadStats } from './workload.ts';

export interface SoakOptions {
  requests: number;
  /** The run stops here even if fewer requests went (seconds). */
  maxSeconds: number;
  /** Hostile requests in flight at once. */
  concurrency?: number;
  quietSeconds?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface SoakResult {
  sent: number;
  byStatus: Record<string, number>;
  /** Requests the client could not even send (a header fetch refuses): not counted as sent. */
  unsendable: number;
  problems: string[];
  problemCount: number;
  quiet: { p99: number; requests: number };
  loaded: { p99: number; requests: number; chats: number; acked: number; lost: string[]; failures: string[] };
  /** RSS samples in bytes, one a second. */
  rss: number[];
  seconds: number;
}

export function p99(latencies: number[]): number {
  if (latencies.length === 0) return 0;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] ?? 0;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function targets(server: SoakServer): Promise<Targets> {
  const base = `${server.url}/api/account/${ACCOUNT}`;
  const headers = { 'content-type': 'application/json', authorization: `LivePerson appKey=${APP_KEY}` };
  const chatIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`${base}/chat/request.json`, { method: 'POST', headers, body: JSON.stringify({ request: { skill: 'Support' } }) });
    if (r.status !== 201) throw new Error(`victim chat: ${r.status} ${await r.text()}`);
    chatIds.push((r.headers.get('location') ?? '').split('/').pop() ?? '');
  }
  const login = await fetch(`${base}/login?v=1.3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: VICTIM.loginName, password: VICTIM.password }) });
  const bearer = ((await login.json()) as { bearer: string }).bearer;
  const s = await fetch(`${base}/agentSession.json`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: '{"loginData":""}' });
  return { chatIds, bearer, sessionId: (s.headers.get('location') ?? '').split('/').pop() ?? '' };
}

async function apiPaths(server: SoakServer): Promise<string[]> {
  const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  return Object.keys(doc.paths).filter((p) => p.startsWith('/api/'));
}

async function quietRun(server: SoakServer, seconds: number): Promise<WorkloadStats> {
  const w = new Workload(server.url);
  await w.start();
  const running = w.run();
  await sleep(seconds * 1000);
  w.stop();
  await running;
  return w.stats;
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const log = opts.log ?? (() => undefined);
  const server = await startServer();
  const started = Date.now();
  const deadline = started + opts.maxSeconds * 1000;
  const result: SoakResult = { sent: 0, byStatus: {}, unsendable: 0, problems: [], problemCount: 0, quiet: { p99: 0, requests: 0 }, loaded: { p99: 0, requests: 0, chats: 0, acked: 0, lost: [], failures: [] }, rss: [], seconds: 0 };
  try {
    const quiet = await quietRun(server, opts.quietSeconds ?? 3);
    result.quiet = { p99: p99(quiet.latencies), requests: quiet.requests };
    log(`quiet: ${quiet.requests} workload requests, p99 ${result.quiet.p99.toFixed(1)} ms`);
    const arb = requests(await apiPaths(server), await targets(server));
    const workload = new Workload(server.url);
    await workload.start();
    const running = workload.run();
    const sampler = setInterval(() => void server.rss().then((b) => result.rss.push(b)), 1000);
    let batch: HostileRequest[] = [];
    let drawn = 0;
    const next = (): HostileRequest | null => {
      if (drawn >= opts.requests || Date.now() > deadline) return null;
      if (batch.length === 0) batch = fc.sample(arb, { numRuns: 500, seed: (opts.seed ?? 1) + drawn });
      drawn += 1;
      return batch.pop() ?? null;
    };
    const worker = async (): Promise<void> => {
      for (let req = next(); req; req = next()) {
        let res: Response;
        try {
          res = await fetch(`${server.url}${req.path}`, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) });
        } catch (err) {
          // fetch refuses some values outright (a method it forbids, a header it will not send).
          if (err instanceof TypeError && !/fetch failed/.test(err.message)) result.unsendable += 1;
          else result.problems.push(`${req.method} ${req.path}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
          continue;
        }
        const text = await res.text();
        result.sent += 1;
        const cls = `${Math.floor(res.status / 100)}xx`;
        result.byStatus[cls] = (result.byStatus[cls] ?? 0) + 1;
        const problem = problemOf(req, res.status, res.headers.get('content-type') ?? '', text);
        if (problem) {
          result.problemCount += 1;
          if (result.problems.length < 50) result.problems.push(`${req.method} ${req.path} [${req.headers['content-type'] ?? ''}; accept ${req.headers.accept ?? ''}] body ${String(req.body).slice(0, 120)} → ${problem}`);
        }
        if (result.sent % 10_000 === 0) log(`${result.sent} hostile requests, ${workload.stats.requests} workload requests, ${result.problemCount} problems`);
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
    clearInterval(sampler);
    workload.stop();
    await running;
    const s = workload.stats;
    result.loaded = { p99: p99(s.latencies), requests: s.requests, chats: s.chats, acked: s.acked, lost: s.lost, failures: s.failures.slice(0, 50) };
    result.rss.push(await server.rss());
  } finally {
    result.seconds = (Date.now() - started) / 1000;
    await server.stop();
  }
  return result;
}
