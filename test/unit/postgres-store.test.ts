// What only a shared PostgreSQL store shows, on a real PostgreSQL this file starts
// (test/helpers/postgres.ts): processes migrating one empty database at once, a schema newer
// than the code, locks and change notices across separately opened stores, and an outage
// the same store instance survives. The outage test stops the server: it runs last.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { migrations } from '../../src/store/postgres/migrations.ts';
import { chatValues } from '../../src/store/postgres/rows.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { OpenChatStore } from '../../src/store/open-chat-store.ts';
import { StoreUnavailableError, type StoreChange } from '../../src/store/store.ts';
import { account, agent, chat } from '../contract/store.contract.ts';
import { startPostgres } from '../helpers/postgres.ts';

const server = await startPostgres();
after(() => server.destroy());

let n = 0;
/** `schema` null: the database's default search_path, as in production. */
const open = (url = server.url, schema: string | null = `shared_${++n}`): Promise<PostgresStore> =>
  PostgresStore.open({ url, poolSize: 4, statementTimeout: 5000, ...(schema === null ? {} : { schema }) });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Opens stores and closes them all at the end, however the test ends. */
async function withStores(fn: (open: (url?: string, schema?: string | null) => Promise<PostgresStore>) => Promise<void>): Promise<void> {
  const opened: PostgresStore[] = [];
  try {
    await fn(async (url, schema) => {
      const s = await open(url, schema);
      opened.push(s);
      return s;
    });
  } finally {
    await Promise.all(opened.map((s) => s.close()));
  }
}

describe('PostgresStore: opening', () => {
  it('an unreachable database is one clear error, without the password', async () => {
    const closed = server.url.replace(`:${server.port}/`, ':1/');
    await assert.rejects(open(closed), (err: Error) => {
      assert.match(err.message, /^cannot reach PostgreSQL at 127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/);
      assert.ok(!err.message.includes(new URL(server.url).password));
      return true;
    });
  });

  it('five stores opening one empty database at once migrate it once, and all work', async () => {
    const url = await server.createDatabase('race');
    await withStores(async (open) => {
      const stores = await Promise.all(Array.from({ length: 5 }, () => open(url, null)));
      const versions = await sql<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(versions.map((r) => r.version), migrations.map((_, i) => i + 1));
      await stores[0]?.putAccount(account('A'));
      for (const s of stores) assert.deepEqual(await s.getAccount('A'), account('A'));
      const seqs = await Promise.all(stores.map((s) => s.nextAccountSequence('A')));
      assert.deepEqual([...seqs].sort(), [1, 2, 3, 4, 5]);
    });
    // Reopening an up-to-date database changes nothing.
    await (await open(url, null)).close();
    assert.equal((await sql<{ n: number }>(url, 'SELECT count(*)::int AS n FROM schema_migrations'))[0]?.n, migrations.length);
  });

  it('a database whose schema is newer than this code is refused with a clear message', async () => {
    const url = await server.createDatabase('future');
    await (await open(url, null)).close();
    const newer = migrations.length + 1;
    await sql(url, 'INSERT INTO schema_migrations (version) VALUES ($1)', [newer]);
    await assert.rejects(open(url, null), {
      message: `the database schema is version ${newer}, newer than this serverchat knows (${migrations.length}): upgrade serverchat`,
    });
  });

  it('keep-alives can be HOT updates: no index of chats holds last_update; a database from before gets its due floors', async () => {
    // A database at migration 4, with an open and an ended chat written the way it wrote them.
    const url = await server.createDatabase('floors');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (let v = 1; v <= 4; v++) {
        await client.query(migrations[v - 1] ?? '');
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      }
      const insert = `INSERT INTO chats (account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, skill_id, end_time, accepted_at, body)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`;
      await client.query(insert, chatValues(chat('A', 'open', { lastUpdate: 1_000, chatTimeout: 40 })));
      await client.query(insert, chatValues(chat('A', 'over', { state: 'ended', endTime: 2_000, lastUpdate: 1_000 })));
    } finally {
      await client.end();
    }
    await withStores(async (open) => {
      const s = await open(url, null);
      assert.deepEqual(await s.listOpenDeadlines(40_999, 10), []);
      assert.deepEqual(await s.listOpenDeadlines(41_000, 10), [{ accountId: 'A', chatId: 'open', deadline: 41_000 }]);
      const indexes = await sql<{ indexdef: string }>(url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'chats'");
      assert.ok(indexes.length >= 6, indexes.map((i) => i.indexdef).join('\n'));
      assert.deepEqual(indexes.filter((i) => i.indexdef.includes('last_update')), []);
      const [table] = await sql<{ reloptions: string[] | null }>(url, "SELECT reloptions FROM pg_class WHERE relname = 'chats'");
      assert.deepEqual(table?.reloptions, ['fillfactor=90']);
    });
  });

  it('lines can be HOT updates: no index of chats holds the body; a line keeps the due floor; a database from before counts its directed chats', async () => {
    // A database at migration 5, with waiting chats written the way it wrote them.
    const url = await server.createDatabase('directed');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
      for (let v = 1; v <= 5; v++) {
        await client.query(migrations[v - 1] ?? '');
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      }
      const insert = `INSERT INTO chats (account_id, id, state, agent_id, ringing_agent_id, queued_at, last_update, chat_timeout, version, skill_id, end_time, accepted_at, body, due_floor)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $7::bigint + $8::bigint * 1000)`;
      await client.query(insert, chatValues(chat('A', 'asked', { requestedAgentId: 3 })));
      await client.query(insert, chatValues(chat('A', 'plain')));
    } finally {
      await client.end();
    }
    await withStores(async (open) => {
      const s = await open(url, null);
      const counts = await s.countWaitingChats('A');
      assert.equal(counts.total, 2);
      assert.equal(counts.directed, 1);
      const indexes = await sql<{ indexdef: string }>(url, "SELECT indexdef FROM pg_indexes WHERE tablename = 'chats'");
      assert.ok(indexes.length >= 6, indexes.map((i) => i.indexdef).join('\n'));
      assert.deepEqual(indexes.filter((i) => /body|version|last_update/.test(i.indexdef)), []);
      // A line: body, lastUpdate and version change, the indexed columns do not.
      const floor = async (): Promise<string> => (await sql<{ f: string }>(url, "SELECT due_floor::text AS f FROM chats WHERE id = 'talk'"))[0]?.f ?? '';
      const talk = chat('A', 'talk', { state: 'chatting', agentId: 1, lastUpdate: 1_000, chatTimeout: 40 });
      await s.createChat(talk, []);
      assert.equal(await floor(), '41000');
      assert.equal(await s.updateChat({ ...talk, version: 2, lastUpdate: 6_000, visitorName: 'Ann' }, []), true);
      assert.equal(await floor(), '41000', 'far from the deadline: the floor stays');
      assert.deepEqual(await s.listOpenDeadlines(45_999, 10), []);
      assert.deepEqual(await s.listOpenDeadlines(46_000, 10), [{ accountId: 'A', chatId: 'talk', deadline: 46_000 }]);
    });
  });

  it('refuses a schema name it would have to quote', async () => {
    await assert.rejects(open(server.url, 'Bad-Name'), /not a usable schema name/);
  });
});

