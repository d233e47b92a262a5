// The testing kit (issue 13 §7; docs/testing.md): `import { startServerchat } from
// 'serverchat/testing'` starts a real server in this process on a free loopback port — an
// in-memory store, a manual clock, the control plane and, unless told otherwise, the demo
// account with a bot agent — and drives it through the control API over HTTP, as any
// client would.
import { defaults, type Config, type LogLevel } from './config.ts';
import { demoBotProvisioning } from './provisioning/demo-bot.ts';
import { demoProvisioning, parseProvisioning, type Provisioning } from './provisioning/provisioning.ts';
import { start } from './server.ts';

export interface StartOptions {
  /** A provisioning document (the `--provision` schema); default: the demo account with a bot agent. */
  provisioning?: unknown;
  /** With the default provisioning: false leaves the bot out (the person only). */
  bot?: boolean;
  /** `manual` (default) starts at the real time; a Date or ISO string starts there; `system` is real time. */
  clock?: 'manual' | 'system' | Date | string;
  /** Require this bearer token on the control plane (default: none, loopback only). */
  controlToken?: string;
  /** Answer requests that deviate from the spec with 400 (`--strict`). */
  strict?: boolean;
  /** Seconds: typing flags, the accept window, agent sessions. */
  typingTimeout?: number;
  ringTimeout?: number;
  agentSessionTimeout?: number;
  /** Default `silent`. */
  logLevel?: LogLevel;
  /** Default 0: a free port. */
  port?: number;
}

/** A chat as `GET /_serverchat/chats` lists it. */
export interface ChatSummary {
  id: string;
  accountId: string;
  state: 'waiting' | 'chatting' | 'ended';
  skill: { id: number; name: string | null } | null;
  agent: { id: number; name: string | null } | null;
  ringingAgent: { id: number; name: string | null } | null;
  start: string;
  lastUpdate: string;
  deadline: string | null;
  end: string | null;
}

export interface ChatEventRecord {
  type: 'state' | 'line' | 'url' | 'a2a-transfer';
  id: number;
  time: string;
  state?: string;
  text?: string;
  source?: 'system' | 'agent' | 'visitor';
  by?: string;
  subType?: string;
  [field: string]: unknown;
}

/** The whole chat, as `GET /_serverchat/chats/{accountId}/{chatId}` returns it. */
export interface ChatRecord extends ChatSummary {
  chatTimeout: number;
  visitorName: string | null;
  typing: { visitor: 'typing' | 'not-typing'; agent: 'typing' | 'not-typing' };
  customVariables: Array<{ name: string; value: string }>;
  surveys: Record<'preChat' | 'exit' | 'agent', unknown>;
  events: ChatEventRecord[];
  timers: Array<{ kind: string; due: string; agentId?: number }>;
  [field: string]: unknown;
}

export interface AgentRecord {
  accountId: string;
  id: number;
  name: string;
  loginName: string;
  availability: 'Online' | 'Away' | 'Occupied' | 'Offline';
  bot: boolean;
  load: number;
  sessions: Array<{ id: string; created: string; lastSeen: string; expires: string }>;
  [field: string]: unknown;
}

export interface FaultRuleInput {
  method?: string;
  side?: 'visitor' | 'agent';
  httpMethod?: string;
  path?: string;
  accountId?: string;
  chatId?: string;
  appKey?: string;
  status?: number;
  delayMs?: number;
  drop?: boolean;
  endChat?: boolean;
  times?: number;
  probability?: number;
}

export interface FaultRuleRecord extends FaultRuleInput {
  id: string;
  hits: number;
  remaining: number | null;
}

export interface Serverchat {
  /** http://127.0.0.1:PORT */
  url: string;
  /** The first provisioned account, its first app key, and its visitor base URL. */
  accountId: string;
  appKey: string;
  baseUrl: string;
  /** The first person (not bot) agent of that account, to log in as. */
  agent: { loginName: string; password: string } | null;
  /** Moves the virtual clock; every timer due on the way fires first. Resolves with the new time. */
  advance(ms: number): Promise<Date>;
  /** Jumps the virtual clock forward to `at`. */
  setClock(at: Date | string): Promise<Date>;
  now(): Promise<Date>;
  /** Chats, events, sessions, timers and faults gone; the provisioning stays. */
  reset(accountId?: string): Promise<void>;
  chats(filter?: { accountId?: string; state?: ChatSummary['state'] }): Promise<ChatSummary[]>;
  /** One chat by id (in the first account unless `accountId` is given). */
  chat(chatId: string, accountId?: string): Promise<ChatRecord>;
  agents(accountId?: string): Promise<AgentRecord[]>;
  addFault(rule: FaultRuleInput): Promise<FaultRuleRecord>;
  faults(): Promise<FaultRuleRecord[]>;
  clearFaults(): Promise<void>;
  /** Applies a provisioning document at runtime. */
  provision(doc: unknown): Promise<void>;
  requests(opts?: { limit?: number; chatId?: string }): Promise<Array<Record<string, unknown>>>;
  conformance(): Promise<Array<{ appKey: string | null; userAgent: string | null; deviations: Array<{ code: string; count: number; example: Record<string, unknown> }> }>>;
  close(): Promise<void>;
}

