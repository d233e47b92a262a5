// Group commit for SQLite (issue 14): the chat writes (lines, state changes, new chats) that
// arrive in one turn of the event loop run in one transaction, and each is answered only
// once that transaction committed — so no acknowledged write is ever only in memory. At 100
// connections a commit (the WAL frames it writes) was a third of a line's cost; shared by
// the writes of a turn it is paid once. A write that throws inside a group (a constraint, a
// bug) rolls the group back, and each of its writes is then run in a transaction of its own,
// so one bad write fails alone.

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Writes queued in one turn run together; `tx` runs a function in one transaction. */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly tx: <T>(fn: () => T) => T;
  /** Groups committed and writes in them (tests, the bench's reading of it). */
  groups = 0;
  writes = 0;

  constructor(tx: <T>(fn: () => T) => T) {
    this.tx = tx;
  }

  add<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O of this turn (every request already read), before timers.
        setImmediate(() => this.commit());
      }
    });
  }

  /** Runs every queued write now (also on close); resolves or rejects each. */
  commit(): void {
    this.scheduled = false;
    const group = this.queue;
    if (group.length === 0) return;
    this.queue = [];
    this.groups++;
    this.writes += group.length;
    if (group.length > 1) {
      let results: unknown[] | null = null;
      try {
        results = this.tx(() => group.map((p) => p.write()));
      } catch {
        results = null; // rolled back: each alone, below
      }
      if (results !== null) {
        group.forEach((p, i) => p.resolve(results[i]));
        return;
      }
    }
    for (const p of group) {
      try {
        p.resolve(this.tx(p.write));
      } catch (err) {
        p.reject(err);
      }
    }
  }
}
