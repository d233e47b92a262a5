// Polling a chat's `next` link (spec §3: the client polls; the agent console and the widget
// alike): one request at a time, a poll asked for meanwhile (after a send) runs right after
// it, and failures back off, doubling up to 15 s.

const POLL_MS = 1500;
const MAX_BACKOFF_MS = 15_000;

export class Poller {
  /** @param {() => Promise<void>} once one poll; it counts its failures in `failures` (0 after a success) */
  constructor(once) {
    this.once = once;
    /** @type {number | undefined} */
    this.timer = undefined;
    this.failures = 0;
    this.stopped = true;
    this.inFlight = false;
    this.again = false;
  }

  start() {
    this.stopped = false;
    void this.poll();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async poll() {
    if (this.stopped) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.inFlight = true;
    try {
      await this.once();
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    const delay = this.again ? 0 : this.failures > 0 ? Math.min(POLL_MS * 2 ** this.failures, MAX_BACKOFF_MS) : POLL_MS;
    this.again = false;
    this.timer = window.setTimeout(() => void this.poll(), delay);
  }
}
