// Retrieve Chat Resources, Events and Information, agent side (agent API §4.10).
import type { FastifyInstance } from 'fastify';
import { visitIdOf } from '../../chat/conversation/custom-variables.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { agentChatDoc } from '../representations/chat.ts';
import { send } from '../reply.ts';
import { fromQuery, sessionChatParams, type FromQuery } from '../schemas.ts';

export function agentChatRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: SessionChatParams; Querystring: FromQuery }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/:chatId',
    { schema: { params: sessionChatParams, querystring: fromQuery } },
    async (req, reply) => {
      const { info, events, next } = await ctx.views.agentChatWithEvents(req.agent, req.params.chatId, req.query.from ?? 0);
      const sid = req.agentSession.id;
      return send(req, reply, 200, agentChatDoc(req.urls.agentChat(sid, info.chat.id), req.urls.agentVisit(sid, visitIdOf(info.chat.id)), info, events, next));
    },
  );
}
