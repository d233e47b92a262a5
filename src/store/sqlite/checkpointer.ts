// WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the COMMIT
// of whichever write crosses the threshold, on the main thread: with a large database it
// stalled requests for tens of milliseconds and drove p99 (bench/README.md). A worker thread
// with its own connection runs PASSIVE checkpoints, which never block the writer.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

export interface CheckpointerData {
  file: string;
  intervalMs: number;
}

/** What the worker reports after each checkpoint (PRAGMA wal_checkpoint's row). */
export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
}

if (parentPort) {
  const port = parentPort;
  const { file, intervalMs } = workerData as CheckpointerData;
  const db = new DatabaseSync(file);
  db.exec('PRAGMA busy_timeout = 1000;');
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const timer = setInterval(() => {
    const row = checkpoint.get() as Record<string, unknown> | undefined;
    const report: CheckpointReport = { busy: Number(row?.['busy']), log: Number(row?.['log']), checkpointed: Number(row?.['checkpointed']) };
    port.postMessage(report);
  }, intervalMs);
  port.on('message', (msg) => {
    if (msg !== 'stop') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
}
