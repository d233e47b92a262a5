// The visit behind a chat, as the agent side reads it (agent spec §2 "Visit", §4.10 link
// `visit-id`: "visit data: pages, surveys, custom variables"). serverchat has no visit
// tracking of its own: a visit is what its chat carries — the pages the visitor reported
// (`url` events), the pre-chat and exit survey answers, the custom variables (served by
// their own resource). Shape decisions in docs/compatibility.md "Visit".
import type { ChatStore } from '../../store/store.ts';
import type { ChatService } from './chat-service.ts';
import type { ChatViews } from './chat-views.ts';
import { visitIdOf } from './custom-variables.ts';
import { surveysOfKind } from '../surveys/surveys.ts';
import type { Account, Agent, Chat, CustomVariable, SurveyKind, SurveySubmission } from '../core/types.ts';

export interface VisitPage {
  url: string;
  time: number;
}

/** One answered question, with its label while the survey is still provisioned. */
export interface VisitAnswer {
  questionId: number;
  label?: string;
  values: string[];
}

export interface VisitSurvey {
  surveyId: number;
  /** The survey's title while it is still provisioned. */
  title?: string;
  time: number;
  answers: VisitAnswer[];
}

export interface Visit {
  id: string;
  chat: Chat;
  /** Pages the visitor reported, oldest first; pages the agent pushed are not the visitor's visit. */
  pages: VisitPage[];
  preChatSurvey: VisitSurvey | null;
  exitSurvey: VisitSurvey | null;
}

function surveyOf(account: Account | null, kind: SurveyKind, s: SurveySubmission | undefined): VisitSurvey | null {
  if (!s) return null;
  const survey = account ? surveysOfKind(account, kind).find((x) => x.id === s.surveyId) : undefined;
  return {
    surveyId: s.surveyId,
    title: survey?.title,
    time: s.time,
    answers: s.answers.map((a) => ({ questionId: a.questionId, label: survey?.questions.find((q) => q.id === a.questionId)?.label, values: a.values })),
  };
}

/** The visit resources of the agent side (agent spec §2 "Visit"), reached by visit id. */
export class Visits {
  private readonly store: ChatStore;
  private readonly chats: ChatService;
  private readonly views: ChatViews;

  constructor(deps: { store: ChatStore; chats: ChatService; views: ChatViews }) {
    this.store = deps.store;
    this.chats = deps.chats;
    this.views = deps.views;
  }

  /** The visit behind `visitId`, one of the agent's chats (ChatViews.visitChat). */
  async visit(agent: Agent, visitId: string): Promise<Visit> {
    const chat = await this.views.visitChat(agent, visitId);
    return visitOf(this.chats, await this.store.getAccount(agent.accountId), chat);
  }

  /** The custom variables of the visit (the visitor set them, spec §4.20). */
  async customVariables(agent: Agent, visitId: string): Promise<CustomVariable[]> {
    return (await this.views.visitChat(agent, visitId)).customVariables ?? [];
  }
}

/** What serverchat knows of the visit of `chat`; `account` supplies survey titles and labels. */
async function visitOf(chats: ChatService, account: Account | null, chat: Chat): Promise<Visit> {
  const events = await chats.listEvents(chat, 0, 'agent');
  const pages: VisitPage[] = [];
  for (const e of events) if (e.type === 'url' && e.source === 'visitor') pages.push({ url: e.url, time: e.time });
  return {
    id: visitIdOf(chat.id),
    chat,
    pages,
    preChatSurvey: surveyOf(account, 'preChat', chat.preChatSurvey),
    exitSurvey: surveyOf(account, 'exit', chat.exitSurvey),
  };
}
