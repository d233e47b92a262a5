// The one place that decides serverchat's public address: what the Domain API names as a
// client's chat domain, and where every absolute link and Location points. Today it is the
// scheme and Host the request came in on; a configured public URL (--public-url, behind a
// proxy) is decided here too, so nothing else needs to change when it comes.
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

// A request the JS SDK tunnelled through rest2jsonp (tunnel/rest2jsonp.ts) is replayed
// in-process, where scheme and host are not the client's: the replay carries the outer
// request's origin in this header, believed only with this process's secret before it.
const TUNNEL_HEADER = 'x-serverchat-tunnel';
const TUNNEL_SECRET = randomBytes(18).toString('base64url');

function tunnelled(req: FastifyRequest): string | null {
  const h = req.headers[TUNNEL_HEADER];
  if (typeof h !== 'string' || !h.startsWith(`${TUNNEL_SECRET} `)) return null;
  return h.slice(TUNNEL_SECRET.length + 1);
}

/** The header an in-process replay of `req` carries, so its links name `req`'s origin. */
export function tunnelHeader(req: FastifyRequest): Record<string, string> {
  return { [TUNNEL_HEADER]: `${TUNNEL_SECRET} ${publicOrigin(req)}` };
}

/** "host:port" (or "host" on a default port), as the Domain API's baseURI and lpServer write it. */
export function publicHost(req: FastifyRequest): string {
  const t = tunnelled(req);
  return t === null ? req.host : new URL(t).host;
}

/** "scheme://host:port", the root of every absolute link. */
export function publicOrigin(req: FastifyRequest): string {
  return tunnelled(req) ?? `${req.protocol}://${req.host}`;
}
