// The JS SDK on a page of another origin, with its rest2jsonp transport forced: every
// request goes in a script tag through /api/account/{id}/js2rest, a long line split into
// parts (lpP/lpO/lpS). The SDK is unchanged; only its documented option transportOrder
// is given, and the page runs the script tags it adds (jsdom runScripts "dangerously").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, APP_KEY } from '../helpers/app.ts';
import { AgentClient } from './agent-client.ts';
import { startHttpsServer } from './https-server.ts';
import { at } from './sdk-checks.ts';
import { SdkPage } from './sdk-page.ts';

test('the JS SDK on another origin runs a whole chat through rest2jsonp, a long line in parts', { timeout: 45_000 }, async () => {
  const https = await startHttpsServer();
  let page: SdkPage | null = null;
  // The URLs of the script tags the SDK added (jsdom runs them; they are in the page's DOM only briefly).
  try {
    page = new SdkPage('https://shop.example', {}, { hosts: {} });
    const agent = await AgentClient.online(https.origin);
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain, transportOrder: page.array(['rest2jsonp']) });
    assert.deepEqual(await page.waitFor('init through the tunnel', 'onInit', () => true, mark, 15_000), { account: ACCOUNT, domain: https.domain, init: true });
    assert.equal(page.xhrs.length, 0, 'no XHR at all');
    assert.deepEqual(await page.call('availability', 'getAvailability', {}), { availability: true });

    mark = page.mark();
    const requested = await page.call('request chat', 'requestChat', { skill: 'Sales' });
    assert.equal(at(requested, 'info', 'state'), 'waiting');
    await agent.acceptWhenRinging();
    await page.waitFor('the agent accepts', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    await page.waitFor('the agent name', 'onInfo', (d) => at(d, 'agentName') === 'Natalie', mark);

    const long = `A long question, ${'é and "quotes" & 100% ✓ '.repeat(120)}end.`;
    assert.deepEqual(await page.call('a long line', 'addLine', { text: long }, 15_000), { text: long });
    await agent.waitForEvent('agent sees the long line whole', (e) => e['@type'] === 'line' && e.text === long);

    mark = page.mark();
    await agent.line('Answered through a script tag.');
    await page.waitFor('the visitor sees the agent line', 'onLine', (d) => JSON.stringify(d).includes('Answered through a script tag.'), mark);
    assert.equal(at(await page.call('end chat', 'endChat'), 'state'), 'ended');
    await agent.waitForEvent('agent sees the end', (e) => e['@type'] === 'state' && e.state === 'ended');
    assert.deepEqual(page.pageErrors, []);
  } finally {
    page?.close();
    await https.close();
  }
});
