// Retrieve Chat Resources, Events and Information (spec §4.8): the chat-level poll.
import type { FastifyInstance } from 'fastify';
import { visitorAuth } from '../auth.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { visitorChatDoc } from '../representations/chat.ts';
import { send } from '../reply.ts';
import { chatParams, fromQuery, type FromQuery } from '../schemas.ts';
import { infoView } from '../views.ts';

export function chatRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: ChatParams; Querystring: FromQuery }>(
    '/api/account/:accountId/chat/:chatId',
    { schema: { params: chatParams, querystring: fromQuery }, preHandler: visitorAuth(ctx) },
    async (req, reply) => {
      const chat = await ctx.chats.visitorTouch(req.account.id, req.params.chatId);
      const events = await ctx.chats.listEvents(chat, req.query.from ?? 0, 'visitor');
      const view = await infoView(ctx, req.account, chat);
      return send(req, reply, 200, visitorChatDoc(req.urls.chat(chat.id), view, events));
    },
  );
}
