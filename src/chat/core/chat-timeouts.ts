// chatTimeout (spec §3 "Timers"): a chat that no visitor request reached for chatTimeout
// seconds gets the disconnect system line and ends. Deadlines live in the scheduler
// (timers.ts); chunks falling due together end in one write each (timeout-batch.ts).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { Router } from '../routing/router.ts';
import { deadlineOf, NO_CHANGE, timeoutKey, type ChatWriter } from './chat-writer.ts';
import { isOpen } from './states.ts';
import { SystemMessage, systemTexts } from './system-messages.ts';
import { endTimedOutChats } from './timeout-batch.ts';
import type { DeadlineScheduler } from './timers.ts';

export interface ChatTimeoutsDeps {
  store: ChatStore;
  clock: Clock;
  writer: ChatWriter;
  timeouts: DeadlineScheduler;
  router: Router;
  onBackgroundError: (err: unknown) => void;
}

export class ChatTimeouts {
  private readonly deps: ChatTimeoutsDeps;

  constructor(deps: ChatTimeoutsDeps) {
    this.deps = deps;
    deps.timeouts.onDue((key, deadline) => this.onDeadline(key, deadline));
    deps.timeouts.onDueBatch((due) => endTimedOutChats({ ...deps, one: (key, deadline) => this.onDeadline(key, deadline) }, due));
  }

  /**
   * Arms the timeout of every open chat in the store (on start). After a crash the last
   * keep-alives held in memory are lost (keep-alive-store.ts), and one lost poll can be a
   * chat's only sign of life for most of its chatTimeout: every open chat then counts as
   * kept alive at the restart (issue 11, finding 8; docs/architecture.md "Keep-alives").
   */
  async armAll(): Promise<void> {
    const { store, clock, timeouts } = this.deps;
    let open = await store.listOpenDeadlines();
    if (store.uncleanStart === true && open.length > 0) {
      const now = clock.now();
      await store.touchChats(open.map((d) => ({ accountId: d.accountId, chatId: d.chatId, lastUpdate: now })));
      open = await store.listOpenDeadlines();
    }
    for (const d of open) timeouts.schedule(timeoutKey(d.accountId, d.chatId), d.deadline);
  }

  /**
   * Arms the chats whose deadline is at or before `dueBy` (the shared-store sweep,
   * docs/architecture.md): a chat another instance kept alive is re-armed, not ended, when due.
   */
  async armDue(dueBy: number, limit: number): Promise<number> {
    const due = await this.deps.store.listOpenDeadlines(dueBy, limit);
    for (const d of due) this.deps.timeouts.adopt(timeoutKey(d.accountId, d.chatId), d.deadline);
    return due.length;
  }

  /** chatTimeout expired (spec §3): the disconnect system line, then `ended`. */
  private async onDeadline(key: string, deadline: number): Promise<void> {
    const { writer, clock, router } = this.deps;
    const slash = key.indexOf('/');
    const accountId = key.slice(0, slash);
    const chatId = key.slice(slash + 1);
    try {
      let ended = false;
      await writer.mutate(accountId, chatId, (chat, w) => {
        if (!isOpen(chat.state)) return NO_CHANGE;
        const actual = deadlineOf(chat);
        if (actual > clock.now()) return NO_CHANGE; // touched meanwhile; re-armed by the writer
        const at = Math.max(actual, deadline);
        w.system(SystemMessage.disconnected, systemTexts.disconnected(), at);
        writer.end(chat, w, 'system', at);
        ended = true;
        return chat;
      });
      if (ended) await router.route(accountId);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'chat-not-found')) this.deps.onBackgroundError(err);
    }
  }
}
