// Header names on the wire as the vendor sent them (`Content-Type`, `Location`, `Set-Cookie`:
// spec §4.7, agent spec §1.2, real-clients.md). Fastify keeps a reply's headers in lower case
// and hands them to writeHead as they are; some clients look response headers up by exact
// name (the JS SDK reads `Location` and parses JSON on `Content-Type`), so every response of
// the server goes out with its names in canonical case. Node writes names as it is given them.
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from 'node:http';

/** Names whose canonical case is not plain Title-Case. */
const SPECIAL: Record<string, string> = { etag: 'ETag', 'www-authenticate': 'WWW-Authenticate', 'x-xss-protection': 'X-XSS-Protection' };

/**
 * Names already recased. Every response writes the same few names, and the regular
 * expression per name per response was ~4% of a keep-alive poll's CPU (issue 14); bounded,
 * since a handler may in principle set any name.
 */
const known = new Map<string, string>();
const MAX_KNOWN = 256;

/** `content-type` → `Content-Type`, `set-cookie` → `Set-Cookie`, `etag` → `ETag`. */
export function canonicalName(name: string): string {
  const hit = known.get(name);
  if (hit !== undefined) return hit;
  const lower = name.toLowerCase();
  const out = SPECIAL[lower] ?? lower.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  if (known.size < MAX_KNOWN) known.set(name, out);
  return out;
}

function recased(headers: OutgoingHttpHeaders | readonly unknown[]): OutgoingHttpHeaders | readonly unknown[] {
  if (Array.isArray(headers)) return headers;
  const out: OutgoingHttpHeaders = {};
  const h = headers as OutgoingHttpHeaders;
  for (const k in h) out[canonicalName(k)] = h[k];
  return out;
}

/** The server's response class (http.createServer's ServerResponse option). */
export class CasedResponse<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {
  // Node's overloads: (status, headers?) and (status, reason, headers?); the headers come last.
  override writeHead(statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(...args: unknown[]): this {
    const last = args.length - 1;
    const h = args[last];
    if (last > 0 && h !== null && typeof h === 'object') args[last] = recased(h as OutgoingHttpHeaders);
    // Headers set before with setHeader go out with the name they were set with: recase those too.
    for (const name of this.getHeaderNames()) {
      const value = this.getHeader(name);
      if (value === undefined) continue;
      this.removeHeader(name);
      this.setHeader(canonicalName(name), value);
    }
    return (ServerResponse.prototype.writeHead as (...a: unknown[]) => this).apply(this, args);
  }
}
