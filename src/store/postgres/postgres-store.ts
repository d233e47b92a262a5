// The shared store: PostgreSQL, for several serverchat instances at once (docs/configuration.md,
// --store). One statement per call wherever it can be; connection failures are thrown as
// StoreUnavailableError (503) and the pools reconnect by themselves once PostgreSQL is back.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { ClientConfig } from 'pg';
import type { Account, Agent, AgentAvailability, AgentSession, Chat, ChatEvent, ChatState, LoginToken, OfflineSurveySubmission, VisitorIdentity } from '../../chat/core/types.ts';
import type { ChatDeadline, ChatKey, ChatStore, ChatTouch, HandledChat, StoreChange, WaitingCounts } from '../store.ts';
import { waitingCounts } from '../waiting-counts.ts';
import * as chats from './chat-sql.ts';
import { clientConfig, Db, describeTarget, reason, type PostgresOptions, type Sql } from './connection.ts';
import { ChangeListener } from './listener.ts';
import { AdvisoryLocks } from './locks.ts';
import { migrate, migrations } from './migrations.ts';
import { agentBody, agentFromRow, chatFromRow, chatValues, eventArrays, type AgentRow, type ChatRow } from './rows.ts';
import * as other from './other-sql.ts';

export type { PostgresOptions } from './connection.ts';

/** Lowercase, unquoted: it goes into search_path and a LISTEN channel as it is. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Keep-alives per notice: about 90 bytes each, under the 8000-byte payload limit. */
const TOUCHES_PER_NOTICE = 60;

export class PostgresStore implements ChatStore {
  readonly shared = true;
  private readonly db: Db;
  private readonly locks: AdvisoryLocks;
  private readonly changes: ChangeListener;
  /** The NOTIFY channel of this database (and schema). */
  private readonly channel: string;
  /** Names this store in its chat notices, so it can tell its own from others'. */
  private readonly origin = randomUUID();

  private constructor(opts: PostgresOptions, config: ClientConfig) {
    const schema = opts.schema ?? '';
    this.channel = schema === '' ? 'serverchat_changes' : `serverchat_changes_${schema}`;
    this.db = new Db(config, opts.poolSize);
    this.locks = new AdvisoryLocks(config, Math.max(2, Math.ceil(opts.poolSize / 2)), schema);
    this.changes = new ChangeListener(config, this.channel);
  }

  /** Connects, migrates (once, whoever else is opening the same database) and returns the store. */
  static async open(opts: PostgresOptions): Promise<PostgresStore> {
    if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) throw new Error(`not a usable schema name: ${opts.schema}`);
    const config = clientConfig(opts);
    // Migrating may wait for another process's migration and may take long: no statement timeout.
    const client = new pg.Client({ ...config, statement_timeout: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => undefined);
      throw new Error(`cannot reach PostgreSQL at ${describeTarget(opts.url)}: ${reason(err)}`, { cause: err });
    }
    try {
      await migrate(client, opts.schema ?? null);
    } finally {
      await client.end().catch(() => undefined);
    }
    return new PostgresStore(opts, config);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  /**
   * Also called for this process's own writes to accounts and agents (they come back on the
   * channel too): harmless for caches. Its own chat writes and keep-alives are not passed on:
   * the process's own map already holds them (open-chat-store.ts).
   */
  watch(listener: (change: StoreChange) => void): () => void {
    return this.changes.add((change, origin) => {
      if (origin !== this.origin || (change.kind !== 'chat' && change.kind !== 'touched')) listener(change);
    });
  }

  /** How many times the change listener has connected (tests wait for a reconnect). */
  get listenerConnections(): number {
    return this.changes.connections;
  }

  private async rows<R extends pg.QueryResultRow>(sql: Sql, values: unknown[]): Promise<R[]> {
    return this.db.rows<R>(sql, values);
  }

  private async exec(sql: Sql, values: unknown[]): Promise<number> {
    return (await this.db.query(sql, values)).rowCount ?? 0;
  }

  private notice(change: StoreChange): [string, string] {
    return [this.channel, JSON.stringify(change)];
  }

  // --- accounts and agents: each write tells the other processes in the same statement ---

