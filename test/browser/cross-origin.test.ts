// Real browser clients on a site of another origin (issue 10): LivePerson's JS SDK,
// unmodified and loaded from the shop's origin, runs whole chats in Chromium — from its
// stock configuration (Domain API lookup, then its own transport choice: postmessage),
// with postmessage forced, and with rest2jsonp forced (a line long enough to go in parts)
// — and a site's own fetch client runs one through CORS. The agent side is the Chat Agent
// API from the test; both sides check what the other said. See cross-origin.ts for the
// two origins.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { ACCOUNT, APP_KEY } from '../helpers/app.ts';
import { AgentClient } from '../interop/agent-client.ts';
import { missingBrowser, shot } from './browser.ts';
import { LOOKUP_HOST, startCrossOrigin, type CrossOrigin } from './cross-origin.ts';

const skip = missingBrowser();

/** An account whose pages may be on one other site only: the shop is not it. */
const ELSEWHERE = { id: '87654321', appKey: '0f1e2d3c4b5a69788796a5b4c3d2e1f0' };
/** The demo account lets the shop's origin in by name (not "*"); ELSEWHERE does not. */
const provisioning = (shop: string): Provisioning => ({
  accounts: [
    ...demoProvisioning.accounts.map((a) => ({ ...a, allowedOrigins: { visitor: [shop], agent: [] } })),
    {
      id: ELSEWHERE.id,
      appKeys: [ELSEWHERE.appKey],
      chatTimeout: 40,
      language: 'en-US',
      skills: [{ id: 25975399, name: 'Sales' }],
      agents: [],
      allowedOrigins: { visitor: ['https://elsewhere.example'], agent: [] },
    },
  ],
});

