// Builds an in-process app for tests: in-memory store, a ManualClock, predictable ids and
// timers that fire only when the test says so (`await t.tick(ms)`).
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../src/clock.ts';
import { applyProvisioning, demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { manualTimerHost } from '../../src/chat/core/timers.ts';
import { sequentialIds } from '../../src/ids.ts';
import { buildApp } from '../../src/server.ts';
import type { AppContext } from '../../src/api/context.ts';
import type { Config } from '../../src/config.ts';
import type { DomainRuntime } from '../../src/chat/domain.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ChatStore } from '../../src/store/store.ts';
import { checkConformance } from './conformance.ts';
import { asArray, type Event, type EventsDoc } from './wire.ts';

export const ACCOUNT = '12345678';
export const APP_KEY = '721c180b09eb463d9f3191c41762bb68';
export const SKILL = { id: 25975313, name: 'Sales' };
export const AGENT = { id: 25025413, name: 'Natalie', loginName: 'natalie', password: 'secret' };
export const KEY_HEADER = { authorization: `LivePerson appKey=${APP_KEY}` };
export const BASE = `/api/account/${ACCOUNT}`;

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  store: ChatStore;
  /** The domain's timers (start, sweep, scheduler). */
  domain: DomainRuntime;
  /** Moves the clock and fires every timer that fell due. */
  tick(ms: number): Promise<void>;
  inject(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  provisioning?: Provisioning;
  store?: ChatStore;
  clock?: ManualClock;
  typingTimeout?: number;
  /** Seconds an offer rings (default 20) and an idle agent session lives (default 300). */
  ringTimeout?: number;
  agentSessionTimeout?: number;
  /** Transcripts go through this SMTP server (test/helpers/smtp.ts); none by default. */
  smtpUrl?: string;
  /** The control plane (/_serverchat/): token, --strict, and whether `clock` is its virtual clock. */
  control?: { token?: string; strict?: boolean; virtualClock?: boolean; enabled?: boolean };
  /** Further settings (docs/configuration.md), e.g. issue 11's limits. */
  settings?: Omit<Partial<Config>, 'logFormat'>;
}

export async function testApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const store = opts.store ?? new SqliteStore(':memory:');
  const clock = opts.clock ?? new ManualClock();
  await applyProvisioning(store, opts.provisioning ?? demoProvisioning);
  const { app, ctx, store: appStore, domain } = buildApp(
    {
      logLevel: 'silent', typingTimeout: opts.typingTimeout ?? 6, tlsCert: null, tlsKey: null, smtpUrl: opts.smtpUrl ?? null, ringTimeout: opts.ringTimeout ?? 20, agentSessionTimeout: opts.agentSessionTimeout ?? 300,
      ...(opts.control ? { control: opts.control.enabled ?? true, controlToken: opts.control.token ?? null, strict: opts.control.strict ?? false } : {}),
      ...opts.settings,
    },
    { store, clock, ids: sequentialIds(), timerHost: manualTimerHost, ...(opts.control?.virtualClock ? { virtualClock: clock } : {}) },
  );
  // Every response checked against the OpenAPI document; close() fails on a mismatch.
  const conformance = checkConformance(app);
  await domain.start();
  await app.ready();
  return {
    app,
    ctx,
    clock,
    // The app's own store (keep-alives pending in memory, cached accounts and agents): what
    // tests read and write must go through it, as the app's own reads and writes do.
    store: appStore,
    domain,
    async tick(ms) {
      clock.advance(ms);
      await domain.runDue();
    },
    inject: (o) => app.inject(o),
    async close() {
      await app.close();
      assert.deepEqual(conformance.mismatches, [], 'responses that do not match the OpenAPI document (src/api/openapi/)');
    },
  };
}

/** Location header of a 201, as a path the app can be injected with. */
export function locationPath(res: LightMyRequestResponse): string {
  const loc = res.headers.location;
  if (typeof loc !== 'string') throw new Error(`no Location header (status ${res.statusCode}: ${res.body})`);
  return new URL(loc).pathname;
}

