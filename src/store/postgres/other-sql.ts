// The statements of the PostgreSQL store for everything but chats: accounts, agents, agent
// sessions, login tokens, offline surveys. The account and agent writes end in
// pg_notify($channel, $payload) for the rows they wrote, so other processes hear of them in
// the same statement (sent when it commits, never for a write that did not happen).
import type { Sql } from './connection.ts';

/** `write` must RETURN a row per row written; the last two parameters are channel and payload. */
const notifying = (write: string, n: number): string => `WITH w AS (${write} RETURNING 1) SELECT pg_notify($${n}, $${n + 1}) FROM w`;

export const putAccount: Sql = {
  name: 'account-put',
  text: notifying('INSERT INTO accounts (id, body) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET body = excluded.body', 3),
};

export const getAccount: Sql = { name: 'account-get', text: 'SELECT body FROM accounts WHERE id = $1' };
export const listAccounts: Sql = { name: 'account-list', text: 'SELECT body FROM accounts ORDER BY id' };

/** Survives putAccount (which replaces only the body): a sequence number is never reused. */
export const nextAccountSequence: Sql = {
  name: 'account-sequence',
  text: 'UPDATE accounts SET rt_seq = rt_seq + 1 WHERE id = $1 RETURNING rt_seq',
};

/** Replaces the agent but keeps the availability of an existing one. */
export const putAgent: Sql = {
  name: 'agent-put',
  text: notifying(
    `INSERT INTO agents (account_id, id, login_name, availability, chat_reason_id, body) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (account_id, id) DO UPDATE SET login_name = excluded.login_name, chat_reason_id = excluded.chat_reason_id, body = excluded.body`,
    7,
  ),
};

const AGENT_COLUMNS = 'availability, chat_reason_id, body';
export const getAgent: Sql = { name: 'agent-get', text: `SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 AND id = $2` };
export const findAgentByLogin: Sql = {
  name: 'agent-by-login',
  text: `SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 AND login_name = $2`,
};
export const listAgents: Sql = { name: 'agent-list', text: `SELECT ${AGENT_COLUMNS} FROM agents WHERE account_id = $1 ORDER BY id` };

/** $4: whether to set the reason too (to $5, null clearing it); otherwise it is kept. */
export const setAgentAvailability: Sql = {
  name: 'agent-availability',
  text: notifying(
    'UPDATE agents SET availability = $3, chat_reason_id = CASE WHEN $4::boolean THEN $5::text ELSE chat_reason_id END WHERE account_id = $1 AND id = $2',
    6,
  ),
};

export const putAgentSession: Sql = {
  name: 'session-put',
  text: 'INSERT INTO agent_sessions (account_id, id, body) VALUES ($1, $2, $3) ON CONFLICT (account_id, id) DO UPDATE SET body = excluded.body',
};
export const getAgentSession: Sql = { name: 'session-get', text: 'SELECT body FROM agent_sessions WHERE account_id = $1 AND id = $2' };
export const listAgentSessions: Sql = { name: 'session-list', text: 'SELECT body FROM agent_sessions WHERE account_id = $1 ORDER BY id' };
export const deleteAgentSession: Sql = { name: 'session-delete', text: 'DELETE FROM agent_sessions WHERE account_id = $1 AND id = $2' };

export const putLoginToken: Sql = {
  name: 'token-put',
  text: `INSERT INTO login_tokens (token_hash, expires_at, body) VALUES ($1, $2, $3)
    ON CONFLICT (token_hash) DO UPDATE SET expires_at = excluded.expires_at, body = excluded.body`,
};
export const getLoginToken: Sql = { name: 'token-get', text: 'SELECT body FROM login_tokens WHERE token_hash = $1' };
export const deleteLoginToken: Sql = { name: 'token-delete', text: 'DELETE FROM login_tokens WHERE token_hash = $1' };
export const deleteExpiredLoginTokens: Sql = { name: 'token-expire', text: 'DELETE FROM login_tokens WHERE expires_at <= $1' };

export const markAgentsChanged: Sql = {
  name: 'agent-changed',
  text: `INSERT INTO agent_changes (account_id, agent_id, changed_at) SELECT $1, unnest($2::bigint[]), $3
    ON CONFLICT (account_id, agent_id) DO UPDATE SET changed_at = GREATEST(agent_changes.changed_at, excluded.changed_at)`,
};
export const agentsChangedSince: Sql = { name: 'agent-changed-since', text: 'SELECT agent_id FROM agent_changes WHERE account_id = $1 AND changed_at >= $2 ORDER BY agent_id' };

export const putVisitorIdentity: Sql = {
  name: 'identity-put',
  text: `INSERT INTO visitor_identities (account_id, participant_id, expires_at, body) VALUES ($1, $2, $3, $4)
    ON CONFLICT (account_id, participant_id) DO UPDATE SET expires_at = excluded.expires_at, body = excluded.body`,
};
export const getVisitorIdentity: Sql = { name: 'identity-get', text: 'SELECT body FROM visitor_identities WHERE account_id = $1 AND participant_id = $2' };
export const deleteExpiredVisitorIdentities: Sql = { name: 'identity-expire', text: 'DELETE FROM visitor_identities WHERE expires_at <= $1' };

export const putOfflineSurvey: Sql = {
  name: 'offline-survey-put',
  text: 'INSERT INTO offline_surveys (account_id, id, time, body) VALUES ($1, $2, $3, $4)',
};
export const listOfflineSurveys: Sql = {
  name: 'offline-survey-list',
  text: 'SELECT body FROM offline_surveys WHERE account_id = $1 ORDER BY time, seq',
};

/** The control plane's reset (ChatStore.deleteActivity): $1 an account id, or null for all. */
export const deleteActivity: string[] = [
  'DELETE FROM events WHERE $1::text IS NULL OR account_id = $1',
  'DELETE FROM chats WHERE $1::text IS NULL OR account_id = $1',
  'DELETE FROM agent_sessions WHERE $1::text IS NULL OR account_id = $1',
  'DELETE FROM offline_surveys WHERE $1::text IS NULL OR account_id = $1',
  'DELETE FROM visitor_identities WHERE $1::text IS NULL OR account_id = $1',
  'DELETE FROM agent_changes WHERE $1::text IS NULL OR account_id = $1',
  "DELETE FROM login_tokens WHERE $1::text IS NULL OR body->>'accountId' = $1",
];
