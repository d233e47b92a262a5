// A ChatStore that forwards every call to another one: the base of the decorators the app
// wraps its store in (keep-alive-store.ts, cached-store.ts), which override only what they
// change. A method added to ChatStore must be forwarded here too (the compiler says so).
import type { Account, Agent, AgentAvailability, AgentSession, Chat, ChatEvent, ChatState, LoginToken, OfflineSurveySubmission, VisitorIdentity } from '../chat/core/types.ts';
import type { ChatDeadline, ChatKey, ChatStore, ChatTouch, HandledChat, StoreChange, WaitingCounts } from './store.ts';

export class DelegatingStore implements ChatStore {
  protected readonly inner: ChatStore;

  constructor(inner: ChatStore) {
    this.inner = inner;
  }

  get shared(): boolean {
    return this.inner.shared;
  }
  get uncleanStart(): boolean {
    return this.inner.uncleanStart ?? false;
  }
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.inner.withLock(key, fn);
  }
  watch(listener: (change: StoreChange) => void): () => void {
    return this.inner.watch(listener);
  }

  putAccount(account: Account): Promise<void> {
    return this.inner.putAccount(account);
  }
  getAccount(accountId: string): Promise<Account | null> {
    return this.inner.getAccount(accountId);
  }
  listAccounts(): Promise<Account[]> {
    return this.inner.listAccounts();
  }
  putAgent(agent: Agent): Promise<void> {
    return this.inner.putAgent(agent);
  }
  getAgent(accountId: string, agentId: number): Promise<Agent | null> {
    return this.inner.getAgent(accountId, agentId);
  }
  findAgentByLogin(accountId: string, loginName: string): Promise<Agent | null> {
    return this.inner.findAgentByLogin(accountId, loginName);
  }
  listAgents(accountId: string): Promise<Agent[]> {
    return this.inner.listAgents(accountId);
  }
  setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability, chatReasonId?: string | null): Promise<void> {
    return this.inner.setAgentAvailability(accountId, agentId, availability, chatReasonId);
  }

  createChat(chat: Chat, events: ChatEvent[]): Promise<void> {
    return this.inner.createChat(chat, events);
  }
  getChat(accountId: string, chatId: string): Promise<Chat | null> {
    return this.inner.getChat(accountId, chatId);
  }
  getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    return this.inner.getChats(keys);
  }
  updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    return this.inner.updateChat(chat, events);
  }
  updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    return this.inner.updateChats(batch);
  }
  touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    return this.inner.touchChat(accountId, chatId, lastUpdate);
  }
  touchChats(batch: ChatTouch[]): Promise<void> {
    return this.inner.touchChats(batch);
  }
  listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]> {
    return this.inner.listEvents(accountId, chatId, from);
  }
  listEventsPage(accountId: string, chatId: string, from: number, limit: number): Promise<ChatEvent[]> {
    return this.inner.listEventsPage(accountId, chatId, from, limit);
  }
  countWaitingChats(accountId: string): Promise<WaitingCounts> {
    return this.inner.countWaitingChats(accountId);
  }
  listWaitingChats(accountId: string): Promise<Chat[]> {
    return this.inner.listWaitingChats(accountId);
  }
  listAgentChats(accountId: string, agentId: number): Promise<Chat[]> {
    return this.inner.listAgentChats(accountId, agentId);
  }
  listOpenDeadlines(dueBy?: number, limit?: number): Promise<ChatDeadline[]> {
    return this.inner.listOpenDeadlines(dueBy, limit);
  }
  nextAccountSequence(accountId: string): Promise<number> {
    return this.inner.nextAccountSequence(accountId);
  }
  countAgentChats(accountId: string): Promise<Map<number, number>> {
    return this.inner.countAgentChats(accountId);
  }
  listHandledChats(accountId: string, since: number, limit: number): Promise<HandledChat[]> {
    return this.inner.listHandledChats(accountId, since, limit);
  }

  putAgentSession(session: AgentSession): Promise<void> {
    return this.inner.putAgentSession(session);
  }
  getAgentSession(accountId: string, sessionId: string): Promise<AgentSession | null> {
    return this.inner.getAgentSession(accountId, sessionId);
  }
  listAgentSessions(accountId: string): Promise<AgentSession[]> {
    return this.inner.listAgentSessions(accountId);
  }
  deleteAgentSession(accountId: string, sessionId: string): Promise<boolean> {
    return this.inner.deleteAgentSession(accountId, sessionId);
  }
  putLoginToken(token: LoginToken): Promise<void> {
    return this.inner.putLoginToken(token);
  }
  getLoginToken(tokenHash: string): Promise<LoginToken | null> {
    return this.inner.getLoginToken(tokenHash);
  }
  deleteLoginToken(tokenHash: string): Promise<void> {
    return this.inner.deleteLoginToken(tokenHash);
  }
  deleteExpiredLoginTokens(now: number): Promise<number> {
    return this.inner.deleteExpiredLoginTokens(now);
  }

  markAgentsChanged(accountId: string, agentIds: number[], at: number): Promise<void> {
    return this.inner.markAgentsChanged(accountId, agentIds, at);
  }
  agentsChangedSince(accountId: string, since: number): Promise<number[]> {
    return this.inner.agentsChangedSince(accountId, since);
  }
  putVisitorIdentity(identity: VisitorIdentity): Promise<void> {
    return this.inner.putVisitorIdentity(identity);
  }
  getVisitorIdentity(accountId: string, participantId: string): Promise<VisitorIdentity | null> {
    return this.inner.getVisitorIdentity(accountId, participantId);
  }
  deleteExpiredVisitorIdentities(now: number): Promise<number> {
    return this.inner.deleteExpiredVisitorIdentities(now);
  }

  putOfflineSurvey(submission: OfflineSurveySubmission): Promise<void> {
    return this.inner.putOfflineSurvey(submission);
  }
  listOfflineSurveys(accountId: string): Promise<OfflineSurveySubmission[]> {
    return this.inner.listOfflineSurveys(accountId);
  }

  deleteActivity(accountId: string | null): Promise<void> {
    return this.inner.deleteActivity(accountId);
  }
  listChats(accountId: string, state: ChatState | null, limit: number): Promise<Chat[]> {
    return this.inner.listChats(accountId, state, limit);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
