// The agent's way in (agent API §1.2, §4.1): login with the Login Service API gives a
// bearer; the bearer opens agent sessions, under whose URIs the agent works its chats.
import { createHash } from 'node:crypto';
import { ApiError } from '../errors.ts';
import type { ChatService } from './chat-service.ts';
import { verifyPassword } from './passwords.ts';
import type { Agent, AgentSession, LoginToken } from './types.ts';

/** Login sessions last 8 hours, as the vendor's `sessionTTl` example ("28800000"). */
export const SESSION_TTL_MS = 28_800_000;

export interface LoginResult {
  bearer: string;
  csrf: string;
  agent: Agent;
  expiresAt: number;
}

function hashToken(bearer: string): string {
  return createHash('sha256').update(bearer).digest('hex');
}

export class AgentDesk {
  private readonly chats: ChatService;
  constructor(chats: ChatService) {
    this.chats = chats;
  }

  async login(accountId: string, username: string, password: string): Promise<LoginResult> {
    const { store, clock, ids } = this.chats;
    const agent = await store.findAgentByLogin(accountId, username);
    // Check a password even for an unknown user, so timing does not tell which names exist.
    const ok = await verifyPassword(password, agent?.passwordHash ?? '00:00');
    if (!agent || !ok) throw new ApiError('bad-credentials');
    const bearer = ids.token(32);
    const token: LoginToken = {
      accountId,
      agentId: agent.id,
      tokenHash: hashToken(bearer),
      csrf: ids.token(16),
      expiresAt: clock.now() + SESSION_TTL_MS,
    };
    await store.putLoginToken(token);
    return { bearer, csrf: token.csrf, agent, expiresAt: token.expiresAt };
  }

  /** The agent a bearer belongs to, for this account only. */
  async authenticate(accountId: string, bearer: string): Promise<Agent> {
    const { store, clock } = this.chats;
    const token = await store.getLoginToken(hashToken(bearer));
    if (!token || token.accountId !== accountId || token.expiresAt <= clock.now()) throw new ApiError('bad-token');
    const agent = await store.getAgent(accountId, token.agentId);
    if (!agent) throw new ApiError('bad-token');
    return agent;
  }

  async logout(accountId: string, bearer: string): Promise<void> {
    await this.authenticate(accountId, bearer);
    await this.chats.store.deleteLoginToken(hashToken(bearer));
  }

  async startSession(agent: Agent): Promise<AgentSession> {
    const { store, clock, ids } = this.chats;
    const now = clock.now();
    const session: AgentSession = { accountId: agent.accountId, id: ids.agentSessionId(), agentId: agent.id, createdAt: now, lastSeen: now };
    await store.putAgentSession(session);
    // A fresh session is reachable but takes no chats until the agent says "Online".
    if (agent.availability === 'Offline') {
      await store.setAgentAvailability(agent.accountId, agent.id, 'Away');
      agent.availability = 'Away';
    }
    return session;
  }

  /** An agent session of this agent; another agent's session id is "not found". */
  async session(agent: Agent, sessionId: string): Promise<AgentSession> {
    const s = await this.chats.store.getAgentSession(agent.accountId, sessionId);
    if (!s || s.agentId !== agent.id) throw new ApiError('agent-session-not-found', sessionId);
    return s;
  }
}
