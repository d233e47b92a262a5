// Visitor Authentication request (spec §4.7b): POST /conversation.json with the engagement
// ids and the visitor's ssoKey, verified against the account's identity provider; answers
// {participantId, conversationId} for Start Chat, or 401 `bad-sso-key` saying why.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type VisitorAuthRequest } from '../../chat/conversation/visitor-auth.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { send } from '../reply.ts';
import { accountParams, idLike, text } from '../schemas.ts';

const numeric = { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

const conversationBody = {
  type: 'object',
  required: ['ssoKey'],
  properties: {
    ssoKey: text(8000),
    authChatConnId: numeric,
    engagementId: numeric,
    LETagSessionId: text(200),
    LETagVisitorId: text(200),
    LETagContextId: idLike,
    redirectUri: { type: 'string', maxLength: 2000 },
  },
} as const;

/**
 * The vendor names this method only as conversation.json and its answer has no root element
 * to write as XML, so it always answers JSON (errors included).
 */
async function jsonOnly(req: FastifyRequest): Promise<void> {
  req.format = 'json';
}

export function conversationRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: AccountParams; Body: VisitorAuthRequest }>(
    '/api/account/:accountId/conversation',
    { schema: { params: accountParams, body: conversationBody }, onRequest: jsonOnly },
    // 200 with the body, as the older page shows; the current page's 201 sits above a note
    // that describes Start Chat (spec §4.7b, §6 #4).
    async (req, reply) => send(req, reply, 200, { ...(await ctx.access.authenticate(req.account, req.body)) }),
  );
}
