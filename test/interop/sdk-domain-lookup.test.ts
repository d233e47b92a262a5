// The JS SDK from its stock configuration: no `domain` option, so it looks the account's
// domain up itself — a JSONP script tag to https://api.liveperson.net/csdr/account/{id}/
// service/adminArea/baseURI.lpCsds — and runs the chat on whatever lpServer that names.
// The page maps api.liveperson.net to serverchat as an /etc/hosts entry would (the SDK
// hard-codes the lookup host; docs/compatibility.md "Domain API" says how to point it at
// serverchat). Nothing in the SDK is changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, APP_KEY } from '../helpers/app.ts';
import { AgentClient } from './agent-client.ts';
import { startHttpsServer } from './https-server.ts';
import { at } from './sdk-checks.ts';
import { SdkPage } from './sdk-page.ts';

test('the JS SDK with its stock configuration finds serverchat through the Domain API and runs a chat', { timeout: 60_000 }, async () => {
  const https = await startHttpsServer();
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin, {}, { hosts: { 'api.liveperson.net': https.domain } });
    const agent = await AgentClient.online(https.origin);
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY });
    assert.deepEqual(await page.waitFor('init after the domain lookup', 'onInit', () => true, mark, 15_000), { account: ACCOUNT, domain: https.domain, init: true });
    // The lookup went by script tag (no XHR); the first XHR is the account root on the looked-up domain.
    assert.ok(page.xhrs[0]?.url.startsWith(`${https.origin}/api/account/${ACCOUNT}.json?v=1&`), page.describe());
    assert.deepEqual(await page.call('availability', 'getAvailability', {}), { availability: true });

    mark = page.mark();
    const requested = await page.call('request chat', 'requestChat', { skill: 'Sales' });
    assert.equal(at(requested, 'info', 'state'), 'waiting');
    await agent.acceptWhenRinging();
    await page.waitFor('the agent accepts', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    assert.deepEqual(await page.call('visitor line', 'addLine', { text: 'found you by lookup' }), { text: 'found you by lookup' });
    await agent.waitForEvent('agent sees the line', (e) => e['@type'] === 'line' && e.text === 'found you by lookup');
    assert.equal(at(await page.call('end chat', 'endChat'), 'state'), 'ended');
    assert.deepEqual(page.pageErrors, []);
  } finally {
    page?.close();
    await https.close();
  }
});
