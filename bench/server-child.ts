// The server under test, as a child of the bench: serverchat's own start() on a free
// loopback port over the given store (a data directory, or a postgres:// URL: --store). Talks to the bench over IPC: "ready" with
// its URL and start time, "rss" on request (after a GC when run with --expose-gc),
// "profile-start" / "profile-stop" to CPU-profile just a measured window (not start-up).
// Closes on SIGTERM or when the bench goes away.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadConfig } from '../src/config.ts';
import { start } from '../src/server.ts';
import { storeFlags } from './stores.ts';

const send = (m: object): void => void process.send?.(m);

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: server-child.ts DATA_DIR|POSTGRES_URL');
  // The bench measures capacity from one loopback client: the limits against abuse
  // (docs/security.md) would measure themselves instead, so they are lifted here.
  const unlimited = ['--requests-per-address', '0', '--requests-per-app-key', '0', '--max-waiting-chats', '1000000', '--chat-lines-per-second', '100000', '--max-connections', '100000'];
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', ...storeFlags(target), '--log-level', 'silent', ...unlimited], {});
  const t0 = performance.now();
  const { app, domain, url } = await start(config);
  const startMs = performance.now() - t0;
  let closing = false;
  const close = (code: number): void => {
    if (closing) return;
    closing = true;
    app.close().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => close(0));
  process.on('SIGINT', () => close(0));
  process.on('disconnect', () => close(0));
  let profiler: Session | null = null;
  process.on('message', (m: { type?: string; file?: string }) => {
    if (m.type === 'profile-start') {
      profiler = new Session();
      profiler.connect();
      void profiler.post('Profiler.enable').then(() => profiler?.post('Profiler.start')).then(() => send({ type: 'profiling' }));
      return;
    }
    if (m.type === 'profile-stop' && profiler && m.file) {
      const file = m.file;
      void profiler.post('Profiler.stop').then(({ profile }) => {
        writeFileSync(file, JSON.stringify(profile));
        profiler?.disconnect();
        profiler = null;
        send({ type: 'profiled', file });
      });
      return;
    }
    if (m.type !== 'rss') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    send({ type: 'rss', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, armed: domain.scheduler.size });
  });
  send({ type: 'ready', url, startMs, armed: domain.scheduler.size });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exit(1);
});
