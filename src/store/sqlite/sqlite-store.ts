// The embedded default store: node:sqlite, one file under the data directory, or :memory:.
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Account, Agent, AgentAvailability, AgentSession, Chat, ChatEvent, ChatState, LoginToken, OfflineSurveySubmission, VisitorIdentity } from '../../chat/core/types.ts';
import { KeyedLock } from '../../chat/core/keyed-lock.ts';
import type { ChatDeadline, ChatKey, ChatStore, ChatTouch, HandledChat, StoreChange, WaitingCounts } from '../store.ts';
import { waitingCounts } from '../waiting-counts.ts';
import { Checkpointer } from './checkpointer.ts';
import { GroupCommit } from './group-commit.ts';
import { DataDirLock } from './data-lock.ts';
import { migrations } from './migrations.ts';
import { chatBody, type ChatBody } from '../chat-body.ts';
import { chatFromRow, num, numOrNull, str, type Row } from './rows.ts';

/** The indexed chat columns casChat writes only when they changed, in the order it compares them. */
const CAS_COLUMNS = ['state', 'agent_id', 'ringing_agent_id', 'queued_at', 'chat_timeout'] as const;

/**
 * How often the checkpoint worker folds the WAL back into the database file. Each checkpoint
 * ends in an fsync of the database file, and while it runs the main thread's WAL appends can
 * wait on the filesystem's journal: at 1 s, after 100k mass timeouts had written a second's
 * worth of pages, the chunk writing meanwhile took 50-170 ms instead of 5 (bench timeouts
 * phase; issue 14's 50-ms stall bound). At 200 ms each fsync has a fifth of the pages and
 * those waits stayed under about 30 ms; 100 ms was worse again (more fsyncs). Posting lines at
 * 100k chats was not slower (5,040 → 5,230 req/s; 100 connections, two alternated rounds each).
 */
const CHECKPOINT_MS = 200;

export class SqliteStore implements ChatStore {
  /** One process per database file (docs/architecture.md): its locks live in its memory. */
  readonly shared = false;
  /** The last process on this file died without closing it (sqlite/data-lock.ts). */
  get uncleanStart(): boolean {
    return this.dirLock?.uncleanStart ?? false;
  }
  private readonly locks = new KeyedLock();
  private readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();
  private getChatStmt: StatementSync | null = null;
  private casReadStmt: StatementSync | null = null;

  /** `location` is a file path or ':memory:'. */
  private checkpointer: Checkpointer | null = null;
  private readonly dirLock: DataDirLock | null;

  constructor(location: string) {
    // The directory's lock comes before the database is opened, let alone migrated.
    this.dirLock = location === ':memory:' ? null : DataDirLock.acquire(dirname(location));
    try {
      this.db = new DatabaseSync(location);
    } catch (err) {
      this.dirLock?.release();
      throw err;
    }
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.migrate();
    if (location !== ':memory:') this.startCheckpointer(location);
  }

  /** The factory's form (store/index.ts): opening and migrating a file is synchronous here. */
  static async open(location: string): Promise<SqliteStore> {
    return new SqliteStore(location);
  }

  withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(key, fn);
  }

  /** Nobody else writes this file: there are no changes from elsewhere to tell of. */
  watch(_listener: (change: StoreChange) => void): () => void {
    return () => undefined;
  }

  /** Checkpoints the worker completed (tests wait on it). */
  get checkpoints(): number {
    return this.checkpointer?.completed ?? 0;
  }

  /** WAL checkpoints run in a worker (checkpointer.ts); if it fails, SQLite's own come back. */
  private startCheckpointer(file: string): void {
    this.checkpointer = new Checkpointer(file, CHECKPOINT_MS, () => {
      if (this.db.isOpen) this.db.exec('PRAGMA wal_autocheckpoint = 1000;');
    });
    this.db.exec('PRAGMA wal_autocheckpoint = 0;');
  }

  async ping(): Promise<void> {
    // Throws once the database is closed.
    const version = num(this.db.prepare('PRAGMA user_version').get() as Row, 'user_version');
    if (version !== migrations.length) throw new Error(`schema version ${version}, expected ${migrations.length}`);
  }

  private migrate(): void {
    const row = this.db.prepare('PRAGMA user_version').get() as Row;
    const current = num(row, 'user_version');
    for (let i = current; i < migrations.length; i++) {
      this.tx(() => {
        this.db.exec(migrations[i] ?? '');
        this.db.exec(`PRAGMA user_version = ${i + 1}`);
      });
    }
  }

  private stmt(sql: string): StatementSync {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * Chat writes (lines, state changes, new chats) share commits (group-commit.ts): each
   * resolves once the transaction holding it committed.
   */
  private readonly group = new GroupCommit((fn) => this.tx(fn));

  private grouped<T>(write: () => T): Promise<T> {
    return this.group.add(write);
  }

  private tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  async putAccount(account: Account): Promise<void> {
    this.stmt(
      `INSERT INTO accounts (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
    ).run(account.id, JSON.stringify(account));
  }

  async getAccount(accountId: string): Promise<Account | null> {
    const row = this.stmt('SELECT body FROM accounts WHERE id = ?').get(accountId) as Row | undefined;
    return row ? (JSON.parse(str(row, 'body')) as Account) : null;
  }

  async listAccounts(): Promise<Account[]> {
    const rows = this.stmt('SELECT body FROM accounts ORDER BY id').all() as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as Account);
  }

  async putAgent(agent: Agent): Promise<void> {
    const { availability, ...body } = agent;
    this.stmt(
      `INSERT INTO agents (account_id, id, login_name, availability, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account_id, id) DO UPDATE SET login_name = excluded.login_name, body = excluded.body`,
    ).run(agent.accountId, agent.id, agent.loginName, availability, JSON.stringify(body));
  }

  private agentFromRow(row: Row): Agent {
    const body = JSON.parse(str(row, 'body')) as Omit<Agent, 'availability'>;
    return { ...body, availability: str(row, 'availability') as AgentAvailability };
  }

  async getAgent(accountId: string, agentId: number): Promise<Agent | null> {
    const row = this.stmt('SELECT availability, body FROM agents WHERE account_id = ? AND id = ?').get(accountId, agentId) as Row | undefined;
    return row ? this.agentFromRow(row) : null;
  }

  async findAgentByLogin(accountId: string, loginName: string): Promise<Agent | null> {
    const row = this.stmt('SELECT availability, body FROM agents WHERE account_id = ? AND login_name = ?').get(accountId, loginName) as
      | Row
      | undefined;
    return row ? this.agentFromRow(row) : null;
  }

  async listAgents(accountId: string): Promise<Agent[]> {
    const rows = this.stmt('SELECT availability, body FROM agents WHERE account_id = ? ORDER BY id').all(accountId) as Row[];
    return rows.map((r) => this.agentFromRow(r));
  }

  async setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability, chatReasonId?: string | null): Promise<void> {
    // The reason is kept in the JSON body (the agent's optional fields live there), so no migration.
    if (chatReasonId === undefined) this.stmt('UPDATE agents SET availability = ? WHERE account_id = ? AND id = ?').run(availability, accountId, agentId);
    else if (chatReasonId === null) {
      this.stmt("UPDATE agents SET availability = ?, body = json_remove(body, '$.chatReasonId') WHERE account_id = ? AND id = ?").run(availability, accountId, agentId);
    } else {
      this.stmt("UPDATE agents SET availability = ?, body = json_set(body, '$.chatReasonId', ?) WHERE account_id = ? AND id = ?").run(availability, chatReasonId, accountId, agentId);
    }
  }


  private insertEvents(accountId: string, chatId: string, events: ChatEvent[]): void {
    const ins = this.stmt('INSERT INTO events (account_id, chat_id, id, body) VALUES (?, ?, ?, ?)');
    for (const e of events) ins.run(accountId, chatId, e.id, JSON.stringify(e));
  }

  async createChat(chat: Chat, events: ChatEvent[]): Promise<void> {
    await this.grouped(() => {
      this.stmt(
        `INSERT INTO chats (account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(chat.accountId, chat.id, chat.state, chat.agentId, chat.ringingAgentId, chat.queuedAt, chat.lastUpdate, chat.chatTimeout, chat.version, chatBody(chat));
      this.insertEvents(chat.accountId, chat.id, events);
    });
  }

  async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    // Every visitor poll reads its chat: the row comes as an array (no object with named
    // columns built per read) and without the key, which the caller already has.
    let s = this.getChatStmt;
    if (!s) {
      s = this.db.prepare('SELECT state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, body FROM chats WHERE account_id = ? AND id = ?');
      s.setReturnArrays(true);
      this.getChatStmt = s;
    }
    const v = s.get(accountId, chatId) as unknown as unknown[] | undefined;
    if (!v) return null;
    return {
      ...(JSON.parse(String(v[7])) as ChatBody),
      accountId,
      id: chatId,
      state: String(v[0]) as Chat['state'],
      agentId: v[1] === null ? null : Number(v[1]),
      ringingAgentId: v[2] === null ? null : Number(v[2]),
      queuedAt: Number(v[3]),
      lastUpdate: Number(v[4]),
      chatTimeout: Number(v[5]),
      version: Number(v[6]),
    };
  }

  /** One indexed read each: with SQLite in the process, a batch query would save nothing. */
  async getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    const out: Array<Chat | null> = [];
    for (const k of keys) out.push(await this.getChat(k.accountId, k.chatId));
    return out;
  }

  async updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    return this.grouped(() => this.casChat(chat, events));
  }

  async updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> {
    // One transaction for the batch (mass timeouts): one commit instead of one per chat.
    return batch.length === 0 ? [] : this.tx(() => batch.map(({ chat, events }) => this.casChat(chat, events)));
  }

  /**
   * updateChat's version-checked write, inside the caller's transaction. Only the indexed
   * columns that changed are written: SQLite maintains every index over a column named in
   * SET, changed or not, and a line (state and agent unchanged) then cost two index updates
   * it did not need — at 100k chats, each a page read and a page written (issue 14).
   */
  private casChat(chat: Chat, events: ChatEvent[]): boolean {
    let read = this.casReadStmt;
    if (!read) {
      read = this.db.prepare('SELECT version, state, agent_id, ringing_agent_id, queued_at, chat_timeout FROM chats WHERE account_id = ? AND id = ?');
      read.setReturnArrays(true);
      this.casReadStmt = read;
    }
    const row = read.get(chat.accountId, chat.id) as unknown as unknown[] | undefined;
    if (!row || Number(row[0]) !== chat.version - 1) return false;
    const next: unknown[] = [chat.state, chat.agentId, chat.ringingAgentId, chat.queuedAt, chat.chatTimeout];
    let mask = 0;
    const values: unknown[] = [];
    for (let i = 0; i < next.length; i++) {
      const was = row[i + 1];
      const now = next[i];
      if ((was === null ? null : typeof now === 'string' ? String(was) : Number(was)) !== now) {
        mask |= 1 << i;
        values.push(now);
      }
    }
    const res = this.casStmt(mask).run(...(values as SQLInputValue[]), chat.lastUpdate, chat.version, chatBody(chat), chat.accountId, chat.id, chat.version - 1);
    if (Number(res.changes) !== 1) return false;
    this.insertEvents(chat.accountId, chat.id, events);
    return true;
  }

  /** The UPDATE writing the columns of `mask` (bit i: CAS_COLUMNS[i]), then lastUpdate, version and body. */
  private casStmt(mask: number): StatementSync {
    const cols = CAS_COLUMNS.filter((_, i) => (mask & (1 << i)) !== 0).map((c) => `${c} = ?, `);
    return this.stmt(`UPDATE chats SET ${cols.join('')}last_update = max(last_update, ?), version = ?, body = ? WHERE account_id = ? AND id = ? AND version = ?`);
  }

  async touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    this.stmt('UPDATE chats SET last_update = max(last_update, ?) WHERE account_id = ? AND id = ?').run(lastUpdate, accountId, chatId);
  }

  async touchChats(batch: ChatTouch[]): Promise<void> {
    if (batch.length === 0) return;
    // One commit for the batch: the commit and the pages it writes are most of a touch's cost.
    const up = this.stmt('UPDATE chats SET last_update = max(last_update, ?) WHERE account_id = ? AND id = ?');
    this.tx(() => {
      for (const t of batch) up.run(t.lastUpdate, t.accountId, t.chatId);
    });
  }

  async listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]> {
    const rows = this.stmt('SELECT body FROM events WHERE account_id = ? AND chat_id = ? AND id >= ? ORDER BY id').all(accountId, chatId, from) as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as ChatEvent);
  }

  async listEventsPage(accountId: string, chatId: string, from: number, limit: number): Promise<ChatEvent[]> {
    const rows = this.stmt('SELECT body FROM events WHERE account_id = ? AND chat_id = ? AND id >= ? ORDER BY id LIMIT ?').all(accountId, chatId, from, limit) as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as ChatEvent);
  }

  async countWaitingChats(accountId: string): Promise<WaitingCounts> {
    // From chats_waiting_skill alone: no chat row (nor its body) is read.
    const rows = this.stmt(
      `SELECT json_extract(body, '$.skillId') AS skill, ringing_agent_id AS ringing, json_extract(body, '$.requestedAgentId') AS requested, count(*) AS n
       FROM chats INDEXED BY chats_waiting_skill WHERE account_id = ? AND state = 'waiting'
       GROUP BY json_extract(body, '$.skillId'), ringing_agent_id, json_extract(body, '$.requestedAgentId')`,
    ).all(accountId) as Row[];
    return waitingCounts(rows.map((r) => ({ skill: r.skill === null ? null : Number(r.skill), free: r.ringing === null, directed: r.requested !== null, n: Number(r.n) })));
  }

  async listWaitingChats(accountId: string): Promise<Chat[]> {
    const rows = this.stmt(`SELECT * FROM chats WHERE account_id = ? AND state = 'waiting' ORDER BY queued_at, id`).all(accountId) as Row[];
    return rows.map(chatFromRow);
  }

  async listAgentChats(accountId: string, agentId: number): Promise<Chat[]> {
    // Two indexed lookups (chats_agent, chats_ringing): an OR would make SQLite scan every
    // chat of the account. INDEXED BY, as the planner has no statistics to pick them itself.
    const rows = this.stmt(
      `SELECT * FROM chats INDEXED BY chats_agent WHERE account_id = ? AND state != 'ended' AND agent_id = ?
       UNION ALL
       SELECT * FROM chats INDEXED BY chats_ringing WHERE account_id = ? AND state = 'waiting' AND ringing_agent_id = ?
         AND (agent_id IS NULL OR agent_id != ?)
       ORDER BY queued_at, id`,
    ).all(accountId, agentId, accountId, agentId, agentId) as Row[];
    return rows.map(chatFromRow);
  }

  async listOpenDeadlines(dueBy?: number, limit?: number): Promise<ChatDeadline[]> {
    const rows = (
      dueBy === undefined
        ? this.stmt(`SELECT account_id, id, last_update + chat_timeout * 1000 AS deadline FROM chats WHERE state != 'ended'`).all()
        : this.stmt(
            `SELECT account_id, id, last_update + chat_timeout * 1000 AS deadline FROM chats
             WHERE state != 'ended' AND last_update + chat_timeout * 1000 <= ? ORDER BY deadline, account_id, id LIMIT ?`,
          ).all(dueBy, limit ?? -1)
    ) as Row[];
    return rows.map((r) => ({ accountId: str(r, 'account_id'), chatId: str(r, 'id'), deadline: num(r, 'deadline') }));
  }

  async nextAccountSequence(accountId: string): Promise<number> {
    const row = this.stmt('UPDATE accounts SET rt_seq = rt_seq + 1 WHERE id = ? RETURNING rt_seq').get(accountId) as Row | undefined;
    if (!row) throw new Error(`unknown account ${accountId}`);
    return num(row, 'rt_seq');
  }

  async countAgentChats(accountId: string): Promise<Map<number, number>> {
    // The two arms count exactly what listAgentChats returns per agent: held, or ringing.
    // Each arm reads its own index (routing runs this once per pass: no scan of the chats).
    const held = this.stmt(
      `SELECT agent_id AS agent, count(*) AS n FROM chats INDEXED BY chats_agent
       WHERE account_id = ? AND state != 'ended' AND agent_id IS NOT NULL GROUP BY agent_id`,
    ).all(accountId) as Row[];
    const ringing = this.stmt(
      `SELECT ringing_agent_id AS agent, count(*) AS n FROM chats INDEXED BY chats_ringing
       WHERE account_id = ? AND state = 'waiting' AND ringing_agent_id IS NOT NULL AND (agent_id IS NULL OR agent_id != ringing_agent_id)
       GROUP BY ringing_agent_id`,
    ).all(accountId) as Row[];
    const counts = new Map<number, number>();
    for (const r of [...held, ...ringing]) counts.set(num(r, 'agent'), (counts.get(num(r, 'agent')) ?? 0) + num(r, 'n'));
    return counts;
  }

  async listHandledChats(accountId: string, since: number, limit: number): Promise<HandledChat[]> {
    // endTime and acceptedAt live in the body; the chats_ended index (migrations) is on endTime.
    const rows = this.stmt(
      `SELECT id, json_extract(body, '$.skillId') AS skill_id, json_extract(body, '$.acceptedAt') AS accepted_at,
         json_extract(body, '$.endTime') AS ended_at
       FROM chats
       WHERE account_id = ? AND state = 'ended' AND json_extract(body, '$.endTime') >= ? AND json_extract(body, '$.acceptedAt') IS NOT NULL
       ORDER BY ended_at DESC, id
       LIMIT ?`,
    ).all(accountId, since, limit) as Row[];
    return rows.map((r) => ({ chatId: str(r, 'id'), skillId: numOrNull(r, 'skill_id'), acceptedAt: num(r, 'accepted_at'), endedAt: num(r, 'ended_at') }));
  }

  async putAgentSession(session: AgentSession): Promise<void> {
    this.stmt(`INSERT INTO agent_sessions (account_id, id, body) VALUES (?, ?, ?) ON CONFLICT (account_id, id) DO UPDATE SET body = excluded.body`).run(
      session.accountId,
      session.id,
      JSON.stringify(session),
    );
  }

  async getAgentSession(accountId: string, sessionId: string): Promise<AgentSession | null> {
    const row = this.stmt('SELECT body FROM agent_sessions WHERE account_id = ? AND id = ?').get(accountId, sessionId) as Row | undefined;
    return row ? (JSON.parse(str(row, 'body')) as AgentSession) : null;
  }

  async listAgentSessions(accountId: string): Promise<AgentSession[]> {
    const rows = this.stmt('SELECT body FROM agent_sessions WHERE account_id = ? ORDER BY id').all(accountId) as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as AgentSession);
  }

  async deleteAgentSession(accountId: string, sessionId: string): Promise<boolean> {
    const res = this.stmt('DELETE FROM agent_sessions WHERE account_id = ? AND id = ?').run(accountId, sessionId);
    return Number(res.changes) === 1;
  }

  async putLoginToken(token: LoginToken): Promise<void> {
    this.stmt('INSERT OR REPLACE INTO login_tokens (token_hash, expires_at, body) VALUES (?, ?, ?)').run(token.tokenHash, token.expiresAt, JSON.stringify(token));
  }

  async getLoginToken(tokenHash: string): Promise<LoginToken | null> {
    const row = this.stmt('SELECT body FROM login_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return row ? (JSON.parse(str(row, 'body')) as LoginToken) : null;
  }

  async deleteLoginToken(tokenHash: string): Promise<void> {
    this.stmt('DELETE FROM login_tokens WHERE token_hash = ?').run(tokenHash);
  }

  async deleteExpiredLoginTokens(now: number): Promise<number> {
    return Number(this.stmt('DELETE FROM login_tokens WHERE expires_at <= ?').run(now).changes);
  }

  async markAgentsChanged(accountId: string, agentIds: number[], at: number): Promise<void> {
    const up = this.stmt('INSERT INTO agent_changes (account_id, agent_id, changed_at) VALUES (?, ?, ?) ON CONFLICT (account_id, agent_id) DO UPDATE SET changed_at = max(changed_at, excluded.changed_at)');
    this.tx(() => {
      for (const id of agentIds) up.run(accountId, id, at);
    });
  }

  async agentsChangedSince(accountId: string, since: number): Promise<number[]> {
    const rows = this.stmt('SELECT agent_id FROM agent_changes WHERE account_id = ? AND changed_at >= ? ORDER BY agent_id').all(accountId, since) as Row[];
    return rows.map((r) => Number(r.agent_id));
  }

  async putVisitorIdentity(identity: VisitorIdentity): Promise<void> {
    this.stmt('INSERT OR REPLACE INTO visitor_identities (account_id, participant_id, expires_at, body) VALUES (?, ?, ?, ?)').run(identity.accountId, identity.participantId, identity.expiresAt, JSON.stringify(identity));
  }

  async getVisitorIdentity(accountId: string, participantId: string): Promise<VisitorIdentity | null> {
    const row = this.stmt('SELECT body FROM visitor_identities WHERE account_id = ? AND participant_id = ?').get(accountId, participantId) as Row | undefined;
    return row ? (JSON.parse(str(row, 'body')) as VisitorIdentity) : null;
  }

  async deleteExpiredVisitorIdentities(now: number): Promise<number> {
    return Number(this.stmt('DELETE FROM visitor_identities WHERE expires_at <= ?').run(now).changes);
  }

  async putOfflineSurvey(submission: OfflineSurveySubmission): Promise<void> {
    this.stmt('INSERT INTO offline_surveys (account_id, id, time, body) VALUES (?, ?, ?, ?)').run(
      submission.accountId,
      submission.id,
      submission.time,
      JSON.stringify(submission),
    );
  }

  async listOfflineSurveys(accountId: string): Promise<OfflineSurveySubmission[]> {
    const rows = this.stmt('SELECT body FROM offline_surveys WHERE account_id = ? ORDER BY time, rowid').all(accountId) as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as OfflineSurveySubmission);
  }

  async deleteActivity(accountId: string | null): Promise<void> {
    const tables = ['events', 'chats', 'agent_sessions', 'offline_surveys', 'visitor_identities', 'agent_changes'];
    this.tx(() => {
      for (const t of tables) {
        if (accountId === null) this.stmt(`DELETE FROM ${t}`).run();
        else this.stmt(`DELETE FROM ${t} WHERE account_id = ?`).run(accountId);
      }
      // Tokens keep their account in the body only.
      if (accountId === null) this.stmt('DELETE FROM login_tokens').run();
      else this.stmt(`DELETE FROM login_tokens WHERE json_extract(body, '$.accountId') = ?`).run(accountId);
    });
  }

  async listChats(accountId: string, state: ChatState | null, limit: number): Promise<Chat[]> {
    const rows = this.stmt(`SELECT * FROM chats WHERE account_id = ? AND (? IS NULL OR state = ?) ORDER BY json_extract(body, '$.startTime') DESC, id LIMIT ?`).all(accountId, state, state, limit) as Row[];
    return rows.map(chatFromRow);
  }

  async close(): Promise<void> {
    // Writes still waiting for their group's commit are committed (and answered) first.
    this.group.commit();
    await this.checkpointer?.stop();
    if (!this.db.isOpen) return;
    // Leave the database whole in its file: an empty WAL for backups and the next start.
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE);');
    this.db.close();
    this.dirLock?.release(true);
  }
}
