// What each bench row sends and how every answer is checked (status and shape), the same
// for serverchat and the baseline. A chat is picked at random from a pool per request; the
// chat id travels in the autocannon context so the answer can be checked against it.
import type { Request } from 'autocannon';
import type { IncomingHttpHeaders } from 'node:http';
import { BENCH_ACCOUNT, BENCH_APP_KEY, type SeededChat } from './seed.ts';

export type ScenarioName = 'info-json' | 'info-xml' | 'next-none' | 'next-one' | 'post-line' | 'mixed';

export interface Scenario {
  name: ScenarioName;
  title: string;
}

export const SCENARIOS: Scenario[] = [
  { name: 'info-json', title: 'GET …/chat/{id}/info.json' },
  { name: 'info-xml', title: 'GET …/chat/{id}/info.xml' },
  { name: 'next-none', title: 'GET …/chat/{id}.json?from=next (nothing new)' },
  { name: 'next-one', title: 'GET …/chat/{id}.json?from=next-1 (one new event)' },
  { name: 'post-line', title: 'POST …/chat/{id}/events.json (a visitor line)' },
  { name: 'mixed', title: 'mixed: visitors polling next + lines from visitors and agents' },
];

/** An agent logged in to serverchat, with an open agent session, and the chats it holds. */
export interface AgentSessionRef {
  bearer: string;
  sessionId: string;
  chats: string[];
}

export interface Pools {
  /** Read-only rows (info, next polls): never written to by the bench, so "nothing new" stays true. */
  read: SeededChat[];
  /** Rows that write (lines, mixed). */
  write: SeededChat[];
  agents: AgentSessionRef[];
}

/** Counts answers that fail their check; each failure is a bench error. */
export class Checker {
  bad = 0;
  /**
   * autocannon builds each connection's first request on one shared request object before
   * any is sent, so every connection's first request is the last one built: its answer is
   * checked against that chat instead.
   */
  started = false;
  firstBuilt = '';
  /** The first few failures, to show what went wrong. */
  samples: string[] = [];
  fail(what: string): void {
    this.bad++;
    if (this.samples.length < 3) this.samples.push(what.slice(0, 300));
  }
}

interface Ctx {
  chatId?: string;
}

const BASE = `/api/account/${BENCH_ACCOUNT}`;
const KEY = { authorization: `LivePerson appKey=${BENCH_APP_KEY}` };
const JSON_BODY = { ...KEY, 'content-type': 'application/json' };

function header(h: IncomingHttpHeaders | undefined, name: string): string {
  if (!h) return '';
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(',') : String(v ?? '');
  return '';
}

const pick = <T>(a: T[]): T => a[Math.floor(Math.random() * a.length)] as T;

type Check = (status: number, body: string, chatId: string, headers: IncomingHttpHeaders) => string | null;

