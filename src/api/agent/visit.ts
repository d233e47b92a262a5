// Visit (agent spec §2 "Visit [client]", §4.10 link `visit-id`: "visit data: pages, surveys,
// custom variables"): GET …/agentSession/{s}/visits/visit/{visitId}. The visit id and the
// access rule are those of its customVariables sub-resource (chat-access.ts).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { visitDoc } from '../representations/visit.ts';
import { send } from '../reply.ts';
import { visitParams, type VisitParams } from './chat-access.ts';

export function visitRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: VisitParams }>(
    '/api/account/:accountId/agentSession/:sessionId/visits/visit/:visitId',
    { schema: { params: visitParams } },
    async (req, reply) => {
      const visit = await ctx.visits.visit(req.agent, req.params.visitId);
      // Addressed by chat key or visit id, the links name the visit id (the form §4.10 links to).
      return send(req, reply, 200, visitDoc(req.urls.agentVisit(req.agentSession.id, visit.id), visit));
    },
  );
}
