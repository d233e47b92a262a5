// Send a Transcript (spec §4.19): the chat's lines, as the visitor saw them, mailed to the
// address the visitor gives. Synchronous: the request answers once the mail server took the
// message, so a client learns about a failed delivery (docs/compatibility.md).
import sanitizeHtml from 'sanitize-html';
import type { Clock } from '../../clock.ts';
import { ApiError, RateLimitedError } from '../../errors.ts';
import { RateWindow } from '../core/rate-window.ts';
import { isEmailAddress, MailDeliveryError, type Mailer } from '../../mail/mailer.ts';
import { cleanAgentHtml } from './agent-html.ts';
import type { ChatService } from './chat-service.ts';
import type { Chat, ChatEvent } from '../core/types.ts';

export interface TranscriptRequest {
  email: string;
  /** transcriptWithSubjectRequest; a default subject otherwise. */
  subject?: string;
  /** JS convention (Date#getTimezoneOffset in ms): -7200000 is GMT+02:00 (spec §4.19, §6 #12). */
  timezoneOffset?: number;
}

export interface TranscriptSettings {
  /** The From of every transcript (--smtp-from). */
  from: string;
  /** Limits against mail abuse (issue 11, finding 6; docs/security.md); defaults below. */
  perChatPerHour?: number;
  perAccountPerHour?: number;
  maxSubjectLength?: number;
}

export const TRANSCRIPT_LIMITS = { perChatPerHour: 3, perAccountPerHour: 100, maxSubjectLength: 200 } as const;
const HOUR_MS = 3600 * 1000;

export const DEFAULT_SUBJECT = 'Your chat transcript';
/** Offsets beyond ±14 h are not time zones. */
export const MAX_TIMEZONE_OFFSET_MS = 14 * 3600 * 1000;

/** What the visitor's name shows as until set (the visitor side's default, compatibility.md). */
const VISITOR_DEFAULT = 'You';
const SYSTEM_NAME = 'Info';

interface Entry {
  time: string;
  who: string;
  text: string;
  /** Safe HTML for the HTML part (already escaped, or cleaned agent markup). */
  html: string;
}

export interface RenderedTranscript {
  subject: string;
  text: string;
  html: string;
}

export class Transcripts {
  private readonly chats: ChatService;
  private readonly mailer: Mailer | null;
  private readonly settings: TranscriptSettings;

  private readonly perChat: RateWindow;
  private readonly perAccount: RateWindow;
  private readonly maxSubjectLength: number;
  private readonly clock: Clock;

  constructor(chats: ChatService, mailer: Mailer | null, settings: TranscriptSettings, clock: Clock) {
    this.perChat = new RateWindow(settings.perChatPerHour ?? TRANSCRIPT_LIMITS.perChatPerHour, HOUR_MS);
    this.perAccount = new RateWindow(settings.perAccountPerHour ?? TRANSCRIPT_LIMITS.perAccountPerHour, HOUR_MS, 10_000);
    this.maxSubjectLength = settings.maxSubjectLength ?? TRANSCRIPT_LIMITS.maxSubjectLength;
    this.clock = clock;
    this.chats = chats;
    this.mailer = mailer;
    this.settings = settings;
  }

