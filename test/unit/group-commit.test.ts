// Group commit (src/store/sqlite/group-commit.ts): chat writes of one turn share one
// transaction, each is answered only after that commit, and a write that fails inside a
// group fails alone.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { GroupCommit } from '../../src/store/sqlite/group-commit.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { chat, stateEvent } from '../contract/store.contract.ts';

describe('group commit', () => {
  it('writes of one turn share a commit, and each is in the database when it resolves', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'group-commit-'));
    const store = new SqliteStore(join(dir, 'serverchat.db'));
    try {
      for (let i = 0; i < 20; i++) await store.createChat(chat('A', `c${i}`, { state: 'chatting', agentId: 5 }), []);
      // Another connection, as a crash-restarted process would read the file.
      const other = new DatabaseSync(join(dir, 'serverchat.db'), { readOnly: true });
      const groupsBefore = (store as unknown as { group: GroupCommit }).group.groups;
      const writes = Array.from({ length: 20 }, (_, i) =>
        store.updateChat(chat('A', `c${i}`, { state: 'chatting', agentId: 5, version: 2, nextEventId: 2 }), [stateEvent(1, 'chatting')]).then((ok) => {
          const row = other.prepare('SELECT version FROM chats WHERE account_id = ? AND id = ?').get('A', `c${i}`) as { version: number };
          return { ok, committedVersion: Number(row.version) };
        }),
      );
      const results = await Promise.all(writes);
      assert.ok(results.every((r) => r.ok && r.committedVersion === 2), 'every write committed before it was answered');
      assert.equal((store as unknown as { group: GroupCommit }).group.groups - groupsBefore, 1, 'one commit for the turn');
      other.close();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a write that throws in a group fails alone; the others commit', async () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const tx = <T>(fn: () => T): T => {
      db.exec('BEGIN');
      try {
        const out = fn();
        db.exec('COMMIT');
        return out;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    };
    const group = new GroupCommit(tx);
    const ins = (id: number) => () => db.prepare('INSERT INTO t (id) VALUES (?)').run(id).changes;
    const results = await Promise.allSettled([group.add(ins(1)), group.add(ins(1)), group.add(ins(2))]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual((db.prepare('SELECT id FROM t ORDER BY id').all() as Array<{ id: number }>).map((r) => Number(r.id)), [1, 2]);
  });
});
