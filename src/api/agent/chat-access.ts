// An agent reaches a chat through its own session only, and only a chat it holds or that
// rings for it; any other chat of the account answers 403, of another account 404.
import type { Chat } from '../../chat/core/types.ts';
import type { AppContext, Req, SessionParams } from '../context.ts';
import { sessionParams } from '../schemas.ts';

export function agentChat(ctx: AppContext, req: Req, chatId: string): Promise<Chat> {
  return ctx.views.agentChat(req.agent, chatId);
}

/** Params of the visit resources (agent spec §2 "Visit"): `…/visits/visit/{visitId}`. */
export type VisitParams = SessionParams & { visitId: string };

export const visitParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'visitId'],
  properties: { ...sessionParams.properties, visitId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;
