// Requests per second per client address and per app key on the vendor APIs (issue 11,
// finding 4; docs/security.md), counted before authentication so that a flood costs no store
// read, and answered 429 with Retry-After and the vendor error document. Wall time, not the
// app's clock: this is about load on this process, which a virtual clock does not slow.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { RateLimitedError } from '../errors.ts';
import { RateWindow } from '../chat/core/rate-window.ts';

export interface RequestLimits {
  /** Requests per second from one client address (0 = no limit). */
  perAddress: number;
  /** Requests per second carrying one app key (0 = no limit). */
  perAppKey: number;
}

const KEY_IN_HEADER = /appKey\s*=\s*"?([^",\s]+)/i;

/** The app key as sent (header, then `appKey`/`appkey` query parameter); checked later by auth. */
export function appKeyOf(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  const m = typeof h === 'string' ? KEY_IN_HEADER.exec(h) : null;
  if (m?.[1]) return m[1].slice(0, 200);
  const q = req.query as Record<string, unknown> | undefined;
  const v = q?.appKey ?? q?.appkey;
  return typeof v === 'string' && v !== '' ? v.slice(0, 200) : null;
}

export function installRequestLimits(app: FastifyInstance, limits: RequestLimits, now: () => number = () => performance.now()): void {
  const byAddress = limits.perAddress > 0 ? new RateWindow(limits.perAddress, 1000) : null;
  const byKey = limits.perAppKey > 0 ? new RateWindow(limits.perAppKey, 1000, 10_000) : null;
  // Both off (0): no hook at all. A callback hook, not an async one: no promise per request.
  if (byAddress === null && byKey === null) return;
  app.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!req.url.startsWith('/api/')) return done();
    const t = now();
    const address = req.ip;
    const key = appKeyOf(req);
    const wait = Math.max(byAddress?.wait(address, t) ?? 0, key !== null ? (byKey?.wait(key, t) ?? 0) : 0);
    if (wait > 0) return done(new RateLimitedError(`more than ${limits.perAddress} requests a second from this address or ${limits.perAppKey} with this app key (--requests-per-address, --requests-per-app-key)`, wait));
    byAddress?.hit(address, t);
    if (key !== null) byKey?.hit(key, t);
    done();
  });
}