function parse(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

type O = Record<string, unknown>;
const o = (v: unknown): O => (typeof v === 'object' && v !== null ? (v as O) : {});

const infoJson: Check = (status, body, chatId, h) => {
  if (status !== 200) return `status ${status}`;
  if (header(h, 'content-type') !== 'application/json') return `content-type ${header(h, 'content-type')}`;
  const info = o(parse(body)?.info);
  if (info.chatSessionKey !== chatId) return `chatSessionKey ${String(info.chatSessionKey)} for ${chatId}`;
  if (info.state !== 'chatting' || !Array.isArray(info.link) || info.link.length === 0 || typeof info.rtSessionId !== 'number') return `info shape: ${body}`;
  return null;
};

const infoXml: Check = (status, body, chatId, h) => {
  if (status !== 200) return `status ${status}`;
  if (!header(h, 'content-type').startsWith('application/xml')) return `content-type ${header(h, 'content-type')}`;
  if (!body.startsWith('<?xml version="1.0" encoding="UTF-8"?><info><link ') || !body.endsWith('</info>')) return `xml shape: ${body}`;
  if (!body.includes(`<chatSessionKey>${chatId}</chatSessionKey>`) || !body.includes('<state>chatting</state>')) return `xml content: ${body}`;
  return null;
};

/** A visitor's chat-level poll: the chat's info, and `events` with exactly `want` events. */
function nextCheck(fromOf: (chatId: string) => number, want: number): Check {
  return (status, body, chatId, h) => {
    if (status !== 200) return `status ${status}`;
    if (header(h, 'content-type') !== 'application/json') return `content-type ${header(h, 'content-type')}`;
    const chat = o(parse(body)?.chat);
    const info = o(chat.info);
    if (info.chatSessionKey !== chatId || info.state !== 'chatting') return `chat info: ${body}`;
    const events = o(chat.events);
    const ev = events.event;
    const n = ev === undefined ? 0 : Array.isArray(ev) ? ev.length : 1;
    if (n !== want) return `${n} events, want ${want}`;
    if (want === 1 && o(Array.isArray(ev) ? ev[0] : ev)['@id'] !== String(fromOf(chatId))) return `event id: ${body}`;
    if (!Array.isArray(chat.link) || !Array.isArray(events.link)) return `links: ${body}`;
    return null;
  };
}

const createdAt = (pattern: (chatId: string) => string): Check => (status, _body, chatId, h) => {
  if (status !== 201) return `status ${status}`;
  const loc = header(h, 'location');
  if (!new RegExp(`${pattern(chatId)}/events/\\d+$`).test(loc)) return `location ${loc}`;
  return null;
};

function request(checker: Checker, check: Check, build: (ctx: Ctx) => Request): Request {
  return {
    setupRequest: (req, context) => {
      const out = Object.assign(req, build(context as Ctx));
      if (!checker.started) checker.firstBuilt = (context as Ctx).chatId ?? '';
      return out;
    },
    onResponse: (status, body, context, headers) => {
      checker.started = true;
      const chatId = (context as Ctx).chatId ?? '';
      let problem = check(status, body, chatId, headers ?? {});
      if (problem && chatId !== checker.firstBuilt && check(status, body, checker.firstBuilt, headers ?? {}) === null) problem = null;
      if (problem) checker.fail(problem);
    },
  };
}

/** The autocannon request list of a scenario. */
export function requestsFor(name: ScenarioName, pools: Pools, checker: Checker): Request[] {
  const chatIn = (pool: SeededChat[]) => (ctx: Ctx): SeededChat => {
    const c = pick(pool);
    ctx.chatId = c.id;
    return c;
  };
  const read = chatIn(pools.read);
  const write = chatIn(pools.write);
  const nextFrom = pools.read[0]?.nextEventId ?? 0;
  const get = (path: string): Request => ({ method: 'GET', path, headers: KEY });
  const visitorLine = request(checker, createdAt((id) => `/chat/${id}`), (ctx) => ({
    method: 'POST',
    path: `${BASE}/chat/${write(ctx).id}/events.json?v=1&NC=true`,
    headers: JSON_BODY,
    body: JSON.stringify({ event: { '@type': 'line', text: 'Is there any news on my parcel?' } }),
  }));
  switch (name) {
    case 'info-json':
      return [request(checker, infoJson, (ctx) => get(`${BASE}/chat/${read(ctx).id}/info.json?v=1&NC=true`))];
    case 'info-xml':
      return [request(checker, infoXml, (ctx) => get(`${BASE}/chat/${read(ctx).id}/info.xml?v=1&NC=true`))];
    case 'next-none':
      return [request(checker, nextCheck(() => nextFrom, 0), (ctx) => get(`${BASE}/chat/${read(ctx).id}.json?from=${nextFrom}&v=1&NC=true`))];
    case 'next-one':
      return [request(checker, nextCheck(() => nextFrom - 1, 1), (ctx) => get(`${BASE}/chat/${read(ctx).id}.json?from=${nextFrom - 1}&v=1&NC=true`))];
    case 'post-line':
      return [visitorLine];
    case 'mixed': {
      // Per 2-s poll cycle of a visitor: mostly polls that find nothing; now and then a line
      // from the visitor or the agent (who is on the agent API with its own session).
      // The polls go to the read pool, where nothing is ever written: both servers answer the same empty poll.
      const poll = request(checker, nextCheck(() => nextFrom, 0), (ctx) => get(`${BASE}/chat/${read(ctx).id}.json?from=${nextFrom}&v=1&NC=true`));
      const agentLine = request(checker, createdAt((id) => `/agentSession/\\d+/chat/${id}`), (ctx) => {
        const a = pick(pools.agents);
        const chatId = pick(a.chats);
        ctx.chatId = chatId;
        return {
          method: 'POST',
          path: `${BASE}/agentSession/${a.sessionId}/chat/${chatId}/events.json?v=1&NC=true`,
          headers: { authorization: `Bearer ${a.bearer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ event: { '@type': 'line', text: 'The courier says it will be with you tomorrow.', textType: 'plain' } }),
        };
      });
      const mix: Request[] = [];
      for (let i = 0; i < 8; i++) mix.push(poll);
      mix.push(visitorLine);
      if (pools.agents.length > 0) mix.push(agentLine);
      else mix.push(poll);
      return mix;
    }
  }
}
