// Retrieve / Post Offline Survey (spec §4.5, §4.6). The visitor's details may sit inside
// `survey` (doc example) or beside it (JS SDK), and `chatRefferer` is the doc's spelling
// (spec §6 #10): all are accepted, the ones inside `survey` win. No survey provisioned: 204.
import type { FastifyInstance } from 'fastify';
import { type OfflineVisitor } from '../../chat/surveys/survey-service.ts';
import type { RawSurveyAnswers } from '../../chat/surveys/surveys.ts';
import type { AccountParams, AppContext } from '../context.ts';
import { surveyDoc } from '../representations/survey.ts';
import { ok, send } from '../reply.ts';
import { accountParams, idLike, text } from '../schemas.ts';
import { surveyAnswers, surveyQuery, type SurveyQuery } from '../survey-schemas.ts';

const visitorFields = {
  skill: idLike,
  visitorId: idLike,
  visitorIp: text(100),
  chatReferrer: { type: 'string', maxLength: 2000 },
  chatRefferer: { type: 'string', maxLength: 2000 },
  userAgent: { type: 'string', maxLength: 2000 },
  LETagVisitorId: text(200),
  LETagSessionId: text(200),
  LETagContextId: idLike,
  visitorSessionId: idLike,
} as const;

const offlineBody = {
  type: 'object',
  required: ['survey'],
  properties: {
    ...visitorFields,
    survey: { ...surveyAnswers, properties: { ...surveyAnswers.properties, ...visitorFields } },
  },
} as const;

interface VisitorFields {
  skill?: string | number;
  visitorId?: string | number;
  visitorIp?: string;
  chatReferrer?: string;
  chatRefferer?: string;
  userAgent?: string;
  LETagVisitorId?: string;
  LETagSessionId?: string;
  LETagContextId?: string | number;
  visitorSessionId?: string | number;
}

interface OfflineBody extends VisitorFields {
  survey: RawSurveyAnswers & VisitorFields;
}

const str = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));

function visitorOf(body: OfflineBody, fallback: { ip: string; userAgent: string | undefined }): OfflineVisitor {
  const s = body.survey;
  const pick = <K extends keyof VisitorFields>(k: K): VisitorFields[K] => s[k] ?? body[k];
  return {
    skill: pick('skill'),
    visitorId: str(pick('visitorId')),
    visitorIp: pick('visitorIp') ?? fallback.ip,
    userAgent: pick('userAgent') ?? fallback.userAgent,
    chatReferrer: pick('chatReferrer') ?? pick('chatRefferer'),
    sharkVisitorId: pick('LETagVisitorId'),
    sharkSessionId: pick('LETagSessionId'),
    sharkContextId: str(pick('LETagContextId')),
    visitorSessionId: str(pick('visitorSessionId')),
  };
}

export function offlineSurveyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const surveys = ctx.surveys;
  const url = '/api/account/:accountId/chat/offlineSurvey';

  app.get<{ Params: AccountParams; Querystring: SurveyQuery }>(url, { schema: { params: accountParams, querystring: surveyQuery } }, async (req, reply) => {
    const q = req.query;
    const survey = surveys.accountSurvey(req.account, 'offline', q.skill, { name: q.surveyName, apiId: q.surveyApiId });
    if (!survey) return reply.code(204).send();
    return send(req, reply, 200, surveyDoc(survey));
  });

  // Documented as PUT, sent as POST + X-HTTP-Method-Override (spec §1.5); a bare POST works too.
  app.route<{ Params: AccountParams; Body: OfflineBody }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: accountParams, body: offlineBody },
    config: { carriesText: true },
    handler: async (req, reply) => {
      await surveys.submitOffline(req.account, req.body.survey, visitorOf(req.body, { ip: req.ip, userAgent: req.headers['user-agent'] }));
      return ok(reply);
    },
  });
}
