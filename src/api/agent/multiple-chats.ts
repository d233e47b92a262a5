// Retrieve Data for Multiple Chats (agent API §4.11): several chat resources (as §4.10) in
// one call, `chatSessionKeys=K1,K2` with optional `fromEventIds=E1,E2` in the same order.
// Each chat obeys the one-chat rule (chat-access.ts); one refused key refuses the call,
// so an answer never silently lacks a chat. JSON spells links and events without "@"
// as the page's example does (agent spec §5 #7).
import type { FastifyInstance } from 'fastify';
import { visitIdOf } from '../../chat/conversation/custom-variables.ts';
import { ApiError } from '../../errors.ts';
import type { AppContext, SessionParams } from '../context.ts';
import { agentChatDoc } from '../representations/chat.ts';
import { send } from '../reply.ts';
import { sessionParams } from '../schemas.ts';

/** At most this many chats per call: an agent holds a handful; this bounds the work. */
export const MAX_CHATS_PER_CALL = 50;

const multipleChatsQuery = {
  type: 'object',
  required: ['chatSessionKeys'],
  properties: {
    chatSessionKeys: { type: 'string', minLength: 1, maxLength: MAX_CHATS_PER_CALL * 129 },
    fromEventIds: { type: 'string', pattern: '^\\s*\\d{1,10}\\s*(,\\s*\\d{1,10}\\s*)*$', maxLength: MAX_CHATS_PER_CALL * 12 },
  },
} as const;

interface Query {
  chatSessionKeys: string;
  fromEventIds?: string;
}

/** The keys and their `from`s, or a bad-query error saying what is wrong. */
export function parseMultipleChats(q: Query): Array<{ key: string; from: number }> {
  const keys = q.chatSessionKeys.split(',').map((k) => k.trim());
  if (keys.some((k) => k === '' || k.length > 128)) throw new ApiError('bad-query', 'chatSessionKeys must be chat keys (1 to 128 characters) separated by commas');
  if (keys.length > MAX_CHATS_PER_CALL) throw new ApiError('bad-query', `at most ${MAX_CHATS_PER_CALL} chatSessionKeys per call`);
  if (new Set(keys).size !== keys.length) throw new ApiError('bad-query', 'a chat key appears twice in chatSessionKeys');
  const froms = q.fromEventIds === undefined ? keys.map(() => 0) : q.fromEventIds.split(',').map((f) => Number(f.trim()));
  if (froms.length !== keys.length) throw new ApiError('bad-query', `fromEventIds has ${froms.length} ids for ${keys.length} chatSessionKeys: give one per chat, in the same order`);
  if (froms.some((f) => !Number.isSafeInteger(f) || f > 2147483647)) throw new ApiError('bad-query', 'fromEventIds must be whole numbers from 0 to 2147483647');
  return keys.map((key, i) => ({ key, from: froms[i] ?? 0 }));
}

export function multipleChatsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: SessionParams; Querystring: Query }>(
    '/api/account/:accountId/agentSession/:sessionId/chat',
    { schema: { params: sessionParams, querystring: multipleChatsQuery } },
    async (req, reply) => {
      const wanted = parseMultipleChats(req.query);
      const sid = req.agentSession.id;
      const items = (await ctx.views.agentChats(req.agent, wanted)).map(
        ({ info, events, next }) => agentChatDoc(req.urls.agentChat(sid, info.chat.id), req.urls.agentVisit(sid, visitIdOf(info.chat.id)), info, events, next).chat,
      );
      return send(req, reply, 200, { chats: { chat: items } }, { bareAttributes: true });
    },
  );
}
