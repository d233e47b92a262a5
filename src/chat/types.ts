// Domain records. Plain data: no HTTP, no SQL (design.md, "src/chat/").

export type ChatState = 'waiting' | 'chatting' | 'ended';
export type Typing = 'typing' | 'not-typing';
export type AgentAvailability = 'Online' | 'Away' | 'Occupied' | 'Offline';
export type LineSource = 'system' | 'agent' | 'visitor';
export type TextType = 'plain' | 'html' | 'rich-content';
export type LineSubType = 'REGULAR' | 'ONLY_TO_REP';

export interface Skill {
  id: number;
  name: string;
}

export interface Agent {
  accountId: string;
  id: number;
  name: string;
  loginName: string;
  /** scrypt hash, "salt:hash" in hex. */
  passwordHash: string;
  skills: number[];
  /** -1 = unlimited (agent API §4.4). */
  maxChats: number;
  availability: AgentAvailability;
}

export interface Account {
  id: string;
  appKeys: string[];
  /** Default chatTimeout in seconds for chats that do not ask for one (spec §3). */
  chatTimeout: number;
  language: string;
  skills: Skill[];
}

/** What the visitor sent in the chat request that the info resource reflects (spec §4.7, §4.11). */
export interface ChatOrigin {
  sharkVisitorId: string;
  sharkSessionId: string;
  sharkContextId: string;
  engagementId: string;
  campaignId: string;
  language: string;
  participantId?: string;
  conversationId?: string;
  visitorIp?: string;
  userAgent?: string;
  chatReferrer?: string;
}

export interface Chat {
  accountId: string;
  /** The chat key (chatSessionKey). */
  id: string;
  state: ChatState;
  skillId: number | null;
  agentId: number | null;
  /** Agent session the chat is offered to while it rings (routing). */
  ringingAgentId: number | null;
  /** When the chat entered the queue, for FIFO order. */
  queuedAt: number;
  startTime: number;
  endTime: number | null;
  lastUpdate: number;
  chatTimeout: number;
  visitorId: number;
  /** null until the visitor sets one; each side shows its own default (compatibility.md). */
  visitorName: string | null;
  /** Typing flags expire on their own: typing while now < *Until (design: never sticks). */
  visitorTypingUntil: number | null;
  agentTypingUntil: number | null;
  rtSessionId: number;
  origin: ChatOrigin;
  /** Id the next event will get; also the `from` of the `next` link. */
  nextEventId: number;
  /** Optimistic concurrency: bumped by every write. */
  version: number;
}

export interface StateEvent {
  type: 'state';
  id: number;
  time: number;
  state: ChatState;
}

export interface LineEvent {
  type: 'line';
  id: number;
  time: number;
  text: string;
  textType: TextType;
  /** Who wrote it; absent for a visitor who has set no name (each side shows its default). */
  by?: string;
  source: LineSource;
  systemMessageId?: number;
  subType: LineSubType;
  /** Structured content for rich-content lines (agent API §4.13). */
  json?: unknown;
}

export type ChatEvent = StateEvent | LineEvent;

export interface AgentSession {
  accountId: string;
  id: string;
  agentId: number;
  createdAt: number;
  lastSeen: number;
}

export interface LoginToken {
  accountId: string;
  agentId: number;
  /** sha256 of the bearer; the bearer itself is never stored. */
  tokenHash: string;
  csrf: string;
  expiresAt: number;
}
