// The agent's way in (agent API §1.2, §4.1): login with the Login Service API gives a
// bearer; the bearer opens agent sessions, under whose URIs the agent works its chats.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { LoginThrottle } from './login-throttle.ts';
import { ApiError } from '../../errors.ts';
import type { Ids } from '../../ids.ts';
import type { ChatStore } from '../../store/store.ts';
import type { Account, Agent, AgentSession, LoginToken } from '../core/types.ts';
import { markAgents } from '../core/chat-writer.ts';
import { verifyPassword } from './passwords.ts';
import type { AgentPresence } from './presence.ts';

/** Login sessions last 8 hours, as the vendor's `sessionTTl` example ("28800000"). */
export const SESSION_TTL_MS = 28_800_000;

export interface LoginResult {
  bearer: string;
  csrf: string;
  agent: Agent;
  expiresAt: number;
  /** When the login was issued or refreshed: the cookie lives expiresAt - issuedAt. */
  issuedAt: number;
}

export interface AgentDeskDeps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  presence: AgentPresence;
  /** Failed-login throttling; one with the defaults if absent. */
  throttle?: LoginThrottle;
}

/** Application login (agent API §1.2): a bot user's OAuth 1.0 key and tokens. */
export interface AppCredentials {
  appKey: string;
  secret: string;
  accessToken: string;
  accessTokenSecret: string;
}

function hashToken(bearer: string): string {
  return createHash('sha256').update(bearer).digest('hex');
}

