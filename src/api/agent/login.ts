// Login Service API (agent API §1.2): user or application login gives the bearer for the
// Chat Agent API (and a Session_id cookie); refresh keeps it alive, logout ends it. The
// response keeps the vendor's fields so agent tools find what they read.
import type { FastifyInstance } from 'fastify';
import { SESSION_TTL_MS, type LoginResult } from '../../chat/agents/agent-desk.ts';
import { ApiError } from '../../errors.ts';
import { bearerOf } from '../auth.ts';
import { sessionCookieOf, setSessionCookie } from '../session-cookie.ts';
import type { Doc } from '../codecs/tree.ts';
import type { AccountParams, AppContext, Rep, Req } from '../context.ts';
import { publicHost } from '../public-address.ts';
import { ok, send } from '../reply.ts';
import { accountParams, text } from '../schemas.ts';

/** User login {username, password} or application login {username, appKey, secret, accessToken, accessTokenSecret}. */
const loginBody = {
  type: 'object',
  required: ['username'],
  properties: {
    username: text(200),
    password: text(200),
    appKey: text(200),
    secret: text(200),
    accessToken: text(200),
    accessTokenSecret: text(200),
  },
  anyOf: [{ required: ['password'] }, { required: ['appKey', 'secret', 'accessToken', 'accessTokenSecret'] }],
} as const;

interface LoginBody {
  username: string;
  password?: string;
  appKey?: string;
  secret?: string;
  accessToken?: string;
  accessTokenSecret?: string;
}

/** Refresh and logout send {"csrf": …}; with a bearer header the body may be left out. */
const csrfBody = { type: ['object', 'null'], properties: { csrf: { type: 'string', maxLength: 200 } } } as const;

/** Bearer header first, then the cookie; the cookie form must carry the csrf (agent API §1.2). */
function credentialOf(req: Req): { bearer: string; viaCookie: boolean } {
  const bearer = bearerOf(req);
  if (bearer) return { bearer, viaCookie: false };
  const cookie = sessionCookieOf(req);
  if (cookie) return { bearer: cookie, viaCookie: true };
  throw new ApiError('bad-token', 'send the Session_id cookie and "csrf" from the login, or "Authorization: Bearer TOKEN"');
}

function loginDoc(req: Req, accountId: string, r: LoginResult, now: number): Doc {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const admin = r.agent.privilegeGroup === 'administrators';
  return {
    csrf: r.csrf,
    wsuk: String(r.agent.id),
    config: {
      loginName: r.agent.loginName,
      userId: String(r.agent.id),
      userPrivileges: [],
      serverCurrentTime: now,
      timeDiff: 0,
      serverTimeZoneName: zone,
      serverTimeGMTDiff: -new Date(now).getTimezoneOffset() * 60_000,
      isLPA: false,
      isAdmin: admin,
      accountTimeZoneId: zone,
    },
    csdsCollectionResponse: {
      baseURIs: ['agentVep', 'conversationVep', 'smt'].map((service) => ({ account: accountId, baseURI: publicHost(req), service })),
    },
    accountData: { agentGroupsData: { items: [{ id: -1, deleted: false, name: 'Main Group' }], revision: 1 } },
    sessionTTl: String(SESSION_TTL_MS),
    bearer: r.bearer,
  };
}

/**
 * The Login Service API is JSON-only (agent API §1.2: Content-Type and Accept
 * application/json); its login answer has many top-level keys, which XML cannot hold. So
 * it answers JSON, errors included, whatever the request asks for.
 */
const jsonOnly = async (req: Req): Promise<void> => {
  req.format = 'json';
};

export function loginRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: AccountParams; Body: LoginBody }>('/api/account/:accountId/login', { schema: { params: accountParams, body: loginBody }, onRequest: jsonOnly }, async (req, reply) => {
    const { accountId } = req.params;
    const b = req.body;
    // A password means user login; otherwise the schema guaranteed the four app fields.
    const r = await (b.password !== undefined
      ? ctx.desk.login(accountId, b.username, b.password, req.ip)
      : ctx.desk.loginApp(accountId, b.username, { appKey: b.appKey ?? '', secret: b.secret ?? '', accessToken: b.accessToken ?? '', accessTokenSecret: b.accessTokenSecret ?? '' }, req.ip)
    ).catch((err: unknown) => {
      // Failed logins are an operator's business (brute force, a misconfigured bot); never the password.
      if (err instanceof ApiError) req.log.warn({ accountId, username: b.username, kind: b.password !== undefined ? 'user' : 'application', reason: err.code }, 'login failed');
      throw err;
    });
    setSessionCookie(req, reply, accountId, r.bearer, r.expiresAt - r.issuedAt);
    // A JSON-native API: lists stay lists.
    return send(req, reply, 200, loginDoc(req, accountId, r, r.issuedAt), { collapse: false });
  });

  app.post<{ Params: AccountParams; Body: { csrf?: string } | null }>('/api/account/:accountId/refresh', { schema: { params: accountParams, body: csrfBody }, onRequest: jsonOnly }, async (req, reply) => {
    const { bearer, viaCookie } = credentialOf(req);
    const r = await ctx.desk.refresh(req.params.accountId, bearer, req.body?.csrf, viaCookie);
    setSessionCookie(req, reply, req.params.accountId, bearer, r.expiresAt - r.issuedAt);
    return ok(reply);
  });

  app.post<{ Params: AccountParams; Body: { csrf?: string } | null }>('/api/account/:accountId/logout', { schema: { params: accountParams, body: csrfBody }, onRequest: jsonOnly }, async (req, reply) => {
    const { bearer, viaCookie } = credentialOf(req);
    await ctx.desk.logout(req.params.accountId, bearer, req.body?.csrf, viaCookie);
    setSessionCookie(req, reply, req.params.accountId, '', 0);
    return ok(reply);
  });
}
