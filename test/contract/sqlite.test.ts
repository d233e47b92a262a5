// The embedded store against the store contract, in memory and on disk, plus what only a
// file store can show: data survives a reopen, and migrations run once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { migrations } from '../../src/store/sqlite/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { account, agent, chat, lineEvent, stateEvent, storeContract } from './store.contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'serverchat-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = (): string => join(dir, `db-${++n}`, 'serverchat.db');

storeContract('sqlite :memory:', async () => new SqliteStore(':memory:'));
storeContract('sqlite file', async () => new SqliteStore(freshFile()));

describe('SqliteStore on a file', () => {
  it('keeps every record across close and reopen', async () => {
    const file = freshFile();
    const c = chat('A', 'c1', { state: 'chatting', agentId: 5, visitorName: 'Ann', nextEventId: 2 });
    const first = new SqliteStore(file);
    await first.putAccount(account('A'));
    await first.putAgent(agent('A', 5));
    await first.setAgentAvailability('A', 5, 'Online');
    await first.createChat(c, [stateEvent(0, 'waiting'), lineEvent(1, 'hi')]);
    await first.putAgentSession({ accountId: 'A', id: 's1', agentId: 5, createdAt: 1, lastSeen: 2 });
    await first.putLoginToken({ accountId: 'A', agentId: 5, tokenHash: 'h', csrf: 'x', expiresAt: 3 });
    const rt = await first.nextAccountSequence('A');
    await first.close();

    const second = new SqliteStore(file);
    try {
      assert.deepEqual(await second.getAccount('A'), account('A'));
      assert.deepEqual(await second.getAgent('A', 5), agent('A', 5, { availability: 'Online' }));
      assert.deepEqual(await second.getChat('A', 'c1'), c);
      assert.deepEqual(await second.listEvents('A', 'c1', 0), [stateEvent(0, 'waiting'), lineEvent(1, 'hi')]);
      assert.deepEqual(await second.getAgentSession('A', 's1'), { accountId: 'A', id: 's1', agentId: 5, createdAt: 1, lastSeen: 2 });
      assert.equal((await second.getLoginToken('h'))?.csrf, 'x');
      assert.ok((await second.nextAccountSequence('A')) > rt, 'the sequence (rtSessionId) is never reused after a restart');
    } finally {
      await second.close();
    }
  });

  it('runs migrations once: reopening neither fails nor re-runs them', async () => {
    const file = freshFile();
    await new SqliteStore(file).close();
    const reopened = new SqliteStore(file);
    await reopened.putAccount(account('A'));
    await reopened.close();
    await new SqliteStore(file).close();

    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
      assert.equal(row.user_version, migrations.length);
      const count = db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number };
      assert.equal(count.n, 1);
    } finally {
      db.close();
    }
  });

  it('agent loads are counted from the chats_agent index alone (routing reads no chat rows)', async () => {
    const file = freshFile();
    await new SqliteStore(file).close();
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const cols = (db.prepare('PRAGMA index_info(chats_agent)').all() as Array<{ name: string }>).map((c) => c.name);
      assert.deepEqual(cols, ['account_id', 'agent_id', 'state']);
      const plan = db
        .prepare(`EXPLAIN QUERY PLAN SELECT agent_id, count(*) FROM chats INDEXED BY chats_agent WHERE account_id = ? AND state != 'ended' AND agent_id IS NOT NULL GROUP BY agent_id`)
        .all() as Array<{ detail: string }>;
      assert.match(plan.map((p) => p.detail).join('\n'), /COVERING INDEX chats_agent/);
    } finally {
      db.close();
    }
  });

  it('creates the data directory when it does not exist', async () => {
    const file = join(dir, 'nested', 'deeper', 'serverchat.db');
    const s = new SqliteStore(file);
    try {
      await s.putAccount(account('A'));
      assert.deepEqual(await s.listAccounts(), [account('A')]);
    } finally {
      await s.close();
    }
  });
});

it('a worker checkpoints the WAL, and close leaves it empty', async () => {
  const file = freshFile();
  const store = new SqliteStore(file);
  await store.putAccount(account('cp'));
  const until = Date.now() + 5_000;
  while (store.checkpoints === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  assert.ok(store.checkpoints > 0, 'the checkpoint worker ran within 5 s');
  await store.close();
  assert.equal(statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0, 0, 'close folds the WAL into the file');
  const again = new SqliteStore(file);
  assert.equal((await again.getAccount('cp'))?.id, 'cp');
  await again.close();
});
