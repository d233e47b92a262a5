// Retrieve Estimated Wait Time (spec §4.3): seconds, or 0 (an agent can take the chat now),
// -1 (no agent online), -2 (not enough data). The model: src/chat/capacity.ts.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.ts';
import { skillTargets, waitTimeQuery, type CapacityQuery } from '../capacity-params.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { send } from '../reply.ts';
import { accountParams } from '../schemas.ts';

export function estimatedWaitTimeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const capacity = ctx.capacity;
  app.get<{ Params: AccountParams; Querystring: CapacityQuery }>(
    '/api/account/:accountId/chat/estimatedWaitTime',
    { schema: { params: accountParams, querystring: waitTimeQuery } },
    async (req, reply) => {
      // "Cannot be asked for a single agent" (spec §4.3).
      if (req.query.agent !== undefined) throw new ApiError('bad-query', 'the estimated wait time cannot be asked for one agent');
      const [skill = null] = skillTargets(req.account, req.query);
      return send(req, reply, 200, { estimatedWaitTime: await capacity.waitTime(req.account.id, skill) });
    },
  );
}
