// A three-agent account for routing, timer and transfer tests, and the small reads they share.
import assert from 'node:assert/strict';
import { DEFAULT_CHAT_TIMEOUT, DEFAULT_LANGUAGE, type Provisioning } from '../../src/provisioning/provisioning.ts';
import type { AgentAvailability, Chat } from '../../src/chat/core/types.ts';
import { ACCOUNT, agentOnline, APP_KEY, KEY_HEADER, type AgentHandle, type TestApp } from './app.ts';
import { lastSegment, type Info } from './wire.ts';

export const SALES = 25975313;
export const BILLING = 25975314;
export const NATALIE = { id: 25025413, name: 'Natalie', login: 'natalie', password: 'secret' };
export const TOM = { id: 25025414, name: 'Tom', login: 'tom', password: 'tompass' };
export const BILLY = { id: 25025415, name: 'Billy', login: 'billy', password: 'billpass' };

/** Natalie (Sales, maxChats 1), Tom (Sales, `tomMax`, default 4), Billy (Billing only, 4). */
export function threeAgents(tomMax = 4): Provisioning {
  return {
    accounts: [
      {
        id: ACCOUNT,
        appKeys: [APP_KEY],
        chatTimeout: DEFAULT_CHAT_TIMEOUT,
        language: DEFAULT_LANGUAGE,
        skills: [
          { id: SALES, name: 'Sales' },
          { id: BILLING, name: 'Billing' },
        ],
        agents: [
          { id: NATALIE.id, name: NATALIE.name, loginName: NATALIE.login, password: NATALIE.password, skills: [SALES], maxChats: 1 },
          { id: TOM.id, name: TOM.name, loginName: TOM.login, password: TOM.password, skills: [SALES], maxChats: tomMax },
          { id: BILLY.id, name: BILLY.name, loginName: BILLY.login, password: BILLY.password, skills: [BILLING], maxChats: 4 },
        ],
      },
    ],
  };
}

export function logIn(t: TestApp, who: { login: string; password: string }, online = true): Promise<AgentHandle> {
  return agentOnline(t, { login: who.login, password: who.password, online });
}

export async function ringingCount(t: TestApp, agent: AgentHandle): Promise<number> {
  const res = await t.inject({ method: 'GET', url: `${agent.session}/incomingRequests.json`, headers: agent.auth });
  assert.equal(res.statusCode, 200, res.body);
  return Number((res.json() as { incomingRequests: { ringingCount: string } }).incomingRequests.ringingCount);
}

/** Accepts the next ringing chat: its id, or the status code when refused. */
export async function accept(t: TestApp, agent: AgentHandle): Promise<string | number> {
  const res = await t.inject({ method: 'POST', url: `${agent.session}/incomingRequests.json`, headers: agent.auth, payload: {} });
  if (res.statusCode !== 201) return res.statusCode;
  return lastSegment(String(res.headers.location));
}

export async function setAvailability(t: TestApp, agent: AgentHandle, chat: AgentAvailability): Promise<void> {
  const res = await t.inject({ method: 'PUT', url: `${agent.session}/availability.json`, headers: agent.auth, payload: { availability: { chat } } });
  assert.equal(res.statusCode, 200, res.body);
}

/** The agent's availability as stored (no request under a session, so none is kept alive). */
export async function availabilityOf(t: TestApp, agentId: number): Promise<AgentAvailability | undefined> {
  return (await t.store.getAgent(ACCOUNT, agentId))?.availability;
}

export async function stored(t: TestApp, chatPath: string): Promise<Chat> {
  const c = await t.store.getChat(ACCOUNT, lastSegment(chatPath));
  assert.ok(c, `no chat ${chatPath}`);
  return c;
}

export async function visitorInfo(t: TestApp, chatPath: string): Promise<Info> {
  const res = await t.inject({ method: 'GET', url: `${chatPath}/info.json`, headers: KEY_HEADER });
  assert.equal(res.statusCode, 200, res.body);
  return (res.json() as { info: Info }).info;
}

type Plain = string | number | Plain[] | { [k: string]: Plain };

/** A body as XML: each key an element, arrays repeat the element, values escaped. */
export function xmlOf(doc: Record<string, Plain>): string {
  const esc = (v: string): string => v.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const el = (name: string, v: Plain): string => {
    if (Array.isArray(v)) return v.map((x) => el(name, x)).join('');
    if (typeof v === 'object') return `<${name}>${Object.entries(v).map(([k, x]) => el(k, x)).join('')}</${name}>`;
    return `<${name}>${esc(String(v))}</${name}>`;
  };
  return Object.entries(doc).map(([k, v]) => el(k, v)).join('');
}

/** Headers and payload for a body in `fmt` (answers in the same format). */
export function body(fmt: 'json' | 'xml', doc: Record<string, Plain>, headers: Record<string, string>): { headers: Record<string, string>; payload: string } {
  return fmt === 'json'
    ? { headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' }, payload: JSON.stringify(doc) }
    : { headers: { ...headers, 'content-type': 'application/xml', accept: 'application/xml' }, payload: xmlOf(doc) };
}
