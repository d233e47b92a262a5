// Connections to PostgreSQL: the client settings every connection of a store shares, the
// main pool with its query and transaction helpers, and the one place that decides which
// failures mean "the store cannot be reached" (StoreUnavailableError, answered with 503).
import pg from 'pg';
import type { ClientConfig, CustomTypesConfig, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { StoreUnavailableError } from '../store.ts';

export interface PostgresOptions {
  /** postgres://user:pass@host:port/db */
  url: string;
  poolSize: number;
  /** Milliseconds one statement may run before PostgreSQL cancels it. */
  statementTimeout: number;
  /** Keep every table in this schema (created if missing); tests give each store its own. */
  schema?: string;
}

/** How long a new connection may take: then the request fails (503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 3000;

// int8 arrives as a string by default; every int8 this store keeps (epoch ms, counts,
// sequences) is far below 2^53. Set on this store's connections only, not globally.
const parseInt8 = (v: string): number => Number(v);
const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** The settings of every connection a store opens (pool, locks, listener, migrations). */
export function clientConfig(opts: PostgresOptions): ClientConfig {
  return {
    connectionString: opts.url,
    statement_timeout: opts.statementTimeout,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A peer that vanished without a FIN (host down, network cut) is noticed, not waited on forever.
    keepAlive: true,
    application_name: 'serverchat',
    types,
    ...(opts.schema === undefined ? {} : { options: `-c search_path=${opts.schema}` }),
  };
}

/** Where the store is, for messages: host:port/db, never the user or the password. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const db = decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || 'postgres';
    return `${u.hostname || 'localhost'}:${u.port || '5432'}/${db}`;
  } catch {
    return '(unparsable URL)';
  }
}

/** Double-quoted SQL identifier (schema names, LISTEN channels). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// Codes that say the server is gone, going, refusing or too slow: nothing was committed by
// the failing statement, and a later retry may work (PostgreSQL restarts, failovers).
const UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, shutting down)
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|Client was closed and is not queryable|Query read timeout/i;

export function isUnavailable(err: unknown): boolean {
  if (err instanceof StoreUnavailableError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE.has(code) || code.startsWith('08'))) return true;
  if (err instanceof AggregateError && err.errors.some(isUnavailable)) return true;
  return UNAVAILABLE_MESSAGE.test(err.message);
}

/** A readable reason; Node's AggregateError (several addresses tried) has an empty message. */
export function reason(err: unknown): string {
  if (err instanceof AggregateError && err.message === '') return err.errors.map(reason).join('; ');
  if (err instanceof Error) return err.message || String((err as { code?: unknown }).code ?? err.name);
  return String(err);
}

/** What a failed call throws: StoreUnavailableError for connection trouble, the error otherwise. */
export function storeError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || !isUnavailable(err)) return err;
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${reason(err)}`, { cause: err });
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** A named statement: PostgreSQL parses and plans it once per connection. */
export interface Sql {
  name: string;
  text: string;
}

/** Checks out a client, with an error listener while it is out (an error event nobody listens to kills the process). */
export async function checkout(pool: pg.Pool): Promise<{ client: PoolClient; release: (err?: unknown) => void }> {
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw storeError(err);
  }
  const onError = (): void => undefined;
  client.on('error', onError);
  let released = false;
  return {
    client,
    release: (err?: unknown) => {
      if (released) return;
      released = true;
      client.removeListener('error', onError);
      // A connection that failed is dropped, not reused: its session (and any lock) ends with it.
      client.release(err === undefined ? undefined : asError(err));
    },
  };
}

export function newPool(config: ClientConfig, max: number): pg.Pool {
  const pool = new pg.Pool({ ...config, max });
  // Idle connections that PostgreSQL drops (restart, failover) are removed by the pool;
  // without a listener their 'error' would end the process.
  pool.on('error', () => undefined);
  return pool;
}

/** The main pool: every statement of the store runs here. */
export class Db {
  readonly pool: pg.Pool;
  private ended = false;

  constructor(config: ClientConfig, max: number) {
    this.pool = newPool(config, max);
  }

  async query<R extends QueryResultRow>(sql: Sql, values: unknown[]): Promise<QueryResult<R>> {
    try {
      return await this.pool.query<R>({ name: sql.name, text: sql.text, values });
    } catch (err) {
      throw storeError(err);
    }
  }

  async rows<R extends QueryResultRow>(sql: Sql, values: unknown[]): Promise<R[]> {
    return (await this.query<R>(sql, values)).rows;
  }

  /** Runs `fn` in one transaction on one connection; any throw rolls it back. */
  async tx<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const { client, release } = await checkout(this.pool);
    try {
      await client.query('BEGIN');
      const out = await fn(client);
      await client.query('COMMIT');
      release();
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
        release();
      } catch (rollbackErr) {
        release(rollbackErr);
      }
      throw storeError(err);
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
