// The servers a run measures: serverchat (one process, or several instances over one
// PostgreSQL), and the baseline, each a pinned child talked to over IPC.
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Templates } from './baseline.ts';
import type { Target } from './load.ts';
import { nextMessage, startChild, type Pinning } from './proc.ts';

const HERE = import.meta.dirname;

export interface Server extends Target {
  child: ChildProcess;
  port: number;
}

/** serverchat over `target` (a data directory or a postgres:// URL), on the server core. */
export async function startServer(pin: Pinning, target: string, nodeArgs: string[] = []): Promise<Server & { startMs: number }> {
  const child = startChild(pin, join(HERE, 'server-child.ts'), [target], ['--expose-gc', ...nodeArgs]);
  const ready = await nextMessage<{ type: string; url: string; startMs: number }>(child, 'ready', 300_000);
  return { child, url: ready.url, pid: child.pid as number, port: Number(new URL(ready.url).port), startMs: ready.startMs };
}

/** The server's RSS after a GC (the child runs with --expose-gc). */
export async function rssAfterGc(child: ChildProcess): Promise<number> {
  await new Promise((r) => setTimeout(r, 500));
  const reply = nextMessage<{ type: string; rss: number }>(child, 'rss', 30_000);
  child.send({ type: 'rss' });
  return (await reply).rss;
}

/** The ceiling (baseline.ts), answering the documents serverchat answered. Always one process. */
export async function startBaseline(pin: Pinning, templates: Templates): Promise<Server> {
  const child = startChild(pin, join(HERE, 'baseline.ts'), []);
  child.send({ type: 'templates', templates });
  const ready = await nextMessage<{ type: string; url: string }>(child, 'ready', 30_000);
  return { child, url: ready.url, pid: child.pid as number, port: Number(new URL(ready.url).port) };
}
