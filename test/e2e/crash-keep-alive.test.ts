// Issue 11, finding 8: a chat idle most of its chatTimeout, polled once, then the process
// killed with SIGKILL before the keep-alive batch was written (keep-alive-store.ts). On the
// restart every open chat counts as kept alive at the restart, so the poll's loss cannot end
// the chat early: it ends no sooner than a whole chatTimeout after the poll.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { baseUrl, cli, exitCode, stop, type Child } from '../helpers/child.ts';

const ACCOUNT = '555';
const KEY = 'crashkey';
const TIMEOUT_S = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('after kill -9, a poll lost from the keep-alive batch does not end the chat early', { timeout: 60_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'serverchat-crash-'));
  const provision = join(dir, 'provision.json');
  await writeFile(provision, JSON.stringify({ accounts: [{ id: ACCOUNT, appKeys: [KEY], chatTimeout: TIMEOUT_S, skills: [{ id: 1, name: 'Sales' }], agents: [] }] }));
  const args = ['--port', '0', '--data', join(dir, 'data'), '--provision', provision, '--control'];
  const children: Child[] = [];
  const run = async (): Promise<string> => {
    const c = cli(args);
    children.push(c);
    return baseUrl(c);
  };
  try {
    let url = await run();
    const created = await fetch(`${url}/api/account/${ACCOUNT}/chat/request.json?appKey=${KEY}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ request: { skill: 'Sales' } }) });
    assert.equal(created.status, 201);
    const chatPath = new URL(created.headers.get('location') as string).pathname;
    const chatId = chatPath.split('/').pop() as string;
    // Idle for most of the timeout, then one poll, then a crash within the flush interval.
    await sleep((TIMEOUT_S - 2) * 1000);
    const polledAt = Date.now();
    assert.equal((await fetch(`${url}${chatPath}/info.json?appKey=${KEY}`)).status, 200);
    await sleep(300);
    const first = children[0] as Child;
    first.child.kill('SIGKILL');
    await exitCode(first);

    url = await run();
    // Watched through the control plane, which keeps nothing alive.
    const record = async (): Promise<{ state: string; end: string | null }> => {
      const r = await fetch(`${url}/_serverchat/chats/${ACCOUNT}/${chatId}`);
      assert.equal(r.status, 200);
      return (await r.json()) as { state: string; end: string | null };
    };
    const restartedAt = Date.now();
    let chat = await record();
    while (chat.state !== 'ended') {
      assert.ok(Date.now() - restartedAt < (TIMEOUT_S + 10) * 1000, 'the chat never timed out');
      await sleep(250);
      chat = await record();
    }
    // Without the fix it ends 2 s after the poll (its stored lastUpdate is its start); with
    // it, a whole chatTimeout after the restart, so after the poll's own deadline.
    const endedAfterPoll = Date.parse(chat.end as string) - polledAt;
    assert.ok(endedAfterPoll >= TIMEOUT_S * 1000, `ended ${endedAfterPoll} ms after the last poll`);
  } finally {
    for (const c of children) await stop(c);
    await rm(dir, { recursive: true, force: true });
  }
});
