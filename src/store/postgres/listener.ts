// ChatStore.watch on PostgreSQL: one dedicated connection LISTENs on the store's channel and
// hands each notification (a StoreChange the writing statement sent with pg_notify) to the
// listeners. When the connection is lost (PostgreSQL restarts, the network breaks) it comes
// back by itself with backoff; notifications sent meanwhile are lost, which the caches'
// 1 s TTL covers (cached-store.ts).
import pg from 'pg';
import type { ClientConfig, Notification } from 'pg';
import type { ChatTouch, StoreChange } from '../store.ts';
import { ident } from './connection.ts';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5000;

/** A change with the `origin` of the store that sent it (chat notices carry one). */
type Listener = (change: StoreChange, origin: string | null) => void;

function touchesOf(v: unknown): ChatTouch[] | null {
  if (!Array.isArray(v)) return null;
  const out: ChatTouch[] = [];
  for (const t of v) {
    if (!Array.isArray(t) || typeof t[0] !== 'string' || typeof t[1] !== 'string' || typeof t[2] !== 'number') return null;
    out.push({ accountId: t[0], chatId: t[1], lastUpdate: t[2] });
  }
  return out;
}

function parseChange(payload: string | undefined): { change: StoreChange; origin: string | null } | null {
  try {
    const v = JSON.parse(payload ?? '') as Partial<Record<string, unknown>>;
    const origin = typeof v.origin === 'string' ? v.origin : null;
    if (v.kind === 'account' && typeof v.accountId === 'string') return { change: { kind: 'account', accountId: v.accountId }, origin };
    if (v.kind === 'agent' && typeof v.accountId === 'string' && typeof v.agentId === 'number') {
      return { change: { kind: 'agent', accountId: v.accountId, agentId: v.agentId }, origin };
    }
    if (v.kind === 'chat' && typeof v.accountId === 'string' && typeof v.chatId === 'string') {
      return { change: { kind: 'chat', accountId: v.accountId, chatId: v.chatId }, origin };
    }
    const touches = v.kind === 'touched' ? touchesOf(v.touches) : null;
    if (touches !== null) return { change: { kind: 'touched', touches }, origin };
  } catch {
    // Not ours: someone else notifying on the channel.
  }
  return null;
}

export class ChangeListener {
  private readonly config: ClientConfig;
  private readonly channel: string;
  private readonly listeners = new Set<Listener>();
  /** LISTEN is in place now: notices are arriving. */
  private live = false;
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

  /** Adds a listener; the first one opens the connection. It hears at once if notices are arriving. */
  add(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.live) listener({ kind: 'listening', live: true }, null);
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
      // Notices sent from now on are missed until LISTEN is back: caches of chats stop serving.
      this.setLive(false);
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
        this.setLive(true);
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

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.tell({ kind: 'listening', live }, null);
  }

  private dispatch(n: Notification): void {
    if (n.channel !== this.channel) return;
    const parsed = parseChange(n.payload);
    if (parsed !== null) this.tell(parsed.change, parsed.origin);
  }

  private tell(change: StoreChange, origin: string | null): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change, origin);
      } catch {
        // One listener's failure must not keep the change from the others.
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.listeners.clear();
    if (client !== null) await client.end().catch(() => undefined);
  }
}
