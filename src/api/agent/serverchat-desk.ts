// Serverchat extensions, not vendor resources (docs/compatibility.md "Serverchat
// extensions"): what the agent console shows that the Chat Agent API does not carry — a
// preview of each chat ringing for this agent, the account's canned responses, and the
// visitor's earlier chats. Under the agent session, so the same bearer, CORS side and
// session checks apply; a chat only if the agent holds it or has it ringing.
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionChatParams, SessionParams } from '../context.ts';
import { send } from '../reply.ts';
import { sessionChatParams, sessionParams } from '../schemas.ts';
import { formatTime } from '../representations/time.ts';
import type { DeskView, PreviousChat } from '../../chat/agents/desk-view.ts';
import type { Doc } from '../codecs/tree.ts';

function deskDoc(v: DeskView): Doc {
  return {
    desk: {
      time: formatTime(v.now),
      ringTimeout: v.ringTimeout,
      ringing: v.ringing.map((r) => ({
        chatId: r.chatId,
        visitorName: r.visitorName ?? undefined,
        skillName: r.skillName ?? undefined,
        question: r.question ?? undefined,
        queuedAt: formatTime(r.queuedAt),
        ringsUntil: r.ringsUntil === null ? undefined : formatTime(r.ringsUntil),
      })),
      cannedResponses: v.cannedResponses.map((c) => ({ shortcut: c.shortcut, text: c.text })),
    },
  };
}

function previousChatsDoc(list: PreviousChat[]): Doc {
  return {
    previousChats: {
      chat: list.map((c) => ({
        chatId: c.chatId,
        state: c.state,
        startTime: formatTime(c.startTime),
        endTime: c.endTime === null ? undefined : formatTime(c.endTime),
        skillName: c.skillName ?? undefined,
        agentName: c.agentName ?? undefined,
        visitorName: c.visitorName ?? undefined,
      })),
    },
  };
}

export function serverchatDeskRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: SessionParams }>(
    '/api/account/:accountId/agentSession/:sessionId/serverchat/desk',
    { schema: { params: sessionParams } },
    async (req, reply) => send(req, reply, 200, deskDoc(await ctx.deskViews.view(req.agent.accountId, req.agent.id)), { collapse: false }),
  );
  app.get<{ Params: SessionChatParams }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/serverchat/previousChats',
    { schema: { params: sessionChatParams } },
    async (req, reply) => send(req, reply, 200, previousChatsDoc(await ctx.deskViews.previousChats(req.agent, req.params.chatId)), { collapse: false }),
  );
}
