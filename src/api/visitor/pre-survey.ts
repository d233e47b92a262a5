// Retrieve Pre-Chat Survey (spec §4.4). The answers travel inside Start Chat (`survey`,
// request.ts). The doc's URL has a double slash (`/chat//preSurvey`, spec §6 #8): the router
// ignores duplicate slashes, so both spellings land here. No survey provisioned: 204.
import type { FastifyInstance } from 'fastify';
import type { AccountParams, AppContext } from '../context.ts';
import { surveyDoc } from '../representations/survey.ts';
import { send } from '../reply.ts';
import { accountParams } from '../schemas.ts';
import { surveyQuery, type SurveyQuery } from '../survey-schemas.ts';

export function preSurveyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const surveys = ctx.surveys;
  app.get<{ Params: AccountParams; Querystring: SurveyQuery }>(
    '/api/account/:accountId/chat/preSurvey',
    { schema: { params: accountParams, querystring: surveyQuery } },
    async (req, reply) => {
      const q = req.query;
      const survey = surveys.accountSurvey(req.account, 'preChat', q.skill, { name: q.surveyName, apiId: q.surveyApiId });
      if (!survey) return reply.code(204).send();
      return send(req, reply, 200, surveyDoc(survey));
    },
  );
}