describe('PostgresStore: several stores on one database', () => {
  it('withLock excludes the holders of a key across stores; other keys do not wait', async () => {
    await withStores(async (open) => {
      const a = await open(server.url, 'locks');
      const b = await open(server.url, 'locks');
      const log: string[] = [];
      const hold = (tag: string, ms: number) => async (): Promise<string> => {
        log.push(`${tag}+`);
        await sleep(ms);
        log.push(`${tag}-`);
        return tag;
      };
      const first = a.withLock('chat-1', hold('a', 300));
      await until('a to hold the lock', () => log.includes('a+'));
      const results = await Promise.all([first, b.withLock('chat-1', hold('b', 10)), b.withLock('chat-2', hold('c', 10))]);
      assert.deepEqual(results, ['a', 'b', 'c']);
      assert.ok(log.indexOf('a-') < log.indexOf('b+'), `b waited for a: ${log.join(' ')}`);
      assert.ok(log.indexOf('c-') < log.indexOf('a-'), `another key did not wait: ${log.join(' ')}`);
      // Stores in different schemas of one database do not share keys.
      const elsewhere = await open(server.url, 'locks_elsewhere');
      const other = a.withLock('chat-1', hold('x', 200));
      await until('a to hold the lock again', () => log.includes('x+'));
      assert.equal(await elsewhere.withLock('chat-1', async () => log.includes('x-')), false);
      await other;
    });
  });

  it('watch: a write through one store is told to a listener on another', async () => {
    await withStores(async (open) => {
      const a = await open(server.url, 'watch');
      const b = await open(server.url, 'watch');
      const seen: StoreChange[] = [];
      // Writes only: whether notices arrive ('listening') is told too.
      const stop = b.watch((c) => void (c.kind !== 'listening' && seen.push(c)));
      await until('the listener to connect', () => b.listenerConnections > 0);
      await a.putAccount(account('A'));
      await a.putAgent(agent('A', 5));
      await a.setAgentAvailability('A', 5, 'Online');
      await a.setAgentAvailability('A', 5, 'Away', 'lunch');
      await a.setAgentAvailability('A', 404, 'Online'); // no such agent: nothing written, nothing told
      await until('four changes', () => seen.length >= 4);
      await sleep(50);
      const agent5: StoreChange = { kind: 'agent', accountId: 'A', agentId: 5 };
      assert.deepEqual(seen, [{ kind: 'account', accountId: 'A' }, agent5, agent5, agent5]);
      stop();
      await a.putAgent(agent('A', 6));
      await sleep(100);
      assert.equal(seen.length, 4, 'an unsubscribed listener hears nothing more');
    });
  });
});

