// Retrieve Participant Info (agent API §4.24): what is known of an authenticated visitor,
// by the participantId of a chat's information — only for a chat the agent holds or has
// ringing. The SDEs are those the visitor's verified ssoKey carried (spec §4.7b).
import type { FastifyInstance } from 'fastify';
import type { AppContext, SessionParams } from '../context.ts';
import { participantDoc } from '../representations/agents.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

type Params = SessionParams & { participantId: string };

const participantParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'participantId'],
  properties: { ...sessionParams.properties, participantId: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

export function participantInfoRoutes(app: FastifyInstance, ctx: AppContext): void {
  const directory = ctx.directory;
  app.get<{ Params: Params }>(
    '/api/account/:accountId/agentSession/:sessionId/participantExtendedInfo/:participantId',
    { schema: { params: participantParams } },
    async (req, reply) => {
      const chat = await directory.participantChat(req.agent, req.params.participantId);
      // The SDE lists (contacts) stay arrays, as the vendor's SDE shapes have them.
      return send(req, reply, 200, participantDoc(chat, req.format === 'xml'), { collapse: false });
    },
  );
}
