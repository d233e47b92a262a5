// The visitor's custom variables, agent side (agent spec §2: GET …/visits/visit/{visitId}/
// customVariables, seen in the agent XML client; spec §4.20 "expose the values on the agent
// side"). The visit id is the chat key without its hex middle (H…K…); the chat key itself
// is accepted too. Only for a chat the agent holds or has ringing.
import type { FastifyInstance } from 'fastify';
import { visitIdOf } from '../../chat/custom-variables.ts';
import type { Chat } from '../../chat/types.ts';
import { ApiError } from '../../errors.ts';
import { agentAuth } from '../auth.ts';
import type { AppContext, Req, SessionParams } from '../context.ts';
import { customVariablesDoc } from '../representations/custom-variables.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

type Params = SessionParams & { visitId: string };

const visitParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'visitId'],
  properties: { ...sessionParams.properties, visitId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

async function visitChat(ctx: AppContext, req: Req, visitId: string): Promise<Chat> {
  const open = await ctx.chats.store.listAgentChats(req.agent.accountId, req.agent.id);
  const found = open.find((c) => visitIdOf(c.id) === visitId) ?? (await ctx.chats.store.getChat(req.agent.accountId, visitId));
  if (!found) throw new ApiError('not-found', `no visit ${visitId} in this agent's chats`);
  ctx.chats.requireOwner(found, req.agent);
  return found;
}

export function visitCustomVariablesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: Params }>(
    '/api/account/:accountId/agentSession/:sessionId/visits/visit/:visitId/customVariables',
    { schema: { params: visitParams }, preHandler: agentAuth(ctx) },
    async (req, reply) => {
      const chat = await visitChat(ctx, req, req.params.visitId);
      return send(req, reply, 200, customVariablesDoc(chat.customVariables ?? []));
    },
  );
}
