// Retrieve / Set Agent Availability (agent API §4.2, §4.3): Online, Away, Occupied.
import type { FastifyInstance } from 'fastify';
import type { AgentAvailability } from '../../chat/core/types.ts';
import type { AppContext, SessionParams } from '../context.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

const availabilityBody = {
  type: 'object',
  required: ['availability'],
  properties: {
    availability: {
      type: 'object',
      required: ['chat'],
      properties: { chat: { type: 'string', enum: ['Online', 'Away', 'Occupied'] }, chatReasonId: { type: ['string', 'number'], maxLength: 100, pattern: '^[A-Za-z0-9_.:-]*$' } },
    },
  },
} as const;

export function availabilityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const url = '/api/account/:accountId/agentSession/:sessionId/availability';

  app.get<{ Params: SessionParams }>(url, { schema: { params: sessionParams } }, async (req, reply) => {
    return send(req, reply, 200, { availability: { chat: await ctx.presence.availability(req.agent), voice: 'Offline' } });
  });

  app.route<{ Params: SessionParams; Body: { availability: { chat: AgentAvailability; chatReasonId?: string | number } } }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: sessionParams, body: availabilityBody },
    handler: async (req, reply) => {
      const { chat, chatReasonId } = req.body.availability;
      // The reason goes with the state it was given for; a state set without one clears it.
      await ctx.presence.setAvailability(req.agent, chat, chatReasonId === undefined || chatReasonId === '' ? null : String(chatReasonId));
      // "Response element: chat with the value set" (agent API §4.3).
      return send(req, reply, 200, { availability: { chat } });
    },
  });
}
