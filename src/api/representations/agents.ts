// Agent-directory resources (agent API §4.4, §4.6, §4.9, §4.24): fields in the order of the
// vendor's examples, numbers as the strings the examples show (the XML-to-JSON mapping).
import { STATE_CODES, VOICE_STATE, type ListedAgent } from '../../chat/agents/agent-directory.ts';
import type { Agent, Chat, Skill } from '../../chat/core/types.ts';
import type { Doc, Tree } from '../codecs/tree.ts';
import { link } from './links.ts';

/** One `agent` of Retrieve Available Agents: attributes, then elements as in the example. */
export function listedAgentTree({ agent, chats }: ListedAgent): Tree {
  return {
    '@chatState': String(STATE_CODES[agent.availability]),
    '@id': String(agent.id),
    '@maxChats': String(agent.maxChats),
    '@voiceState': String(STATE_CODES[VOICE_STATE]),
    // Omitted when 0: the example has none and the sample app reads a missing value as free.
    chats: chats > 0 ? String(chats) : undefined,
    email: agent.email,
    nickname: agent.name,
    privilegeGroup: agent.privilegeGroup,
    skills: { skill: agent.skills.map(String) },
    userName: agent.loginName,
  };
}

export function availableAgentsDoc(agents: ListedAgent[], nextHref: string): Doc {
  return { availableAgents: { agents: { agent: agents.map(listedAgentTree) }, link: link(nextHref, 'next') } };
}

/** Retrieve Agent Information (agent API §4.6). */
export function agentInfoDoc(selfHref: string, agent: Agent, skills: Skill[]): Doc {
  return {
    info: {
      link: link(selfHref, 'self'),
      agentName: agent.name,
      displayName: agent.displayName ?? agent.name,
      loginName: agent.loginName,
      id: String(agent.id),
      maxChats: String(agent.maxChats),
      availability: { chat: agent.availability, voice: VOICE_STATE },
      chatReasonId: agent.chatReasonId,
      skillsInfo: { skillInfo: skills.map((s) => ({ id: String(s.id), name: s.name })) },
    },
  };
}

/** Retrieve Chat Sessions (agent API §4.9); `chatHref` gives a chat's URI under the caller's session. */
export function chatSessionsDoc(chats: Chat[], chatHref: (chatId: string) => string): Doc {
  return {
    chatSessions: {
      chatSession: chats.map((c) => ({ link: link(chatHref(c.id), 'chat-session'), chatSessionKey: c.id, startTime: c.startTime })),
    },
  };
}

/**
 * Retrieve Participant Info (agent API §4.24). The page lists `authenticatedParticipantInfo`
 * (and the optional `authenticatedPersonalInfo`) at the top, as JSON does here; XML needs one
 * root, so there they sit inside `<participantExtendedInfo>`, the resource's name.
 */
export function participantDoc(chat: Chat, xml: boolean): Doc {
  // The SDEs the verified token carried (chat/conversation/visitor-auth.ts); a participantId
  // is only ever a verified visitor's, so isUserAuthenticated is true wherever one is found.
  const v = chat.authenticatedVisitor;
  const participant = { isUserAuthenticated: v !== undefined, participantId: chat.origin.participantId, ...(v?.participantInfo ?? {}) };
  const info = { authenticatedParticipantInfo: participant, ...(v?.personalInfo ? { authenticatedPersonalInfo: v.personalInfo } : {}) } as Doc;
  return xml ? { participantExtendedInfo: info } : info;
}
