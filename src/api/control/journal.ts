// The request journal (issue 13 §6; docs/testing.md): the last requests this process
// answered, newest last, in a bounded ring — memory stays flat however long it runs.
import type { Side } from './methods.ts';

export interface JournalEntry {
  time: number;
  method: string;
  path: string;
  status: number;
  ms: number;
  accountId: string | null;
  chatId: string | null;
  vendorMethod: string | null;
  side: Side | null;
  client: { appKey: string | null; userAgent: string | null; ip: string };
}

export const JOURNAL_SIZE = 2000;

export class Journal {
  private readonly entries: JournalEntry[] = [];
  private readonly size: number;

  constructor(size = JOURNAL_SIZE) {
    this.size = size;
  }

  add(e: JournalEntry): void {
    this.entries.push(e);
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size);
  }

  /** The latest `limit` entries (of one chat, with `chatId`), oldest first. */
  recent(limit: number, chatId: string | null): JournalEntry[] {
    const picked = chatId === null ? this.entries : this.entries.filter((e) => e.chatId === chatId);
    return picked.slice(Math.max(0, picked.length - limit));
  }

  clear(): void {
    this.entries.length = 0;
  }
}
