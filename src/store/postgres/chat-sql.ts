// The chat statements of the PostgreSQL store. Each write is one statement (one round trip,
// atomic by itself); batches pass their rows as arrays and unnest them.
//
// due_floor (migration 5) is a lower bound of an open chat's deadline, lastUpdate +
// chatTimeout: the sweep finds due chats by it (listDueDeadlines). A keep-alive only moves
// lastUpdate, which is in no index, so it can be a HOT update: it moves due_floor too only
// once the floor is within half a chatTimeout of the new lastUpdate (floorAfterTouch), so a
// chat kept alive has its floor rewritten about once per half timeout instead of on every
// keep-alive. A full write keeps the floor by the same rule while it is still below the new
// deadline (floorAfterWrite), so a line — which changes the body, lastUpdate and version,
// none of them indexed since migration 6 — is a HOT update too. The floor stays a lower bound.
import type { Sql } from './connection.ts';
import { CHAT_COLUMNS } from './rows.ts';

/** The floor after a keep-alive to `lu`: the new deadline when the old floor is near, else unchanged. */
const floorAfterTouch = (c: string, lu: string): string =>
  `CASE WHEN ${c}due_floor - ${lu} < ${c}chat_timeout * 500 THEN ${lu} + ${c}chat_timeout * 1000 ELSE ${c}due_floor END`;

/** The floor after a full write whose deadline is `d` and chatTimeout `t`: kept while below `d` and within half of `t` of it. */
const floorAfterWrite = (c: string, d: string, t: string): string =>
  `CASE WHEN ${c}due_floor <= ${d} AND ${d} - ${c}due_floor <= ${t} * 500 THEN ${c}due_floor ELSE ${d} END`;

/** Whether a chat was asked for a given agent (migration 6: chats_waiting_skill counts by it), from the body written. */
const directedOf = (body: string): string => `(${body}->>'requestedAgentId') IS NOT NULL`;

// $1..$13 are chatValues() (rows.ts); $14, $15 the events' ids and JSON bodies.
const INSERT_EVENTS_OF_ONE = `INSERT INTO events (account_id, chat_id, id, body)
  SELECT $1, $2, e.id, e.body FROM unnest($14::integer[], $15::json[]) AS e(id, body)`;

export const createChat: Sql = {
  name: 'chat-create',
  text: `WITH c AS (
    INSERT INTO chats (account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, skill_id, end_time, accepted_at, body, due_floor, directed)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $7::bigint + $8::bigint * 1000, ${directedOf('$13::json')})
  )
  ${INSERT_EVENTS_OF_ONE}`,
};

/**
 * The version-checked write: the row changes only if it is still at version $9 - 1, and the
 * events go in only if it did (EXISTS on the update's output). A concurrent writer blocks on
 * the row and then re-checks the version against the committed row, so exactly one wins.
 * lastUpdate never moves back past a keep-alive that landed meanwhile.
 */
export const updateChat: Sql = {
  name: 'chat-update',
  text: `WITH up AS (
    UPDATE chats SET state = $3, agent_id = $4, ringing_agent_id = $5, queued_at = $6, last_update = GREATEST(last_update, $7),
      chat_timeout = $8, version = $9, skill_id = $10, end_time = $11, accepted_at = $12, body = $13,
      due_floor = ${floorAfterWrite('', 'GREATEST(last_update, $7) + $8::bigint * 1000', '$8::bigint')}, directed = ${directedOf('$13::json')}
    WHERE account_id = $1 AND id = $2 AND version = $9::bigint - 1
    RETURNING 1
  ), ev AS (
    ${INSERT_EVENTS_OF_ONE} WHERE EXISTS (SELECT 1 FROM up)
  ), nt AS (
    SELECT pg_notify($16, $17) FROM up
  )
  SELECT (SELECT count(*) FROM up)::integer AS n, (SELECT count(*) FROM nt)::integer AS told`,
};

/**
 * updateChat for a batch of distinct chats in one statement: $1..$13 are arrays of the
 * columns, $14..$16 the events as (entry's 1-based position, id, body), $17 the channel and
 * $18 each entry's notice (open-chat-store.ts), sent for the entries written. Rows are locked
 * in key order so that two batches never deadlock. Returns the positions that were written.
 */
