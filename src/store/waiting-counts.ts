// WaitingCounts from a backend's grouped count rows (store.ts countWaitingChats).
import type { WaitingCounts } from './store.ts';

export interface WaitingCountRow {
  skill: number | null;
  /** Not ringing for an agent. */
  free: boolean;
  /** Asked for one agent. */
  directed: boolean;
  n: number;
}

export function waitingCounts(rows: WaitingCountRow[]): WaitingCounts {
  const counts: WaitingCounts = { total: 0, unassigned: new Map(), directed: 0 };
  for (const r of rows) {
    counts.total += r.n;
    if (!r.free) continue;
    counts.unassigned.set(r.skill, (counts.unassigned.get(r.skill) ?? 0) + r.n);
    if (r.directed) counts.directed += r.n;
  }
  return counts;
}
