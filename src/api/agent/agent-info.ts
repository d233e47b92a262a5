// Retrieve Agent Information (agent API §4.6): the calling agent's own profile, state and
// skills. (info.ts beside this file is the CHAT information resource, §4.15.)
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionParams } from '../context.ts';
import { agentInfoDoc } from '../representations/agents.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

export function agentInformationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const directory = ctx.directory;
  app.get<{ Params: SessionParams }>(
    '/api/account/:accountId/agentSession/:sessionId/info',
    { schema: { params: sessionParams } },
    async (req, reply) => {
      const agent = req.agent;
      return send(req, reply, 200, agentInfoDoc(`${req.urls.agentSession(req.agentSession.id)}/info`, agent, await directory.skillsOf(agent)));
    },
  );
}
