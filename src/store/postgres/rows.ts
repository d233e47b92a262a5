// Domain records to statement parameters and back. The chat body is the same JSON document
// the SQLite store keeps, so the two hold chats alike.
import type { Agent, AgentAvailability, Chat, ChatEvent } from '../../chat/core/types.ts';
import { chatBody, type ChatBody } from '../chat-body.ts';

export interface ChatRow {
  account_id: string;
  id: string;
  state: Chat['state'];
  agent_id: number | null;
  ringing_agent_id: number | null;
  queued_at: number;
  last_update: number;
  chat_timeout: number;
  version: number;
  body: ChatBody;
}

/** The chat columns a read selects, in ChatRow's order. */
export const CHAT_COLUMNS = 'account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, body';

export function chatFromRow(row: ChatRow): Chat {
  return {
    ...row.body,
    accountId: row.account_id,
    id: row.id,
    state: row.state,
    agentId: row.agent_id,
    ringingAgentId: row.ringing_agent_id,
    queuedAt: row.queued_at,
    lastUpdate: row.last_update,
    chatTimeout: row.chat_timeout,
    version: row.version,
  };
}

/**
 * A chat as the 13 values the chat statements take, in this order: account_id, id, state,
 * agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, skill_id,
 * end_time, accepted_at, body.
 */
export function chatValues(c: Chat): unknown[] {
  return [
    c.accountId, c.id, c.state, c.agentId, c.ringingAgentId, c.queuedAt, c.lastUpdate, c.chatTimeout, c.version,
    c.skillId, c.endTime, c.acceptedAt ?? null, chatBody(c),
  ];
}

/** Events as two parallel arrays (ids, JSON bodies) for unnest. */
export function eventArrays(events: ChatEvent[]): [number[], string[]] {
  return [events.map((e) => e.id), events.map((e) => JSON.stringify(e))];
}

export interface AgentRow {
  availability: AgentAvailability;
  chat_reason_id: string | null;
  body: Omit<Agent, 'availability' | 'chatReasonId'>;
}

export function agentFromRow(row: AgentRow): Agent {
  const agent: Agent = { ...row.body, availability: row.availability };
  if (row.chat_reason_id !== null) agent.chatReasonId = row.chat_reason_id;
  return agent;
}

/** An agent's body: what putAgent replaces. Availability and the reason have their own columns. */
export function agentBody(agent: Agent): string {
  const { availability: _a, chatReasonId: _r, ...body } = agent;
  return JSON.stringify(body);
}
