// Login Service API (agent API §1.2): user login gives the bearer for the Chat Agent API;
// logout ends it. The response keeps the vendor's fields so agent tools find what they read.
import type { FastifyInstance } from 'fastify';
import { SESSION_TTL_MS } from '../../chat/agent-desk.ts';
import { ApiError } from '../../errors.ts';
import { bearerOf } from '../auth.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { ok, send } from '../reply.ts';
import { accountParams, text } from '../schemas.ts';

const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  properties: { username: text(200), password: text(200) },
} as const;

export function loginRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: AccountParams; Body: { username: string; password: string } }>(
    '/api/account/:accountId/login',
    { schema: { params: accountParams, body: loginBody } },
    async (req, reply) => {
      const { accountId } = req.params;
      const r = await ctx.desk.login(accountId, req.body.username, req.body.password);
      const now = ctx.chats.clock.now();
      const host = req.host;
      return send(
        req,
        reply,
        200,
        {
          csrf: r.csrf,
          wsuk: String(r.agent.id),
          config: {
            loginName: r.agent.loginName,
            userId: String(r.agent.id),
            userPrivileges: [],
            serverCurrentTime: now,
            timeDiff: 0,
            serverTimeZoneName: Intl.DateTimeFormat().resolvedOptions().timeZone,
            serverTimeGMTDiff: -new Date(now).getTimezoneOffset() * 60_000,
            isLPA: false,
            isAdmin: false,
            accountTimeZoneId: Intl.DateTimeFormat().resolvedOptions().timeZone,
          },
          csdsCollectionResponse: {
            baseURIs: ['agentVep', 'conversationVep', 'smt'].map((service) => ({ account: accountId, baseURI: host, service })),
          },
          accountData: { agentGroupsData: { items: [{ id: -1, deleted: false, name: 'Main Group' }], revision: 1 } },
          sessionTTl: String(SESSION_TTL_MS),
          bearer: r.bearer,
        },
        // A JSON-native API: lists stay lists.
        { collapse: false },
      );
    },
  );

  app.post<{ Params: AccountParams }>('/api/account/:accountId/logout', { schema: { params: accountParams } }, async (req, reply) => {
    const bearer = bearerOf(req);
    if (!bearer) throw new ApiError('bad-token', 'send "Authorization: Bearer TOKEN" from the login');
    await ctx.desk.logout(req.params.accountId, bearer);
    return ok(reply);
  });
}
