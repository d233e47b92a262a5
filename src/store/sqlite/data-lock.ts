// One process per data directory (docs/configuration.md): a second one is refused before it
// reads or migrates anything. The lock is SQLite's own file lock on `serverchat.lock`, held in
// an open exclusive transaction, so the operating system drops it when the process dies —
// even by kill -9 — and a restart never finds a stale lock to clean up.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

export const LOCK_FILE = 'serverchat.lock';
/**
 * Present while a process uses the directory, removed by a clean close: found at start, it
 * says the last process died (kill -9, power loss) and its last keep-alives may be lost
 * (issue 11, finding 8; docs/architecture.md "Keep-alives").
 */
export const RUNNING_FILE = 'serverchat.running';

/** Another process (or another store in this one) holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(dir: string) {
    super(`the data directory ${dir} is in use by another serverchat process (one process per directory; give another --data, or --store postgres://… for several)`);
    this.name = 'DataDirLockedError';
  }
}

export class DataDirLock {
  private readonly db: DatabaseSync;
  private readonly running: string;
  /** The process before this one ended without closing the directory. */
  readonly uncleanStart: boolean;
  private constructor(db: DatabaseSync, dir: string) {
    this.db = db;
    this.running = join(dir, RUNNING_FILE);
    this.uncleanStart = existsSync(this.running);
    writeFileSync(this.running, `${process.pid}\n`);
  }

  static acquire(dir: string): DataDirLock {
    mkdirSync(dir, { recursive: true });
    const db = new DatabaseSync(join(dir, LOCK_FILE));
    try {
      // No busy wait: a held lock is an answer, not a race to wait out.
      db.exec('PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;');
    } catch {
      db.close();
      throw new DataDirLockedError(dir);
    }
    return new DataDirLock(db, dir);
  }

  /** `clean`: everything is written; the next start need not assume a crash. */
  release(clean = false): void {
    if (clean && this.db.isOpen) rmSync(this.running, { force: true });
    if (this.db.isOpen) this.db.close();
  }
}
