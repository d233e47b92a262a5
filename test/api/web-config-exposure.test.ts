// /web-config.json hands out the demo login only while the server listens on loopback alone
// (issue 12 §6): on 0.0.0.0 the password would be anyone's on the network.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testApp } from '../helpers/app.ts';

interface WebConfig {
  webConfig: { demo?: { accountId: string; agent?: { loginName: string; password: string } } };
}

for (const [host, offered] of [['127.0.0.1', true], ['0.0.0.0', false]] as const) {
  test(`listening on ${host}, the demo login is ${offered ? '' : 'not '}offered`, async () => {
    const t = await testApp();
    try {
      await t.app.listen({ host, port: 0 });
      const res = await t.inject({ method: 'GET', url: '/web-config.json' });
      assert.equal(res.statusCode, 200);
      const doc = res.json() as WebConfig;
      assert.equal(doc.webConfig.demo?.accountId, '12345678', 'the demo account is named either way');
      assert.deepEqual(doc.webConfig.demo?.agent, offered ? { loginName: 'natalie', password: 'secret' } : undefined);
    } finally {
      await t.close();
    }
  });
}
