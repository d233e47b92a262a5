// One measured run (autocannon against a server, its answers checked, the server's RSS
// sampled), and the setup the runs need: agents logged in over HTTP and the documents the
// baseline answers with, taken from serverchat itself.
import autocannon from 'autocannon';
import type { Templates } from './baseline.ts';
import { cpuMeter, rssSampler } from './proc.ts';
import { Checker, requestsFor, type AgentSessionRef, type Pools, type ScenarioName } from './scenarios.ts';
import { AGENT_PASSWORD, agentLogin, BENCH_ACCOUNT, BENCH_APP_KEY, type SeededChat } from './seed.ts';

export interface RunResult {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Connection errors and timeouts, plus answers that failed their status or shape check. */
  errors: number;
  /** Peak RSS of the server during the run, bytes (of several instances: the sum of their peaks). */
  rss: number | null;
  errorSamples: string[];
  /** CPU used during the run, in cores: the server (all instances), the store's processes (PostgreSQL), the load generator (this process). */
  cpu?: { server: number | null; store: number | null; load: number };
}

/** A server to send the load to. */
export interface Target {
  url: string;
  pid: number;
}

export interface MeasureOptions {
  /** One server, or several instances that share a store: the connections are spread over them. */
  targets: Target[];
  scenario: ScenarioName;
  pools: Pools;
  connections: number;
  seconds: number;
  /** The store's own processes (PostgreSQL), whose CPU is counted too. */
  storePids?: () => number[];
}

// autocannon spreads its connections round-robin over several URLs (its README, `url`:
// "more than one URL is allowed"); its type declarations allow only one.
type Options = Omit<autocannon.Options, 'url'> & { url: string | string[] };
const run = autocannon as unknown as (opts: Options) => Promise<autocannon.Result>;

export async function measure(o: MeasureOptions): Promise<RunResult> {
  const checker = new Checker();
  const samplers = o.targets.map((t) => rssSampler(t.pid));
  const serverCpu = cpuMeter(() => o.targets.map((t) => t.pid));
  const storeCpu = o.storePids ? cpuMeter(o.storePids) : null;
  const load0 = process.cpuUsage();
  const t0 = performance.now();
  // One run over every instance: one latency histogram, one request count; connection i goes
  // to instance i mod N (so at 1 connection only the first instance is loaded).
  const result = await run({
    url: o.targets.length === 1 ? (o.targets[0] as Target).url : o.targets.map((t) => t.url),
    connections: o.connections,
    duration: o.seconds,
    timeout: 10,
    requests: requestsFor(o.scenario, o.pools, checker),
  });
  const loadUs = process.cpuUsage(load0);
  const wallUs = (performance.now() - t0) * 1000;
  const peaks = samplers.map((s) => s.stop());
  const rss = peaks.every((x): x is number => x !== null) ? peaks.reduce((a, b) => a + b, 0) : null;
  // A server that answered nothing at all (stalled) leaves its requests in flight, which
  // autocannon counts neither as answered nor as errors.
  const unanswered = result.requests.total === 0 ? result.requests.sent : 0;
  if (unanswered > 0) checker.fail(`no answer at all: ${unanswered} requests left in flight (server stalled)`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors + checker.bad - (unanswered > 0 ? 1 : 0) + unanswered,
    rss,
    errorSamples: checker.samples,
    cpu: { server: serverCpu.stop(), store: storeCpu?.stop() ?? null, load: (loadUs.user + loadUs.system) / wallUs },
  };
}

const BASE = `/api/account/${BENCH_ACCOUNT}`;
const KEY = { authorization: `LivePerson appKey=${BENCH_APP_KEY}` };

async function must(res: Response, want: number, what: string): Promise<Response> {
  if (res.status !== want) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

/** Logs in the agents holding the first chats of `pool` and opens a session for each. */
export async function loginAgents(url: string, pool: SeededChat[], count: number): Promise<AgentSessionRef[]> {
  const byAgent = new Map<number, string[]>();
  for (const c of pool) {
    const list = byAgent.get(c.agentId);
    if (list) list.push(c.id);
    else if (byAgent.size < count) byAgent.set(c.agentId, [c.id]);
  }
  const out: AgentSessionRef[] = [];
  for (const [agentId, chats] of byAgent) {
    const login = await must(
      await fetch(`${url}${BASE}/login?v=1.3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: agentLogin(agentId), password: AGENT_PASSWORD }) }),
      200,
      `login of agent ${agentId}`,
    );
    const { bearer } = (await login.json()) as { bearer: string };
    const s = await must(
      await fetch(`${url}${BASE}/agentSession.json?v=1&NC=true`, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify({ loginData: '' }) }),
      201,
      `agent session of ${agentId}`,
    );
    const sessionId = /agentSession\/([^/?.]+)/.exec(s.headers.get('location') ?? '')?.[1];
    if (!sessionId) throw new Error(`agent session of ${agentId}: no Location`);
    out.push({ bearer, sessionId, chats });
  }
  return out;
}

/**
 * Agents poll (agent API §3): a session no request reaches expires (AgentPresence), and the
 * agent's chats go back to the queue. The bench's agents keep theirs alive the same way.
 */
export function keepAgentsAlive(url: string, agents: AgentSessionRef[], everyMs = 30_000): { stop(): void } {
  const t = setInterval(() => {
    for (const a of agents) {
      fetch(`${url}${BASE}/agentSession/${a.sessionId}.json?v=1&NC=true`, { headers: { authorization: `Bearer ${a.bearer}` } }).then(
        (res) => void res.arrayBuffer(),
        () => undefined,
      );
    }
  }, everyMs);
  return { stop: () => clearInterval(t) };
}

/** The documents serverchat answers for `chat` (a read-pool chat) and for writes to `writeChat`. */
export async function fetchTemplates(url: string, chat: SeededChat, agent: AgentSessionRef | undefined, writeChat: SeededChat): Promise<Templates> {
  const get = async (path: string, accept?: string): Promise<{ contentType: string; parts: string[] }> => {
    const res = await must(await fetch(`${url}${BASE}/chat/${chat.id}${path}`, { headers: { ...KEY, ...(accept ? { accept } : {}) } }), 200, `GET ${path}`);
    return { contentType: res.headers.get('content-type') ?? '', parts: (await res.text()).split(chat.id) };
  };
  const line = await must(
    await fetch(`${url}${BASE}/chat/${writeChat.id}/events.json?v=1&NC=true`, {
      method: 'POST',
      headers: { ...KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ event: { '@type': 'line', text: 'template' } }),
    }),
    201,
    'visitor line',
  );
  let agentLine = { contentType: 'application/json', parts: [''] };
  if (agent) {
    const chatId = agent.chats[0] as string;
    const res = await must(
      await fetch(`${url}${BASE}/agentSession/${agent.sessionId}/chat/${chatId}/events.json?v=1&NC=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ event: { '@type': 'line', text: 'template', textType: 'plain' } }),
      }),
      201,
      'agent line',
    );
    agentLine = { contentType: res.headers.get('content-type') ?? '', parts: (await res.text()).split(chatId) };
  }
  return {
    infoJson: await get('/info.json'),
    infoXml: await get('/info.xml'),
    nextNone: await get(`.json?from=${chat.nextEventId}`),
    nextOne: await get(`.json?from=${chat.nextEventId - 1}`),
    agentLine,
    visitorLineLocation: (line.headers.get('location') ?? '').split(writeChat.id),
    nextFrom: chat.nextEventId,
  };
}
