// The store the app really uses — SQLite wrapped in the keep-alive coalescer and the
// account/agent cache (server.ts) — passes the same contract as the bare store.
import { ManualClock } from '../../src/clock.ts';
import { manualTimerHost, type TimerHost } from '../../src/chat/core/timers.ts';
import { CachedStore } from '../../src/store/cached-store.ts';
import { KeepAliveStore } from '../../src/store/keep-alive-store.ts';
import { OpenChatStore } from '../../src/store/open-chat-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { storeContract } from './store.contract.ts';

storeContract('sqlite behind keep-alives and the cache', async () => new CachedStore(new KeepAliveStore(new SqliteStore(':memory:'), { timerHost: manualTimerHost }), new ManualClock()));
// The app's whole stack: open chats in memory too (open-chat-store.ts).
storeContract('sqlite behind open chats in memory, keep-alives and the cache', async () =>
  new CachedStore(new KeepAliveStore(new OpenChatStore(new SqliteStore(':memory:')), { timerHost: manualTimerHost }), new ManualClock()),
);
// A flush interval that is always due and chunks of one: the same answers however touches are written.
storeContract('sqlite behind keep-alives written one per transaction', async () => {
  const now: TimerHost = { set: (fn) => setImmediate(fn), clear: (h) => clearImmediate(h as NodeJS.Immediate) };
  return new KeepAliveStore(new SqliteStore(':memory:'), { timerHost: now, flushMs: 0, chunk: 1 });
});
