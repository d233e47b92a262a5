// Retrieve Chat Sessions (agent API §4.9): the open chats the agent holds, reachable from
// this session — device continuity when the agent opens a second session. The vendor's
// page spells the link `href`/`rel` (agent spec §5 #7): so does our JSON.
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionParams } from '../context.ts';
import { chatSessionsDoc } from '../representations/agents.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

export function chatSessionsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const directory = ctx.directory;
  app.get<{ Params: SessionParams }>(
    '/api/account/:accountId/agentSession/:sessionId/chatSessions',
    { schema: { params: sessionParams } },
    async (req, reply) => {
      const chats = await directory.chatSessions(req.agent);
      const sessionId = req.agentSession.id;
      return send(req, reply, 200, chatSessionsDoc(chats, (chatId) => req.urls.agentChat(sessionId, chatId)), { bareAttributes: true });
    },
  );
}
