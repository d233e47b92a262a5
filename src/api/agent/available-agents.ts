// Retrieve Available Agents (agent API §4.4): every agent of the account, online or not,
// with skills and load, for picking transfer targets; filters skill, chatState,
// voiceState, chatReasonId. The `next` link repeats the filters with a fresh timeStamp; a
// call with timeStamp lists only the agents whose availability or load changed since then.
import type { FastifyInstance } from 'fastify';
import { type AgentsFilter } from '../../chat/agents/agent-directory.ts';
import type { AppContext, SessionParams } from '../context.ts';
import { availableAgentsDoc } from '../representations/agents.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

const state = { type: 'string', enum: ['Online', 'Offline', 'Occupied', 'Away'] } as const;

const availableAgentsQuery = {
  type: 'object',
  properties: {
    skill: { type: 'string', minLength: 1, maxLength: 100 },
    chatState: state,
    voiceState: state,
    chatReasonId: { type: 'string', minLength: 1, maxLength: 100 },
    // The `next` link's marker (epoch ms): only what changed since then (agent API §4.4).
    timeStamp: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  },
} as const;

type Query = AgentsFilter & { timeStamp?: number };

export function availableAgentsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const directory = ctx.directory;
  app.get<{ Params: SessionParams; Querystring: Query }>(
    '/api/account/:accountId/agentSession/:sessionId/availableAgents',
    { schema: { params: sessionParams, querystring: availableAgentsQuery } },
    async (req, reply) => {
      const { skill, chatState, voiceState, chatReasonId, timeStamp: since } = req.query;
      const filter: AgentsFilter = { skill, chatState, voiceState, chatReasonId };
      const { agents, timeStamp } = await directory.availableAgents(req.agent.accountId, { ...filter, ...(since === undefined ? {} : { changedSince: since }) });
      const next = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) if (v !== undefined) next.set(k, v);
      next.set('timeStamp', String(timeStamp));
      return send(req, reply, 200, availableAgentsDoc(agents, `${req.urls.agentSession(req.agentSession.id)}/availableAgents?${next.toString()}`));
    },
  );
}
