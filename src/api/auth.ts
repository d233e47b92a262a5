// Who may call (spec §1.2; agent API §1.1): visitors with an app key of the account, in the
// Authorization header or the appKey query parameter; agents with a Login Service bearer.
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import type { AppContext } from './context.ts';
import { authenticator } from './pre-body.ts';

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

/** The visitor API's credential check (run before the body is read, pre-body.ts): the key must belong to the account in the path. */
export function visitorAuth(ctx: AppContext) {
  return authenticator(async (req: FastifyRequest): Promise<void> => {
    const { accountId } = req.params as { accountId: string };
    const key = appKeyOf(req);
    if (!key) throw new ApiError('unauthorized', 'send "Authorization: LivePerson appKey=KEY" or the appKey query parameter');
    req.account = await ctx.access.account(accountId, key);
  });
}

/** The agent API's credential check (run before the body is read, pre-body.ts): a bearer from this account's login. */
export function agentAuth(ctx: AppContext) {
  return authenticator(async (req: FastifyRequest): Promise<void> => {
    const { accountId } = req.params as { accountId: string };
    const bearer = bearerOf(req);
    if (!bearer) throw new ApiError('bad-token', 'send "Authorization: Bearer TOKEN" from the login');
    const { agent, account } = await ctx.desk.authenticate(accountId, bearer);
    req.agent = agent;
    req.account = account;
    const { sessionId } = req.params as { sessionId?: string };
    if (sessionId !== undefined) req.agentSession = await ctx.desk.session(req.agent, sessionId);
  });
}