export class ControlApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown, what: string) {
    const err = (body as { error?: { message?: string; problems?: string[] } } | null)?.error;
    super(`${what}: ${status} ${err?.message ?? ''}${err?.problems ? `\n  - ${err.problems.join('\n  - ')}` : ''}`);
    this.status = status;
    this.body = body;
  }
}

function clockConfig(clock: StartOptions['clock']): Pick<Config, 'clock' | 'clockStart'> {
  if (clock === undefined || clock === 'manual') return { clock: 'manual', clockStart: null };
  if (clock === 'system') return { clock: 'system', clockStart: null };
  const at = clock instanceof Date ? clock.getTime() : Date.parse(clock);
  if (Number.isNaN(at)) throw new TypeError(`clock: "${String(clock)}" is not manual, system, a Date or an ISO 8601 instant`);
  return { clock: 'manual', clockStart: at };
}

function chosenProvisioning(opts: StartOptions): Provisioning {
  if (opts.provisioning === undefined) return opts.bot === false ? demoProvisioning : demoBotProvisioning;
  const parsed = parseProvisioning(opts.provisioning);
  if (!parsed.ok) throw new TypeError(`provisioning is not valid:\n  - ${parsed.problems.join('\n  - ')}`);
  return parsed.value;
}

/** Starts a server for one test file (or one test); `close()` it when done. */
export async function startServerchat(opts: StartOptions = {}): Promise<Serverchat> {
  const provisioning = chosenProvisioning(opts);
  const config: Config = {
    ...defaults,
    port: opts.port ?? 0,
    host: '127.0.0.1',
    memory: true,
    logLevel: opts.logLevel ?? 'silent',
    typingTimeout: opts.typingTimeout ?? defaults.typingTimeout,
    ringTimeout: opts.ringTimeout ?? defaults.ringTimeout,
    agentSessionTimeout: opts.agentSessionTimeout ?? defaults.agentSessionTimeout,
    control: true,
    controlToken: opts.controlToken ?? null,
    strict: opts.strict ?? false,
    ...clockConfig(opts.clock),
  };
  const server = await start(config, { provisioning });
  const url = server.url;
  const auth: Record<string, string> = opts.controlToken ? { authorization: `Bearer ${opts.controlToken}` } : {};
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/_serverchat${path}`, {
      method,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed: unknown = text === '' ? null : JSON.parse(text);
    if (!res.ok) throw new ControlApiError(res.status, parsed, `${method} /_serverchat${path}`);
    return parsed as T;
  };
  const first = provisioning.accounts[0];
  const accountId = first?.id ?? '';
  const person = first?.agents.find((a) => !a.bot);
  const query = (q: Record<string, string | number | undefined>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
    const s = p.toString();
    return s === '' ? '' : `?${s}`;
  };
  return {
    url,
    accountId,
    appKey: first?.appKeys[0] ?? '',
    baseUrl: `${url}/api/account/${accountId}`,
    agent: person ? { loginName: person.loginName, password: person.password } : null,
    advance: async (ms) => new Date((await call<{ now: string }>('POST', '/clock/advance', { ms })).now),
    setClock: async (at) => new Date((await call<{ now: string }>('PUT', '/clock', { now: at instanceof Date ? at.toISOString() : at })).now),
    now: async () => new Date((await call<{ now: string }>('GET', '/clock')).now),
    reset: async (id) => void (await call('POST', '/reset', id === undefined ? undefined : { accountId: id })),
    chats: async (f = {}) => (await call<{ chats: ChatSummary[] }>('GET', `/chats${query({ accountId: f.accountId, state: f.state })}`)).chats,
    chat: (chatId, id = accountId) => call<ChatRecord>('GET', `/chats/${encodeURIComponent(id)}/${encodeURIComponent(chatId)}`),
    agents: async (id) => (await call<{ agents: AgentRecord[] }>('GET', `/agents${query({ accountId: id })}`)).agents,
    addFault: (rule) => call<FaultRuleRecord>('POST', '/faults', rule),
    faults: async () => (await call<{ faults: FaultRuleRecord[] }>('GET', '/faults')).faults,
    clearFaults: async () => void (await call('DELETE', '/faults')),
    provision: async (doc) => void (await call('PUT', '/provisioning', doc)),
    requests: async (o = {}) => (await call<{ requests: Array<Record<string, unknown>> }>('GET', `/requests${query({ limit: o.limit, chatId: o.chatId })}`)).requests,
    conformance: async () => (await call<{ clients: Awaited<ReturnType<Serverchat['conformance']>> }>('GET', '/conformance')).clients,
    close: () => server.app.close(),
  };
}
