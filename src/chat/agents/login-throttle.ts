// Failed logins slow down (issue 11, finding 7; docs/security.md). Per account + user name
// and per client address: the first few failures are free, then each further one doubles a
// wait (1 s, 2 s, 4 s … at most --login-max-backoff) during which that user, or that address,
// gets 429 with Retry-After before any password is checked. The wait per user is capped low
// so that someone guessing cannot lock a real agent out for long; the per-address wait stops
// the one guessing. A success clears the user's failures; failures are forgotten after 15 min.
import { RateLimitedError } from '../../errors.ts';

export interface LoginThrottleSettings {
  /** Failures per account + user before waits begin. */
  userFreeFailures: number;
  /** Failures per client address before waits begin. */
  addressFreeFailures: number;
  /** The longest wait, in seconds. */
  maxBackoff: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleSettings = { userFreeFailures: 5, addressFreeFailures: 20, maxBackoff: 60 };

const FORGET_MS = 15 * 60 * 1000;
const MAX_KEYS = 100_000;

interface Failures {
  n: number;
  last: number;
  until: number;
}

class Backoff {
  private readonly map = new Map<string, Failures>();
  private readonly free: number;
  private readonly maxMs: number;
  constructor(free: number, maxMs: number) {
    this.free = free;
    this.maxMs = maxMs;
  }
  wait(key: string, now: number): number {
    const f = this.map.get(key);
    if (!f) return 0;
    if (now - f.last > FORGET_MS) {
      this.map.delete(key);
      return 0;
    }
    return Math.max(0, f.until - now);
  }
  fail(key: string, now: number): void {
    let f = this.map.get(key);
    if (!f || now - f.last > FORGET_MS) {
      this.map.delete(key);
      if (this.map.size >= MAX_KEYS) {
        const oldest = this.map.keys().next();
        if (!oldest.done) this.map.delete(oldest.value);
      }
      f = { n: 0, last: now, until: 0 };
      this.map.set(key, f);
    }
    f.n += 1;
    f.last = now;
    const over = f.n - this.free;
    if (over > 0) f.until = now + Math.min(this.maxMs, 1000 * 2 ** Math.min(over - 1, 30));
  }
  clear(key: string): void {
    this.map.delete(key);
  }
}

export class LoginThrottle {
  private readonly users: Backoff;
  private readonly addresses: Backoff;
  constructor(s: LoginThrottleSettings = DEFAULT_LOGIN_THROTTLE) {
    this.users = new Backoff(s.userFreeFailures, s.maxBackoff * 1000);
    this.addresses = new Backoff(s.addressFreeFailures, s.maxBackoff * 1000);
  }

  /** Throws 429 while the user or the address must wait. */
  check(accountId: string, username: string, client: string | null, now: number): void {
    const wait = Math.max(this.users.wait(userKey(accountId, username), now), client === null ? 0 : this.addresses.wait(client, now));
    if (wait > 0) throw new RateLimitedError('too many failed logins for this user or from this address', wait);
  }

  failed(accountId: string, username: string, client: string | null, now: number): void {
    this.users.fail(userKey(accountId, username), now);
    if (client !== null) this.addresses.fail(client, now);
  }

  succeeded(accountId: string, username: string): void {
    this.users.clear(userKey(accountId, username));
  }
}

const userKey = (accountId: string, username: string): string => `${accountId}\u0000${username.toLowerCase()}`;
