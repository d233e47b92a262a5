// The timeouts phase, in its own process on the server core: N open chats whose deadlines
// (lastUpdate + chatTimeout) all fall due at the same moment, served by serverchat's own
// app (buildApp, real timers). The chats are armed (ChatService.start) while the deadline is
// an hour away; then the clock (the real one plus a constant) jumps so that the deadline is
// `leadMs` away, and the scheduler re-arms its one host timer from it. So start-up cost
// (reported as armMs) stays out of the lateness: the time from the deadline to the write of
// each chat's `ended` state.
//
// On a shared store (PostgreSQL) start arms no chat: an instance arms the chats it serves, as
// their writes reach it, and adopts others' only once overdue (docs/architecture.md). Here all
// the chats count as served by this instance, so they are armed as its writes would arm them.
// Such a store also fires a deadline `graceMs` after its time by design: the lateness
// includes it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { timeoutKey } from '../src/chat/core/chat-writer.ts';
import { realTimerHost } from '../src/chat/core/timers.ts';
import type { Clock } from '../src/clock.ts';
import { randomIds } from '../src/ids.ts';
import { buildApp, SHARED_TIMING } from '../src/server.ts';
import type { ChatStore } from '../src/store/store.ts';
import type { Chat, ChatEvent } from '../src/chat/core/types.ts';
import { provision, seedChats } from './seed.ts';
import { openTarget } from './stores.ts';

/** The grace a shared store gives every deadline (server.ts): lateness past it is what counts. */
export const SHARED_GRACE_MS = SHARED_TIMING.graceMs;

export interface TimeoutsResult {
  chats: number;
  seedMs: number;
  armMs: number;
  fired: number;
  /** ms from the common deadline to each chat's end being written. */
  lateness: { p50: number; p99: number; max: number };
  /** ms from the deadline to the first end written (timer slack). */
  firstMs: number;
  allWithinMs: number;
  /** Longest the event loop went without a turn while the chats ended: no request is answered meanwhile. */
  maxLoopStallMs: number;
  /** How long after its time a deadline fires by design (a shared store's grace); part of the lateness. */
  graceMs?: number;
}

const send = (m: object): void => void process.send?.(m);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  /** A data directory or a postgres:// URL (stores.ts), of a store with nothing in it. */
  const location = process.argv[2];
  const chats = Number(process.argv[3]);
  const leadMs = Number(process.argv[4] ?? 5000);
  const chatsPerAgent = Number(process.argv[5] ?? 100);
  /** Where to write a CPU profile of the firing (from the clock jump to the last end), if anywhere. */
  const profileFile = process.argv[6];
  if (!location || !(chats > 0)) throw new Error('usage: timeouts-child.ts DATA_DIR|POSTGRES_URL CHATS [LEAD_MS] [CHATS_PER_AGENT] [PROFILE_FILE]');
  const real = await openTarget(location);
  // SqliteStore writes synchronously inside the call: the time is taken before the await,
  // whose continuation may run much later behind other queued work. A network store's
  // write is done when the server acknowledges it: the time is taken then.
  const stampAfter = real.shared;
  let offset = 0;
  const clock: Clock = { now: () => Date.now() + offset };
  const lateness: number[] = [];
  const chatTimeout = 3600;
  const lastUpdate = Date.now();
  const deadline = lastUpdate + chatTimeout * 1000;
  // Every write passes through; the ones that end a chat are timed.
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'updateChat') {
        return async (chat: Chat, events: ChatEvent[]): Promise<boolean> => {
          const pending = target.updateChat(chat, events);
          const before = clock.now();
          const ok = await pending;
          const at = stampAfter ? clock.now() : before;
          if (ok && chat.state === 'ended') lateness.push(at - deadline);
          return ok;
        };
      }
      if (prop === 'updateChats') {
        // The batched form (mass timeouts): the same timing, for each chat written.
        return async (batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> => {
          const pending = target.updateChats(batch);
          const before = clock.now();
          const ok = await pending;
          const at = stampAfter ? clock.now() : before;
          batch.forEach(({ chat }, i) => {
            if (ok[i] && chat.state === 'ended') lateness.push(at - deadline);
          });
          return ok;
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as ChatStore;
  const t0 = performance.now();
  await provision(real, chats, chatsPerAgent);
  await seedChats(real, { chats, chatTimeout, lastUpdate, chatsPerAgent });
  const seedMs = performance.now() - t0;
  const { app, domain } = buildApp({ logLevel: 'silent', typingTimeout: 6, tlsCert: null, tlsKey: null }, { store, clock, ids: randomIds, timerHost: realTimerHost });
  const t1 = performance.now();
  await domain.start();
  if (real.shared) for (const d of await real.listOpenDeadlines()) domain.scheduler.schedule(timeoutKey(d.accountId, d.chatId), d.deadline);
  const armMs = performance.now() - t1;
  // The deadline is now `leadMs` away. stop() drops the host timer; runDue() finds nothing
  // due yet and re-arms it from the (moved) clock.
  let profiler: Session | null = null;
  if (profileFile) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  offset = deadline - leadMs - Date.now();
  domain.scheduler.stop();
  await domain.runDue();
  send({ type: 'armed', chats, seedMs, armMs });
  let last = performance.now();
  let maxLoopStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxLoopStallMs = Math.max(maxLoopStallMs, now - last - 10);
    last = now;
  }, 10);
  // Bounded wait: until every chat ended, or long past the deadline.
  const giveUp = Date.now() + leadMs + Math.max(60_000, chats * 2);
  while (lateness.length < chats && Date.now() < giveUp) await new Promise((r) => setTimeout(r, 50));
  clearInterval(ticker);
  if (profiler && profileFile) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    profiler.disconnect();
  }
  await app.close();
  const sorted = [...lateness].sort((a, b) => a - b);
  const result: TimeoutsResult = {
    chats,
    seedMs,
    armMs,
    fired: lateness.length,
    lateness: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN },
    firstMs: sorted[0] ?? NaN,
    allWithinMs: sorted[sorted.length - 1] ?? NaN,
    maxLoopStallMs,
    graceMs: real.shared ? SHARED_GRACE_MS : 0,
  };
  send({ type: 'done', result });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  },
);
