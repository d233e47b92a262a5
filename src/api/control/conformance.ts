// The conformance report (issue 13 §6; docs/testing.md, "Conformance"): per client (app key +
// User-Agent), where its requests deviated from the spec, each with a count and an example.
// The request-time checks are what `--strict` answers with 400.
import type { FastifyRequest } from 'fastify';

export type DeviationCode =
  | 'missing-v'
  | 'wrong-v'
  | 'wrong-accept'
  | 'wrong-content-type'
  | 'unknown-parameter'
  | 'no-next-cursor'
  | 'silence-over-chat-timeout'
  | 'write-to-ended-chat'
  | 'refused-credentials';

export interface Deviation {
  code: DeviationCode;
  detail: string;
}

export interface DeviationRecord {
  code: DeviationCode;
  count: number;
  example: { time: number; method: string; path: string; detail: string };
}

interface Client {
  appKey: string | null;
  userAgent: string | null;
  deviations: Map<DeviationCode, DeviationRecord>;
  /** Per chat: requests of the chat resource or its events without `from`, and the last request. */
  chats: Map<string, { unpaged: number; last: number | null }>;
}

/**
 * Query parameters any request may carry: the version, the app key, cache busters (spec
 * §1.5), and what LivePerson's own JS SDK adds to every call (`lpNumber`, `domain`).
 */
const ALWAYS_ALLOWED = new Set(['v', 'appKey', 'appkey', 'NC', '__d', '_', 'lpNumber', 'domain']);
const MAX_CLIENTS = 1000;
const MAX_CHATS_PER_CLIENT = 10_000;
const ACCEPTABLE = /(^|,)\s*(\*\/\*|application\/\*|application\/json|application\/xml|text\/xml|text\/\*)\s*(;|,|$)/i;
const BODY_TYPES = /^\s*(application\/json|application\/xml|text\/xml|application\/[\w.+-]+\+(json|xml))\s*(;|$)/i;

export function clientKey(appKey: string | null, userAgent: string | null): string {
  return `${appKey ?? '-'} ${userAgent ?? '-'}`;
}

/** Checks made before the handler runs: `--strict` refuses requests that fail one. */
export function requestDeviations(req: FastifyRequest, vendorName: string | null): Deviation[] {
  const out: Deviation[] = [];
  const query = (req.query ?? {}) as Record<string, unknown>;
  // The Login Service is versioned v=1.3 on login only; refresh and logout carry no v (agent spec §1.2).
  const login = vendorName === 'login';
  const unversioned = vendorName === 'refresh' || vendorName === 'logout';
  if (query.v === undefined && !unversioned) out.push({ code: 'missing-v', detail: `add v=${login ? '1.3' : '1'} to the query (spec §1.5)` });
  else if (query.v !== undefined && !login && !unversioned && String(query.v) !== '1') out.push({ code: 'wrong-v', detail: `v=${String(query.v)}: the only version is v=1` });
  const accept = req.headers.accept;
  if (accept !== undefined && accept.trim() !== '' && !ACCEPTABLE.test(accept)) out.push({ code: 'wrong-accept', detail: `Accept "${accept}" is neither JSON nor XML` });
  const length = Number(req.headers['content-length'] ?? 0);
  const type = req.headers['content-type'];
  if ((req.method === 'POST' || req.method === 'PUT') && length > 0 && (type === undefined || !BODY_TYPES.test(type))) {
    out.push({ code: 'wrong-content-type', detail: `a body sent as "${type ?? 'no Content-Type'}"; send application/json or application/xml` });
  }
  const schema = (req.routeOptions.schema?.querystring ?? null) as { properties?: Record<string, unknown> } | null;
  const known = new Set(Object.keys(schema?.properties ?? {}));
  for (const k of Object.keys(query)) {
    if (!ALWAYS_ALLOWED.has(k) && !known.has(k)) out.push({ code: 'unknown-parameter', detail: `"${k}" is not a parameter of this method` });
  }
  return out;
}

export class Conformance {
  private readonly clients = new Map<string, Client>();

  /** Records deviations of one request. */
  record(key: { appKey: string | null; userAgent: string | null }, at: { time: number; method: string; path: string }, found: Deviation[]): void {
    if (found.length === 0) return;
    const c = this.client(key);
    for (const d of found) {
      const r = c.deviations.get(d.code);
      if (r) r.count++;
      else c.deviations.set(d.code, { code: d.code, count: 1, example: { ...at, detail: d.detail } });
    }
  }

  /** The chat resource or its events read again without the `next` cursor's `from` (spec §4.8). */
  polled(key: { appKey: string | null; userAgent: string | null }, chatId: string, paged: boolean): Deviation[] {
    const seen = this.chat(this.client(key), chatId);
    if (paged) return [];
    seen.unpaged++;
    return seen.unpaged > 1 ? [{ code: 'no-next-cursor', detail: 'the chat was read again from the start; follow the "next" link (from=N)' }] : [];
  }

  /** A visitor request to a chat: silence longer than chatTimeout before it (spec §3, KeepAlive). */
  heard(key: { appKey: string | null; userAgent: string | null }, chatId: string, time: number, chatTimeoutMs: number): Deviation[] {
    const seen = this.chat(this.client(key), chatId);
    const last = seen.last;
    seen.last = time;
    if (last === null || time - last <= chatTimeoutMs) return [];
    return [{ code: 'silence-over-chat-timeout', detail: `${Math.round((time - last) / 1000)} s without a request; chatTimeout is ${chatTimeoutMs / 1000} s (spec §3)` }];
  }

  private chat(c: Client, chatId: string): { unpaged: number; last: number | null } {
    let seen = c.chats.get(chatId);
    if (!seen) {
      seen = { unpaged: 0, last: null };
      c.chats.set(chatId, seen);
      if (c.chats.size > MAX_CHATS_PER_CLIENT) c.chats.delete(c.chats.keys().next().value as string);
    }
    return seen;
  }

  report(): Array<{ appKey: string | null; userAgent: string | null; deviations: DeviationRecord[] }> {
    return [...this.clients.values()]
      .filter((c) => c.deviations.size > 0)
      .map((c) => ({ appKey: c.appKey, userAgent: c.userAgent, deviations: [...c.deviations.values()].map((d) => ({ ...d, example: { ...d.example } })) }));
  }

  clear(): void {
    this.clients.clear();
  }

  private client(key: { appKey: string | null; userAgent: string | null }): Client {
    const k = clientKey(key.appKey, key.userAgent);
    let c = this.clients.get(k);
    if (!c) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
      c = { appKey: key.appKey, userAgent: key.userAgent, deviations: new Map(), chats: new Map() };
      this.clients.set(k, c);
    }
    return c;
  }
}
