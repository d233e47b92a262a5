// What one chat may hold and take (issue 11, finding 3; docs/security.md). Checked on every
// write through ChatWriter, so no way of adding content — a visitor's or an agent's line, a
// URL, a rich-content line — gets round them. A write that changes the chat's state or adds
// a system line (ending, transfer, timeouts) is never refused: a full chat can still end.
import { ApiError, RateLimitedError } from '../../errors.ts';
import { RateWindow } from './rate-window.ts';
import type { Chat, ChatEvent } from './types.ts';

export interface ChatLimits {
  /** Characters of one line's text (plus its rich content as JSON). */
  maxLineLength: number;
  /** Events one chat may hold; content past it is refused. */
  maxChatEvents: number;
  /** Characters of content (line texts, rich content, URLs) one chat may hold. */
  maxChatChars: number;
  /** Content writes (lines, URLs) to one chat per second. */
  chatLinesPerSecond: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = { maxLineLength: 8000, maxChatEvents: 5000, maxChatChars: 1_000_000, chatLinesPerSecond: 10 };

/** The characters an event adds to a chat's content; 0 for what the server writes itself. */
export function contentChars(e: ChatEvent): number {
  if (e.type === 'line') return e.source === 'system' ? 0 : e.text.length + (e.json === undefined ? 0 : JSON.stringify(e.json).length);
  if (e.type === 'url') return e.url.length;
  return 0;
}

export class ChatGuard {
  readonly limits: ChatLimits;
  private readonly rate: RateWindow;

  constructor(limits: ChatLimits) {
    this.limits = limits;
    this.rate = new RateWindow(limits.chatLinesPerSecond, 1000);
  }

  /**
   * Checks the events a write adds to `chat` (already changed in place, nextEventId moved on)
   * and counts their characters into it. Throws the vendor error to answer with.
   */
  check(chat: Chat, events: ChatEvent[], now: number): void {
    let chars = 0;
    let content = false;
    let system = false;
    for (const e of events) {
      const n = contentChars(e);
      if (e.type === 'line' && n > this.limits.maxLineLength) {
        throw new ApiError('line-too-long', `${n} characters; at most ${this.limits.maxLineLength} (--max-line-length)`);
      }
      if (n > 0) content = true;
      if (e.type === 'state' || (e.type === 'line' && e.source === 'system')) system = true;
      chars += n;
    }
    const total = (chat.contentChars ?? 0) + chars;
    if (content && !system) {
      const key = `${chat.accountId}\u0000${chat.id}`;
      if (chat.nextEventId > this.limits.maxChatEvents) throw new ApiError('chat-full', `it holds ${chat.nextEventId - events.length} events; at most ${this.limits.maxChatEvents} (--max-chat-events)`);
      if (total > this.limits.maxChatChars) throw new ApiError('chat-full', `its lines would hold ${total} characters; at most ${this.limits.maxChatChars} (--max-chat-chars)`);
      const wait = this.rate.wait(key, now);
      if (wait > 0) throw new RateLimitedError(`more than ${this.limits.chatLinesPerSecond} lines a second to this chat (--chat-lines-per-second)`, wait);
      this.rate.hit(key, now);
    }
    if (chars > 0) chat.contentChars = total;
  }
}
