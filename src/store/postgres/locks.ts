// ChatStore.withLock on PostgreSQL: a session-level advisory lock on a 64-bit hash of the key
// (hashtextextended), held on a connection of a small pool of its own, so that lock holders
// never take the connections `fn` itself needs from the main pool. Same-key callers of this
// process queue in memory first: a process holds at most one lock connection per key.
// If the process dies, PostgreSQL ends its sessions and with them its locks.
import type pg from 'pg';
import type { ClientConfig } from 'pg';
import { KeyedLock } from '../../chat/core/keyed-lock.ts';
import { checkout, newPool, storeError, type Sql } from './connection.ts';

const LOCK: Sql = { name: 'advisory-lock', text: 'SELECT pg_advisory_lock(hashtextextended($1, 0))' };
const UNLOCK: Sql = { name: 'advisory-unlock', text: 'SELECT pg_advisory_unlock(hashtextextended($1, 0))' };

export class AdvisoryLocks {
  private readonly local = new KeyedLock();
  private readonly pool: pg.Pool;
  /** Keeps the keys of stores in different schemas of one database apart. */
  private readonly prefix: string;
  private ended = false;

  /**
   * `config` keeps the statement timeout: a lock awaited longer than a statement may run fails
   * (StoreUnavailableError) rather than hanging the request that wants it.
   */
  constructor(config: ClientConfig, size: number, namespace: string) {
    this.pool = newPool(config, size);
    this.prefix = `serverchat:lock:${namespace}:`;
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.local.run(key, () => this.hold(this.prefix + key, fn));
  }

  private async hold<T>(lockKey: string, fn: () => Promise<T>): Promise<T> {
    const { client, release } = await checkout(this.pool);
    try {
      await client.query({ name: LOCK.name, text: LOCK.text, values: [lockKey] });
    } catch (err) {
      release(err);
      throw storeError(err);
    }
    try {
      return await fn();
    } finally {
      try {
        await client.query({ name: UNLOCK.name, text: UNLOCK.text, values: [lockKey] });
        release();
      } catch (err) {
        // The connection is dropped instead, which ends its session and so the lock.
        release(err);
      }
    }
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
