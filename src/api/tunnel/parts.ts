// The parts of rest2jsonp requests split over several URLs, until the last one arrives.
// Process memory, bounded: at most MAX_PENDING requests, each forgotten TTL_MS after its
// last part. The id handed back (lpS) is random, and only a part naming it (and its
// account) adds to it.
import { randomBytes } from 'node:crypto';
import { ApiError } from '../../errors.ts';

const TTL_MS = 60_000;
const MAX_PENDING = 1_000;

interface Pending {
  account: string;
  of: number;
  parts: string[];
  touched: number;
}

export class PartStore {
  private readonly pending = new Map<string, Pending>();

  /** Adds part `n` of `of`; `complete` is the whole encoded text once the last part is in. */
  add(account: string, id: string | null, n: number, of: number, text: string): { id: string; complete: string | null } {
    this.sweep();
    let p: Pending | undefined;
    if (n === 1) {
      if (this.pending.size >= MAX_PENDING) throw new ApiError('bad-query', 'too many split requests in progress');
      id = randomBytes(12).toString('hex');
      p = { account, of, parts: [], touched: Date.now() };
      this.pending.set(id, p);
    } else {
      p = id === null ? undefined : this.pending.get(id);
      if (!p || p.account !== account || p.of !== of) throw new ApiError('bad-query', 'lpS names no split request in progress (send part 1 first)');
    }
    if (n !== p.parts.length + 1) throw new ApiError('bad-query', `part ${n} arrived after part ${p.parts.length}`);
    p.parts.push(text);
    p.touched = Date.now();
    if (p.parts.length < p.of) return { id: id as string, complete: null };
    this.pending.delete(id as string);
    return { id: id as string, complete: p.parts.join('') };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, p] of this.pending) if (now - p.touched > TTL_MS) this.pending.delete(id);
  }
}