export const updateChats: Sql = {
  name: 'chat-update-batch',
  text: `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
      $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::json[])
      WITH ORDINALITY AS i(account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version,
        skill_id, end_time, accepted_at, body, ord)
  ), hit AS MATERIALIZED (
    SELECT i.* FROM chats c JOIN input i ON c.account_id = i.account_id AND c.id = i.id AND c.version = i.version - 1
    ORDER BY c.account_id, c.id
    FOR UPDATE OF c
  ), up AS (
    UPDATE chats c SET state = h.state, agent_id = h.agent_id, ringing_agent_id = h.ringing_agent_id, queued_at = h.queued_at,
      last_update = GREATEST(c.last_update, h.last_update), chat_timeout = h.chat_timeout, version = h.version,
      skill_id = h.skill_id, end_time = h.end_time, accepted_at = h.accepted_at, body = h.body,
      due_floor = ${floorAfterWrite('c.', 'GREATEST(c.last_update, h.last_update) + h.chat_timeout * 1000', 'h.chat_timeout')},
      directed = ${directedOf('h.body')}
    FROM hit h WHERE c.account_id = h.account_id AND c.id = h.id
    RETURNING h.ord
  ), ev AS (
    INSERT INTO events (account_id, chat_id, id, body)
    SELECT i.account_id, i.id, e.id, e.body
    FROM unnest($14::bigint[], $15::integer[], $16::json[]) AS e(ord, id, body) JOIN input i ON i.ord = e.ord
    WHERE e.ord IN (SELECT ord FROM up)
  ), nt AS (
    SELECT pg_notify($17, n.p) FROM unnest($18::text[]) WITH ORDINALITY AS n(p, ord) WHERE n.ord IN (SELECT ord FROM up)
  )
  SELECT ord FROM up WHERE (SELECT count(*) FROM nt) >= 0`,
};

/** The readiness probe: one round trip that also says the schema is there and how far it got. */
export const schemaVersion: Sql = {
  name: 'schema-version',
  text: 'SELECT max(version) AS v FROM schema_migrations',
};

/** Keep-alive: only forward, and no new row version at all when there is nothing to move (due_floor: above). */
export const touchChat: Sql = {
  name: 'chat-touch',
  text: `WITH up AS (
    UPDATE chats SET last_update = $3, due_floor = ${floorAfterTouch('', '$3::bigint')}
    WHERE account_id = $1 AND id = $2 AND last_update < $3 RETURNING 1
  ), nt AS (
    SELECT pg_notify($4, $5) FROM up
  )
  SELECT (SELECT count(*) FROM nt)::integer AS told`,
};

/**
 * touchChat for a batch (latest per chat wins), rows locked in key order (no deadlocks between
 * batches); $4 the channel and $5 the notices of the touches (open-chat-store.ts).
 */
export const touchChats: Sql = {
  name: 'chat-touch-batch',
  text: `WITH t AS (
    SELECT a, id, max(lu) AS lu FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(a, id, lu) GROUP BY a, id
  ), hit AS MATERIALIZED (
    SELECT c.account_id, c.id, t.lu FROM chats c JOIN t ON c.account_id = t.a AND c.id = t.id
    WHERE c.last_update < t.lu
    ORDER BY c.account_id, c.id
    FOR UPDATE OF c
  ), up AS (
    UPDATE chats c SET last_update = GREATEST(c.last_update, h.lu), due_floor = ${floorAfterTouch('c.', 'GREATEST(c.last_update, h.lu)')} FROM hit h WHERE c.account_id = h.account_id AND c.id = h.id RETURNING 1
  ), nt AS (
    SELECT pg_notify($4, p) FROM unnest($5::text[]) AS p WHERE EXISTS (SELECT 1 FROM up)
  )
  SELECT (SELECT count(*) FROM up)::integer AS n, (SELECT count(*) FROM nt)::integer AS told`,
};

export const getChat: Sql = {
  name: 'chat-get',
  text: `SELECT ${CHAT_COLUMNS} FROM chats WHERE account_id = $1 AND id = $2`,
};

