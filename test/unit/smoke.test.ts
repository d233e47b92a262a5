import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, agentOnline, KEY_HEADER, startChat, withApp } from '../helpers/app.ts';

test('a chat goes from waiting to chatting through the helpers', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const agent = await agentOnline(t);
    await acceptNext(t, agent);
    const res = await t.inject({ method: 'GET', url: `${chat}/info.json`, headers: KEY_HEADER });
    assert.equal(res.statusCode, 200);
    assert.equal((res.json() as { info: { state: string } }).info.state, 'chatting');
  });
});
