// The chat-information resource (spec §4.11, seed retrieve-chat-information.md): every field
// of the seed, in its order and with its JSON types. Agent fields appear once an agent
// holds the chat; participantId only for authenticated visitors.
import { typingOf } from '../../chat/conversation/chat-service.ts';
import type { Agent, Chat, Skill } from '../../chat/core/types.ts';
import type { Tree } from '../codecs/tree.ts';
import { link } from './links.ts';
import { formatTime } from './time.ts';

export type Side = 'visitor' | 'agent';

export interface InfoView {
  chat: Chat;
  skill: Skill | null;
  agent: Agent | null;
  now: number;
}

/** The name each side shows until the visitor sets one: "You" / "visitor" (spec §6 #15). */
export const defaultVisitorName: Readonly<Record<Side, string>> = { visitor: 'You', agent: 'visitor' };

export function visitorNameOf(chat: Chat, side: Side): string {
  return chat.visitorName ?? defaultVisitorName[side];
}

/** Seconds the chat lasted: 0 while open, as in every vendor example; start to end once ended. */
export function durationOf(chat: Chat): number {
  return chat.endTime === null ? 0 : Math.max(0, Math.round((chat.endTime - chat.startTime) / 1000));
}

export function infoTree(infoUrl: string, v: InfoView, side: Side): Tree {
  const { chat, skill, agent, now } = v;
  const o = chat.origin;
  return {
    link: [
      link(infoUrl, 'self'),
      link(`${infoUrl}/visitorName`, 'visitor-name'),
      link(`${infoUrl}/visitorTyping`, 'visitor-typing'),
      link(`${infoUrl}/agentTyping`, 'agent-typing'),
    ],
    state: chat.state,
    chatSessionKey: chat.id,
    skillName: skill?.name,
    skillId: skill?.id,
    agentName: agent?.name,
    agentId: agent?.id,
    startTime: formatTime(chat.startTime),
    duration: durationOf(chat),
    lastUpdate: formatTime(chat.lastUpdate),
    chatTimeout: chat.chatTimeout,
    visitorId: chat.visitorId,
    agentTyping: typingOf(chat.agentTypingUntil, now),
    visitorTyping: typingOf(chat.visitorTypingUntil, now),
    visitorName: visitorNameOf(chat, side),
    rtSessionId: chat.rtSessionId,
    sharkVisitorId: o.sharkVisitorId,
    sharkSessionId: o.sharkSessionId,
    sharkContextId: o.sharkContextId,
    engagementId: o.engagementId,
    campaignId: o.campaignId,
    language: o.language,
    participantId: o.participantId,
  };
}