  async putAccount(account: Account): Promise<void> {
    await this.exec(other.putAccount, [account.id, JSON.stringify(account), ...this.notice({ kind: 'account', accountId: account.id })]);
  }

  async getAccount(accountId: string): Promise<Account | null> {
    const [row] = await this.rows<{ body: Account }>(other.getAccount, [accountId]);
    return row?.body ?? null;
  }

  async listAccounts(): Promise<Account[]> {
    return (await this.rows<{ body: Account }>(other.listAccounts, [])).map((r) => r.body);
  }

  async putAgent(agent: Agent): Promise<void> {
    const change = this.notice({ kind: 'agent', accountId: agent.accountId, agentId: agent.id });
    await this.exec(other.putAgent, [agent.accountId, agent.id, agent.loginName, agent.availability, agent.chatReasonId ?? null, agentBody(agent), ...change]);
  }

  async getAgent(accountId: string, agentId: number): Promise<Agent | null> {
    const [row] = await this.rows<AgentRow>(other.getAgent, [accountId, agentId]);
    return row === undefined ? null : agentFromRow(row);
  }

  async findAgentByLogin(accountId: string, loginName: string): Promise<Agent | null> {
    const [row] = await this.rows<AgentRow>(other.findAgentByLogin, [accountId, loginName]);
    return row === undefined ? null : agentFromRow(row);
  }

  async listAgents(accountId: string): Promise<Agent[]> {
    return (await this.rows<AgentRow>(other.listAgents, [accountId])).map(agentFromRow);
  }

