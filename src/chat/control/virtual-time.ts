// The virtual clock (`--clock manual`, issue 13 §3; docs/testing.md): time moves only when
// the control plane says so, and every deadline that falls due on the way fires at its own
// instant, in deadline order, before the call returns — so a chatTimeout of 40 s passes in
// one call and the events it wrote carry the time it fell due.
import type { ManualClock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { BotAgents } from '../agents/bots.ts';
import type { DeadlineScheduler } from '../core/timers.ts';

/** Steps one advance may take: each is a deadline that fell due (and whatever it armed). */
const MAX_STEPS = 100_000;

export class VirtualTime {
  private readonly clock: ManualClock;
  private readonly timeouts: DeadlineScheduler;
  private readonly bots: BotAgents;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(deps: { clock: ManualClock; timeouts: DeadlineScheduler; bots: BotAgents }) {
    this.clock = deps.clock;
    this.timeouts = deps.timeouts;
    this.bots = deps.bots;
  }

  now(): number {
    return this.clock.now();
  }

  /** Moves the clock `ms` forward, firing what falls due on the way; resolves with the new time. */
  advance(ms: number): Promise<number> {
    return this.serial(() => this.runTo(this.clock.now() + ms));
  }

  /** Moves the clock to `at`, which may not be in the past. */
  jumpTo(at: number): Promise<number> {
    return this.serial(async () => {
      const now = this.clock.now();
      if (at < now) throw new ApiError('bad-body', `the clock only moves forward: ${new Date(at).toISOString()} is before ${new Date(now).toISOString()}`);
      return this.runTo(at);
    });
  }

  /** Two advances at once run one after the other, never interleaved. */
  private serial(fn: () => Promise<number>): Promise<number> {
    const run = this.chain.then(fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async runTo(target: number): Promise<number> {
    await this.settle();
    for (let step = 0; step < MAX_STEPS; step++) {
      const next = this.timeouts.nextDeadline();
      if (next === undefined || next > target) break;
      this.clock.set(Math.max(this.clock.now(), next));
      await this.settle();
    }
    this.clock.set(target);
    await this.settle();
    return target;
  }

  /** Fires what is due now, and what that armed for now, until nothing more is. */
  private async settle(): Promise<void> {
    for (let i = 0; i < MAX_STEPS; i++) {
      await this.bots.idle();
      await this.timeouts.runDue();
      await this.bots.idle();
      const next = this.timeouts.nextDeadline();
      if (next === undefined || next > this.clock.now()) return;
    }
  }
}
