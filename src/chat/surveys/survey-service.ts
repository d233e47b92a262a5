// Survey operations every front calls: look up the survey of a chat, keep submitted answers
// (exit and agent surveys with the chat, offline surveys in their own table). Every
// submission is checked whole before anything is written (surveys.ts).
import { ApiError } from '../../errors.ts';
import type { ChatService } from '../conversation/chat-service.ts';
import { checkAnswers, skillNamed, surveyById, surveyFor, type RawSurveyAnswers, type SurveyPick } from './surveys.ts';
import type { Account, Agent, Chat, OfflineSurveySubmission, Survey, SurveySubmission } from '../core/types.ts';

/** Who left an offline survey (spec §4.6 body fields besides the answers). */
export type OfflineVisitor = { skill?: string | number } & Pick<
  OfflineSurveySubmission,
  'visitorId' | 'visitorIp' | 'userAgent' | 'chatReferrer' | 'sharkVisitorId' | 'sharkSessionId' | 'sharkContextId' | 'visitorSessionId'
>;

export class SurveyService {
  private readonly chats: ChatService;

  constructor(chats: ChatService) {
    this.chats = chats;
  }

  /** Pre-chat or offline survey for a skill named in the query (spec §4.4, §4.5). */
  accountSurvey(account: Account, kind: 'preChat' | 'offline', skill: string | undefined, pick: SurveyPick): Survey | null {
    const skillId = skill === undefined || skill === '' ? null : skillNamed(account, skill).id;
    return surveyFor(account, kind, skillId, pick);
  }

  /** Pre-chat answers carried by Start Chat (spec §4.7 `survey`), checked before the chat exists. */
  preChatAnswers(account: Account, raw: RawSurveyAnswers): SurveySubmission {
    return checkAnswers(surveyById(account, 'preChat', raw.id), raw, this.chats.clock.now());
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
    const submission = checkAnswers(surveyById(account, 'exit', raw.id), raw, this.chats.clock.now());
    await this.chats.writer.mutate(account.id, chatId, (chat) => {
      chat.exitSurvey = submission;
      return chat;
    }, { visitor: true });
  }

  /** The agent survey of a chat (agent API §4.22). */
  agentSurvey(account: Account, chat: Chat): Survey | null {
    return surveyFor(account, 'agent', chat.skillId, {});
  }

  /**
   * Agent Submit Survey Data (agent API §4.23): only by the agent holding (or, once ended,
   * last holding) the chat; a disposition survey is usually filled in after the chat ends.
   */
  async submitAgent(account: Account, chatId: string, agent: Agent, raw: Partial<RawSurveyAnswers>): Promise<void> {
    const chat = await this.chats.getChat(account.id, chatId);
    requireHolder(chat, agent);
    // The agent page names no survey id (agent API §4.23): without one, the chat's own survey.
    const survey = raw.id === undefined ? this.agentSurvey(account, chat) : surveyById(account, 'agent', raw.id);
    if (!survey) throw new ApiError('unknown-survey', 'no agent survey is provisioned for this chat');
    const submission = { ...checkAnswers(survey, raw, this.chats.clock.now()), agentId: agent.id };
    await this.chats.writer.mutate(account.id, chatId, (chat) => {
      requireHolder(chat, agent);
      chat.agentSurvey = submission;
      return chat;
    });
  }

  /** Post Offline Survey (spec §4.6): checked, then kept with who left it. */
  async submitOffline(account: Account, raw: RawSurveyAnswers, who: OfflineVisitor): Promise<OfflineSurveySubmission> {
    const skillId = who.skill === undefined || who.skill === '' ? null : skillNamed(account, who.skill).id;
    const checked = checkAnswers(surveyById(account, 'offline', raw.id), raw, this.chats.clock.now());
    const { skill: _skill, ...visitor } = who;
    for (const k of Object.keys(visitor) as Array<keyof typeof visitor>) if (visitor[k] === undefined || visitor[k] === '') delete visitor[k];
    const submission: OfflineSurveySubmission = { ...checked, accountId: account.id, id: this.chats.ids.uuid(), skillId, ...visitor };
    await this.chats.store.putOfflineSurvey(submission);
    return submission;
  }
}

/** The agent who holds the chat; one it only rings for must accept it first (as for lines). */
function requireHolder(chat: Chat, agent: Agent): void {
  if (chat.agentId === agent.id) return;
  if (chat.ringingAgentId === agent.id) throw new ApiError('not-chatting', `accept chat ${chat.id} before answering its survey`);
  throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
}
