// Retrieve Available Slots (spec §4.2): how many more chats the online agents can hold, for
// the account, a skill (within maxWaitTime) or one agent; -1 = unlimited.
import type { FastifyInstance } from 'fastify';
import { CapacityReader } from '../../chat/routing/capacity-reader.ts';
import type { Account } from '../../chat/core/types.ts';
import { agentAlone, digitsOnly, skillTargets, slotsQuery, type CapacityQuery } from '../capacity-params.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { send } from '../reply.ts';
import { accountParams } from '../schemas.ts';

/** The answer both fronts give (agent spec §4.5: "same semantics as the visitor method"). */
export async function slotsFor(capacity: CapacityReader, account: Account, q: CapacityQuery): Promise<number> {
  const agent = agentAlone(q);
  if (agent !== null) return capacity.agentSlots(account.id, agent);
  const [skill = null] = skillTargets(account, q);
  return capacity.slots(account.id, skill, q.maxWaitTime);
}

export function visitorAvailableSlotsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const capacity = ctx.capacity;
  app.get<{ Params: AccountParams; Querystring: CapacityQuery }>(
    '/api/account/:accountId/chat/availableSlots',
    { schema: { params: accountParams, querystring: slotsQuery }, preValidation: digitsOnly },
    async (req, reply) => send(req, reply, 200, { availableSlots: await slotsFor(capacity, req.account, req.query) }),
  );
}
