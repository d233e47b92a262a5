// Where links and Location point (issue 11, finding 11): `--public-url` when given, else the
// request's scheme and Host — checked to be a host name or address with an optional port, so
// that nothing else from a header is ever written into a link. X-Forwarded-Proto and
// -Host count only with `--trust-proxy` (Fastify's trustProxy decides req.protocol/req.host).
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';

/** A DNS name (letters, digits, `-`, `_`, dots) or a bracketed IPv6 address, then an optional port. */
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?|\[[0-9a-f:.]{2,45}\])(?::[0-9]{1,5})?$/i;

/** Hosts already found valid: nearly every request names one of a few (bounded: Host is the client's). */
const validHosts = new Set<string>();
const MAX_VALID_HOSTS = 64;

export function isValidHost(host: string): boolean {
  if (validHosts.has(host)) return true;
  if (host.length > 261 || !HOST.test(host)) return false;
  const port = /:([0-9]{1,5})$/.exec(host)?.[1];
  if (port !== undefined && Number(port) > 65535) return false;
  if (validHosts.size < MAX_VALID_HOSTS) validHosts.add(host);
  return true;
}

export function requestOrigin(req: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl;
  const host = req.host;
  if (typeof host !== 'string' || host === '') throw new ApiError('bad-request', 'the Host header is missing (or start the server with --public-url)');
  if (!isValidHost(host)) throw new ApiError('bad-request', 'the Host header is not a host name or address with an optional port');
  const scheme = req.protocol;
  if (scheme !== 'http' && scheme !== 'https') throw new ApiError('bad-request', 'X-Forwarded-Proto is neither http nor https');
  return `${scheme}://${host.toLowerCase()}`;
}
