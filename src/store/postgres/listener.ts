// ChatStore.watch on PostgreSQL: one dedicated connection LISTENs on the store's channel and
// hands each notification (a StoreChange the writing statement sent with pg_notify) to the
// listeners. When the connection is lost (PostgreSQL restarts, the network breaks) it comes
// back by itself with backoff; notifications sent meanwhile are lost, which the caches'
// 1 s TTL covers (cached-store.ts).
import pg from 'pg';
import type { ClientConfig, Notification } from 'pg';
import type { StoreChange } from '../store.ts';
import { ident } from './connection.ts';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

function parseChange(payload: string | undefined): StoreChange | null {
  try {
    const v = JSON.parse(payload ?? '') as Partial<Record<string, unknown>>;
    if (v.kind === 'account' && typeof v.accountId === 'string') return { kind: 'account', accountId: v.accountId };
    if (v.kind === 'agent' && typeof v.accountId === 'string' && typeof v.agentId === 'number') {
      return { kind: 'agent', accountId: v.accountId, agentId: v.agentId };
    }
  } catch {
    // Not ours: someone else notifying on the channel.
  }
  return null;
}

export class ChangeListener {
  private readonly config: ClientConfig;
  private readonly channel: string;
  private readonly listeners = new Set<(change: StoreChange) => void>();
  private client: pg.Client | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private closed = false;
  /** How many times LISTEN has been (re)established (tests wait on it). */
  connections = 0;

  constructor(config: ClientConfig, channel: string) {
    this.config = config;
    this.channel = channel;
  }

  /** Adds a listener; the first one opens the connection. */
  add(listener: (change: StoreChange) => void): () => void {
    this.listeners.add(listener);
    if (this.client === null && this.retryTimer === null) this.connect();
    return () => {
      this.listeners.delete(listener);
    };
  }

  private connect(): void {
    if (this.closed) return;
    // No statement timeout: LISTEN's session lives as long as the store.
    const client = new pg.Client({ ...this.config, statement_timeout: 0 });
    this.client = client;
    const lost = (): void => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      this.retry();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (n: Notification) => this.dispatch(n));
    client
      .connect()
      .then(() => client.query(`LISTEN ${ident(this.channel)}`))
      .then(() => {
        if (this.client !== client) return;
        this.retryMs = RETRY_MIN_MS;
        this.connections++;
      }, lost);
  }

  private retry(): void {
    if (this.closed || this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private dispatch(n: Notification): void {
    if (n.channel !== this.channel) return;
    const change = parseChange(n.payload);
    if (change === null) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch {
        // One listener's failure must not keep the change from the others.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.listeners.clear();
    if (client !== null) await client.end().catch(() => undefined);
  }
}
