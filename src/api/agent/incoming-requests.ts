// Determine Incoming Chat Request and Accept a Chat (agent API §4.7, §4.8).
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionParams } from '../context.ts';
import { link } from '../representations/links.ts';
import { created, send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

export function incomingRequestsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const url = '/api/account/:accountId/agentSession/:sessionId/incomingRequests';

  app.get<{ Params: SessionParams }>(url, { schema: { params: sessionParams } }, async (req, reply) => {
    const { accountId, id } = req.agent;
    const ringing = (await ctx.router.ringing(accountId, id)).length;
    const href = `${req.urls.agentSession(req.agentSession.id)}/incomingRequests`;
    // The link to take the next chat is there only while something rings (agent API §4.7).
    return send(req, reply, 200, { incomingRequests: { ringingCount: String(ringing), link: ringing > 0 ? link(href, 'accept') : undefined } });
  });

  // Body {} (doc), {"chat":"start"} (sample app) or none (XML client): all accepted.
  app.post<{ Params: SessionParams }>(url, { schema: { params: sessionParams } }, async (req, reply) => {
    const chat = await ctx.router.acceptNext(req.agent.accountId, req.agent);
    const href = req.urls.agentChat(req.agentSession.id, chat.id);
    return created(req, reply, href, { chatLocation: { link: link(href, 'location') } });
  });
}
