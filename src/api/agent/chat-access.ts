// An agent reaches a chat through its own session only, and only a chat it holds or that
// rings for it; any other chat of the account answers 403, of another account 404.
import { visitIdOf } from '../../chat/conversation/custom-variables.ts';
import type { Chat } from '../../chat/core/types.ts';
import { ApiError } from '../../errors.ts';
import type { AppContext, Req, SessionParams } from '../context.ts';
import { sessionParams } from '../schemas.ts';

export async function agentChat(ctx: AppContext, req: Req, chatId: string): Promise<Chat> {
  const chat = await ctx.chats.getChat(req.agent.accountId, chatId);
  ctx.chats.requireOwner(chat, req.agent);
  return chat;
}

/** Params of the visit resources (agent spec §2 "Visit"): `…/visits/visit/{visitId}`. */
export type VisitParams = SessionParams & { visitId: string };

export const visitParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'visitId'],
  properties: { ...sessionParams.properties, visitId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/**
 * The chat behind a visit id: the chat key without its hex middle (H…K…, agent spec §4.10)
 * among the agent's open chats, or a chat key itself (then the chat rule above: 403 for
 * another agent's chat). A visit id matching none of the agent's chats is 404.
 */
export async function visitChat(ctx: AppContext, req: Req, visitId: string): Promise<Chat> {
  const open = await ctx.chats.store.listAgentChats(req.agent.accountId, req.agent.id);
  const found = open.find((c) => visitIdOf(c.id) === visitId) ?? (await ctx.chats.store.getChat(req.agent.accountId, visitId));
  if (!found) throw new ApiError('not-found', `no visit ${visitId} in this agent's chats`);
  ctx.chats.requireOwner(found, req.agent);
  return found;
}
