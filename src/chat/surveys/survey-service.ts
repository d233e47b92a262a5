// Survey operations every front calls: look up the survey of a chat, keep submitted answers
// (exit and agent surveys with the chat, offline surveys in their own table). Every
// submission is checked whole before anything is written (surveys.ts).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { Ids } from '../../ids.ts';
import type { ChatStore } from '../../store/store.ts';
import type { ChatService } from '../conversation/chat-service.ts';
import type { ChatViews } from '../conversation/chat-views.ts';
import type { ChatWriter } from '../core/chat-writer.ts';
import type { Account, Agent, Chat, OfflineSurveySubmission, Survey } from '../core/types.ts';
import { checkAnswers, skillNamed, surveyById, surveyFor, type RawSurveyAnswers, type SurveyPick } from './surveys.ts';

export interface SurveyServiceDeps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  writer: ChatWriter;
  chats: ChatService;
  views: ChatViews;
}

/** Who left an offline survey (spec §4.6 body fields besides the answers). */
export type OfflineVisitor = { skill?: string | number } & Pick<
  OfflineSurveySubmission,
  'visitorId' | 'visitorIp' | 'userAgent' | 'chatReferrer' | 'sharkVisitorId' | 'sharkSessionId' | 'sharkContextId' | 'visitorSessionId'
>;

export class SurveyService {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly ids: Ids;
  private readonly writer: ChatWriter;
  private readonly chats: ChatService;
  private readonly views: ChatViews;

  constructor(deps: SurveyServiceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.writer = deps.writer;
    this.chats = deps.chats;
    this.views = deps.views;
  }

  /** Pre-chat or offline survey for a skill named in the query (spec §4.4, §4.5). */
  accountSurvey(account: Account, kind: 'preChat' | 'offline', skill: string | undefined, pick: SurveyPick): Survey | null {
    const skillId = skill === undefined || skill === '' ? null : skillNamed(account, skill).id;
    return surveyFor(account, kind, skillId, pick);
  }

  /** The exit survey of a chat (spec §4.17); reading it keeps an open chat alive. */
  async exitSurvey(account: Account, chatId: string, pick: SurveyPick): Promise<Survey | null> {
    const chat = await this.chats.visitorTouch(account.id, chatId);
    return surveyFor(account, 'exit', chat.skillId, pick);
  }

  /**
   * Submit Survey Data (spec §4.18). Allowed in every state: the vendor SDK asks for the exit
   * survey once the visitor has ended the chat and submits it afterwards. A second submission
   * replaces the first (the method is a PUT).
   */
  async submitExit(account: Account, chatId: string, raw: RawSurveyAnswers): Promise<void> {
    await this.chats.getChat(account.id, chatId);
    const submission = checkAnswers(surveyById(account, 'exit', raw.id), raw, this.clock.now());
    await this.writer.mutate(account.id, chatId, (chat) => {
      chat.exitSurvey = submission;
      return chat;
    }, { visitor: true });
  }

  /** The agent survey of a chat the agent holds or has ringing (agent API §4.22); null when none is provisioned. */
  async agentSurvey(agent: Agent, chatId: string): Promise<Survey | null> {
    const chat = await this.views.agentChat(agent, chatId);
    return surveyFor(await this.accountOf(agent), 'agent', chat.skillId, {});
  }

  private async accountOf(agent: Agent): Promise<Account> {
    const account = await this.store.getAccount(agent.accountId);
    if (!account) throw new ApiError('not-found', `account ${agent.accountId}`);
    return account;
  }

  /**
   * Agent Submit Survey Data (agent API §4.23): only by the agent holding (or, once ended,
   * last holding) the chat; a disposition survey is usually filled in after the chat ends.
   */
  async submitAgent(agent: Agent, chatId: string, raw: Partial<RawSurveyAnswers>): Promise<void> {
    const account = await this.accountOf(agent);
    const chat = await this.chats.getChat(account.id, chatId);
    requireHolder(chat, agent);
    // The agent page names no survey id (agent API §4.23): without one, the chat's own survey.
    const survey = raw.id === undefined ? surveyFor(account, 'agent', chat.skillId, {}) : surveyById(account, 'agent', raw.id);
    if (!survey) throw new ApiError('unknown-survey', 'no agent survey is provisioned for this chat');
    const submission = { ...checkAnswers(survey, raw, this.clock.now()), agentId: agent.id };
    await this.writer.mutate(account.id, chatId, (chat) => {
      requireHolder(chat, agent);
      chat.agentSurvey = submission;
      return chat;
    });
  }

  /** Post Offline Survey (spec §4.6): checked, then kept with who left it. */
  async submitOffline(account: Account, raw: RawSurveyAnswers, who: OfflineVisitor): Promise<OfflineSurveySubmission> {
    const skillId = who.skill === undefined || who.skill === '' ? null : skillNamed(account, who.skill).id;
    const checked = checkAnswers(surveyById(account, 'offline', raw.id), raw, this.clock.now());
    const { skill: _skill, ...visitor } = who;
    for (const k of Object.keys(visitor) as Array<keyof typeof visitor>) if (visitor[k] === undefined || visitor[k] === '') delete visitor[k];
    const submission: OfflineSurveySubmission = { ...checked, accountId: account.id, id: this.ids.uuid(), skillId, ...visitor };
    await this.store.putOfflineSurvey(submission);
    return submission;
  }
}

/** The agent who holds the chat; one it only rings for must accept it first (as for lines). */
function requireHolder(chat: Chat, agent: Agent): void {
  if (chat.agentId === agent.id) return;
  if (chat.ringingAgentId === agent.id) throw new ApiError('not-chatting', `accept chat ${chat.id} before answering its survey`);
  throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
}
