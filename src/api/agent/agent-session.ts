// Start Agent Session (agent API §4.1) and the session resource that lists what it holds.
import type { FastifyInstance } from 'fastify';
import type { AccountParams, AppContext, SessionParams } from '../context.ts';
import { link } from '../representations/links.ts';
import { created, send } from '../reply.ts';
import { accountParams, sessionParams } from '../schemas.ts';

export function agentSessionRoutes(app: FastifyInstance, ctx: AppContext): void {

  // The body ({"loginData": ""}, {} or {userName, password}) is only there for backward
  // compatibility (spec §5 #1); the bearer says who the agent is.
  app.post<{ Params: AccountParams }>('/api/account/:accountId/agentSession', { schema: { params: accountParams } }, async (req, reply) => {
    const session = await ctx.desk.startSession(req.agent);
    const href = req.urls.agentSession(session.id);
    // The doc's table also lists `agentSessionId`, the href's last segment (agent API §4.1).
    return created(req, reply, href, { agentSessionLocation: { link: link(href, 'location'), agentSessionId: session.id } });
  });

  app.get<{ Params: SessionParams }>('/api/account/:accountId/agentSession/:sessionId', { schema: { params: sessionParams } }, async (req, reply) => {
    const href = req.urls.agentSession(req.agentSession.id);
    // Rooted at agentSessionId, the element the XML client saw (agent API §4.1).
    return send(req, reply, 200, {
      agentSessionId: {
        '@id': req.agentSession.id,
        link: [
          link(href, 'self'),
          link(`${href}/availability`, 'availability'),
          link(`${href}/incomingRequests`, 'incoming-requests'),
          // Rel names ours (the vendor's are unknown), after the ones clients are known to read.
          link(`${href}/availableAgents`, 'available-agents'),
          link(`${href}/info`, 'info'),
          link(`${href}/chatSessions`, 'chat-sessions'),
        ],
      },
    });
  });
}
