// Query parameters of the capacity methods (spec §4.1–§4.3, agent spec §4.5) and the rules
// that tie them together, shared by the visitor and the agent routes.
import type { FastifyRequest } from 'fastify';
import type { SkillTarget } from '../chat/routing/capacity.ts';
import type { Account } from '../chat/core/types.ts';
import { ApiError } from '../errors.ts';
import { text } from './schemas.ts';

/** "numeric 0–86400; 0 means immediately" (spec §3, §4.1). */
const maxWaitTime = { type: 'integer', minimum: 0, maximum: 86400 } as const;
const name = text(100);

export interface CapacityQuery {
  skill?: string[];
  serviceQueue?: string;
  maxWaitTime?: number;
  agent?: string;
}

/** Availability: `skill` may repeat (the JS SDK sends one `skill=` per skill). */
export const availabilityQuery = {
  type: 'object',
  properties: { skill: { type: 'array', minItems: 1, maxItems: 50, items: name }, serviceQueue: name, maxWaitTime, agent: name },
} as const;

/** Available slots: one skill, maxWaitTime, or one agent (spec §4.2, agent spec §4.5). */
export const slotsQuery = {
  type: 'object',
  properties: { skill: { type: 'array', minItems: 1, maxItems: 1, items: name }, maxWaitTime, agent: name },
} as const;

/** Estimated wait time: a skill or a service queue, never an agent (spec §4.3). */
export const waitTimeQuery = {
  type: 'object',
  properties: { skill: { type: 'array', minItems: 1, maxItems: 1, items: name }, serviceQueue: name, agent: name },
} as const;

/**
 * preValidation: maxWaitTime is written in decimal digits. The validator would otherwise
 * coerce " ", "1e2" or "0x10" to numbers the client never meant.
 */
export async function digitsOnly(req: FastifyRequest): Promise<void> {
  const raw = (req.query as Record<string, unknown> | undefined)?.['maxWaitTime'];
  if (typeof raw === 'string' && !/^[0-9]+$/.test(raw)) throw new ApiError('bad-query', `maxWaitTime must be a whole number of seconds, 0 to 86400 (got "${raw.slice(0, 20)}")`);
}

/** `agent` asks about one agent and "may not be combined with the others" (spec §4.1, §4.2). */
export function agentAlone(q: CapacityQuery): string | null {
  if (q.agent === undefined) return null;
  if (q.skill !== undefined || q.serviceQueue !== undefined || q.maxWaitTime !== undefined) {
    throw new ApiError('bad-query', '"agent" cannot be combined with "skill", "serviceQueue" or "maxWaitTime"');
  }
  return q.agent;
}

/** A skill of the account by name (exact, then any case) or id, as Start Chat matches it. */
export function skillTarget(account: Account, wanted: string, what = 'skill'): SkillTarget {
  const s =
    account.skills.find((k) => k.name === wanted) ??
    account.skills.find((k) => k.name.toLowerCase() === wanted.toLowerCase() || String(k.id) === wanted);
  if (!s) throw new ApiError('unknown-skill', `${what} "${wanted}"`);
  return s.id;
}

/**
 * The skills asked about, or [null] for "any". A service queue is read as the skill of that
 * name (the legacy name of a skill's queue); `skill` wins when both are given, as in the JS SDK.
 */
export function skillTargets(account: Account, q: CapacityQuery): SkillTarget[] {
  if (q.skill !== undefined) return q.skill.map((s) => skillTarget(account, s));
  if (q.serviceQueue !== undefined) return [skillTarget(account, q.serviceQueue, 'serviceQueue')];
  return [null];
}
