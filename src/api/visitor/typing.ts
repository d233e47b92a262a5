// Typing (spec §4.14–4.16): the visitor's flag (get, set) and the agent's (get). Flags expire
// on their own after the typing timeout, so a lost "not-typing" never leaves one stuck.
import type { FastifyInstance } from 'fastify';
import type { Typing } from '../../chat/core/types.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { ok, send } from '../reply.ts';
import { chatParams, typingValue } from '../schemas.ts';

const typingBody = { type: 'object', required: ['visitorTyping'], properties: { visitorTyping: typingValue } } as const;

export function typingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = '/api/account/:accountId/chat/:chatId/info';

  app.get<{ Params: ChatParams }>(`${base}/visitorTyping`, { schema: { params: chatParams } }, async (req, reply) => {
    return send(req, reply, 200, { visitorTyping: await ctx.views.visitorTyping(req.account, req.params.chatId, 'visitor') });
  });

  app.route<{ Params: ChatParams; Body: { visitorTyping: Typing } }>({
    method: ['PUT', 'POST'],
    url: `${base}/visitorTyping`,
    schema: { params: chatParams, body: typingBody },
    handler: async (req, reply) => {
      await ctx.chats.setVisitorTyping(req.account.id, req.params.chatId, req.body.visitorTyping);
      return ok(reply);
    },
  });

  app.get<{ Params: ChatParams }>(`${base}/agentTyping`, { schema: { params: chatParams } }, async (req, reply) => {
    return send(req, reply, 200, { agentTyping: await ctx.views.visitorTyping(req.account, req.params.chatId, 'agent') });
  });
}
