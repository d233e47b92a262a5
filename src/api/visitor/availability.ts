// Retrieve Availability (spec §4.1): may a chat be taken, for the account, a skill (or
// several: the JS SDK's AvailabilityForSkills form), within maxWaitTime, or for one agent.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.ts';
import { agentAlone, digitsOnly, availabilityQuery, skillTargets, type CapacityQuery } from '../capacity-params.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { send } from '../reply.ts';
import { accountParams } from '../schemas.ts';

export function visitorAvailabilityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const capacity = ctx.capacity;
  app.get<{ Params: AccountParams; Querystring: CapacityQuery }>(
    '/api/account/:accountId/chat/availability',
    { schema: { params: accountParams, querystring: availabilityQuery }, preValidation: digitsOnly },
    async (req, reply) => {
      const q = req.query;
      const agent = agentAlone(q);
      if (agent !== null) return send(req, reply, 200, { availability: await capacity.agentAvailability(req.account.id, agent) });
      // "serviceQueue: only together with maxWaitTime" (spec §4.1).
      if (q.serviceQueue !== undefined && q.maxWaitTime === undefined) throw new ApiError('bad-query', '"serviceQueue" needs "maxWaitTime"');
      const targets = skillTargets(req.account, q);
      const answers = await capacity.availability(req.account.id, targets, q.maxWaitTime);
      if (q.skill === undefined || q.skill.length === 1) return send(req, reply, 200, { availability: answers[0] ?? false });
      const skillAvailability = q.skill.map((skill, i) => ({ skill, isAvailable: answers[i] ?? false }));
      return send(req, reply, 200, { availability: { AvailabilityForSkills: { skillAvailability } } });
    },
  );
}
