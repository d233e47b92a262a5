// Retrieve Available Slots, agent side (agent spec §4.5): the visitor method's answer for the
// agent's own account, behind the agent's bearer and session.
import type { FastifyInstance } from 'fastify';
import { digitsOnly, slotsQuery, type CapacityQuery } from '../capacity-params.ts';
import type { AppContext, SessionParams } from '../context.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';
import { slotsFor } from '../visitor/available-slots.ts';

export function agentAvailableSlotsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const capacity = ctx.capacity;
  app.get<{ Params: SessionParams; Querystring: CapacityQuery }>(
    '/api/account/:accountId/agentSession/:sessionId/chat/availableSlots',
    { schema: { params: sessionParams, querystring: slotsQuery }, preValidation: digitsOnly },
    async (req, reply) => {
      return send(req, reply, 200, { availableSlots: await slotsFor(capacity, req.account, req.query) });
    },
  );
}
