// Account-to-account transfer, agent side: the chat's `transfer-account` link
// (…/chat/{chatId}/transferAccount; agent spec §2, undocumented; spec §4.21). Body ours,
// named like the a2a-transfer event: {"transferAccount":{"remoteSiteId":"…","skill":"…"}}.
// 200 with no body, like Transfer a Chat (agent spec §4.21).
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionChatParams } from '../context.ts';
import { ok } from '../reply.ts';
import { idLike, sessionChatParams } from '../schemas.ts';

const body = {
  type: 'object',
  required: ['transferAccount'],
  properties: {
    transferAccount: {
      type: 'object',
      required: ['remoteSiteId', 'skill'],
      properties: { remoteSiteId: { ...idLike, minLength: 1, maxLength: 64 }, skill: { ...idLike, minLength: 1, maxLength: 100 } },
    },
  },
} as const;

interface Body {
  transferAccount: { remoteSiteId: string | number; skill: string | number };
}

export function transferAccountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const transfers = ctx.accountTransfers;
  app.post<{ Params: SessionChatParams; Body: Body }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/transferAccount',
    { schema: { params: sessionChatParams, body } },
    async (req, reply) => {
      const t = req.body.transferAccount;
      // The target is this server, reached as this request came in (host and port kept as sent).
      const m = /^(https?):\/\/(.+)$/.exec(req.urls.origin);
      const origin = { scheme: m?.[1] === 'https' ? 'https' : 'http', domain: m?.[2] ?? req.urls.origin } as const;
      await transfers.transfer(req.agent.accountId, req.params.chatId, req.agent, { accountId: String(t.remoteSiteId), skill: String(t.skill) }, origin);
      return ok(reply);
    },
  );
}
