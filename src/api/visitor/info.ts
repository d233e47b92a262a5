// Retrieve Chat Information (spec §4.11): the heart of the API, and the visitor's keep-alive.
import type { FastifyInstance } from 'fastify';
import type { AppContext, ChatParams } from '../context.ts';
import { infoTree } from '../representations/info.ts';
import { send } from '../reply.ts';
import { chatParams } from '../schemas.ts';

export function infoRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: ChatParams }>('/api/account/:accountId/chat/:chatId/info', { schema: { params: chatParams } }, async (req, reply) => {
    const view = await ctx.views.visitorInfo(req.account, req.params.chatId);
    return send(req, reply, 200, { info: infoTree(`${req.urls.chat(view.chat.id)}/info`, view, 'visitor') });
  });
}
