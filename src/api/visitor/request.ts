// Start Chat (spec §4.7): 201, no body, the new chat's address in Location.
import type { FastifyInstance } from 'fastify';
import type { ChatRequest } from '../../chat/conversation/chat-service.ts';
import type { Account, ChatOrigin, Skill } from '../../chat/core/types.ts';
import { ApiError } from '../../errors.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { created } from '../reply.ts';
import { accountParams, idLike, text } from '../schemas.ts';
import { checkCustomVariables } from '../../chat/conversation/custom-variables.ts';
import { customVariableList, customVariablesSchema, type CustomVariablesBody } from './custom-variables.ts';
import type { RawSurveyAnswers } from '../../chat/surveys/surveys.ts';
import { surveyAnswers } from '../survey-schemas.ts';

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
        serviceQueue: idLike,
        agent: idLike,
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
        // JS SDK requestChat (spec §4.7, §4.20): {"customVariable":[{name,value}]}.
        customVariables: customVariablesSchema,
        // Account-to-account transfer: the a2a-transfer event's chatRequestParameters (spec §4.21).
        a2aSourceSiteId: idLike,
        a2aSourceSessionId: idLike,
        a2aEventId: idLike,
        // Pre-chat survey answers (spec §4.7 `survey`), checked against the survey (surveys.ts).
        survey: surveyAnswers,
      },
    },
  },
} as const;

interface RequestBody {
  request: {
    skill?: string | number;
    skillId?: string | number;
    interactionTimeout?: number;
    maxWaitTime?: number;
    serviceQueue?: string | number;
    agent?: string | number;
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
    customVariables?: CustomVariablesBody;
    a2aSourceSiteId?: string | number;
    a2aSourceSessionId?: string | number;
    a2aEventId?: string | number;
    survey?: RawSurveyAnswers;
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
  // The legacy `serviceQueue` names a skill too; only when no skill is given (JS SDK: ignored then).
  if (given(r.serviceQueue)) return findSkill(account, { skill: r.serviceQueue });
  return null;
}

const given = (v: string | number | undefined): v is string | number => v !== undefined && String(v) !== '';

/**
 * The spec §4.7 combinations: `agent` goes alone (not with skill, serviceQueue or
 * maxWaitTime); `serviceQueue` only with `maxWaitTime`.
 */
function checkCombinations(r: RequestBody['request']): void {
  if (given(r.agent)) {
    const clash = (['skill', 'skillId', 'serviceQueue', 'maxWaitTime'] as const).filter((k) => given(r[k]));
    if (clash.length > 0) throw new ApiError('bad-body', `request.agent cannot be combined with request.${clash.join(', request.')}`);
  }
  if (given(r.serviceQueue) && r.maxWaitTime === undefined) throw new ApiError('bad-body', 'request.serviceQueue is only accepted with request.maxWaitTime');
}

const str = (v: string | number | undefined): string | undefined => (v === undefined || v === '' ? undefined : String(v));

export function toChatRequest(account: Account, body: RequestBody, fallback: { ip: string; userAgent: string | undefined }): ChatRequest {
  const r = body.request;
  checkCombinations(r);
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
    a2aSourceSiteId: str(r.a2aSourceSiteId),
    a2aSourceSessionId: str(r.a2aSourceSessionId),
    a2aEventId: str(r.a2aEventId),
  };
  for (const k of Object.keys(origin) as Array<keyof ChatOrigin>) if (origin[k] === undefined) delete origin[k];
  return {
    skill: findSkill(account, r),
    chatTimeout: r.interactionTimeout ?? null,
    maxWaitTime: r.maxWaitTime ?? null,
    visitorId: r.visitorId ?? null,
    visitorName: r.visitorName ?? null,
    preChatLines: [...(r.preChatLines?.line ?? []), ...(r.preChatLines?.lines ?? [])].filter((l) => l.trim() !== ''),
    origin,
  };
}

export function requestRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: AccountParams; Body: RequestBody }>(
    '/api/account/:accountId/chat/request',
    { schema: { params: accountParams, body: requestBody }, config: { carriesText: true } },
    async (req, reply) => {
      const input = toChatRequest(req.account, req.body, { ip: req.ip, userAgent: req.headers['user-agent'] });
      const wanted = req.body.request.agent;
      // `agent` is a login name (spec §4.7): the chat goes to that agent only.
      if (given(wanted)) input.agentLogin = String(wanted);
      const survey = req.body.request.survey;
      if (survey) input.preChatSurvey = survey;
      const vars = req.body.request.customVariables;
      if (vars) input.customVariables = checkCustomVariables(customVariableList(vars));
      // An a2a transfer's ids travel together (the a2a-transfer event's chatRequestParameters, spec §4.21).
      const a2a = (['a2aSourceSiteId', 'a2aSourceSessionId', 'a2aEventId'] as const).filter((k) => given(req.body.request[k]));
      if (a2a.length > 0 && a2a.length < 3) throw new ApiError('bad-body', 'a2aSourceSiteId, a2aSourceSessionId and a2aEventId go together');
      const chat = await ctx.chats.requestChat(req.account, input);
      return created(req, reply, req.urls.chat(chat.id));
    },
  );
}