describe('PostgresStore: open chats in memory across instances (open-chat-store.ts)', () => {
  it("another instance's chat write drops the copy; its keep-alives move lastUpdate; one's own writes are not told back", async () => {
    await withStores(async (open) => {
      const rawA = await open(server.url, 'open_chats');
      const rawB = await open(server.url, 'open_chats');
      const seenA: StoreChange[] = [];
      rawA.watch((c) => void seenA.push(c));
      const a = new OpenChatStore(rawA);
      const b = new OpenChatStore(rawB);
      await until('both listeners to connect', () => rawA.listenerConnections > 0 && rawB.listenerConnections > 0);
      await a.putAccount(account('A'));
      await a.createChat(chat('A', 'c1', { state: 'chatting', agentId: 5 }), []);
      assert.equal((await a.getChat('A', 'c1'))?.version, 1);
      const hits = a.hits;
      await a.getChat('A', 'c1');
      assert.equal(a.hits, hits + 1, 'held in memory while notices arrive');
      // Written through B: A hears of it and reads the store again.
      assert.equal(await b.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 2, visitorName: 'Ann' }), []), true);
      await until('A to drop its copy', async () => (await a.getChat('A', 'c1'))?.visitorName === 'Ann');
      // B's keep-alive flush: A's copy moves forward without a read.
      await b.touchChats([{ accountId: 'A', chatId: 'c1', lastUpdate: chat('A', 'c1').lastUpdate + 5000 }]);
      await until("B's keep-alive in A's copy", async () => (await a.getChat('A', 'c1'))?.lastUpdate === chat('A', 'c1').lastUpdate + 5000);
      // A's own write is not told back to A.
      await a.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 3 }), []);
      await sleep(200);
      assert.ok(seenA.some((c) => c.kind === 'listening' && c.live), 'told that notices arrive');
      assert.ok(seenA.some((c) => c.kind === 'chat'), "B's write told");
      assert.ok(seenA.some((c) => c.kind === 'touched'), "B's keep-alive told");
      assert.equal(seenA.filter((c) => c.kind === 'chat').length, 1, "A's own write is not told to A");
    });
  });
});

describe('PostgresStore: PostgreSQL goes away and comes back', () => {
  it('calls fail with StoreUnavailableError meanwhile, and the same instances work again after', async () => {
    await withStores(async (open) => {
      const s = await open(server.url, 'outage');
      const watcher = await open(server.url, 'outage');
      const seen: StoreChange[] = [];
      watcher.watch((c) => void (c.kind !== 'listening' && seen.push(c)));
      await until('the listener to connect', () => watcher.listenerConnections === 1);
      await s.putAccount(account('A'));
      await until('the account change', () => seen.length === 1);
      seen.length = 0;
      await s.withLock('k', async () => undefined);

      await server.stop();
      const unavailable = (p: Promise<unknown>): Promise<void> => assert.rejects(p, (err: unknown) => err instanceof StoreUnavailableError);
      await unavailable(s.getAccount('A'));
      await unavailable(s.putAgent(agent('A', 5)));
      await unavailable(s.touchChats([{ accountId: 'A', chatId: 'c', lastUpdate: 1 }]));
      await unavailable(s.updateChat(chat('A', 'c', { version: 2 }), []));
      await unavailable(s.withLock('k', async () => assert.fail('ran without the lock')));

      await server.start();
      await until('the store to answer again', async () => (await s.getAccount('A').catch(() => null)) !== null);
      assert.deepEqual(await s.getAccount('A'), account('A'));
      assert.equal(await s.withLock('k', async () => 'locked'), 'locked');
      await until('the listener to reconnect', () => watcher.listenerConnections === 2);
      await s.putAgent(agent('A', 5));
      await until('a change after the restart', () => seen.length > 0);
      assert.deepEqual(seen, [{ kind: 'agent', accountId: 'A', agentId: 5 }]);
    });
  });
});
