// Chat information and its sub-resources, agent side (agent API §4.15–4.19). The typing
// GETs answer 200 (the pages' "201 Created" for a GET is taken as a doc error).
import type { FastifyInstance } from 'fastify';
import type { Typing } from '../../chat/core/types.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { infoTree, visitorNameOf } from '../representations/info.ts';
import { ok, send } from '../reply.ts';
import { sessionChatParams, typingValue } from '../schemas.ts';
import { agentChat } from './chat-access.ts';

const typingBody = { type: 'object', required: ['agentTyping'], properties: { agentTyping: typingValue } } as const;

export function agentInfoRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/info';
  const opts = { schema: { params: sessionChatParams } };

  app.get<{ Params: SessionChatParams }>(base, opts, async (req, reply) => {
    const view = await ctx.views.agentInfo(req.agent, req.params.chatId);
    return send(req, reply, 200, { info: infoTree(`${req.urls.agentChat(req.agentSession.id, view.chat.id)}/info`, view, 'agent') });
  });

  app.get<{ Params: SessionChatParams }>(`${base}/visitorName`, opts, async (req, reply) => {
    const chat = await agentChat(ctx, req, req.params.chatId);
    return send(req, reply, 200, { visitorName: visitorNameOf(chat, 'agent') });
  });

  app.get<{ Params: SessionChatParams }>(`${base}/visitorTyping`, opts, async (req, reply) => {
    return send(req, reply, 200, { visitorTyping: await ctx.views.agentTyping(req.agent, req.params.chatId, 'visitor') });
  });

  app.get<{ Params: SessionChatParams }>(`${base}/agentTyping`, opts, async (req, reply) => {
    return send(req, reply, 200, { agentTyping: await ctx.views.agentTyping(req.agent, req.params.chatId, 'agent') });
  });

  app.route<{ Params: SessionChatParams; Body: { agentTyping: Typing } }>({
    method: ['PUT', 'POST'],
    url: `${base}/agentTyping`,
    schema: { params: sessionChatParams, body: typingBody },
    handler: async (req, reply) => {
      await ctx.chats.setAgentTyping(req.agent.accountId, req.params.chatId, req.agent, req.body.agentTyping);
      return ok(reply);
    },
  });
}
