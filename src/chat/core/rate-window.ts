// Counts per key in fixed windows (lines per second per chat, transcripts per account per
// hour, failed logins…), in this process's memory and bounded in keys: when full, the oldest
// key is forgotten (docs/architecture.md, "Rate counters"; docs/security.md).
export class RateWindow {
  private readonly counts = new Map<string, { start: number; n: number }>();
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxKeys: number;

  constructor(limit: number, windowMs: number, maxKeys = 100_000) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxKeys = maxKeys;
  }

  /** Milliseconds until `key` may go again, or 0 if it may now (nothing is counted). */
  wait(key: string, now: number): number {
    const c = this.counts.get(key);
    if (!c || now - c.start >= this.windowMs || now < c.start) return 0;
    return c.n >= this.limit ? c.start + this.windowMs - now : 0;
  }

  /** Counts one for `key`. */
  hit(key: string, now: number): void {
    const c = this.counts.get(key);
    if (c && now - c.start < this.windowMs && now >= c.start) {
      c.n += 1;
      return;
    }
    this.counts.delete(key);
    if (this.counts.size >= this.maxKeys) {
      const oldest = this.counts.keys().next();
      if (!oldest.done) this.counts.delete(oldest.value);
    }
    this.counts.set(key, { start: now, n: 1 });
  }

  /** Forgets `key` (a successful login clears its failures). */
  clear(key: string): void {
    this.counts.delete(key);
  }
}
