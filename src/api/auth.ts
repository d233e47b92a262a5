// Who may call (spec §1.2; agent API §1.1): visitors with an app key of the account, in the
// Authorization header or the appKey query parameter, or a visitor bearer the account issues;
// agents with a Login Service bearer. Which check a route gets is a property of the route
// table (authFor), and it runs in onRequest: before the body is read or validated, so a
// request without credentials is 401 whatever else is wrong with it (compatibility.md).
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ApiError } from '../errors.ts';
import type { AppContext } from './context.ts';
import { sessionCookieOf } from './session-cookie.ts';

const APP_KEY_HEADER = /^\s*LivePerson\s+appKey\s*=\s*"?([^",\s]+)"?\s*$/i;
const BEARER = /^\s*Bearer\s+(\S+)\s*$/i;

function queryParam(req: FastifyRequest, ...names: string[]): string | undefined {
  const q = req.query as Record<string, unknown> | undefined;
  for (const n of names) {
    const v = q?.[n];
    if (typeof v === 'string' && v !== '') return v;
    if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  }
  return undefined;
}

export function appKeyOf(req: FastifyRequest): string | undefined {
  const m = APP_KEY_HEADER.exec(req.headers.authorization ?? '');
  // The events page lists the parameter as "appkey"; clients send "appKey" (spec §6 #17).
  return m?.[1] ?? queryParam(req, 'appKey', 'appkey');
}

export function bearerOf(req: FastifyRequest): string | undefined {
  return BEARER.exec(req.headers.authorization ?? '')?.[1];
}

/** Which credentials a route takes: decided by where it sits in the URL space. */
export type AuthKind = 'visitor' | 'agent' | 'agent-or-legacy' | 'public';

const ACCOUNT_ROOT = '/api/account/:accountId';
/** The Login Service checks its own credentials (agent API §1.2); the Domain API and the JSONP tunnel are open. */
const PUBLIC_UNDER_ACCOUNT = ['/login', '/refresh', '/logout', '/service/', '/js2rest'];

export function authFor(method: string, routeUrl: string): AuthKind {
  if (routeUrl !== ACCOUNT_ROOT && !routeUrl.startsWith(`${ACCOUNT_ROOT}/`)) return 'public';
  const rest = routeUrl.slice(ACCOUNT_ROOT.length);
  if (PUBLIC_UNDER_ACCOUNT.some((p) => rest === p || rest.startsWith(p.endsWith('/') ? p : `${p}/`))) return 'public';
  // The old XML agent client logs in with an app key and <loginData> here (agent spec §1.1).
  if (rest === '/agentSession' && method === 'POST') return 'agent-or-legacy';
  if (rest === '/agentSession' || rest.startsWith('/agentSession/')) return 'agent';
  return 'visitor';
}

/** The visitor check: an app key of the account in the path, or a visitor bearer it accepts (spec §1.2). */
export function visitorAuth(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const { accountId } = req.params as { accountId: string };
    const key = appKeyOf(req);
    const bearer = key === undefined ? bearerOf(req) : undefined;
    if (bearer !== undefined) {
      req.account = await ctx.access.accountByBearer(accountId, bearer);
      return;
    }
    if (!key) throw new ApiError('unauthorized', 'send "Authorization: LivePerson appKey=KEY", the appKey query parameter or a visitor "Authorization: Bearer TOKEN"');
    req.account = await ctx.access.account(accountId, key);
  };
}

/**
 * The old XML agent client's credentials (agent spec §1.1): the account's app key in
 * Authorization and the Session_id cookie its <loginData> login set ("unsigned requests get
 * cookies scoped to the agent session and send them back"). Only with the app key: the
 * cookie alone opens nothing but Refresh and Logout, which check the csrf.
 */
async function legacyBearer(ctx: AppContext, req: FastifyRequest, accountId: string): Promise<string | undefined> {
  const key = appKeyOf(req);
  const cookie = sessionCookieOf(req);
  if (key === undefined || cookie === undefined) return undefined;
  await ctx.access.account(accountId, key);
  return cookie;
}

/** The agent check: a bearer from this account's login, and the agent session in the path if any. */
export function agentAuth(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const { accountId } = req.params as { accountId: string };
    const bearer = bearerOf(req) ?? (await legacyBearer(ctx, req, accountId));
    if (!bearer) throw new ApiError('bad-token', 'send "Authorization: Bearer TOKEN" from the login');
    const { agent, account } = await ctx.desk.authenticate(accountId, bearer);
    req.agent = agent;
    req.account = account;
    const { sessionId } = req.params as { sessionId?: string };
    if (sessionId !== undefined) req.agentSession = await ctx.desk.session(req.agent, sessionId);
  };
}

/**
 * Start Agent Session: a bearer, or the old XML client's app key — then the agent is named
 * by the <loginData> credentials of the body, which the handler checks (agent spec §1.1).
 */
function agentOrLegacyAuth(ctx: AppContext) {
  const agent = agentAuth(ctx);
  const visitor = visitorAuth(ctx);
  return async (req: FastifyRequest): Promise<void> => {
    if (bearerOf(req) !== undefined || sessionCookieOf(req) !== undefined) return agent(req);
    await visitor(req);
    req.legacyLogin = true;
  };
}

/**
 * Gives every route registered after it the check authFor names, as its first onRequest
 * hook after the route's own (a JSON-only route sets its format first, so its 401 is JSON).
 */
export function installAuth(app: FastifyInstance, ctx: AppContext): void {
  const hooks = { visitor: visitorAuth(ctx), agent: agentAuth(ctx), 'agent-or-legacy': agentOrLegacyAuth(ctx) };
  app.decorateRequest('legacyLogin', false);
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const kind = authFor(String(methods[0]), route.url);
    if (kind === 'public') return;
    const own = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...own, hooks[kind]] as RouteOptions['onRequest'];
  });
}
