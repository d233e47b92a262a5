// Mass chat timeouts (spec §3 "Timers", chatTimeout): the chats of one scheduler chunk end in
// one store transaction, and each account they belong to is routed once for the chunk — not
// a transaction and a routing pass per chat. Each chat keeps its own version check; a chat
// that changed under the batch goes through the one-chat path (ChatService.onDeadline).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import { deadlineOf, EventWriter, type ChatWriter } from './chat-writer.ts';
import type { Router } from '../routing/router.ts';
import { isOpen } from './states.ts';
import { SystemMessage, systemTexts } from './system-messages.ts';
import type { DeadlineScheduler } from './timers.ts';
import type { Chat, ChatEvent } from './types.ts';

export interface TimeoutBatchDeps {
  store: ChatStore;
  clock: Clock;
  writer: ChatWriter;
  timeouts: DeadlineScheduler;
  router: Router;
  /** The one-chat path, for a chat whose batched write lost its version check. */
  one: (key: string, deadline: number) => Promise<void>;
  onBackgroundError: (err: unknown) => void;
}

interface Ending {
  key: string;
  deadline: number;
  stored: Chat;
  chat: Chat;
  events: ChatEvent[];
}

/** Ends every chat of `due` whose timeout really passed; re-arms those touched meanwhile. */
export async function endTimedOutChats(deps: TimeoutBatchDeps, due: Array<[key: string, deadline: number]>): Promise<void> {
  const { store, clock, writer, timeouts } = deps;
  const endings: Ending[] = [];
  const retries: Array<Promise<void>> = [];
  // The chunk's chats in one read: on a network store, a read per chat was most of the time.
  const keys = due.map(([key]) => {
    const slash = key.indexOf('/');
    return { accountId: key.slice(0, slash), chatId: key.slice(slash + 1) };
  });
  let chats: Array<Chat | null>;
  try {
    chats = await store.getChats(keys);
  } catch (err) {
    deps.onBackgroundError(err);
    // Each chat takes the one-chat path, which retries on its own.
    await Promise.all(due.map(([key, deadline]) => deps.one(key, deadline)));
    return;
  }
  for (const [i, [key, deadline]] of due.entries()) {
    try {
      const stored = chats[i] ?? null;
      // Gone or already over: nothing to do (as ChatService.onDeadline).
      if (!stored || !isOpen(stored.state)) continue;
      const actual = deadlineOf(stored);
      const now = clock.now();
      if (actual > now) {
        timeouts.schedule(key, actual); // touched meanwhile
        continue;
      }
      const chat: Chat = { ...stored, version: stored.version + 1 };
      const w = new EventWriter(chat, now);
      // Stamped at the deadline, however late the timer ran (as onDeadline).
      const at = Math.max(actual, deadline);
      w.system(SystemMessage.disconnected, systemTexts.disconnected(), at);
      writer.end(chat, w, 'system', at);
      endings.push({ key, deadline, stored, chat, events: w.events });
    } catch {
      retries.push(deps.one(key, deadline)); // reports its own failure
    }
  }
  let written: boolean[];
  try {
    written = await store.updateChats(endings.map(({ chat, events }) => ({ chat, events })));
  } catch (err) {
    // Nothing of the batch was written: each chat gets the one-chat path (and its retries).
    deps.onBackgroundError(err);
    written = endings.map(() => false);
  }
  const accounts = new Set<string>();
  endings.forEach((e, i) => {
    if (written[i]) {
      timeouts.cancel(e.key);
      accounts.add(e.chat.accountId);
    } else retries.push(deps.one(e.key, e.deadline));
  });
  await Promise.all(retries);
  // The agents who held them have one chat less (Retrieve Available Agents' delta).
  writer.markLoads(endings.filter((_e, i) => written[i]).map((e): [Chat, Chat] => [e.stored, e.chat])).catch(deps.onBackgroundError);
  // Ended chats free agent slots: one routing pass per account for the whole chunk.
  for (const accountId of accounts) {
    try {
      await deps.router.route(accountId);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'chat-not-found')) deps.onBackgroundError(err);
    }
  }
}