/** Starts a chat as a visitor and returns the chat path (/api/account/…/chat/{id}). */
export async function startChat(t: TestApp, request: Record<string, unknown> = { skill: 'Sales' }): Promise<string> {
  const res = await t.inject({ method: 'POST', url: `${BASE}/chat/request.json?v=1&NC=true`, headers: KEY_HEADER, payload: { request } });
  if (res.statusCode !== 201) throw new Error(`chat request failed: ${res.statusCode} ${res.body}`);
  return locationPath(res);
}

export interface AgentHandle {
  bearer: string;
  auth: { authorization: string };
  /** /api/account/…/agentSession/{id} */
  session: string;
}

/** Logs the demo agent in, opens a session and (by default) goes Online. */
export async function agentOnline(t: TestApp, opts: { online?: boolean; login?: string; password?: string } = {}): Promise<AgentHandle> {
  const login = await t.inject({
    method: 'POST',
    url: `${BASE}/login?v=1.3`,
    payload: { username: opts.login ?? AGENT.loginName, password: opts.password ?? AGENT.password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const bearer = (login.json() as { bearer: string }).bearer;
  const auth = { authorization: `Bearer ${bearer}` };
  const s = await t.inject({ method: 'POST', url: `${BASE}/agentSession.json?v=1&NC=true`, headers: auth, payload: { loginData: '' } });
  if (s.statusCode !== 201) throw new Error(`agent session failed: ${s.statusCode} ${s.body}`);
  const session = locationPath(s);
  if (opts.online ?? true) {
    const a = await t.inject({
      method: 'POST',
      url: `${session}/availability.json`,
      headers: { ...auth, 'x-http-method-override': 'PUT' },
      payload: { availability: { chat: 'Online' } },
    });
    if (a.statusCode !== 200) throw new Error(`availability failed: ${a.statusCode} ${a.body}`);
  }
  return { bearer, auth, session };
}

/** Accepts the next ringing chat; returns the agent-side chat path. */
export async function acceptNext(t: TestApp, agent: AgentHandle): Promise<string> {
  const res = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests.json`, headers: agent.auth, payload: {} });
  if (res.statusCode !== 201) throw new Error(`accept failed: ${res.statusCode} ${res.body}`);
  return locationPath(res);
}

/** Builds a testApp with `opts`, runs `fn` with it and always closes it. */
export async function withApp<T>(opts: TestAppOptions, fn: (t: TestApp) => Promise<T>): Promise<T> {
  const t = await testApp(opts);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}

/** A visitor GET (app key in the header) that must answer 200 in JSON; returns the document. */
export async function visitorGet<T>(t: TestApp, url: string): Promise<T> {
  const res = await t.inject({ method: 'GET', url, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/json');
  return res.json() as T;
}

/** Every event of the chat as the visitor sees it (GET events.json), as a list. */
export async function visitorEvents(t: TestApp, chat: string): Promise<Event[]> {
  const res = await t.inject({ method: 'GET', url: `${chat}/events.json`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  return asArray((res.json() as EventsDoc).events.event);
}

/** The visitor ends the chat (POST a state event `ended`), which must answer 201. */
export async function endByVisitor(t: TestApp, chat: string): Promise<void> {
  const end = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
  assert.equal(end.statusCode, 201);
}

/** A second Sales agent, for provisioning alongside the demo agent. */
export const TOM = { id: 25025414, name: 'Tom', loginName: 'tom', password: 'tompass' };
/** The demo provisioning plus Tom (Sales, maxChats 4). */
export const withTom: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, agents: [...a.agents, { ...TOM, skills: [SKILL.id], maxChats: 4 }] })),
};

/** The demo agent goes Online, a visitor starts a chat (with `request`) and the agent accepts it. */
export async function agentAccepted(t: TestApp, request?: Record<string, unknown>): Promise<{ agent: AgentHandle; visitorChat: string; agentChat: string }> {
  const agent = await agentOnline(t);
  const visitorChat = await startChat(t, request);
  const agentChat = await acceptNext(t, agent);
  return { agent, visitorChat, agentChat };
}