  async setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability, chatReasonId?: string | null): Promise<void> {
    const reason = [chatReasonId !== undefined, chatReasonId ?? null];
    await this.exec(other.setAgentAvailability, [accountId, agentId, availability, ...reason, ...this.notice({ kind: 'agent', accountId, agentId })]);
  }

  // --- chats and events ---

  async createChat(chat: Chat, events: ChatEvent[]): Promise<void> {
    await this.exec(chats.createChat, [...chatValues(chat), ...eventArrays(events)]);
  }

  async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    const [row] = await this.rows<ChatRow>(chats.getChat, [accountId, chatId]);
    return row === undefined ? null : chatFromRow(row);
  }

  async getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    if (keys.length === 0) return [];
    const rows = await this.rows<ChatRow & { ord: number }>(chats.getChats, [keys.map((k) => k.accountId), keys.map((k) => k.chatId)]);
    const out: Array<Chat | null> = keys.map(() => null);
    for (const row of rows) out[Number(row.ord) - 1] = chatFromRow(row);
    return out;
  }

  async updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    const [row] = await this.rows<{ n: number }>(chats.updateChat, [...chatValues(chat), ...eventArrays(events), ...this.chatNotice(chat)]);
    return row?.n === 1;
  }

  /** Other processes drop their copy of a chat this one wrote (open-chat-store.ts). */
  private chatNotice(chat: Chat): [string, string] {
    return [this.channel, this.chatNoticeText(chat.accountId, chat.id)];
  }

  private chatNoticeText(accountId: string, chatId: string): string {
    return JSON.stringify({ kind: 'chat', accountId, chatId, origin: this.origin });
  }

  /** Keep-alives written, told in notices that stay well under PostgreSQL's 8000-byte payload. */
  private touchNotices(batch: ChatTouch[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < batch.length; i += TOUCHES_PER_NOTICE) {
      const touches = batch.slice(i, i + TOUCHES_PER_NOTICE).map((t) => [t.accountId, t.chatId, t.lastUpdate]);
      out.push(JSON.stringify({ kind: 'touched', touches, origin: this.origin }));
    }
    return out;
  }

  async updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    if (batch.length === 0) return [];
    const keys = new Set(batch.map(({ chat }) => `${chat.accountId}\u0000${chat.id}`));
    // The one-statement form needs distinct chats; a chat twice is written in turn, in one transaction.
    if (keys.size < batch.length) return this.updateChatsInTurn(batch);
    const columns: unknown[][] = Array.from({ length: 13 }, () => []);
    const ev: [number[], number[], string[]] = [[], [], []];
    batch.forEach(({ chat, events }, i) => {
      chatValues(chat).forEach((v, c) => columns[c]?.push(v));
      const [ids, bodies] = eventArrays(events);
      for (let k = 0; k < ids.length; k++) {
        ev[0].push(i + 1);
        ev[1].push(ids[k] ?? 0);
        ev[2].push(bodies[k] ?? '');
      }
    });
    const notices = batch.map(({ chat }) => this.chatNoticeText(chat.accountId, chat.id));
    const written = new Set((await this.rows<{ ord: number }>(chats.updateChats, [...columns, ...ev, this.channel, notices])).map((r) => Number(r.ord)));
    return batch.map((_, i) => written.has(i + 1));
  }

  private updateChatsInTurn(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    return this.db.tx(async (client) => {
      const out: boolean[] = [];
      for (const { chat, events } of batch) {
        const res = await client.query<{ n: number }>({ ...chats.updateChat, values: [...chatValues(chat), ...eventArrays(events), ...this.chatNotice(chat)] });
        out.push(res.rows[0]?.n === 1);
      }
      return out;
    });
  }

  async touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    const notice = JSON.stringify({ kind: 'touched', touches: [[accountId, chatId, lastUpdate]], origin: this.origin });
    await this.exec(chats.touchChat, [accountId, chatId, lastUpdate, this.channel, notice]);
  }

  async touchChats(batch: ChatTouch[]): Promise<void> {
    if (batch.length === 0) return;
    await this.exec(chats.touchChats, [batch.map((t) => t.accountId), batch.map((t) => t.chatId), batch.map((t) => t.lastUpdate), this.channel, this.touchNotices(batch)]);
  }

  async listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]> {
    return (await this.rows<{ body: ChatEvent }>(chats.listEvents, [accountId, chatId, from])).map((r) => r.body);
  }

  async listEventsPage(accountId: string, chatId: string, from: number, limit: number): Promise<ChatEvent[]> {
    return (await this.rows<{ body: ChatEvent }>(chats.listEventsPage, [accountId, chatId, from, limit])).map((r) => r.body);
  }

  async countWaitingChats(accountId: string): Promise<WaitingCounts> {
    const rows = await this.rows<{ skill: string | number | null; free: boolean; directed: boolean; n: number }>(chats.countWaitingChats, [accountId]);
    return waitingCounts(rows.map((r) => ({ skill: r.skill === null ? null : Number(r.skill), free: r.free, directed: r.directed, n: Number(r.n) })));
  }

  async listWaitingChats(accountId: string): Promise<Chat[]> {
    return (await this.rows<ChatRow>(chats.listWaitingChats, [accountId])).map(chatFromRow);
  }

  async listAgentChats(accountId: string, agentId: number): Promise<Chat[]> {
    return (await this.rows<ChatRow>(chats.listAgentChats, [accountId, agentId])).map(chatFromRow);
  }

  async listOpenDeadlines(dueBy?: number, limit?: number): Promise<ChatDeadline[]> {
    const rows =
      dueBy === undefined
        ? await this.rows<{ account_id: string; id: string; deadline: number }>(chats.listOpenDeadlines, [])
        : await this.rows<{ account_id: string; id: string; deadline: number }>(chats.listDueDeadlines, [dueBy, limit ?? null]);
    return rows.map((r) => ({ accountId: r.account_id, chatId: r.id, deadline: r.deadline }));
  }

  async nextAccountSequence(accountId: string): Promise<number> {
    const [row] = await this.rows<{ rt_seq: number }>(other.nextAccountSequence, [accountId]);
    if (row === undefined) throw new Error(`unknown account ${accountId}`);
    return row.rt_seq;
  }

  async countAgentChats(accountId: string): Promise<Map<number, number>> {
    const rows = await this.rows<{ agent: number; n: number }>(chats.countAgentChats, [accountId]);
    return new Map(rows.map((r) => [r.agent, r.n]));
  }

  async listHandledChats(accountId: string, since: number, limit: number): Promise<HandledChat[]> {
    const rows = await this.rows<{ id: string; skill_id: number | null; accepted_at: number; end_time: number }>(chats.listHandledChats, [accountId, since, limit]);
    return rows.map((r) => ({ chatId: r.id, skillId: r.skill_id, acceptedAt: r.accepted_at, endedAt: r.end_time }));
  }

  // --- agent sessions and login tokens ---

  async putAgentSession(session: AgentSession): Promise<void> {
    await this.exec(other.putAgentSession, [session.accountId, session.id, JSON.stringify(session)]);
  }

  async getAgentSession(accountId: string, sessionId: string): Promise<AgentSession | null> {
    const [row] = await this.rows<{ body: AgentSession }>(other.getAgentSession, [accountId, sessionId]);
    return row?.body ?? null;
  }

  async listAgentSessions(accountId: string): Promise<AgentSession[]> {
    return (await this.rows<{ body: AgentSession }>(other.listAgentSessions, [accountId])).map((r) => r.body);
  }

  async deleteAgentSession(accountId: string, sessionId: string): Promise<boolean> {
    return (await this.exec(other.deleteAgentSession, [accountId, sessionId])) === 1;
  }

  async markAgentsChanged(accountId: string, agentIds: number[], at: number): Promise<void> {
    // Rows locked in id order (and each once): two marks of overlapping agents never deadlock.
    const ids = [...new Set(agentIds)].sort((a, b) => a - b);
    if (ids.length > 0) await this.exec(other.markAgentsChanged, [accountId, ids, at]);
  }

  async agentsChangedSince(accountId: string, since: number): Promise<number[]> {
    const rows = await this.rows<{ agent_id: string | number }>(other.agentsChangedSince, [accountId, since]);
    return rows.map((r) => Number(r.agent_id));
  }

  async putVisitorIdentity(identity: VisitorIdentity): Promise<void> {
    await this.exec(other.putVisitorIdentity, [identity.accountId, identity.participantId, identity.expiresAt, JSON.stringify(identity)]);
  }

  async getVisitorIdentity(accountId: string, participantId: string): Promise<VisitorIdentity | null> {
    const [row] = await this.rows<{ body: VisitorIdentity }>(other.getVisitorIdentity, [accountId, participantId]);
    return row ? row.body : null;
  }

  async deleteExpiredVisitorIdentities(now: number): Promise<number> {
    return this.exec(other.deleteExpiredVisitorIdentities, [now]);
  }

  async putLoginToken(token: LoginToken): Promise<void> {
    await this.exec(other.putLoginToken, [token.tokenHash, token.expiresAt, JSON.stringify(token)]);
  }

  async getLoginToken(tokenHash: string): Promise<LoginToken | null> {
    const [row] = await this.rows<{ body: LoginToken }>(other.getLoginToken, [tokenHash]);
    return row?.body ?? null;
  }

  async deleteLoginToken(tokenHash: string): Promise<void> {
    await this.exec(other.deleteLoginToken, [tokenHash]);
  }

  async deleteExpiredLoginTokens(now: number): Promise<number> {
    return this.exec(other.deleteExpiredLoginTokens, [now]);
  }

  // --- offline surveys ---

  async putOfflineSurvey(submission: OfflineSurveySubmission): Promise<void> {
    await this.exec(other.putOfflineSurvey, [submission.accountId, submission.id, submission.time, JSON.stringify(submission)]);
  }

  async listOfflineSurveys(accountId: string): Promise<OfflineSurveySubmission[]> {
    return (await this.rows<{ body: OfflineSurveySubmission }>(other.listOfflineSurveys, [accountId])).map((r) => r.body);
  }

  async deleteActivity(accountId: string | null): Promise<void> {
    await this.db.tx(async (client) => {
      for (const text of other.deleteActivity) await client.query(text, [accountId]);
    });
  }

  async listChats(accountId: string, state: ChatState | null, limit: number): Promise<Chat[]> {
    return (await this.rows<ChatRow>(chats.listChats, [accountId, state, limit])).map(chatFromRow);
  }

  async ping(): Promise<void> {
    const [row] = await this.rows<{ v: number | null }>(chats.schemaVersion, []);
    const version = row?.v ?? 0;
    if (version < migrations.length) throw new Error(`schema version ${version}, expected ${migrations.length}`);
  }

  async close(): Promise<void> {
    await Promise.all([this.changes.close(), this.locks.close(), this.db.close()]);
  }
}
