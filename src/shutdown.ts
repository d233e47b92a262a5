// Graceful shutdown on SIGTERM and SIGINT (what Docker, systemd, Kubernetes and Ctrl-C send):
// stop accepting, let requests in flight finish within the grace, then the app's onClose
// hooks (server.ts) stop the timers, write the batched keep-alives and close the store; exit
// 0. A second signal exits at once. Each step is one log line.
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** How long requests in flight may take before their connections are cut. */
  graceMs: number;
  /** Settles when the app's resources are closed (App.closed in server.ts). */
  closed?: Promise<void>;
  /** process.exit, injected for tests. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/** Installs the handlers; returns a function that starts the same shutdown (tests, embedding). */
export function installShutdown(app: FastifyInstance, opts: ShutdownOptions): (reason: string) => Promise<void> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | null = null;

  const shutdown = (reason: string): Promise<void> => {
    if (stopping) return stopping;
    app.log.info({ graceMs: opts.graceMs }, `${reason}: shutting down; no new connections, requests in flight may finish`);
    // Past the grace, connections still open (a slow client, a stuck upload) are cut, so the
    // close below can finish and the batched writes still reach the store.
    const timer = setTimeout(() => {
      app.log.warn(`shutdown grace of ${opts.graceMs} ms is over: closing the remaining connections`);
      app.server.closeAllConnections();
    }, opts.graceMs);
    timer.unref();
    // server.close() reaps the connections idle at that moment only: a keep-alive connection
    // whose request finishes later would hold the close until the grace. Reap them as they idle.
    const reaper = setInterval(() => app.server.closeIdleConnections(), 100);
    reaper.unref();
    const done = (code: number): void => {
      clearTimeout(timer);
      clearInterval(reaper);
      exit(code);
    };
    stopping = app
      .close()
      .then(() => opts.closed)
      .then(
        () => {
          app.log.info('stopped; exiting 0');
          done(0);
        },
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed; exiting 1');
          done(1);
        },
      );
    return stopping;
  };

  for (const signal of opts.signals ?? (['SIGTERM', 'SIGINT'] as NodeJS.Signals[])) {
    process.on(signal, () => {
      if (stopping) {
        app.log.warn(`${signal} again: exiting now`);
        exit(1);
        return;
      }
      void shutdown(signal);
    });
  }
  return shutdown;
}
