// Retrieve Chat Resources, Events and Information, agent side (agent API §4.10).
import type { FastifyInstance } from 'fastify';
import { visitIdOf } from '../../chat/conversation/custom-variables.ts';
import { agentAuth } from '../auth.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { agentChatDoc } from '../representations/chat.ts';
import { send } from '../reply.ts';
import { fromQuery, sessionChatParams, type FromQuery } from '../schemas.ts';
import { infoView } from '../views.ts';
import { agentChat } from './chat-access.ts';

export function agentChatRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: SessionChatParams; Querystring: FromQuery }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/:chatId',
    { schema: { params: sessionChatParams, querystring: fromQuery }, preHandler: agentAuth(ctx) },
    async (req, reply) => {
      const chat = await agentChat(ctx, req, req.params.chatId);
      const events = await ctx.chats.listEvents(chat, req.query.from ?? 0, 'agent');
      const view = await infoView(ctx, null, chat);
      const sid = req.agentSession.id;
      return send(req, reply, 200, agentChatDoc(req.urls.agentChat(sid, chat.id), req.urls.agentVisit(sid, visitIdOf(chat.id)), view, events));
    },
  );
}
