// Fault rules (issue 13 §5; docs/testing.md, "Faults"): which vendor requests fail and how —
// a status with the vendor's error document, a delay, a dropped connection, or the chat
// ended by the service — and how often. Kept in this process's memory (docs/architecture.md).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Clock } from '../../clock.ts';
import { catalogue, type ErrorSpec } from '../../errors.ts';
import { appKeyOf } from '../auth.ts';
import type { Doc } from '../codecs/tree.ts';
import { formatTime } from '../representations/time.ts';
import type { Side } from './methods.ts';

export interface FaultMatch {
  /** A vendor method name (methods.ts), e.g. `info`, `events`, `accept`. */
  method?: string;
  side?: Side;
  httpMethod?: string;
  /** A regular expression the request path (no query, no suffix) must match. */
  path?: string;
  accountId?: string;
  chatId?: string;
  appKey?: string;
}

export interface FaultAction {
  status?: number;
  delayMs?: number;
  drop?: boolean;
  endChat?: boolean;
}

export interface FaultRule extends FaultMatch, FaultAction {
  id: string;
  /** How many more requests it hits; null with a probability and no count (every match may). */
  remaining: number | null;
  times: number | null;
  probability: number | null;
  hits: number;
  created: number;
}

export type FaultInput = FaultMatch & FaultAction & { times?: number; probability?: number };

/** What a request carries that rules look at. */
export interface FaultTarget {
  method: string | null;
  side: Side | null;
  httpMethod: string;
  path: string;
  accountId: string | null;
  chatId: string | null;
  appKey: string | null;
}

export class FaultRules {
  private readonly rules: FaultRule[] = [];
  private next = 1;
  private readonly clock: Clock;
  private readonly random: () => number;

  constructor(clock: Clock, random: () => number = Math.random) {
    this.clock = clock;
    this.random = random;
  }

  add(input: FaultInput): FaultRule {
    const times = input.times ?? (input.probability === undefined ? 1 : null);
    const { times: _t, probability, ...rest } = input;
    const rule: FaultRule = { ...rest, id: `f${this.next++}`, remaining: times, times, probability: probability ?? null, hits: 0, created: this.clock.now() };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const i = this.rules.findIndex((r) => r.id === id);
    if (i < 0) return false;
    this.rules.splice(i, 1);
    return true;
  }

  clear(): void {
    this.rules.length = 0;
  }

  /** The first live rule the request matches, counted as hit; null when none fires. */
  take(t: FaultTarget): FaultRule | null {
    for (const r of this.rules) {
      if (r.remaining === 0 || !matches(r, t)) continue;
      if (r.probability !== null && this.random() >= r.probability) continue;
      r.hits++;
      if (r.remaining !== null) r.remaining--;
      return { ...r };
    }
    return null;
  }
}

function matches(r: FaultRule, t: FaultTarget): boolean {
  if (r.method !== undefined && r.method !== t.method) return false;
  if (r.side !== undefined && r.side !== t.side) return false;
  if (r.httpMethod !== undefined && r.httpMethod.toUpperCase() !== t.httpMethod) return false;
  if (r.path !== undefined && !new RegExp(r.path).test(t.path)) return false;
  if (r.accountId !== undefined && r.accountId !== t.accountId) return false;
  if (r.chatId !== undefined && r.chatId !== t.chatId) return false;
  if (r.appKey !== undefined && r.appKey !== t.appKey) return false;
  return true;
}

/** The request as rules see it. */
export function faultTarget(req: FastifyRequest, method: { name: string; side: Side } | null): FaultTarget {
  const params = (req.params ?? {}) as { accountId?: string; chatId?: string };
  return {
    method: method?.name ?? null,
    side: method?.side ?? null,
    httpMethod: req.method,
    path: req.url.split('?')[0] ?? req.url,
    accountId: params.accountId ?? null,
    chatId: params.chatId ?? null,
    appKey: appKeyOf(req) ?? null,
  };
}

/**
 * The vendor's error document for an injected status: the catalogue's entry for it when it
 * has one, otherwise the same shape named after the HTTP status.
 */
/** The header an injected status carries, with the id of the rule that answered. */
export const FAULT_HEADER = 'x-serverchat-fault';

export function faultDoc(status: number, now: number): Doc {
  const known = Object.values(catalogue).find((e: ErrorSpec) => e.status === status);
  const reason = known?.reason ?? (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');
  const message = known?.message ?? STATUS_CODES[status] ?? 'Error';
  return { error: { time: formatTime(now), reason, message, internalCode: known?.internalCode ?? status, responseStatus: reason } };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Closes the connection without an answer, as a failed network hop does. */
export function drop(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  req.raw.socket?.destroy();
  return reply;
}
