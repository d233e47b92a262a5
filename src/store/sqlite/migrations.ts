// Schema of the embedded store. Each entry runs once, in order; user_version records progress.

export const migrations: string[] = [
  `
  CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    rt_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE agents (
    account_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    login_name TEXT NOT NULL,
    availability TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE UNIQUE INDEX agents_login ON agents (account_id, login_name);
  CREATE TABLE chats (
    account_id TEXT NOT NULL,
    id TEXT NOT NULL,
    state TEXT NOT NULL,
    agent_id INTEGER,
    ringing_agent_id INTEGER,
    queued_at INTEGER NOT NULL,
    last_update INTEGER NOT NULL,
    chat_timeout INTEGER NOT NULL,
    version INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX chats_waiting ON chats (account_id, queued_at) WHERE state = 'waiting';
  CREATE INDEX chats_agent ON chats (account_id, agent_id) WHERE state != 'ended';
  CREATE INDEX chats_ringing ON chats (account_id, ringing_agent_id) WHERE state = 'waiting';
  CREATE INDEX chats_open ON chats (state) WHERE state != 'ended';
  CREATE TABLE events (
    account_id TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    id INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, chat_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE agent_sessions (
    account_id TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE TABLE login_tokens (
    token_hash TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL,
    body TEXT NOT NULL
  );
  `,
  // Post Offline Survey submissions (spec §4.6), one row each, listed per account in order.
  `
  CREATE TABLE offline_surveys (
    account_id TEXT NOT NULL,
    id TEXT NOT NULL,
    time INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
  );
  CREATE INDEX offline_surveys_time ON offline_surveys (account_id, time);
  `,
  // Recently ended chats, newest first, for the average handling time (estimated wait, spec §4.3).
  `
  CREATE INDEX chats_ended ON chats (account_id, json_extract(body, '$.endTime')) WHERE state = 'ended';
  `,
  // Agent loads for routing (countAgentChats) from the index alone: with the state in it, the
  // count reads no chat rows (SQLite does not treat a partial index's WHERE as covering).
  `
  DROP INDEX chats_agent;
  CREATE INDEX chats_agent ON chats (account_id, agent_id, state) WHERE state != 'ended';
  `,
  // The accept time is the domain's (chat.acceptedAt), no longer derived here from events:
  // chats accepted before it get theirs from their first `chatting` state event.
  `
  UPDATE chats SET body = json_set(body, '$.acceptedAt', (
    SELECT min(json_extract(e.body, '$.time')) FROM events e
    WHERE e.account_id = chats.account_id AND e.chat_id = chats.id
      AND json_extract(e.body, '$.type') = 'state' AND json_extract(e.body, '$.state') = 'chatting'))
  WHERE json_extract(body, '$.acceptedAt') IS NULL AND EXISTS (
    SELECT 1 FROM events e WHERE e.account_id = chats.account_id AND e.chat_id = chats.id
      AND json_extract(e.body, '$.type') = 'state' AND json_extract(e.body, '$.state') = 'chatting');
  `,
  // Open chats by deadline, for the sweep of a shared store and for starting up.
  `
  CREATE INDEX chats_deadline ON chats (last_update + chat_timeout * 1000) WHERE state != 'ended';
  `,
  // The queue counted per skill without reading it (countWaitingChats; issue 11, finding 4).
  `
  CREATE INDEX chats_waiting_skill ON chats (account_id, state, json_extract(body, '$.skillId'), ringing_agent_id, json_extract(body, '$.requestedAgentId')) WHERE state = 'waiting';
  `,
  // Verified Visitor Authentications (spec §4.7b): Start Chat looks a participantId up here.
  `
  CREATE TABLE visitor_identities (
    account_id TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, participant_id)
  );
  CREATE INDEX visitor_identities_expiry ON visitor_identities (expires_at);
  `,
  // When each agent's availability or load last changed: Retrieve Available Agents' timeStamp.
  `
  CREATE TABLE agent_changes (
    account_id TEXT NOT NULL,
    agent_id INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, agent_id)
  ) WITHOUT ROWID;
  `,
];
