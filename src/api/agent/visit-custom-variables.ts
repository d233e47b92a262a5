// The visitor's custom variables, agent side (agent spec §2: GET …/visits/visit/{visitId}/
// customVariables, seen in the agent XML client; spec §4.20 "expose the values on the agent
// side"). The visit id is the chat key without its hex middle (H…K…); the chat key itself
// is accepted too. Only for a chat the agent holds or has ringing (chat-access.ts).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { customVariablesDoc } from '../representations/custom-variables.ts';
import { send } from '../reply.ts';
import { visitParams, type VisitParams } from './chat-access.ts';

export function visitCustomVariablesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: VisitParams }>(
    '/api/account/:accountId/agentSession/:sessionId/visits/visit/:visitId/customVariables',
    { schema: { params: visitParams } },
    async (req, reply) => {
      return send(req, reply, 200, customVariablesDoc(await ctx.visits.customVariables(req.agent, req.params.visitId)));
    },
  );
}
