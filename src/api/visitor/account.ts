// The account root (spec §1.6): not on any vendor page, but the JS SDK and the XML clients
// start from it and follow its rels.
import type { FastifyInstance } from 'fastify';
import type { AccountParams, AppContext } from '../context.ts';
import { link } from '../representations/links.ts';
import { send } from '../reply.ts';
import { accountParams } from '../schemas.ts';

export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: AccountParams }>('/api/account/:accountId', { schema: { params: accountParams } }, async (req, reply) => {
    const u = req.urls;
    return send(req, reply, 200, {
      account: {
        '@id': req.account.id,
        // The order of spec §1.6 and real-clients.md; agent-side clients also look here.
        link: [
          link(u.account, 'self'),
          link(`${u.account}/chat/availability`, 'chat-availability'),
          link(`${u.account}/chat/availableSlots`, 'chat-available-slots'),
          link(`${u.account}/chat/estimatedWaitTime`, 'chat-estimatedWaitTime'),
          link(`${u.account}/chat/request`, 'chat-request'),
          link(`${u.account}/chat/preSurvey`, 'prechat-survey'),
          link(`${u.account}/chat/offlineSurvey`, 'chat-offline-survey'),
          link(`${u.account}/agentSession`, 'agent-session'),
        ],
      },
    });
  });
}
