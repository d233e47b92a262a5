// Canned responses (issue 15): an account's ready-made agent replies, picked with "/" in the
// console's reply box. A serverchat extension: the vendor's Chat Agent API has no such
// resource (docs/compatibility.md "Serverchat extensions"), so they are read through
// GET …/agentSession/{id}/serverchat/desk.
import type { CannedResponse } from '../chat/core/types.ts';

export type { CannedResponse };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** At most this many per account: the console lists them all in one menu. */
export const MAX_CANNED_RESPONSES = 200;

/** Parses `cannedResponses`, pushing every problem found; undefined when absent or bad. */
export function parseCannedResponses(v: unknown, at: string, problems: string[]): CannedResponse[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return void problems.push(`${at}: must be an array of { "shortcut", "text" } objects`);
  if (v.length > MAX_CANNED_RESPONSES) problems.push(`${at}: at most ${MAX_CANNED_RESPONSES} canned responses`);
  const out: CannedResponse[] = [];
  const seen = new Set<string>();
  let ok = true;
  v.forEach((c: unknown, i: number) => {
    const cat = `${at}[${i}]`;
    const bad = (msg: string): void => {
      ok = false;
      problems.push(`${cat}${msg}`);
    };
    if (!isObj(c)) return bad(': must be an object with "shortcut" and "text"');
    for (const k of Object.keys(c)) if (k !== 'shortcut' && k !== 'text') bad(`.${k}: unknown field`);
    const { shortcut, text } = c;
    if (typeof shortcut !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,31}$/i.test(shortcut)) bad('.shortcut: must be 1 to 32 letters, digits, "-" or "_" (typed after "/")');
    else if (seen.has(shortcut.toLowerCase())) bad(`.shortcut: "${shortcut}" appears twice`);
    else seen.add(shortcut.toLowerCase());
    if (typeof text !== 'string' || text.trim() === '' || text.length > 5000) bad('.text: must be a non-empty string of at most 5000 characters');
    if (typeof shortcut === 'string' && typeof text === 'string') out.push({ shortcut, text });
  });
  return ok ? out : undefined;
}
