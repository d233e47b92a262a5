// The store factory: the one place that knows the backends. Opening is asynchronous (a network
// store connects, takes its migration lock and migrates) and so is closing.
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { ChatStore } from './store.ts';

/** The store could not be opened: the message says why, in one line (no stack for the operator). */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

export type StoreConfig = Pick<Config, 'store' | 'storePoolSize' | 'storeStatementTimeout' | 'memory' | 'dataDir'>;

/** What the banner says of the store; a URL's password is never shown. */
export function describeStore(config: StoreConfig): string {
  if (config.store !== null) {
    const u = new URL(config.store);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  }
  return config.memory ? 'in memory (nothing is kept)' : config.dataDir;
}

export async function openStore(config: StoreConfig): Promise<ChatStore> {
  if (config.store !== null) {
    // Loaded only when asked for: an embedded-store process never loads the PostgreSQL client.
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    try {
      return await PostgresStore.open({ url: config.store, poolSize: config.storePoolSize, statementTimeout: config.storeStatementTimeout });
    } catch (err) {
      // Unreachable, refused, or a schema newer than this code: one line for the operator.
      throw new StoreOpenError(err instanceof Error ? err.message : String(err), { cause: err });
    }
  }
  try {
    return await SqliteStore.open(config.memory ? ':memory:' : join(resolve(config.dataDir), 'serverchat.db'));
  } catch (err) {
    // Another process holds the directory (sqlite/data-lock.ts), or the file cannot be opened.
    throw new StoreOpenError(err instanceof Error ? err.message : String(err), { cause: err });
  }
}
