// Rows of the embedded store to and from domain objects. A chat keeps the columns the
// queries use beside a JSON body, which stays the truth for the rest.
import type { Chat } from '../../chat/core/types.ts';

export type Row = Record<string, unknown>;

/** The columns that are queried live beside the JSON body; the body stays the truth for the rest. */
export type ChatBody = Omit<Chat, 'accountId' | 'id' | 'state' | 'agentId' | 'ringingAgentId' | 'queuedAt' | 'lastUpdate' | 'chatTimeout' | 'version'>;

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

export function chatBody(c: Chat): string {
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
    // Survey answers (optional; JSON.stringify drops the absent ones).
    preChatSurvey: c.preChatSurvey,
    exitSurvey: c.exitSurvey,
    agentSurvey: c.agentSurvey,
    // Optional: absent until the visitor sets one, so older rows read the same (spec §4.20).
    customVariables: c.customVariables,
    // Routing fields (optional): absent when null, so chats stored before them read the same.
    ringingSince: c.ringingSince ?? undefined,
    maxWaitTime: c.maxWaitTime ?? undefined,
    requestedAgentId: c.requestedAgentId ?? undefined,
    transferredFromAgentId: c.transferredFromAgentId ?? undefined,
    acceptedAt: c.acceptedAt ?? undefined,
  };
  return JSON.stringify(body);
}
