// Agent presence (agent API §3): an agent session lives while the agent uses it. A session
// that no request reached for the session timeout expires; when an agent's last session
// expires, or the agent logs out, the agent goes Offline, its offers are withdrawn and the
// chats it held go back to the queue (system line 23) — or end (line 6) when no other
// agent could take them ("requeued, or disconnected when no agent fits").
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import { NO_CHANGE, type ChatWriter } from '../core/chat-writer.ts';
import { KeyedLock } from '../core/keyed-lock.ts';
import { move } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import { kindKey, type DeadlineScheduler } from '../core/timers.ts';
import type { Agent, AgentAvailability, AgentSession } from '../core/types.ts';
import { splitKey, type Router } from '../routing/router.ts';
import { eligible } from '../routing/routing.ts';

/** Seconds without a request before an agent session expires (agents poll every 2 s). */
export const DEFAULT_AGENT_SESSION_TIMEOUT = 300;

const sessionKey = (accountId: string, sessionId: string): string => kindKey('session', `${accountId}/${sessionId}`);

export interface PresenceDeps {
  store: ChatStore;
  clock: Clock;
  timeouts: DeadlineScheduler;
  router: Router;
  writer: ChatWriter;
  /** Seconds without a request before an agent session expires. */
  sessionTimeout: number;
  onBackgroundError: (err: unknown) => void;
}

export class AgentPresence {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly timeouts: DeadlineScheduler;
  private readonly router: Router;
  private readonly writer: ChatWriter;
  private readonly timeoutMs: number;
  /** Serialises one process's touches of a session; across processes the expiry's delete decides. */
  private readonly locks = new KeyedLock();
  private readonly onBackgroundError: (err: unknown) => void;

  constructor(deps: PresenceDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.timeouts = deps.timeouts;
    this.router = deps.router;
    this.writer = deps.writer;
    this.timeoutMs = deps.sessionTimeout * 1000;
    this.onBackgroundError = deps.onBackgroundError;
    deps.timeouts.onKind('session', (id) => this.onSessionDue(id));
  }

  /**
   * Arms the expiry of every stored session (on start; in the shared-store sweep with
   * `adopt`, only those this process does not know yet).
   */
  async armAll(adopt = false): Promise<void> {
    for (const account of await this.store.listAccounts()) {
      for (const s of await this.store.listAgentSessions(account.id)) this.arm(s, adopt);
    }
  }

  /** Retrieve Agent Availability (agent API §4.2): as stored now, not as the login saw it. */
  async availability(agent: Agent): Promise<AgentAvailability> {
    return (await this.store.getAgent(agent.accountId, agent.id))?.availability ?? agent.availability;
  }

  /**
   * Set Agent Availability (agent API §4.3): the state and its reason in one write — a state
   * set without a reason clears it (Agent Information shows it, available agents filter on it).
   */
  async setAvailability(agent: Agent, availability: AgentAvailability, chatReasonId: string | null): Promise<void> {
    await this.router.setAvailability(agent.accountId, agent.id, availability, { chatReasonId });
  }

  /** A session was just opened: its expiry starts now. */
  opened(session: AgentSession): void {
    this.arm(session);
  }

  /**
   * A request reached the session: it lives another session timeout. Under the session's
   * lock, so a touch never brings back a session that expired meanwhile.
   */
  async touch(session: AgentSession): Promise<void> {
    const now = this.clock.now();
    if (now <= session.lastSeen) return;
    await this.locks.run(`${session.accountId}/${session.id}`, async () => {
      const current = await this.store.getAgentSession(session.accountId, session.id);
      if (!current) throw new ApiError('agent-session-not-found', session.id);
      current.lastSeen = Math.max(current.lastSeen, now);
      await this.store.putAgentSession(current);
      session.lastSeen = current.lastSeen;
      this.arm(current);
    });
  }

  /** Logout (agent API §3): the agent's sessions close and it signs off. */
  async logout(accountId: string, agentId: number): Promise<void> {
    for (const s of await this.store.listAgentSessions(accountId)) {
      if (s.agentId !== agentId) continue;
      await this.locks.run(`${accountId}/${s.id}`, () => this.store.deleteAgentSession(accountId, s.id));
      this.timeouts.cancel(sessionKey(accountId, s.id));
    }
    await this.signOff(accountId, agentId);
  }

  /**
   * The agent leaves: Offline (its ringing offers go back to the queue), then each chat it
   * holds is requeued, keeping its history and its place by arrival time — the visitor
   * waited once already — or ends when no other agent could take it.
   */
  async signOff(accountId: string, agentId: number): Promise<void> {
    const { store, router, writer } = this;
    await router.setAvailability(accountId, agentId, 'Offline');
    const others = (await store.listAgents(accountId)).filter((a) => a.id !== agentId);
    for (const held of await store.listAgentChats(accountId, agentId)) {
      if (held.state !== 'chatting' || held.agentId !== agentId) continue;
      await writer.mutate(accountId, held.id, (chat, w) => {
        if (chat.state !== 'chatting' || chat.agentId !== agentId) return NO_CHANGE;
        chat.agentId = null;
        chat.agentTypingUntil = null;
        if (!others.some((a: Agent) => eligible(chat, a))) {
          w.system(SystemMessage.disconnected, systemTexts.agentLeft());
          writer.end(chat, w, 'system');
          return chat;
        }
        w.system(SystemMessage.requeued, systemTexts.requeued());
        chat.state = move(chat.state, 'requeue', 'system');
        w.state('waiting');
        return chat;
      });
    }
    await router.route(accountId);
  }

  private arm(s: AgentSession, adopt = false): void {
    const key = sessionKey(s.accountId, s.id);
    if (adopt) this.timeouts.adopt(key, s.lastSeen + this.timeoutMs);
    else this.timeouts.schedule(key, s.lastSeen + this.timeoutMs);
  }

  private async onSessionDue(id: string): Promise<void> {
    const [accountId, sessionId] = splitKey(id);
    try {
      const expired = await this.locks.run(id, async () => {
        const s = await this.store.getAgentSession(accountId, sessionId);
        if (!s) return null;
        if (s.lastSeen + this.timeoutMs > this.clock.now()) {
          this.arm(s);
          return null;
        }
        // Only the caller whose delete removed it acts: one sign-off, whichever instance fires.
        return (await this.store.deleteAgentSession(accountId, sessionId)) ? s : null;
      });
      if (!expired) return;
      // Another live session of the same agent keeps its chats (agent API §3, continuity).
      const rest = await this.store.listAgentSessions(accountId);
      if (!rest.some((s) => s.agentId === expired.agentId)) await this.signOff(accountId, expired.agentId);
    } catch (err) {
      this.onBackgroundError(err);
    }
  }
}