/** The string whose hash provisioning stores for an application login. */
export function appSecrets(c: Omit<AppCredentials, 'appKey'>): string {
  return `${c.secret}\n${c.accessToken}\n${c.accessTokenSecret}`;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class AgentDesk {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly ids: Ids;
  private readonly presence: AgentPresence;

  private readonly throttle: LoginThrottle;

  constructor(deps: AgentDeskDeps) {
    this.throttle = deps.throttle ?? new LoginThrottle();
    this.store = deps.store;
    this.clock = deps.clock;
    this.ids = deps.ids;
    this.presence = deps.presence;
  }

  /** `client`: the caller's address, for throttling failed logins (login-throttle.ts); null = not known. */
  async login(accountId: string, username: string, password: string, client: string | null = null): Promise<LoginResult> {
    return this.throttled(accountId, username, client, async () => {
      const agent = await this.store.findAgentByLogin(accountId, username);
      // Check a password even for an unknown user, so timing does not tell which names exist.
      const ok = await verifyPassword(password, agent?.passwordHash ?? '00:00');
      return agent && ok ? agent : null;
    });
  }

  /** Application login: only a user provisioned with these exact key and tokens (a bot). */
  async loginApp(accountId: string, username: string, creds: AppCredentials, client: string | null = null): Promise<LoginResult> {
    return this.throttled(accountId, username, client, async () => {
      const agent = await this.store.findAgentByLogin(accountId, username);
      const app = agent?.appLogin;
      const ok = await verifyPassword(appSecrets(creds), app?.secretsHash ?? '00:00');
      return agent && app && ok && sameText(app.appKey, creds.appKey) ? agent : null;
    });
  }

  /** 429 while this user or address must wait; counts a failure, clears on success. */
  private async throttled(accountId: string, username: string, client: string | null, verify: () => Promise<Agent | null>): Promise<LoginResult> {
    this.throttle.check(accountId, username, client, this.clock.now());
    const agent = await verify();
    if (!agent) {
      this.throttle.failed(accountId, username, client, this.clock.now());
      throw new ApiError('bad-credentials');
    }
    this.throttle.succeeded(accountId, username);
    return this.issue(agent);
  }

  private async issue(agent: Agent): Promise<LoginResult> {
    const { store, clock, ids } = this;
    const now = clock.now();
    // Expired logins are purged here: logins are rare next to polls, and each one is a
    // natural moment to sweep (the store deletes them in one statement).
    await store.deleteExpiredLoginTokens(now);
    const bearer = ids.token(32);
    const token: LoginToken = { accountId: agent.accountId, agentId: agent.id, tokenHash: hashToken(bearer), csrf: ids.token(16), expiresAt: now + SESSION_TTL_MS };
    await store.putLoginToken(token);
    return { bearer, csrf: token.csrf, agent, expiresAt: token.expiresAt, issuedAt: now };
  }

  /** The live login of a bearer for this account; an expired one is deleted on sight. */
  private async token(accountId: string, bearer: string): Promise<LoginToken> {
    const { store, clock } = this;
    const hash = hashToken(bearer);
    const token = await store.getLoginToken(hash);
    if (token && token.expiresAt <= clock.now()) await store.deleteLoginToken(hash);
    if (!token || token.accountId !== accountId || token.expiresAt <= clock.now()) throw new ApiError('bad-token');
    return token;
  }

  /** The agent a bearer belongs to, with its account, for this account only. */
  async authenticate(accountId: string, bearer: string): Promise<{ agent: Agent; account: Account }> {
    const token = await this.token(accountId, bearer);
    const [agent, account] = await Promise.all([this.store.getAgent(accountId, token.agentId), this.store.getAccount(accountId)]);
    if (!agent || !account) throw new ApiError('bad-token');
    return { agent, account };
  }

  /**
   * Refresh (agent API §1.2): the login lives another sessionTTl from now. `csrf` must be
   * the login's when given; `requireCsrf` for the cookie form, which the csrf guards.
   */
  async refresh(accountId: string, bearer: string, csrf: string | undefined, requireCsrf: boolean): Promise<LoginResult> {
    const token = await this.token(accountId, bearer);
    this.checkCsrf(token, csrf, requireCsrf);
    const agent = await this.store.getAgent(accountId, token.agentId);
    if (!agent) throw new ApiError('bad-token');
    const now = this.clock.now();
    token.expiresAt = now + SESSION_TTL_MS;
    await this.store.putLoginToken(token);
    return { bearer, csrf: token.csrf, agent, expiresAt: token.expiresAt, issuedAt: now };
  }

  async logout(accountId: string, bearer: string, csrf?: string, requireCsrf = false): Promise<void> {
    const token = await this.token(accountId, bearer);
    this.checkCsrf(token, csrf, requireCsrf);
    await this.store.deleteLoginToken(token.tokenHash);
    // Logging out closes the agent's sessions and requeues its chats (agent API §3; presence.ts).
    await this.presence.logout(accountId, token.agentId);
  }

  private checkCsrf(token: LoginToken, csrf: string | undefined, required: boolean): void {
    if (csrf === undefined ? required : !sameText(csrf, token.csrf)) throw new ApiError('bad-csrf', 'send the "csrf" the login answered');
  }

  async startSession(agent: Agent): Promise<AgentSession> {
    const { store, clock, ids } = this;
    const now = clock.now();
    const session: AgentSession = { accountId: agent.accountId, id: ids.agentSessionId(), agentId: agent.id, createdAt: now, lastSeen: now };
    await store.putAgentSession(session);
    this.presence.opened(session);
    // A fresh session is reachable but takes no chats until the agent says "Online".
    if (agent.availability === 'Offline') {
      await store.setAgentAvailability(agent.accountId, agent.id, 'Away');
      await markAgents(store, agent.accountId, [agent.id], now);
      agent.availability = 'Away';
    }
    return session;
  }

  /**
   * The old XML agent client's login (agent spec §1.1): user name and password posted as
   * <loginData> to Start Agent Session with the account's app key. A login as User Login
   * makes it (throttled alike), and its first agent session.
   */
  async legacySession(accountId: string, username: string, password: string, client: string | null): Promise<{ login: LoginResult; session: AgentSession }> {
    const login = await this.login(accountId, username, password, client);
    return { login, session: await this.startSession(login.agent) };
  }

  /** An agent session of this agent; another agent's session id is "not found". */
  async session(agent: Agent, sessionId: string): Promise<AgentSession> {
    const s = await this.store.getAgentSession(agent.accountId, sessionId);
    if (!s || s.agentId !== agent.id) throw new ApiError('agent-session-not-found', sessionId);
    // Every request under the session keeps it alive (session expiry, presence.ts).
    await this.presence.touch(s);
    return s;
  }
}
