// Collaboration channels (agent spec §4.10 link `collaboration-channels`, no method page):
// GET …/chat/{chatId}/collaborationChannels. serverchat offers no co-browse or voice
// channel, so the honest answer is the element with its self link and no channel; same
// access rule as the chat (chat-access.ts). Decision in docs/compatibility.md.
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionChatParams } from '../context.ts';
import { collaborationChannelsDoc } from '../representations/visit.ts';
import { send } from '../reply.ts';
import { sessionChatParams } from '../schemas.ts';
import { agentChat } from './chat-access.ts';

export function collaborationChannelsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: SessionChatParams }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/collaborationChannels',
    { schema: { params: sessionChatParams } },
    async (req, reply) => {
      const chat = await agentChat(ctx, req, req.params.chatId);
      return send(req, reply, 200, collaborationChannelsDoc(`${req.urls.agentChat(req.agentSession.id, chat.id)}/collaborationChannels`));
    },
  );
}
