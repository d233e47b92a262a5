// With a shared store (PostgreSQL, several instances) a deadline is armed in the memory of
// the instances that served its chat or session. If they all die, nobody would fire it: so
// every instance sweeps the store once a `sweepMs` and adopts what it does not know — chat
// timeouts overdue by more than `adoptAfterMs` (their owner had its chance), waiting chats'
// ring and wait deadlines, agent sessions' expiry. Handlers re-read and write with a version
// check, so a deadline fired by two instances takes effect once (docs/architecture.md).
import type { TimerHost } from './timers.ts';
import type { Clock } from '../../clock.ts';

export interface SweepTargets {
  /** Chat timeouts due by `dueBy`, at most `limit`: armed where unknown (ChatTimeouts.armDue). */
  armDueChats(dueBy: number, limit: number): Promise<number>;
  /** Ring, wait and session deadlines from the store, armed where unknown. */
  armOthers(): Promise<void>;
  /** Fires what is due now. */
  runDue(): Promise<void>;
}

export interface SweepOptions {
  sweepMs: number;
  adoptAfterMs: number;
  /** Chat timeouts adopted per sweep at most (a mass timeout is worked off over several). */
  limit?: number;
}

export class SharedSweep {
  private readonly clock: Clock;
  private readonly host: TimerHost;
  private readonly targets: SweepTargets;
  private readonly opts: Required<SweepOptions>;
  private readonly onError: (err: unknown) => void;
  private handle: unknown = undefined;
  private running: Promise<void> | null = null;
  private stopped = true;
  /** A store that is down fails every sweep: told once per outage, not once a second. */
  private failing = false;

  constructor(clock: Clock, host: TimerHost, targets: SweepTargets, opts: SweepOptions, onError: (err: unknown) => void) {
    this.clock = clock;
    this.host = host;
    this.targets = targets;
    this.opts = { limit: 5000, ...opts };
    this.onError = onError;
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== undefined) this.host.clear(this.handle);
    this.handle = undefined;
  }

  /** One sweep now (tests call it; the timer calls it every sweepMs). */
  sweep(): Promise<void> {
    if (!this.running) {
      this.running = (async () => {
        await this.targets.armDueChats(this.clock.now() - this.opts.adoptAfterMs, this.opts.limit);
        await this.targets.armOthers();
        await this.targets.runDue();
      })().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private arm(): void {
    if (this.stopped) return;
    this.handle = this.host.set(() => {
      this.handle = undefined;
      this.sweep()
        .then(
          () => void (this.failing = false),
          (err: unknown) => {
            if (!this.failing) this.onError(err);
            this.failing = true;
          },
        )
        .finally(() => this.arm());
    }, this.opts.sweepMs);
  }
}
