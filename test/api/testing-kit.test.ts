// The testing kit (issue 13 §7): startServerchat() from src/testing.ts on a real loopback
// port, driven as docs/testing.md shows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControlApiError, startServerchat } from '../../src/testing.ts';

async function json(res: Response): Promise<Record<string, unknown>> {
  assert.ok(res.ok, `${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

describe('startServerchat', () => {
  it('serves the demo account with a bot; a 40-second chatTimeout passes in one advance', async () => {
    const sc = await startServerchat();
    try {
      assert.match(sc.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(sc.accountId, '12345678');
      const headers = { authorization: `LivePerson appKey=${sc.appKey}`, 'content-type': 'application/json' };
      const req = await fetch(`${sc.baseUrl}/chat/request.json?v=1`, { method: 'POST', headers, body: JSON.stringify({ request: { skill: 'Sales' } }) });
      assert.equal(req.status, 201);
      const chatId = new URL(req.headers.get('location') ?? '').pathname.split('/').pop() ?? '';
      await sc.advance(1000);
      const chat = await sc.chat(chatId);
      assert.equal(chat.state, 'chatting');
      assert.equal(chat.agent?.name, 'Max');
      assert.ok(chat.events.some((e) => e.source === 'agent' && e.text === 'Hi, I am Max, a bot. How can I help?'));
      const started = performance.now();
      await sc.advance(40_000);
      assert.ok(performance.now() - started < 1000);
      assert.equal((await sc.chat(chatId)).state, 'ended');
      const events = await json(await fetch(`${sc.baseUrl}/chat/${chatId}/events.json?v=1`, { headers }));
      assert.ok(JSON.stringify(events).includes('"ended"'));
      assert.equal((await sc.chats({ state: 'ended' })).length, 1);
      await sc.reset();
      assert.deepEqual(await sc.chats(), []);
      const agents = await sc.agents();
      assert.deepEqual(agents.map((a) => [a.loginName, a.bot, a.availability]), [['natalie', false, 'Offline'], ['max-bot', true, 'Online']]);
    } finally {
      await sc.close();
    }
  });
  it('injects faults, starts the clock where told, and reports control errors with their problems', async () => {
    const sc = await startServerchat({ bot: false, clock: '2017-02-27T11:35:45Z', controlToken: 'kit-token-1' });
    try {
      assert.equal((await sc.now()).toISOString(), '2017-02-27T11:35:45.000Z');
      assert.equal(sc.agent?.loginName, 'natalie');
      assert.deepEqual((await sc.agents()).map((a) => a.loginName), ['natalie']);
      const rule = await sc.addFault({ method: 'availability', status: 503 });
      const res = await fetch(`${sc.baseUrl}/chat/availability.json?v=1&appKey=${sc.appKey}`);
      assert.equal(res.status, 503);
      assert.deepEqual((await sc.faults()).map((f) => [f.id, f.hits]), [[rule.id, 1]]);
      await assert.rejects(sc.provision({ accounts: [{ id: 'x' }] }), (err: unknown) => err instanceof ControlApiError && err.status === 400 && /appKeys/.test(err.message));
      // The control plane wants the token.
      assert.equal((await fetch(`${sc.url}/_serverchat/clock`)).status, 401);
      assert.equal((await sc.setClock('2018-01-01T00:00:00Z')).toISOString(), '2018-01-01T00:00:00.000Z');
    } finally {
      await sc.close();
    }
  });
  it('as the jest example in docs/testing.md: a chat nobody takes ends after maxWaitTime, on the clock it started at', async () => {
    const sc = await startServerchat({ bot: false, clock: '2017-02-27T11:35:45Z' });
    try {
      const headers = { authorization: `LivePerson appKey=${sc.appKey}`, 'content-type': 'application/json' };
      const res = await fetch(`${sc.baseUrl}/chat/request.json?v=1`, { method: 'POST', headers, body: JSON.stringify({ request: { skill: 'Sales', maxWaitTime: 30 } }) });
      const chatId = (res.headers.get('location') ?? '').split('/').pop() ?? '';
      await sc.advance(30_000);
      const chat = await sc.chat(chatId);
      assert.equal(chat.state, 'ended');
      assert.equal(chat.end, '2017-02-27T11:36:15.000Z');
      await sc.addFault({ method: 'availability', status: 503 });
      const av = await fetch(`${sc.baseUrl}/chat/availability.json?v=1&appKey=${sc.appKey}&skill=Sales`);
      assert.equal(av.status, 503);
      assert.equal(((await av.json()) as { error: { reason: string } }).error.reason, 'SERVICE_UNAVAILABLE');
    } finally {
      await sc.close();
    }
  });
});