  /** Checks the request, renders the chat and hands it to the mail server. Stores nothing. */
  async send(accountId: string, chatId: string, req: TranscriptRequest): Promise<void> {
    const email = req.email.trim();
    if (!isEmailAddress(email)) throw new ApiError('bad-body', `"email" is not a valid e-mail address: "${req.email}"`);
    const subject = req.subject === undefined ? undefined : req.subject.replace(/\s+/g, ' ').trim();
    if (subject === '') throw new ApiError('bad-body', '"subject" must not be blank');
    if (subject !== undefined && subject.length > this.maxSubjectLength) throw new ApiError('bad-body', `"subject" is longer than ${this.maxSubjectLength} characters (--max-subject-length)`);
    if (req.timezoneOffset !== undefined && Math.abs(req.timezoneOffset) > MAX_TIMEZONE_OFFSET_MS) {
      throw new ApiError('bad-body', `"timezoneOffset" must be within ±${MAX_TIMEZONE_OFFSET_MS} ms`);
    }
    // A transcript request is a visitor request like any other: it keeps an open chat alive.
    const chat = await this.chats.visitorTouch(accountId, chatId);
    if (!this.mailer) throw new ApiError('mail-not-configured');
    // Counted per chat and per account, before the mail server is asked (a refused or failed
    // delivery counts too: each costs the mail server the same).
    const now = this.clock.now();
    const chatKey = `${accountId}\u0000${chatId}`;
    const wait = Math.max(this.perChat.wait(chatKey, now), this.perAccount.wait(accountId, now));
    if (wait > 0) throw new RateLimitedError(`at most ${this.perChat.limit} transcripts per chat and ${this.perAccount.limit} per account an hour (--transcripts-per-chat, --transcripts-per-account)`, wait);
    this.perChat.hit(chatKey, now);
    this.perAccount.hit(accountId, now);
    const events = await this.chats.listEvents(chat, 0, 'visitor');
    const t = renderTranscript(chat, events, { subject, timezoneOffset: req.timezoneOffset });
    try {
      await this.mailer.send({ from: this.settings.from, to: email, subject: t.subject, text: t.text, html: t.html });
    } catch (err) {
      if (err instanceof MailDeliveryError) throw new ApiError('mail-failed', err.message);
      throw err;
    }
  }
}

/** The transcript of `events` (already filtered to what the visitor sees), as text and HTML. */
export function renderTranscript(chat: Chat, events: ChatEvent[], opts: { subject?: string; timezoneOffset?: number }): RenderedTranscript {
  const zone = (ms: number): number => (opts.timezoneOffset === undefined ? -new Date(ms).getTimezoneOffset() : -Math.round(opts.timezoneOffset / 60000));
  const at = (ms: number): string => formatZoned(ms, zone(ms));
  const entries = events.flatMap((e) => entryOf(e, at));
  const subject = opts.subject ?? DEFAULT_SUBJECT;
  const head = [`Chat ${chat.id}`, `Started ${at(chat.startTime)}`];
  const text = [subject, '', ...head, '', ...entries.map((e) => `[${e.time}] ${e.who}: ${e.text}`), ''].join('\n');
  const html =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>` +
    `<h1>${escapeHtml(subject)}</h1>` +
    head.map((h) => `<p>${escapeHtml(h)}</p>`).join('') +
    `<table>${entries.map((e) => `<tr><td>${escapeHtml(e.time)}</td><th align="left">${escapeHtml(e.who)}</th><td>${e.html}</td></tr>`).join('')}</table>` +
    `</body></html>`;
  return { subject, text, html };
}

function entryOf(e: ChatEvent, at: (ms: number) => string): Entry[] {
  const time = at(e.time);
  switch (e.type) {
    case 'state':
      return [];
    case 'line': {
      const who = e.source === 'system' ? SYSTEM_NAME : (e.by ?? VISITOR_DEFAULT);
      if (e.textType === 'html') {
        const clean = cleanAgentHtml(e.text);
        return [{ time, who, text: htmlToText(clean), html: clean }];
      }
      const text = e.textType === 'rich-content' && e.text.trim() === '' ? '[structured content]' : e.text;
      return [{ time, who, text, html: escapeHtml(text).replace(/\r?\n/g, '<br>') }];
    }
    case 'url': {
      const who = e.by ?? (e.source === 'visitor' ? VISITOR_DEFAULT : SYSTEM_NAME);
      const text = e.source === 'agent' ? `sent a link: ${e.url}` : `visited ${e.url}`;
      return [{ time, who, text, html: escapeHtml(text) }];
    }
    case 'a2a-transfer': {
      const text = 'The chat was transferred to another account.';
      return [{ time, who: SYSTEM_NAME, text, html: escapeHtml(text) }];
    }
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2017-02-27 06:35:45 GMT-05:00`: the wall time at `offsetMinutes` east of GMT, labelled. */
export function formatZoned(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    ` GMT${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Agent markup as plain text for the text part: tags dropped, breaks kept as spaces. */
function htmlToText(html: string): string {
  const bare = sanitizeHtml(html.replace(/<br\s*\/?>/gi, ' '), { allowedTags: [], allowedAttributes: {} });
  return bare
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
