// The timeouts phase, in its own process on the server core: N open chats whose deadlines
// (lastUpdate + chatTimeout) all fall due at the same moment, served by serverchat's own
// app (buildApp, real timers). The chats are armed (ChatService.start) while the deadline is
// an hour away; then the clock (the real one plus a constant) jumps so that the deadline is
// `leadMs` away, and the scheduler re-arms its one host timer from it. So start-up cost
// (reported as armMs) stays out of the lateness: the time from the deadline to the write of
// each chat's `ended` state.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realTimerHost } from '../src/chat/core/timers.ts';
import type { Clock } from '../src/clock.ts';
import { randomIds } from '../src/ids.ts';
import { buildApp } from '../src/server.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { ChatStore } from '../src/store/store.ts';
import type { Chat, ChatEvent } from '../src/chat/core/types.ts';
import { provision, seedChats } from './seed.ts';

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
}

const send = (m: object): void => void process.send?.(m);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function main(): Promise<void> {
  const chats = Number(process.argv[2]);
  const leadMs = Number(process.argv[3] ?? 5000);
  const chatsPerAgent = Number(process.argv[4] ?? 100);
  /** Where to write a CPU profile of the firing (from the clock jump to the last end), if anywhere. */
  const profileFile = process.argv[5];
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-bench-timeouts-'));
  try {
    const real = new SqliteStore(join(dir, 'serverchat.db'));
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
            // SqliteStore writes synchronously inside the call: the time is taken before the
            // await, whose continuation may run much later behind other queued work.
            const pending = target.updateChat(chat, events);
            const at = clock.now();
            const ok = await pending;
            if (ok && chat.state === 'ended') lateness.push(at - deadline);
            return ok;
          };
        }
        if (prop === 'updateChats') {
          // The batched form (mass timeouts): the same timing, for each chat written.
          return async (batch: Array<{ chat: Chat; events: ChatEvent[] }>): Promise<boolean[]> => {
            const pending = target.updateChats(batch);
            const at = clock.now();
            const ok = await pending;
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
    };
    send({ type: 'done', result });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  },
);
