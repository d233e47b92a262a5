// Retrieve Available Skills and Transfer a Chat (agent API §4.20, §4.21); the rules live in
// src/chat/transfer.ts.
import type { FastifyInstance } from 'fastify';
import { type TransferTarget } from '../../chat/routing/transfer.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { ok, send } from '../reply.ts';
import { sessionChatParams } from '../schemas.ts';

const id = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;
const note = { type: 'string', maxLength: 5000 } as const;
const ref = { type: 'object', required: ['id'], properties: { id } } as const;

// `text` inside `transfer` (doc) or beside it (agent sample app) (agent spec §5 #8).
const transferBody = {
  type: 'object',
  required: ['transfer'],
  properties: {
    transfer: { type: 'object', properties: { skill: ref, agent: ref, text: note } },
    text: note,
  },
} as const;

interface TransferBody {
  transfer: { skill?: { id: number }; agent?: { id: number }; text?: string };
  text?: string;
}

export function transferRoutes(app: FastifyInstance, ctx: AppContext): void {
  const transfers = ctx.transfers;
  const url = '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/transfer';

  app.get<{ Params: SessionChatParams }>(url, { schema: { params: sessionChatParams } }, async (req, reply) => {
    const skills = await transfers.availableSkills(req.agent.accountId, req.params.chatId, req.agent);
    // Ids and counts are strings, as in the vendor's example.
    const skill = skills.map((s) => ({ id: String(s.skill.id), name: s.skill.name, onlineAgents: String(s.onlineAgents) }));
    return send(req, reply, 200, { transfer: { skill } });
  });

  app.post<{ Params: SessionChatParams; Body: TransferBody }>(url, { schema: { params: sessionChatParams, body: transferBody } }, async (req, reply) => {
    const t = req.body.transfer;
    const target: TransferTarget = {
      ...(t.skill ? { skillId: t.skill.id } : {}),
      ...(t.agent ? { agentId: t.agent.id } : {}),
    };
    const text = t.text ?? req.body.text;
    if (text !== undefined) target.text = text;
    await transfers.transfer(req.agent.accountId, req.params.chatId, req.agent, target);
    // "200 OK", no documented body (agent API §4.21).
    return ok(reply);
  });
}
