// Start Chat (spec §4.7): 201, no body, the new chat's address in Location.
import type { FastifyInstance } from 'fastify';
import type { ChatRequest } from '../../chat/chat-service.ts';
import type { Account, ChatOrigin, Skill } from '../../chat/types.ts';
import { ApiError } from '../../errors.ts';
import { visitorAuth } from '../auth.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { created } from '../reply.ts';
import { accountParams, idLike, text } from '../schemas.ts';

const lines = { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 5000 } } as const;

const requestBody = {
  type: 'object',
  required: ['request'],
  properties: {
    request: {
      type: 'object',
      properties: {
        skill: idLike,
        skillId: idLike,
        interactionTimeout: { type: 'integer', minimum: 1, maximum: 86400 },
        maxWaitTime: { type: 'integer', minimum: 0, maximum: 86400 },
        visitorId: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
        visitorName: text(200),
        // The doc writes {"line": [...]}, the JS SDK {"lines": [...]} (spec §6 #9).
        preChatLines: { type: 'object', properties: { line: lines, lines } },
        LETagVisitorId: text(200),
        LETagSessionId: text(200),
        LETagContextId: idLike,
        engagementId: idLike,
        campaignId: idLike,
        language: text(35),
        participantId: text(200),
        conversationId: text(200),
        visitorIp: text(100),
        userAgent: { type: 'string', maxLength: 2000 },
        chatReferrer: { type: 'string', maxLength: 2000 },
      },
    },
  },
} as const;

interface RequestBody {
  request: {
    skill?: string | number;
    skillId?: string | number;
    interactionTimeout?: number;
    visitorId?: number;
    visitorName?: string;
    preChatLines?: { line?: string[]; lines?: string[] };
    LETagVisitorId?: string;
    LETagSessionId?: string;
    LETagContextId?: string | number;
    engagementId?: string | number;
    campaignId?: string | number;
    language?: string;
    participantId?: string;
    conversationId?: string;
    visitorIp?: string;
    userAgent?: string;
    chatReferrer?: string;
  };
}

/** A skill by name (the documented `skill`) or by id (`skillId`, Postman). */
function findSkill(account: Account, r: RequestBody['request']): Skill | null {
  if (r.skill !== undefined && String(r.skill) !== '') {
    const want = String(r.skill);
    const s = account.skills.find((k) => k.name === want) ?? account.skills.find((k) => k.name.toLowerCase() === want.toLowerCase() || String(k.id) === want);
    if (!s) throw new ApiError('unknown-skill', `"${want}"`);
    return s;
  }
  if (r.skillId !== undefined && String(r.skillId) !== '') {
    const s = account.skills.find((k) => String(k.id) === String(r.skillId));
    if (!s) throw new ApiError('unknown-skill', `id ${r.skillId}`);
    return s;
  }
  return null;
}

const str = (v: string | number | undefined): string | undefined => (v === undefined || v === '' ? undefined : String(v));

export function toChatRequest(account: Account, body: RequestBody, fallback: { ip: string; userAgent: string | undefined }): ChatRequest {
  const r = body.request;
  const origin: Partial<ChatOrigin> = {
    sharkVisitorId: str(r.LETagVisitorId),
    sharkSessionId: str(r.LETagSessionId),
    sharkContextId: str(r.LETagContextId),
    engagementId: str(r.engagementId),
    campaignId: str(r.campaignId),
    language: r.language,
    participantId: r.participantId,
    conversationId: r.conversationId,
    visitorIp: r.visitorIp ?? fallback.ip,
    userAgent: r.userAgent ?? fallback.userAgent,
    chatReferrer: r.chatReferrer,
  };
  for (const k of Object.keys(origin) as Array<keyof ChatOrigin>) if (origin[k] === undefined) delete origin[k];
  return {
    skill: findSkill(account, r),
    chatTimeout: r.interactionTimeout ?? null,
    visitorId: r.visitorId ?? null,
    visitorName: r.visitorName ?? null,
    preChatLines: [...(r.preChatLines?.line ?? []), ...(r.preChatLines?.lines ?? [])].filter((l) => l.trim() !== ''),
    origin,
  };
}

export function requestRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: AccountParams; Body: RequestBody }>(
    '/api/account/:accountId/chat/request',
    { schema: { params: accountParams, body: requestBody }, preHandler: visitorAuth(ctx) },
    async (req, reply) => {
      const input = toChatRequest(req.account, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
      const chat = await ctx.chats.requestChat(req.account, input);
      return created(req, reply, req.urls.chat(chat.id));
    },
  );
}
