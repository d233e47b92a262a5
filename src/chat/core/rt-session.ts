// rtSessionId (spec §4.11): the vendor's real-time session ids start above 2^32 (its example
// is 4294967524). The store only counts per account; the numbering is decided here.
const RT_SESSION_BASE = 4294967296;

/** The rtSessionId of an account's `seq`-th chat (store.nextAccountSequence). */
export function rtSessionIdOf(seq: number): number {
  return RT_SESSION_BASE + seq;
}