/** Many chats in one round trip, with the position each was asked at. */
export const getChats: Sql = {
  name: 'chats-get-many',
  text: `SELECT k.ord, ${CHAT_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}
    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(account_id, id, ord)
    JOIN chats c ON c.account_id = k.account_id AND c.id = k.id`,
};

export const listEvents: Sql = {
  name: 'events-list',
  text: 'SELECT body FROM events WHERE account_id = $1 AND chat_id = $2 AND id >= $3 ORDER BY id',
};

export const listEventsPage: Sql = {
  name: 'events-page',
  text: 'SELECT body FROM events WHERE account_id = $1 AND chat_id = $2 AND id >= $3 ORDER BY id LIMIT $4',
};

/** The queue counted per skill from chats_waiting_skill (issue 11, finding 4). */
export const countWaitingChats: Sql = {
  name: 'chats-waiting-count',
  text: `SELECT skill_id AS skill, ringing_agent_id IS NULL AS free, directed, count(*)::int AS n FROM chats
    WHERE account_id = $1 AND state = 'waiting' GROUP BY 1, 2, 3`,
};

export const listWaitingChats: Sql = {
  name: 'chats-waiting',
  text: `SELECT ${CHAT_COLUMNS} FROM chats WHERE account_id = $1 AND state = 'waiting' ORDER BY queued_at, id`,
};

/** Held or ringing, each arm on its own partial index. */
export const listAgentChats: Sql = {
  name: 'chats-agent',
  text: `SELECT ${CHAT_COLUMNS} FROM chats WHERE account_id = $1 AND state <> 'ended' AND agent_id = $2
    UNION ALL
    SELECT ${CHAT_COLUMNS} FROM chats WHERE account_id = $1 AND state = 'waiting' AND ringing_agent_id = $2
      AND (agent_id IS NULL OR agent_id <> $2)
    ORDER BY queued_at, id`,
};

/** The two arms count exactly what listAgentChats returns per agent: held, or ringing. */
export const countAgentChats: Sql = {
  name: 'chats-agent-count',
  text: `SELECT agent, count(*) AS n FROM (
      SELECT agent_id AS agent FROM chats WHERE account_id = $1 AND state <> 'ended' AND agent_id IS NOT NULL
      UNION ALL
      SELECT ringing_agent_id FROM chats WHERE account_id = $1 AND state = 'waiting' AND ringing_agent_id IS NOT NULL
        AND (agent_id IS NULL OR agent_id <> ringing_agent_id)
    ) x GROUP BY agent`,
};

export const listOpenDeadlines: Sql = {
  name: 'chats-deadlines',
  text: `SELECT account_id, id, last_update + chat_timeout * 1000 AS deadline FROM chats WHERE state <> 'ended'`,
};

/**
 * Due by $1, at most $2 (NULL: all), in the order of their floors, on the chats_due index: a
 * chat whose floor passed but whose keep-alives moved its deadline later is read and passed
 * over: its next keep-alive rewrites the floor (it is then within half a timeout), or it
 * falls due by its deadline.
 */
export const listDueDeadlines: Sql = {
  name: 'chats-deadlines-due',
  text: `SELECT account_id, id, last_update + chat_timeout * 1000 AS deadline FROM chats
    WHERE state <> 'ended' AND due_floor <= $1 AND last_update + chat_timeout * 1000 <= $1
    ORDER BY due_floor, account_id, id LIMIT $2`,
};

export const listHandledChats: Sql = {
  name: 'chats-handled',
  text: `SELECT id, skill_id, accepted_at, end_time FROM chats
    WHERE account_id = $1 AND state = 'ended' AND accepted_at IS NOT NULL AND end_time >= $2
    ORDER BY end_time DESC, id LIMIT $3`,
};

/** The control plane's chat list (ChatStore.listChats): $2 a state or null, $3 the limit. */
export const listChats: Sql = {
  name: 'chats-list',
  text: `SELECT ${CHAT_COLUMNS} FROM chats WHERE account_id = $1 AND ($2::text IS NULL OR state = $2) ORDER BY (body->>'startTime')::bigint DESC, id LIMIT $3`,
};
