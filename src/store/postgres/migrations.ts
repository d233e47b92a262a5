// Schema of the PostgreSQL store. Each entry runs once, in order, in its own transaction;
// schema_migrations records which have. Never edit an entry that has shipped: add one.
//
// Times are epoch ms in bigint. Chats keep what the domain queries on as columns and the
// rest in a JSON body, as the SQLite store does (the body is the same document there);
// skill_id, end_time and accepted_at are copies of body fields for listHandledChats.
// Bodies are `json`, not `jsonb`: jsonb refuses "\u0000", which a visitor may well type.
// Keys are COLLATE "C": byte order (as SQLite's), and cheaper to compare.
import type { Client } from 'pg';
import { ident } from './connection.ts';

export const migrations: string[] = [
  `
  CREATE TABLE accounts (
    id text COLLATE "C" PRIMARY KEY,
    body json NOT NULL,
    rt_seq bigint NOT NULL DEFAULT 0
  );
  CREATE TABLE agents (
    account_id text COLLATE "C" NOT NULL,
    id bigint NOT NULL,
    login_name text COLLATE "C" NOT NULL,
    availability text NOT NULL,
    chat_reason_id text,
    body json NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE UNIQUE INDEX agents_login ON agents (account_id, login_name);
  CREATE TABLE chats (
    account_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    state text NOT NULL,
    agent_id bigint,
    ringing_agent_id bigint,
    queued_at bigint NOT NULL,
    last_update bigint NOT NULL,
    chat_timeout bigint NOT NULL,
    version bigint NOT NULL,
    skill_id bigint,
    end_time bigint,
    accepted_at bigint,
    body json NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  -- The queue of an account, FIFO (listWaitingChats).
  CREATE INDEX chats_waiting ON chats (account_id, queued_at, id) WHERE state = 'waiting';
  -- Held and ringing chats of an agent (listAgentChats, countAgentChats).
  CREATE INDEX chats_agent ON chats (account_id, agent_id) WHERE state <> 'ended';
  CREATE INDEX chats_ringing ON chats (account_id, ringing_agent_id) WHERE state = 'waiting';
  -- Open chats by deadline (listOpenDeadlines): the expression must match the queries'.
  CREATE INDEX chats_deadline ON chats ((last_update + chat_timeout * 1000), account_id, id) WHERE state <> 'ended';
  -- Recently handled chats, latest end first (listHandledChats).
  CREATE INDEX chats_ended ON chats (account_id, end_time DESC) WHERE state = 'ended' AND accepted_at IS NOT NULL;
  CREATE TABLE events (
    account_id text COLLATE "C" NOT NULL,
    chat_id text COLLATE "C" NOT NULL,
    id integer NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (account_id, chat_id, id)
  );
  CREATE TABLE agent_sessions (
    account_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE TABLE login_tokens (
    token_hash text COLLATE "C" PRIMARY KEY,
    expires_at bigint NOT NULL,
    body json NOT NULL
  );
  CREATE INDEX login_tokens_expiry ON login_tokens (expires_at);
  -- seq keeps submissions of the same instant in the order they came (SQLite's rowid).
  CREATE TABLE offline_surveys (
    account_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY,
    time bigint NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE INDEX offline_surveys_time ON offline_surveys (account_id, time, seq);
  `,
  // The queue counted per skill without reading it (countWaitingChats; issue 11, finding 4).
  `
  CREATE INDEX chats_waiting_skill ON chats (account_id, skill_id, (ringing_agent_id IS NULL), ((body->>'requestedAgentId') IS NULL)) WHERE state = 'waiting';
  `,
  // Verified Visitor Authentications (spec §4.7b): Start Chat looks a participantId up here.
  `
  CREATE TABLE visitor_identities (
    account_id text COLLATE "C" NOT NULL,
    participant_id text COLLATE "C" NOT NULL,
    expires_at bigint NOT NULL,
    body json NOT NULL,
    PRIMARY KEY (account_id, participant_id)
  );
  CREATE INDEX visitor_identities_expiry ON visitor_identities (expires_at);
  `,
  // When each agent's availability or load last changed: Retrieve Available Agents' timeStamp.
  `
  CREATE TABLE agent_changes (
    account_id text COLLATE "C" NOT NULL,
    agent_id bigint NOT NULL,
    changed_at bigint NOT NULL,
    PRIMARY KEY (account_id, agent_id)
  );
  `,
  // Keep-alives as HOT updates (issue 14). last_update was in chats_deadline, so every
  // keep-alive wrote a new entry into each index of chats. Open chats are now found by
  // due_floor, a lower bound of the deadline that keep-alives move only now and then
  // (chat-sql.ts, touchChat); last_update is in no index, and pages keep room for the new
  // row versions of keep-alives.
  `
  ALTER TABLE chats ADD COLUMN due_floor bigint;
  UPDATE chats SET due_floor = last_update + chat_timeout * 1000 WHERE state <> 'ended';
  DROP INDEX chats_deadline;
  CREATE INDEX chats_due ON chats (due_floor, account_id, id) WHERE state <> 'ended';
  ALTER TABLE chats SET (fillfactor = 90);
  `,
  // Lines as HOT updates too (issue 14). chats_waiting_skill read requestedAgentId from the
  // body, so every write of a body (every line) wrote a new entry into each index of chats.
  // Whether a chat was asked for a given agent is now a column of its own, set by every
  // write (chat-sql.ts); the body is in no index. Only waiting chats are counted by it.
  `
  ALTER TABLE chats ADD COLUMN directed boolean;
  UPDATE chats SET directed = (body->>'requestedAgentId') IS NOT NULL WHERE state = 'waiting';
  DROP INDEX chats_waiting_skill;
  CREATE INDEX chats_waiting_skill ON chats (account_id, skill_id, (ringing_agent_id IS NULL), directed) WHERE state = 'waiting';
  `,
];

/** The advisory lock key that serialises migrating one schema across processes. */
const migrationLockKey = (schema: string | null): string => `serverchat:migrate:${schema ?? ''}`;

/**
 * Brings the schema up to date, exactly once however many processes open an empty database
 * at the same moment: they queue on one advisory lock, and each one after the first finds
 * nothing left to do. Refuses a schema newer than this code.
 */
export async function migrate(client: Client, schema: string | null): Promise<void> {
  const key = migrationLockKey(schema);
  await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
  try {
    if (schema !== null) await client.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > migrations.length) {
      throw new Error(`the database schema is version ${current}, newer than this serverchat knows (${migrations.length}): upgrade serverchat`);
    }
    for (let v = current + 1; v <= migrations.length; v++) {
      await client.query('BEGIN');
      try {
        await client.query(migrations[v - 1] ?? '');
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } finally {
    // Also released when the session ends, should this fail.
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
  }
}
