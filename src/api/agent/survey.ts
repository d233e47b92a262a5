// Retrieve Agent Survey Structure / Submit Survey Data (agent API §4.22, §4.23): the
// post-chat disposition survey. Reading needs the chat to be the agent's (held or ringing,
// chat-access.ts); answering needs it held, and works after the chat ended. The body is
// `{"survey":{"id":…,"question":…}}` as on the visitor side, or the bare `question` elements
// the agent page describes (then the chat's own survey is meant). No survey provisioned: 204.
import type { FastifyInstance } from 'fastify';
import type { RawAnswer } from '../../chat/surveys/surveys.ts';
import { ApiError } from '../../errors.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { surveyDoc } from '../representations/survey.ts';
import { ok, send } from '../reply.ts';
import { sessionChatParams } from '../schemas.ts';
import { agentSurveyAnswers } from '../survey-schemas.ts';

const surveyBody = {
  type: 'object',
  properties: { survey: agentSurveyAnswers, question: agentSurveyAnswers.properties.question },
} as const;

interface SurveyBody {
  survey?: { id?: string | number; question?: RawAnswer | RawAnswer[] };
  question?: RawAnswer | RawAnswer[];
}

export function agentSurveyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const surveys = ctx.surveys;
  const url = '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/survey';

  app.get<{ Params: SessionChatParams }>(url, { schema: { params: sessionChatParams } }, async (req, reply) => {
    const survey = await surveys.agentSurvey(req.agent, req.params.chatId);
    if (!survey) return reply.code(204).send();
    return send(req, reply, 200, surveyDoc(survey));
  });

  // Documented as PUT, sent as POST + X-HTTP-Method-Override (agent API §4.23); a bare POST works too.
  app.route<{ Params: SessionChatParams; Body: SurveyBody | undefined }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: sessionChatParams, body: surveyBody },
    config: { carriesText: true },
    handler: async (req, reply) => {
      const body = req.body ?? {};
      if (body.survey === undefined && body.question === undefined) throw new ApiError('bad-body', 'send "survey" with its "question" answers');
      const raw = body.survey ?? { question: body.question };
      await surveys.submitAgent(req.agent, req.params.chatId, { ...raw, question: raw.question ?? body.question });
      return ok(reply);
    },
  });
}
