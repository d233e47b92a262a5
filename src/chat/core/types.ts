// Domain records. Plain data: no HTTP, no SQL (design.md, "src/chat/").
import type { AllowedOrigins, Compatibility } from './client-settings.ts';

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

/** A ready-made agent reply (provisioning `cannedResponses`; a serverchat extension). */
export interface CannedResponse {
  /** Typed after "/" in the console's reply box. */
  shortcut: string;
  text: string;
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
  /** Optional details for Retrieve Available Agents / Agent Information (agent API §4.4, §4.6). */
  displayName?: string;
  email?: string;
  privilegeGroup?: string;
  /** Reason of the current availability, as set with it (agent API §4.3 chatReasonId). */
  chatReasonId?: string;
  /** Application login credentials of a bot user (agent API §1.2); secrets hashed. */
  appLogin?: AgentAppLogin;
  /** A scripted agent run inside the server (chat/agents/bots.ts, docs/provisioning.md). */
  bot?: BotScript;
}

/** One scripted answer: to a visitor line matching `match` (a regular expression, any case). */
export interface BotReply {
  match: string;
  reply: string;
  /** Milliseconds after the visitor's line before the bot starts typing. */
  afterMs: number;
  /** Milliseconds the bot shows as typing before the line appears. */
  typingMs: number;
  /** After replying, transfer the chat to this skill (id). */
  transferTo?: number;
}

/** What a bot agent does in each chat it is routed (docs/provisioning.md, "Bot agents"). */
export interface BotScript {
  /** Milliseconds between the chat ringing and the bot accepting it. */
  acceptAfterMs: number;
  /** Sent right after accepting. */
  greeting?: string;
  replies: BotReply[];
  /** The answer to a line no reply matches; none: the bot stays silent. */
  default?: string;
  /** The bot ends the chat once it has written this many lines (greeting included). */
  endAfterLines?: number;
  /** A visitor line matching this (any case) ends the chat. */
  endOn?: string;
}

export interface AgentAppLogin {
  appKey: string;
  /** scrypt hash of secret, accessToken and accessTokenSecret joined by newlines. */
  secretsHash: string;
}

export interface Account {
  id: string;
  appKeys: string[];
  /** Default chatTimeout in seconds for chats that do not ask for one (spec §3). */
  chatTimeout: number;
  language: string;
  skills: Skill[];
  /** Provisioned surveys (spec §5): the account's, and per skill those that override them. */
  surveys?: AccountSurveys;
  /** Origins allowed cross-origin (core/client-settings.ts); absent: the defaults. */
  allowedOrigins?: AllowedOrigins;
  /** JSON/XML compatibility modes (core/client-settings.ts); absent: the defaults. */
  compatibility?: Compatibility;
  /** Ready-made agent replies; absent: none (a serverchat extension, docs/provisioning.md). */
  cannedResponses?: CannedResponse[];
  /** Who signs the account's visitor tokens (spec §4.7b); absent: no visitor is authenticated. */
  identityProvider?: IdentityProvider;
  /** sha256 (hex) of the visitor bearer tokens the account accepts besides verified JWTs (spec §1.2). */
  visitorTokenHashes?: string[];
}

export type SsoAlgorithm = 'RS256' | 'ES256';

/** An identity provider's key material, issuer and audience (docs/provisioning.md). */
export interface IdentityProvider {
  issuer: string;
  audience: string;
  algorithms: SsoAlgorithm[];
  /** A PEM public key (SPKI), or */
  publicKey?: string;
  /** the JWKS read from the provisioned local file (kept here: every instance verifies alike). */
  jwks?: { keys: Array<Record<string, unknown>> };
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
  /** Account-to-account transfer this chat came from (spec §4.7 `a2a*`, §4.21). */
  a2aSourceSiteId?: string;
  a2aSourceSessionId?: string;
  a2aEventId?: string;
}

