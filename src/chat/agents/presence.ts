// Agent presence (agent API §3): an agent session lives while the agent uses it. A session
// that no request reached for the session timeout expires; when an agent's last session
// expires, or the agent logs out, the agent goes Offline, its offers are withdrawn and the
// chats it held go back to the queue (system line 23) — or end (line 6) when no other
// agent could take them ("requeued, or disconnected when no agent fits").
import { ApiError } from '../../errors.ts';
import type { ChatService } from '../conversation/chat-service.ts';
import { NO_CHANGE } from '../core/chat-writer.ts';
import { KeyedLock } from '../core/keyed-lock.ts';
import { splitKey } from '../routing/router.ts';
import { eligible } from '../routing/routing.ts';
import { move } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import { kindKey } from '../core/timers.ts';
import type { Agent, AgentSession } from '../core/types.ts';

/** Seconds without a request before an agent session expires (agents poll every 2 s). */
export const DEFAULT_AGENT_SESSION_TIMEOUT = 300;

const sessionKey = (accountId: string, sessionId: string): string => kindKey('session', `${accountId}/${sessionId}`);

export class AgentPresence {
  private readonly chats: ChatService;
  private readonly timeoutMs: number;
  private readonly locks = new KeyedLock();
  private readonly onBackgroundError: (err: unknown) => void;

  constructor(chats: ChatService, timeoutS: number, onBackgroundError: (err: unknown) => void) {
    this.chats = chats;
    this.timeoutMs = timeoutS * 1000;
    this.onBackgroundError = onBackgroundError;
    chats.timeouts.onKind('session', (id) => this.onSessionDue(id));
  }

  /** Re-arms the expiry of every stored session (after a restart). */
  async start(): Promise<void> {
    for (const account of await this.chats.store.listAccounts()) {
      for (const s of await this.chats.store.listAgentSessions(account.id)) this.arm(s);
    }
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
    const now = this.chats.clock.now();
    if (now <= session.lastSeen) return;
    await this.locks.run(`${session.accountId}/${session.id}`, async () => {
      const current = await this.chats.store.getAgentSession(session.accountId, session.id);
      if (!current) throw new ApiError('agent-session-not-found', session.id);
      current.lastSeen = Math.max(current.lastSeen, now);
      await this.chats.store.putAgentSession(current);
      session.lastSeen = current.lastSeen;
      this.arm(current);
    });
  }

  /** Logout (agent API §3): the agent's sessions close and it signs off. */
  async logout(accountId: string, agentId: number): Promise<void> {
    for (const s of await this.chats.store.listAgentSessions(accountId)) {
      if (s.agentId !== agentId) continue;
      await this.locks.run(`${accountId}/${s.id}`, () => this.chats.store.deleteAgentSession(accountId, s.id));
      this.chats.timeouts.cancel(sessionKey(accountId, s.id));
    }
    await this.signOff(accountId, agentId);
  }

  /**
   * The agent leaves: Offline (its ringing offers go back to the queue), then each chat it
   * holds is requeued, keeping its history and its place by arrival time — the visitor
   * waited once already — or ends when no other agent could take it.
   */
  async signOff(accountId: string, agentId: number): Promise<void> {
    const { store, router, writer } = this.chats;
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

  private arm(s: AgentSession): void {
    this.chats.timeouts.schedule(sessionKey(s.accountId, s.id), s.lastSeen + this.timeoutMs);
  }

  private async onSessionDue(id: string): Promise<void> {
    const [accountId, sessionId] = splitKey(id);
    try {
      const expired = await this.locks.run(id, async () => {
        const s = await this.chats.store.getAgentSession(accountId, sessionId);
        if (!s) return null;
        if (s.lastSeen + this.timeoutMs > this.chats.clock.now()) {
          this.arm(s);
          return null;
        }
        return (await this.chats.store.deleteAgentSession(accountId, sessionId)) ? s : null;
      });
      if (!expired) return;
      // Another live session of the same agent keeps its chats (agent API §3, continuity).
      const rest = await this.chats.store.listAgentSessions(accountId);
      if (!rest.some((s) => s.agentId === expired.agentId)) await this.signOff(accountId, expired.agentId);
    } catch (err) {
      this.onBackgroundError(err);
    }
  }
}
