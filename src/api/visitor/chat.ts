// Retrieve Chat Resources, Events and Information (spec §4.8): the chat-level poll.
import type { FastifyInstance } from 'fastify';
import type { AppContext, ChatParams } from '../context.ts';
import { visitorChatDoc } from '../representations/chat.ts';
import { send } from '../reply.ts';
import { chatParams, fromQuery, type FromQuery } from '../schemas.ts';

export function chatRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: ChatParams; Querystring: FromQuery }>(
    '/api/account/:accountId/chat/:chatId',
    { schema: { params: chatParams, querystring: fromQuery } },
    async (req, reply) => {
      const { info, events, next } = await ctx.views.visitorChat(req.account, req.params.chatId, req.query.from ?? 0);
      return send(req, reply, 200, visitorChatDoc(req.urls.chat(info.chat.id), info, events, next));
    },
  );
}
