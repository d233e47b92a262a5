// The JSON body a backend keeps beside a chat's queried columns: one document, whatever the
// backend, so SQLite and PostgreSQL hold chats alike and the body stays the truth for the rest.
import type { Chat } from '../chat/core/types.ts';

/** Everything of a chat but the columns that are queried live. */
export type ChatBody = Omit<Chat, 'accountId' | 'id' | 'state' | 'agentId' | 'ringingAgentId' | 'queuedAt' | 'lastUpdate' | 'chatTimeout' | 'version'>;

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
    // Optional: only a chat requested with a verified participantId has it (spec §4.7b).
    authenticatedVisitor: c.authenticatedVisitor,
    // The content counter (optional, issue 11): absent until content is written.
    contentChars: c.contentChars,
    // Routing fields (optional): absent when null, so chats stored before them read the same.
    ringingSince: c.ringingSince ?? undefined,
    maxWaitTime: c.maxWaitTime ?? undefined,
    requestedAgentId: c.requestedAgentId ?? undefined,
    transferredFromAgentId: c.transferredFromAgentId ?? undefined,
    acceptedAt: c.acceptedAt ?? undefined,
  };
  return JSON.stringify(body);
}
