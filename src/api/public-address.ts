// The one place that decides serverchat's public address: what the Domain API names as a
// client's chat domain, and where every absolute link and Location points. Today it is the
// scheme and Host the request came in on; a configured public URL (--public-url, behind a
// proxy) is decided here too, so nothing else needs to change when it comes.
import type { FastifyRequest } from 'fastify';

/** "host:port" (or "host" on a default port), as the Domain API's baseURI and lpServer write it. */
export function publicHost(req: FastifyRequest): string {
  return req.host;
}

/** "scheme://host:port", the root of every absolute link. */
export function publicOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${publicHost(req)}`;
}
