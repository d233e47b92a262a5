// JSON schemas of survey answers (spec §4.6, §4.7 `survey`, §4.18; agent API §4.23) and of
// the survey GETs' query. The shape only: whether the answers fit the survey is checked by
// the domain (src/chat/surveys.ts), which lists every problem at once.
import { idLike } from './schemas.ts';

/** One value, or several for a Checkbox (XML: repeated <answer> elements). */
const answerValue = {
  type: ['string', 'number', 'array'],
  maxLength: 10_000,
  maxItems: 100,
  items: { type: ['string', 'number'], maxLength: 10_000 },
} as const;

const question = {
  type: 'object',
  properties: { id: idLike, answer: answerValue, value: answerValue },
} as const;

/** `question`: one object or a list (spec §1.4; §6 #11). */
const questions = { anyOf: [question, { type: 'array', maxItems: 200, items: question }] } as const;

/** `survey` of a submission: its id and its answered questions. */
export const surveyAnswers = {
  type: 'object',
  required: ['id'],
  properties: { id: idLike, question: questions },
} as const;

/** The same with no required id (the agent side names no survey id, agent API §4.23). */
export const agentSurveyAnswers = { type: 'object', properties: surveyAnswers.properties } as const;

/** Exit survey submission (spec §4.18): the JS SDK adds chatReferrer and userAgent inside. */
export const exitSurveyBody = {
  type: 'object',
  required: ['survey'],
  properties: {
    survey: {
      ...surveyAnswers,
      properties: { ...surveyAnswers.properties, chatReferrer: { type: 'string', maxLength: 2000 }, userAgent: { type: 'string', maxLength: 2000 } },
    },
  },
} as const;

/** Query of the survey GETs (spec §4.4, §4.5, §4.17); unknown parameters are ignored. */
export const surveyQuery = {
  type: 'object',
  properties: {
    surveyName: { type: 'string', maxLength: 200 },
    surveyApiId: { type: 'string', maxLength: 200 },
    skill: { type: 'string', maxLength: 200 },
    visitorProfile: { type: 'string', maxLength: 200 },
    visitorId: { type: 'string', maxLength: 200 },
    visitorIp: { type: 'string', maxLength: 100 },
    userAgent: { type: 'string', maxLength: 2000 },
  },
} as const;

export interface SurveyQuery {
  surveyName?: string;
  surveyApiId?: string;
  skill?: string;
  visitorProfile?: string;
  visitorId?: string;
  visitorIp?: string;
  userAgent?: string;
}
