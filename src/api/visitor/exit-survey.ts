// Retrieve Exit Survey Structure / Submit Survey Data (spec §4.17, §4.18). Both work after
// the chat ended: the vendor SDK asks for the exit survey when the visitor ends the chat,
// keeps polling every 15 s while it is pending, then submits it. No survey provisioned: 204,
// which the SDK reads as "no exit survey pending" (a 2xx without `survey`).
import type { FastifyInstance } from 'fastify';
import type { RawSurveyAnswers } from '../../chat/surveys/surveys.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { surveyDoc } from '../representations/survey.ts';
import { ok, send } from '../reply.ts';
import { chatParams } from '../schemas.ts';
import { exitSurveyBody, surveyQuery, type SurveyQuery } from '../survey-schemas.ts';

export function exitSurveyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const surveys = ctx.surveys;
  const url = '/api/account/:accountId/chat/:chatId/exitSurvey';

  app.get<{ Params: ChatParams; Querystring: SurveyQuery }>(url, { schema: { params: chatParams, querystring: surveyQuery } }, async (req, reply) => {
    const survey = await surveys.exitSurvey(req.account, req.params.chatId, { name: req.query.surveyName, apiId: req.query.surveyApiId });
    if (!survey) return reply.code(204).send();
    return send(req, reply, 200, surveyDoc(survey));
  });

  app.route<{ Params: ChatParams; Body: { survey: RawSurveyAnswers } }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: chatParams, body: exitSurveyBody },
    config: { carriesText: true },
    handler: async (req, reply) => {
      await surveys.submitExit(req.account, req.params.chatId, req.body.survey);
      return ok(reply);
    },
  });
}
