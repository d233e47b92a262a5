// Accounts and agents, cached in memory: every visitor request reads its account (app-key
// check, auth.ts) and every info view the chat's agent (views.ts), and these change only
// through provisioning and agent presence. Every write of them through this store drops the
// entry, so within the process the cache is exact; entries also expire after a TTL of the
// injected clock, so that a write by another process sharing the store shows within it
// (docs/configuration.md, "Caches"); a shared store also tells of such writes as they
// happen (ChatStore.watch: PostgreSQL's LISTEN/NOTIFY), and those entries go at once.
// Only single lookups are cached: the routing reads
// (listAgents) and logins (findAgentByLogin) always go to the store.
import type { Clock } from '../clock.ts';
import type { Account, Agent, AgentAvailability } from '../chat/core/types.ts';
import { DelegatingStore } from './delegating-store.ts';
import type { ChatStore, StoreChange } from './store.ts';

export const CACHE_TTL_MS = 1000;
/**
 * On SQLite no other process may write the data directory (data-lock.ts), so the TTL only
 * bounds an unsupported second writer; read every second, 1,000 agents were 2% of an info
 * poll's CPU at 100k chats (issue 14).
 */
export const EMBEDDED_CACHE_TTL_MS = 30_000;

interface Entry<T> {
  value: T;
  until: number;
}

/** Cached values are shared: frozen below the top level, and every caller gets its own top. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const agentKey = (accountId: string, agentId: number): string => `${accountId}\u0000${agentId}`;

export class CachedStore extends DelegatingStore {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly accounts = new Map<string, Entry<Account>>();
  private readonly agents = new Map<string, Entry<Agent>>();
  /** Bumped around every write: a read that overlapped one does not fill the cache. */
  private epoch = 0;
  private readonly unwatch: () => void;

  constructor(inner: ChatStore, clock: Clock, ttlMs = CACHE_TTL_MS) {
    super(inner);
    this.clock = clock;
    this.ttlMs = ttlMs;
    this.unwatch = inner.watch((change) => this.forget(change));
  }

  override async close(): Promise<void> {
    this.unwatch();
    await this.inner.close();
  }

  /** Another process wrote it: drop the entry, and keep a read already under way from filling it. */
  private forget(change: StoreChange): void {
    // Chats are not cached here (open-chat-store.ts holds them).
    if (change.kind === 'chat' || change.kind === 'touched') return;
    this.epoch++;
    if (change.kind === 'account') this.accounts.delete(change.accountId);
    else if (change.kind === 'agent') this.agents.delete(agentKey(change.accountId, change.agentId));
    else if (change.kind === 'listening') {
      // Notices may have been missed meanwhile: start from the store again.
      this.accounts.clear();
      this.agents.clear();
    }
  }

  override getAccount(accountId: string): Promise<Account | null> {
    return this.cached(this.accounts, accountId, () => this.inner.getAccount(accountId));
  }

  override getAgent(accountId: string, agentId: number): Promise<Agent | null> {
    return this.cached(this.agents, agentKey(accountId, agentId), () => this.inner.getAgent(accountId, agentId));
  }

  override putAccount(account: Account): Promise<void> {
    return this.writing(this.accounts, account.id, () => this.inner.putAccount(account));
  }

  override putAgent(agent: Agent): Promise<void> {
    return this.writing(this.agents, agentKey(agent.accountId, agent.id), () => this.inner.putAgent(agent));
  }

  override setAgentAvailability(accountId: string, agentId: number, availability: AgentAvailability, chatReasonId?: string | null): Promise<void> {
    return this.writing(this.agents, agentKey(accountId, agentId), () => this.inner.setAgentAvailability(accountId, agentId, availability, chatReasonId));
  }

  /** A reset may be followed by new provisioning: start from the store again. */
  override async deleteActivity(accountId: string | null): Promise<void> {
    this.epoch++;
    this.accounts.clear();
    this.agents.clear();
    await this.inner.deleteActivity(accountId);
  }

  private async cached<T extends object>(map: Map<string, Entry<T>>, key: string, read: () => Promise<T | null>): Promise<T | null> {
    const now = this.clock.now();
    const hit = map.get(key);
    if (hit !== undefined && hit.until > now) return { ...hit.value };
    const epoch = this.epoch;
    const value = await read();
    // Unknown ids are not cached: nobody can grow the cache by asking for made-up ones.
    if (value === null) {
      map.delete(key);
      return null;
    }
    if (epoch === this.epoch) map.set(key, { value: deepFreeze(value), until: now + this.ttlMs });
    return { ...value };
  }

  private async writing<T>(map: Map<string, Entry<T>>, key: string, write: () => Promise<void>): Promise<void> {
    this.epoch++;
    map.delete(key);
    try {
      await write();
    } finally {
      this.epoch++;
      map.delete(key);
    }
  }
}
