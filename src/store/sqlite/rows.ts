// Rows of the embedded store to and from domain objects. A chat keeps the columns the
// queries use beside a JSON body, which stays the truth for the rest.
import type { Chat } from '../../chat/core/types.ts';
import type { ChatBody } from '../chat-body.ts';

export type Row = Record<string, unknown>;

export function str(row: Row, key: string): string {
  return String(row[key]);
}
export function num(row: Row, key: string): number {
  return Number(row[key]);
}
export function numOrNull(row: Row, key: string): number | null {
  const v = row[key];
  return v === null || v === undefined ? null : Number(v);
}

export function chatFromRow(row: Row): Chat {
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

