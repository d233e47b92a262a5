// The embedded default store: node:sqlite, one file under the data directory, or :memory:.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Account, Agent, AgentAvailability, AgentSession, Chat, ChatEvent, LoginToken } from '../../chat/types.ts';
import type { ChatDeadline, ChatStore } from '../store.ts';
import { migrations } from './migrations.ts';

type Row = Record<string, unknown>;

/** The columns that are queried live beside the JSON body; the body stays the truth for the rest. */
type ChatBody = Omit<Chat, 'accountId' | 'id' | 'state' | 'agentId' | 'ringingAgentId' | 'queuedAt' | 'lastUpdate' | 'chatTimeout' | 'version'>;

function str(row: Row, key: string): string {
  return String(row[key]);
}
function num(row: Row, key: string): number {
  return Number(row[key]);
}
function numOrNull(row: Row, key: string): number | null {
  const v = row[key];
  return v === null || v === undefined ? null : Number(v);
}

function chatFromRow(row: Row): Chat {
  const body = JSON.parse(str(row, 'body')) as ChatBody;
  return {
    ...body,
    accountId: str(row, 'account_id'),
    id: str(row, 'id'),
    state: str(row, 'state') as Chat['state'],
    agentId: numOrNull(row, 'agent_id'),
    ringingAgentId: numOrNull(row, 'ringing_agent_id'),
    queuedAt: num(row, 'queued_at'),
    lastUpdate: num(row, 'last_update'),
    chatTimeout: num(row, 'chat_timeout'),
    version: num(row, 'version'),
  };
}

function chatBody(c: Chat): string {
  const body: ChatBody = {
    skillId: c.skillId,
    startTime: c.startTime,
    endTime: c.endTime,
    visitorId: c.visitorId,
    visitorName: c.visitorName,
    visitorTypingUntil: c.visitorTypingUntil,
    agentTypingUntil: c.agentTypingUntil,
    rtSessionId: c.rtSessionId,
    origin: c.origin,
    nextEventId: c.nextEventId,
  };
  return JSON.stringify(body);
}

export class SqliteStore implements ChatStore {
  private readonly db: DatabaseSync;
  private readonly stmts = new Map<string, StatementSync>();

  /** `location` is a file path or ':memory:'. */
  constructor(location: string) {
    if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
    this.db = new DatabaseSync(location);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
    this.migrate();
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

  async setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability): Promise<void> {
    this.stmt('UPDATE agents SET availability = ? WHERE account_id = ? AND id = ?').run(availability, accountId, agentId);
  }

  private insertEvents(accountId: string, chatId: string, events: ChatEvent[]): void {
    const ins = this.stmt('INSERT INTO events (account_id, chat_id, id, body) VALUES (?, ?, ?, ?)');
    for (const e of events) ins.run(accountId, chatId, e.id, JSON.stringify(e));
  }

  async createChat(chat: Chat, events: ChatEvent[]): Promise<void> {
    this.tx(() => {
      this.stmt(
        `INSERT INTO chats (account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(chat.accountId, chat.id, chat.state, chat.agentId, chat.ringingAgentId, chat.queuedAt, chat.lastUpdate, chat.chatTimeout, chat.version, chatBody(chat));
      this.insertEvents(chat.accountId, chat.id, events);
    });
  }

  async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    const row = this.stmt('SELECT * FROM chats WHERE account_id = ? AND id = ?').get(accountId, chatId) as Row | undefined;
    return row ? chatFromRow(row) : null;
  }

  async updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean> {
    return this.tx(() => {
      const res = this.stmt(
        `UPDATE chats SET state = ?, agent_id = ?, ringing_agent_id = ?, queued_at = ?, last_update = max(last_update, ?), chat_timeout = ?, version = ?, body = ?
         WHERE account_id = ? AND id = ? AND version = ?`,
      ).run(chat.state, chat.agentId, chat.ringingAgentId, chat.queuedAt, chat.lastUpdate, chat.chatTimeout, chat.version, chatBody(chat), chat.accountId, chat.id, chat.version - 1);
      if (Number(res.changes) !== 1) return false;
      this.insertEvents(chat.accountId, chat.id, events);
      return true;
    });
  }

  async touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void> {
    this.stmt('UPDATE chats SET last_update = max(last_update, ?) WHERE account_id = ? AND id = ?').run(lastUpdate, accountId, chatId);
  }

  async listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]> {
    const rows = this.stmt('SELECT body FROM events WHERE account_id = ? AND chat_id = ? AND id >= ? ORDER BY id').all(accountId, chatId, from) as Row[];
    return rows.map((r) => JSON.parse(str(r, 'body')) as ChatEvent);
  }

  async listWaitingChats(accountId: string): Promise<Chat[]> {
    const rows = this.stmt(`SELECT * FROM chats WHERE account_id = ? AND state = 'waiting' ORDER BY queued_at, id`).all(accountId) as Row[];
    return rows.map(chatFromRow);
  }

  async listAgentChats(accountId: string, agentId: number): Promise<Chat[]> {
    const rows = this.stmt(
      `SELECT * FROM chats WHERE account_id = ? AND state != 'ended' AND (agent_id = ? OR (state = 'waiting' AND ringing_agent_id = ?))
       ORDER BY queued_at, id`,
    ).all(accountId, agentId, agentId) as Row[];
    return rows.map(chatFromRow);
  }

  async listOpenDeadlines(): Promise<ChatDeadline[]> {
    const rows = this.stmt(`SELECT account_id, id, last_update + chat_timeout * 1000 AS deadline FROM chats WHERE state != 'ended'`).all() as Row[];
    return rows.map((r) => ({ accountId: str(r, 'account_id'), chatId: str(r, 'id'), deadline: num(r, 'deadline') }));
  }

  async nextRtSessionId(accountId: string): Promise<number> {
    const row = this.stmt('UPDATE accounts SET rt_seq = rt_seq + 1 WHERE id = ? RETURNING rt_seq').get(accountId) as Row | undefined;
    if (!row) throw new Error(`unknown account ${accountId}`);
    // The vendor's ids start above 2^32 (spec §4.11 example 4294967524).
    return 4294967296 + num(row, 'rt_seq');
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

  async close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
  }
}
