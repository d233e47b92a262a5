// The Login Service's Session_id cookie (agent API §1.2): it carries the bearer itself
// (compatibility.md), set by login (and the old XML client's login, agent spec §1.1) and read
// by refresh, logout and the old client's agent-session calls.
import type { FastifyReply, FastifyRequest } from 'fastify';

const COOKIE = 'Session_id';

/** A malformed escape is no credential at all (401 later), never a 500. */
function decodeCookie(v: string): string | undefined {
  try {
    return decodeURIComponent(v);
  } catch {
    return undefined;
  }
}

/** The Session_id cookie's value, if the request carries one. */
export function sessionCookieOf(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) {
      const v = part.slice(eq + 1).trim();
      if (v !== '') return decodeCookie(v);
    }
  }
  return undefined;
}

/** Session_id is the bearer itself (compatibility.md): one secret, two ways to send it. */
export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, accountId: string, value: string, maxAgeMs: number): void {
  const attrs = [`${COOKIE}=${encodeURIComponent(value)}`, `Path=/api/account/${encodeURIComponent(accountId)}`, `Max-Age=${Math.floor(maxAgeMs / 1000)}`, 'HttpOnly', 'SameSite=Strict'];
  if (req.urls.origin.startsWith('https:')) attrs.push('Secure');
  reply.header('set-cookie', attrs.join('; '));
}

