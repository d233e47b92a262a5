// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT
// of whichever write crosses the threshold, on the main thread: with a large database it
// stalled requests for tens of milliseconds and drove p99 (bench/README.md). A worker thread
// with its own connection runs PASSIVE checkpoints, which never block the writer.
// This file is both the worker's code (below) and the handle the store keeps (Checkpointer).
import { DatabaseSync } from 'node:sqlite';
import { parentPort, Worker, workerData } from 'node:worker_threads';

interface CheckpointerData {
  checkpointer: true;
  file: string;
  intervalMs: number;
}

/** What the worker reports after each checkpoint (PRAGMA wal_checkpoint's row). */
interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}

/** The store's side: starts the worker; when it fails, `onFail` restores SQLite's own checkpoints. */
export class Checkpointer {
  /** Checkpoints the worker completed (tests wait on it). */
  completed = 0;
  private worker: Worker | null;
  private readonly exited: Promise<unknown>;

  constructor(file: string, intervalMs: number, onFail: () => void) {
    const data: CheckpointerData = { checkpointer: true, file, intervalMs };
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.unref();
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (r: CheckpointReport) => {
      if (r.busy === 0) this.completed++;
    });
    const fail = (): void => {
      if (this.worker) onFail();
      this.worker = null;
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    this.worker = worker;
  }

  /** Stops the worker and resolves once it has gone. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) {
      // Keep the process alive until the worker has gone, so the caller's close() can finish.
      worker.ref();
      worker.postMessage('stop');
    }
    await this.exited;
  }
}

const data = workerData as Partial<CheckpointerData> | null;
if (parentPort && data?.checkpointer === true && data.file !== undefined) {
  const port = parentPort;
  const db = new DatabaseSync(data.file);
  db.exec('PRAGMA busy_timeout = 1000;');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => {
    const row = checkpoint.get() as Record<string, unknown> | undefined;
    const report: CheckpointReport = { busy: Number(row?.['busy']), log: Number(row?.['log']), checkpointed: Number(row?.['checkpointed']) };
    port.postMessage(report);
  }, data.intervalMs ?? 1000);
  port.on('message', (msg) => {
    if (msg !== 'stop') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
}
