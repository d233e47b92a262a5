// The `bot` of a provisioned agent (issue 13 §4; docs/provisioning.md, "Bot agents"): checked
// whole, every problem reported with its place; regular expressions must compile.
import type { BotReply, BotScript } from '../chat/core/types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
/** Delays up to an hour: a script is about seconds, and longer ones are surely a mistake. */
const isDelay = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 3_600_000;

const BOT_KEYS = ['acceptAfterMs', 'greeting', 'replies', 'default', 'endAfterLines', 'endOn'];
const REPLY_KEYS = ['match', 'reply', 'afterMs', 'typingMs', 'transferTo'];

function regex(v: unknown, at: string, bad: (msg: string) => void): v is string {
  if (!isText(v, 1000)) return void bad(`${at}: must be a regular expression (a non-empty string)`), false;
  try {
    new RegExp(v, 'i');
    return true;
  } catch (err) {
    bad(`${at}: not a valid regular expression (${(err as Error).message})`);
    return false;
  }
}

/**
 * Checks a `bot` value; `skillIds` are the account's, for `transferTo`. Problems go to `bad`
 * prefixed with `bot…`; null when the script is not usable.
 */
export function parseBotScript(input: unknown, skillIds: ReadonlySet<number>, bad: (msg: string) => void): BotScript | null {
  if (!isObj(input)) return void bad('bot: must be an object (acceptAfterMs, greeting, replies, default, endAfterLines, endOn)'), null;
  let ok = true;
  const fail = (msg: string): void => {
    ok = false;
    bad(msg);
  };
  for (const k of Object.keys(input)) if (!BOT_KEYS.includes(k)) fail(`bot.${k}: unknown field`);
  const acceptAfterMs = input.acceptAfterMs ?? 0;
  if (!isDelay(acceptAfterMs)) fail('bot.acceptAfterMs: must be a whole number of milliseconds from 0 to 3600000');
  for (const k of ['greeting', 'default'] as const) if (input[k] !== undefined && !isText(input[k], 4000)) fail(`bot.${k}: must be a non-empty string`);
  const endAfterLines = input.endAfterLines;
  if (endAfterLines !== undefined && !(typeof endAfterLines === 'number' && Number.isSafeInteger(endAfterLines) && endAfterLines >= 1)) {
    fail('bot.endAfterLines: must be a whole number from 1');
  }
  if (input.endOn !== undefined && !regex(input.endOn, 'bot.endOn', fail)) ok = false;
  const replies: BotReply[] = [];
  const list = input.replies ?? [];
  if (!Array.isArray(list)) fail('bot.replies: must be an array');
  else
    list.forEach((r: unknown, i: number) => {
      const at = `bot.replies[${i}]`;
      if (!isObj(r)) return void fail(`${at}: must be an object with match and reply`);
      for (const k of Object.keys(r)) if (!REPLY_KEYS.includes(k)) fail(`${at}.${k}: unknown field`);
      const matchOk = regex(r.match, `${at}.match`, fail);
      if (!isText(r.reply, 4000)) fail(`${at}.reply: must be a non-empty string`);
      const afterMs = r.afterMs ?? 0;
      const typingMs = r.typingMs ?? 0;
      if (!isDelay(afterMs)) fail(`${at}.afterMs: must be a whole number of milliseconds from 0 to 3600000`);
      if (!isDelay(typingMs)) fail(`${at}.typingMs: must be a whole number of milliseconds from 0 to 3600000`);
      const t = r.transferTo;
      if (t !== undefined && !(typeof t === 'number' && skillIds.has(t))) fail(`${at}.transferTo: must be the id of a skill of this account`);
      if (matchOk && isText(r.reply, 4000) && isDelay(afterMs) && isDelay(typingMs)) {
        replies.push({ match: r.match as string, reply: r.reply, afterMs, typingMs, ...(typeof t === 'number' ? { transferTo: t } : {}) });
      }
    });
  if (!ok) return null;
  return {
    acceptAfterMs: acceptAfterMs as number,
    replies,
    ...(typeof input.greeting === 'string' ? { greeting: input.greeting } : {}),
    ...(typeof input.default === 'string' ? { default: input.default } : {}),
    ...(typeof endAfterLines === 'number' ? { endAfterLines } : {}),
    ...(typeof input.endOn === 'string' ? { endOn: input.endOn } : {}),
  };
}
