// The one narrow store interface (design.md). Domain-shaped, promise-only; every backend
// passes test/contract/store.contract.ts. No vendor rule lives in a backend: ids, numbering
// and times are decided by the domain (src/chat/) and only kept here.
import type { Account, Agent, AgentAvailability, AgentSession, Chat, ChatEvent, ChatState, LoginToken, OfflineSurveySubmission, VisitorIdentity } from '../chat/core/types.ts';

export interface ChatDeadline {
  accountId: string;
  chatId: string;
  /** lastUpdate + chatTimeout, in ms. */
  deadline: number;
}

/** A chat's key. */
export interface ChatKey {
  accountId: string;
  chatId: string;
}

/** One keep-alive: the chat's lastUpdate moves to `lastUpdate` unless it is already later. */
export interface ChatTouch {
  accountId: string;
  chatId: string;
  lastUpdate: number;
}

/** A chat an agent accepted and that has since ended: how long it held a slot (spec §4.3). */
export interface HandledChat {
  chatId: string;
  skillId: number | null;
  /** The chat's `acceptedAt`, as the domain set it. */
  acceptedAt: number;
  endedAt: number;
}

/** An account's waiting chats counted from an index, no chat read (issue 11, finding 4). */
export interface WaitingCounts {
  /** Every waiting chat, ringing ones included. */
  total: number;
  /** Waiting chats not ringing for an agent, per skill id (null: the chat has no skill). */
  unassigned: Map<number | null, number>;
  /** Of those, the ones asked for one agent (Start Chat `agent`): routing's skill rule does not hold for them. */
  directed: number;
}

/**
 * A write another process made to what caches hold (accounts, agents, open chats): drop it.
 * `listening` tells whether notices are arriving now (`live`); while they are not, one may be
 * missed, so a cache of chats serves nothing (open-chat-store.ts). Each time it changes, every
 * entry goes.
 */
export type StoreChange =
  | { kind: 'account'; accountId: string }
  | { kind: 'agent'; accountId: string; agentId: number }
  | { kind: 'chat'; accountId: string; chatId: string }
  /** Keep-alives another process wrote: lastUpdates move forward (never a version change). */
  | { kind: 'touched'; touches: ChatTouch[] }
  | { kind: 'listening'; live: boolean };