/** One custom variable (spec §4.20), as the JS SDK sends it: `{name, value}`. */
export interface CustomVariable {
  name: string;
  value: string;
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
  /** When the current offer started ringing: the 20-second accept window runs from it (agent API §3). */
  ringingSince?: number | null;
  /** Start Chat `maxWaitTime` in seconds (spec §4.7); applies until the chat is first accepted. */
  maxWaitTime?: number | null;
  /** Start Chat `agent`: only this agent may take the chat (spec §4.7). */
  requestedAgentId?: number | null;
  /** Set by a transfer (agent API §4.21) until accepted: routing skips this agent; Occupied agents may take it. */
  transferredFromAgentId?: number | null;
  /** When the chat entered the queue, for FIFO order. */
  queuedAt: number;
  startTime: number;
  /** When an agent first accepted the chat; a transfer keeps it (handling time, spec §4.3). */
  acceptedAt?: number | null;
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
  /** Survey answers kept with the chat (spec §4.7 `survey`, §4.18; agent API §4.23). */
  preChatSurvey?: SurveySubmission;
  /** The verified identity the chat was requested with (spec §4.7b); absent for anonymous visitors. */
  authenticatedVisitor?: AuthenticatedVisitor;
  exitSurvey?: SurveySubmission;
  agentSurvey?: AgentSurveySubmission;
  /** Set by the visitor (spec §4.20); absent until the first is set. */
  customVariables?: CustomVariable[];
  /** Characters of content (lines, URLs) written so far, against --max-chat-chars (chat-limits.ts); absent = 0. */
  contentChars?: number;
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

/** A page address: one the visitor reports, or one the agent pushes (spec §4.9 `url`; compatibility.md). */
export interface UrlEvent {
  type: 'url';
  id: number;
  time: number;
  url: string;
  source: 'visitor' | 'agent';
  /** The agent's name, or the visitor's once set (each side shows its default). */
  by?: string;
}

/** The chat moves to another account (spec §4.9 `a2a-transfer`, §4.21). */
export interface A2aTransferEvent {
  type: 'a2a-transfer';
  id: number;
  time: number;
  /** Host (and port) of the target account's API. */
  domain: string;
  /** Scheme of the target's API, for the `a2a-transfer` link. */
  scheme: 'http' | 'https';
  remoteSiteId: string;
  skill: string;
  a2aEventId: number;
  a2aSourceSessionId: number;
  a2aSourceSiteId: string;
}

export type ChatEvent = StateEvent | LineEvent | UrlEvent | A2aTransferEvent;

export interface AgentSession {
  accountId: string;
  id: string;
  agentId: number;
  createdAt: number;
  lastSeen: number;
}

/**
 * What a verified ssoKey said of the visitor (spec §4.7b; agent API §4.24), in the vendor's
 * SDE shapes: customer info and personal info, as Retrieve Participant Info shows them.
 */
export interface AuthenticatedVisitor {
  /** `authenticatedParticipantInfo` but `isUserAuthenticated` and `participantId` (added when shown). */
  participantInfo: Record<string, unknown>;
  personalInfo?: Record<string, unknown>;
}

/** A Visitor Authentication that verified its ssoKey: Start Chat may then name its participantId. */
export interface VisitorIdentity {
  accountId: string;
  participantId: string;
  conversationId: string;
  /** The token's `exp`: until then Start Chat accepts the participantId. */
  expiresAt: number;
  visitor: AuthenticatedVisitor;
}

export interface LoginToken {
  accountId: string;
  agentId: number;
  /** sha256 of the bearer; the bearer itself is never stored. */
  tokenHash: string;
  csrf: string;
  expiresAt: number;
}

// ---------- surveys (spec §5; agent API §4.22) ----------

export type SurveyKind = 'preChat' | 'offline' | 'exit' | 'agent';
export type SurveyQuestionType = 'Dropdown Box' | 'Checkbox' | 'Radio Button (side by side)' | 'Radio Button' | 'Text Field' | 'Text Area';
export type SurveyValidationType = 'alpha_numeric' | 'numeric' | 'email';

export interface SurveyEntry {
  value: string;
  displayValue?: string;
  checked: boolean;
  /** logicIds of the questions this choice reveals (`entry.logic.showLogicId`). */
  showLogicIds: number[];
}

export interface SurveyQuestion {
  id: number;
  type: SurveyQuestionType;
  validationType: SurveyValidationType;
  logicId: number;
  order: number;
  mandatory: boolean;
  label: string;
  /** Longest accepted answer; text questions only (ours; not on the wire). */
  maxLength?: number;
  /** Choices; selection questions only. */
  entries?: SurveyEntry[];
}

export interface Survey {
  id: number;
  /** Matched by the `surveyName` query parameter. */
  name?: string;
  title: string;
  header: string;
  questions: SurveyQuestion[];
}

export type SurveySet = Partial<Record<SurveyKind, Survey>>;

export interface AccountSurveys {
  account: SurveySet;
  /** Keyed by skill id: a skill's survey wins over the account's of the same kind. */
  skills: Record<string, SurveySet>;
}

/** One answered question: one value, or several for a Checkbox. */
export interface SurveyAnswer {
  questionId: number;
  values: string[];
}

export interface SurveySubmission {
  surveyId: number;
  time: number;
  answers: SurveyAnswer[];
}

export interface AgentSurveySubmission extends SurveySubmission {
  agentId: number;
}

/** A Post Offline Survey (spec §4.6): a message left while no chat was possible. */
export interface OfflineSurveySubmission extends SurveySubmission {
  accountId: string;
  id: string;
  skillId: number | null;
  visitorId?: string;
  visitorIp?: string;
  userAgent?: string;
  chatReferrer?: string;
  sharkVisitorId?: string;
  sharkSessionId?: string;
  sharkContextId?: string;
  visitorSessionId?: string;
}
