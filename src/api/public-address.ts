// Serverchat's public address, as the Domain API names a client's chat domain and every
// absolute link and Location points: decided once per request in http.ts (the configured
// --public-url, else the checked Host and scheme, origin.ts) and kept in req.urls; a request
// the JS SDK tunnelled through rest2jsonp carries its outer request's origin instead.
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

// A request the JS SDK tunnelled through rest2jsonp (tunnel/rest2jsonp.ts) is replayed
// in-process, where scheme and host are not the client's: the replay carries the outer
// request's origin in this header, believed only with this process's secret before it.
const TUNNEL_HEADER = 'x-serverchat-tunnel';
const TUNNEL_SECRET = randomBytes(18).toString('base64url');

/** The origin a rest2jsonp replay carries (tunnel/rest2jsonp.ts), or null for any other request. */
export function tunnelled(req: FastifyRequest): string | null {
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
  // As the origin has it (a port the client named stays named): not URL's normalised host.
  return publicOrigin(req).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');
}

/** "scheme://host:port", the root of every absolute link (as decided in http.ts). */
export function publicOrigin(req: FastifyRequest): string {
  return req.urls.origin;
}