/**
 * The store cannot be reached (a network store that is down, a pool that timed out): the
 * request fails with 503 in the vendor's error format and nothing was acknowledged.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

// The app wraps its store (server.ts): delegating-store.ts forwards every method — add new
// ones there too; keep-alive-store.ts overlays pending lastUpdates on the methods that return
// chats; cached-store.ts caches getAccount/getAgent and must see every write to them.
export interface ChatStore {
  /**
   * True when other processes may share this store (PostgreSQL): the domain then coordinates
   * through withLock and the store's deadlines, not through its own memory alone
   * (docs/architecture.md).
   */
  readonly shared: boolean;
  /**
   * True when the process that used this store before ended without closing it (kill -9):
   * the keep-alives it held in memory are lost, so the domain counts every open chat as kept
   * alive at the restart (docs/architecture.md "Keep-alives"). Absent means false.
   */
  readonly uncleanStart?: boolean;
  /**
   * Runs `fn` while no other caller holding `key` runs, in this process or in any other that
   * shares the store. `fn` must not take another withLock (no nesting: no lock order to keep).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Tells `listener` of writes to accounts, agents and chats made by other processes, so
   * caches drop them, and whether such notices arrive now (`listening`: told at once to a new
   * listener when they do); returns the unsubscribe. A store no other process shares never calls it.
   */
  watch(listener: (change: StoreChange) => void): () => void;

  // --- accounts, skills and agents (provisioning) ---
  /** Insert or replace an account with its skills. */
  putAccount(account: Account): Promise<void>;
  getAccount(accountId: string): Promise<Account | null>;
  listAccounts(): Promise<Account[]>;
  /** Insert or replace an agent; availability is kept when the agent exists. */
  putAgent(agent: Agent): Promise<void>;
  getAgent(accountId: string, agentId: number): Promise<Agent | null>;
  findAgentByLogin(accountId: string, loginName: string): Promise<Agent | null>;
  listAgents(accountId: string): Promise<Agent[]>;
  /**
   * Sets the agent's availability; with `chatReasonId` (a reason, or null to clear it) its
   * reason too, in the same write (agent API §4.3: the reason goes with the state it was given for).
   */
  setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability, chatReasonId?: string | null): Promise<void>;

  // --- chats and their events ---
  /** Create a chat with its first events, atomically. */
  createChat(chat: Chat, events: ChatEvent[]): Promise<void>;
  getChat(accountId: string, chatId: string): Promise<Chat | null>;
  /** Many chats at once (mass timeouts read a chunk in one go), in the order asked; null for unknown ones. */
  getChats(keys: ChatKey[]): Promise<Array<Chat | null>>;
  /**
   * Write `chat` and append `events` atomically, only if the stored version is
   * `chat.version - 1` (optimistic concurrency). Returns false, writing nothing, otherwise.
   * lastUpdate never moves back: a keep-alive that landed meanwhile (touchChat does not
   * bump the version) is kept.
   */
  updateChat(chat: Chat, events: ChatEvent[]): Promise<boolean>;
  /**
   * updateChat for many chats in one transaction (mass timeouts): each entry is written, with
   * its events, only when its own version check passes; the result says which were, in
   * order. A failure (throw) writes none of them.
   */
  updateChats(batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]>;
  /** Refresh lastUpdate only (keep-alive); no version bump, never conflicts. */
  touchChat(accountId: string, chatId: string, lastUpdate: number): Promise<void>;
  /**
   * touchChat for many chats in one transaction (coalesced keep-alives, keep-alive-store.ts):
   * each lastUpdate only moves forward; unknown chats are skipped; a throw writes none.
   */
  touchChats(batch: ChatTouch[]): Promise<void>;
  /** Events with id >= from, in id order. */
  listEvents(accountId: string, chatId: string, from: number): Promise<ChatEvent[]>;
  /**
   * Events with id >= from, in id order, at most `limit`: one answer's page (issue 11,
   * finding 3), so that no answer reads a chat's whole history.
   */
  listEventsPage(accountId: string, chatId: string, from: number, limit: number): Promise<ChatEvent[]>;
  /** Waiting chats of an account, oldest in the queue first (FIFO, spec §3). */
  listWaitingChats(accountId: string): Promise<Chat[]>;
  /** The account's waiting chats counted (an index count, not a read of the queue). */
  countWaitingChats(accountId: string): Promise<WaitingCounts>;
  /** Open (waiting or chatting) chats assigned or ringing to an agent. */
  listAgentChats(accountId: string, agentId: number): Promise<Chat[]>;
  /**
   * Deadlines of open chats (for the timeout scheduler on start); with `dueBy`, only those at
   * or before it, at most `limit` (the shared-store sweep, docs/architecture.md), earliest
   * first as the store knows cheaply: PostgreSQL orders them by the deadline as of their last
   * full write, which keep-alives only ever moved later.
   */
  listOpenDeadlines(dueBy?: number, limit?: number): Promise<ChatDeadline[]>;
  /** The account's next sequence number: 1, 2, 3…, never reused, even across restarts. */
  nextAccountSequence(accountId: string): Promise<number>;
  /** Open chats per agent id, counted as listAgentChats counts them; agents with none are absent. */
  countAgentChats(accountId: string): Promise<Map<number, number>>;
  /** Chats with an `acceptedAt` that ended at or after `since`, latest end first, at most `limit`. */
  listHandledChats(accountId: string, since: number, limit: number): Promise<HandledChat[]>;

  // --- agent sessions and login tokens ---
  putAgentSession(session: AgentSession): Promise<void>;
  getAgentSession(accountId: string, sessionId: string): Promise<AgentSession | null>;
  /** Every agent session of an account (expiry timers are re-armed from these on start). */
  listAgentSessions(accountId: string): Promise<AgentSession[]>;
  /** Removes a session; true when it existed (so exactly one caller acts on an expiry). */
  deleteAgentSession(accountId: string, sessionId: string): Promise<boolean>;
  putLoginToken(token: LoginToken): Promise<void>;
  getLoginToken(tokenHash: string): Promise<LoginToken | null>;
  deleteLoginToken(tokenHash: string): Promise<void>;
  /** Deletes every login token with expiresAt <= now; returns how many went. */
  deleteExpiredLoginTokens(now: number): Promise<number>;

  // --- when an agent's listed state last changed (Retrieve Available Agents' timeStamp, agent API §4.4) ---
  /** Records that these agents' availability or load changed at `at` (a later time wins). */
  markAgentsChanged(accountId: string, agentIds: number[], at: number): Promise<void>;
  /** The agents of the account marked changed at or after `since`. */
  agentsChangedSince(accountId: string, since: number): Promise<number[]>;

  // --- verified visitors (spec §4.7b) ---
  /** Stores a verified Visitor Authentication by account and participantId. */
  putVisitorIdentity(identity: VisitorIdentity): Promise<void>;
  getVisitorIdentity(accountId: string, participantId: string): Promise<VisitorIdentity | null>;
  /** Deletes every identity with expiresAt <= now; returns how many went. */
  deleteExpiredVisitorIdentities(now: number): Promise<number>;

  // --- offline surveys (spec §4.6) ---
  /** Stores one submitted offline survey; ids are unique per account. */
  putOfflineSurvey(submission: OfflineSurveySubmission): Promise<void>;
  /** An account's offline surveys, oldest first. */
  listOfflineSurveys(accountId: string): Promise<OfflineSurveySubmission[]>;

  // --- the control plane's reset (src/api/control/, docs/testing.md) ---
  /**
   * Deletes the activity of one account (or of every account with null): chats with their
   * events, agent sessions, login tokens, verified visitors, agent change times and offline surveys, atomically. Accounts, skills
   * and agents (the provisioning) and account sequence numbers stay: an id is never reused.
   */
  deleteActivity(accountId: string | null): Promise<void>;
  /** The control plane's chat list: an account's chats (in `state` only, with one), newest start first, at most `limit`. */
  listChats(accountId: string, state: ChatState | null, limit: number): Promise<Chat[]>;
  /**
   * Resolves when the store answers and its schema is the one this code migrates to; rejects
   * otherwise (closed, unreachable, behind). One cheap round trip: /readyz calls it.
   */
  ping(): Promise<void>;

  close(): Promise<void>;
}
