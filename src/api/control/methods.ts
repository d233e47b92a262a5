// The short vendor method names fault rules match (docs/testing.md, "Faults"): derived from
// the route a request matched, one name per resource of docs/compatibility.md.
export type Side = 'visitor' | 'agent';

export interface VendorMethod {
  name: string;
  side: Side;
}

const AGENT_ROOTS = ['/login', '/refresh', '/logout', '/agentSession'];

/**
 * The name of the method a route serves: the last fixed segment of its path (`info`,
 * `events`, `visitorTyping`…), except `chat` for a chat resource, `agentSession` for a
 * session, `account` for the account root and `accept` for POST incomingRequests (Accept a
 * Chat); Start Chat is `request`. Null for routes outside /api/account.
 */
export function vendorMethod(httpMethod: string, routeUrl: string | undefined): VendorMethod | null {
  if (!routeUrl?.startsWith('/api/account/:accountId')) return null;
  const rest = routeUrl.slice('/api/account/:accountId'.length);
  const side: Side = AGENT_ROOTS.some((r) => rest.startsWith(r)) ? 'agent' : 'visitor';
  const parts = rest.split('/').filter((p) => p !== '');
  if (parts.length === 0) return { name: 'account', side };
  const last = parts[parts.length - 1] as string;
  if (last === 'incomingRequests' && httpMethod === 'POST') return { name: 'accept', side };
  if (last === ':chatId') return { name: 'chat', side };
  if (last === ':sessionId') return { name: 'agentSession', side };
  if (last === ':eventId') return { name: 'events', side };
  // Other parameters (a visit id, a participant id) name the segment before them.
  const fixed = [...parts].reverse().find((p) => !p.startsWith(':')) ?? 'account';
  return { name: fixed, side };
}