/** What sdk-harness.js puts on the shop page's window. */
interface Harness {
  events: Array<{ name: string; data: unknown }>;
  start(options: Record<string, unknown>): void;
  call(method: string, args: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
  raw(request: Record<string, unknown>, timeoutMs: number): Promise<{ outcome: string; ms: number; data?: unknown }>;
}
type ShopWindow = { harness: Harness; shopChat: ShopChat };
interface ShopChat {
  start(server: string, account: string, appKey: string): Promise<string>;
  poll(): Promise<Array<{ by?: string; source?: string; text?: string; state?: string }>>;
  say(text: string): Promise<string>;
  end(): Promise<void>;
}

const sdkCall = (page: Page, method: string, args: Record<string, unknown> = {}, ms = 10_000): Promise<unknown> =>
  page.evaluate(([m, a, t]) => (window as unknown as ShopWindow).harness.call(m, a, t), [method, args, ms] as const);

/** Waits for an SDK event `name` whose data, as JSON, contains `text`. */
async function sdkEvent(page: Page, step: string, name: string, text: string, ms = 10_000): Promise<void> {
  try {
    await page.waitForFunction(([n, t]) => (window as unknown as ShopWindow).harness.events.some((e) => e.name === n && JSON.stringify(e.data).includes(t)), [name, text] as const, { timeout: ms, polling: 100 });
  } catch {
    const seen = await page.evaluate(() => (window as unknown as ShopWindow).harness.events.slice(-8));
    const path = await shot(page, `FAILED-${step}`).catch(() => '(no screenshot)');
    throw new Error(`${step}: no ${name} containing ${JSON.stringify(text)} within ${ms} ms; last SDK events ${JSON.stringify(seen).slice(0, 1500)}; screenshot ${path}`);
  }
}

/**
 * A whole chat from the SDK on the shop page: init, request, the agent accepts, the visitor's
 * lines reach the agent, the agent's line reaches the page, the visitor ends. Returns the URLs
 * the browser requested meanwhile.
 */
async function sdkChat(w: CrossOrigin, label: string, options: Record<string, unknown>, lines: string[]): Promise<{ page: Page; requests: string[]; init: string }> {
  const from = w.requests.length;
  const page = await w.page(label, '/sdk.html');
  const agent = await AgentClient.online(w.chat.origin);
  await page.evaluate((o) => (window as unknown as ShopWindow).harness.start(o), { lpNumber: ACCOUNT, appKey: APP_KEY, ...options });
  await sdkEvent(page, `${label}-init`, 'onInit', '"init":true', 15_000);
  const init = JSON.stringify(await page.evaluate(() => (window as unknown as ShopWindow).harness.events.find((e) => e.name === 'onInit')?.data));

  const requested = await sdkCall(page, 'requestChat', { skill: 'Sales' });
  assert.match(JSON.stringify(requested), /"state":"waiting"/, `${label}: requestChat answered ${JSON.stringify(requested)}`);
  await agent.acceptWhenRinging(10_000);
  await sdkEvent(page, `${label}-chatting`, 'onState', '"state":"chatting"');

  for (const text of lines) {
    assert.deepEqual(await sdkCall(page, 'addLine', { text }, 20_000), { text });
    await agent.waitForEvent(`${label}: the agent sees the visitor's line`, (e) => e['@type'] === 'line' && e.text === text && e.source === 'visitor', 10_000);
  }
  const answer = `Natalie answers ${label}`;
  await agent.line(answer);
  await sdkEvent(page, `${label}-agent-line`, 'onLine', answer);

  assert.match(JSON.stringify(await sdkCall(page, 'endChat')), /"state":"ended"/);
  await agent.waitForEvent(`${label}: the agent sees the end`, (e) => e['@type'] === 'state' && e.state === 'ended', 10_000);
  await shot(page, `cross-origin-${label}`);
  return { page, requests: w.requests.slice(from), init };
}

describe('real browser clients on another origin, in Chromium', { skip: skip ?? false, timeout: 240_000 }, () => {
  let w: CrossOrigin;
  before(async () => {
    w = await startCrossOrigin(provisioning);
  });
  after(async () => {
    await w?.close();
  });

  test('the SDK from its stock configuration: Domain API lookup, then postmessage (its first choice off-origin)', async () => {
    const { requests, init } = await sdkChat(w, 'stock', {}, ['Hello from a stock SDK']);
    assert.match(init, new RegExp(`"domain":"${LOOKUP_HOST}"`), 'the lookup named the host it came to');
    const lookup = `https://${LOOKUP_HOST}/csdr/account/${ACCOUNT}/service/adminArea/baseURI.lpCsds?version=1.0`;
    assert.ok(requests.some((u) => u.startsWith(lookup)), `the SDK looked the domain up: ${requests.join('\n')}`);
    assert.ok(requests.some((u) => u.startsWith(`https://${LOOKUP_HOST}/hcp/html/postmessage.min.html?bust=`)), 'the relay page was framed');
    assert.ok(requests.some((u) => u.startsWith(`https://${LOOKUP_HOST}/api/account/${ACCOUNT}/chat/request.json`)), 'the chat was requested through the relay');
    assert.ok(!requests.some((u) => u.includes('/js2rest')), 'no JSONP tunnel');
    assert.deepEqual(w.problems, []);
  });

  test('postmessage forced: every request relayed by the framed page; a URL outside the chat API fails at once', async () => {
    const { page, requests } = await sdkChat(w, 'postmessage', { domain: w.chat.domain, transportOrder: ['postmessage'] }, ['Hello through the relay', 'ünïcødé ✓ & "quotes"']);
    assert.ok(requests.some((u) => u.startsWith(`${w.chat.origin}/hcp/html/postmessage.min.html?bust=`)), 'the relay page was framed');
    assert.ok(requests.some((u) => u.startsWith(`${w.chat.origin}/api/account/${ACCOUNT}/chat/request.json`)));
    assert.ok(!requests.some((u) => u.includes('/js2rest')), 'no JSONP tunnel');
    // The relay runs this server's chat API only: anything else is an error answer, at once.
    const refused = await page.evaluate(
      ([url]) => (window as unknown as ShopWindow).harness.raw({ url, method: 'GET', transportOrder: ['postmessage'] }, 5_000),
      [`${w.chat.origin}/web-config.json`] as const,
    );
    assert.equal(refused.outcome, 'error', JSON.stringify(refused));
    assert.match(JSON.stringify(refused.data), /"responseCode":403/);
    assert.match(JSON.stringify(refused.data), /chat API only/);
    // An account that does not list the shop's origin refuses what the relay brings from it.
    const foreign = await page.evaluate(
      ([url, key]) => (window as unknown as ShopWindow).harness.raw({ url, method: 'GET', headers: { AUTHORIZATION: `LivePerson appKey=${key}` }, transportOrder: ['postmessage'] }, 5_000),
      [`${w.chat.origin}/api/account/${ELSEWHERE.id}/chat/availability.json?v=1`, ELSEWHERE.appKey] as const,
    );
    assert.equal(foreign.outcome, 'error', JSON.stringify(foreign));
    assert.match(JSON.stringify(foreign.data), /"responseCode":403/);
    assert.match(JSON.stringify(foreign.data), new RegExp(`pages of ${w.shop} may not use the visitor API of account ${ELSEWHERE.id}`));
    assert.deepEqual(w.problems, []);
  });

  test('rest2jsonp forced: script tags only, a ~3000-character line in parts; a refused tunnel request fails at once', async () => {
    const long = `A long question, ${'é and "quotes" & 100% ✓ '.repeat(130)}end.`;
    assert.ok(encodeURIComponent(long).length > 3000);
    const { page, requests } = await sdkChat(w, 'rest2jsonp', { domain: w.chat.domain, transportOrder: ['rest2jsonp'] }, ['Hello through script tags', long]);
    assert.ok(requests.some((u) => u.includes('/js2rest/chat?') && u.includes('&lpP=1&lpO=')), 'the long line went in parts');
    assert.ok(requests.some((u) => /\/js2rest\/chat\?.*&lpP=2&lpO=\d+&lpS=/.test(u)), 'later parts name the split request');
    assert.ok(!requests.some((u) => u.includes('/hcp/html/')), 'no relay page');
    // A tunnel request the server refuses (another account's resource) reaches the SDK's
    // error callback through the JSONP callback, not after its timeout and retries.
    const refused = await page.evaluate(
      ([url]) => (window as unknown as ShopWindow).harness.raw({ url, method: 'GET', transportOrder: ['rest2jsonp'] }, 8_000),
      [`https://${w.chat.domain}/api/account/99999999/chat/availability.json?v=1`] as const,
    );
    assert.equal(refused.outcome, 'error', JSON.stringify(refused));
    assert.match(JSON.stringify(refused.data), /"responseCode":400/);
    assert.match(JSON.stringify(refused.data), /must be a resource of account/);
    assert.deepEqual(w.problems, []);
  });

  test("a site's own fetch client runs a chat through CORS, reading Location from the 201s", async () => {
    const page = await w.page('fetch', '/fetch.html');
    const agent = await AgentClient.online(w.chat.origin);
    const location = await page.evaluate(([s, a, k]) => (window as unknown as ShopWindow).shopChat.start(s, a, k), [w.chat.origin, ACCOUNT, APP_KEY] as const);
    assert.match(location, new RegExp(`^${w.chat.origin}/api/account/${ACCOUNT}/chat/[^/?]+$`));
    await agent.acceptWhenRinging(10_000);
    const lineAt = await page.evaluate((t) => (window as unknown as ShopWindow).shopChat.say(t), 'Hello from fetch');
    assert.match(lineAt, new RegExp(`^${location}/events/\\d+$`), 'the line’s Location is readable cross-origin');
    await agent.waitForEvent('the agent sees the fetch line', (e) => e['@type'] === 'line' && e.text === 'Hello from fetch' && e.source === 'visitor', 10_000);
    await agent.line('Natalie answers fetch');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const lines = await page.evaluate(() => (window as unknown as ShopWindow).shopChat.poll());
      if (lines.some((l) => l.text === 'Natalie answers fetch' && l.source === 'agent')) break;
      assert.ok(Date.now() < deadline, `the page never saw the agent's line: ${JSON.stringify(lines)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.evaluate(() => (window as unknown as ShopWindow).shopChat.end());
    await agent.waitForEvent('the agent sees the end', (e) => e['@type'] === 'state' && e.state === 'ended', 10_000);
    assert.deepEqual(w.problems, []);
  });
});
