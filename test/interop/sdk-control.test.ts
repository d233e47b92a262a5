// Interop with the control plane (issue 13 "How it is checked"): LivePerson's own JS SDK
// chats with a bot agent over HTTPS on a manual clock; a 40-second chatTimeout passes in one
// advance call, in well under a second of real time, under --strict; and the SDK sees an
// injected fault.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoBotProvisioning, DEMO_BOT } from '../../src/provisioning/demo-bot.ts';
import { ACCOUNT, APP_KEY } from '../helpers/app.ts';
import { startHttpsServer, type HttpsServer } from './https-server.ts';
import { at, list } from './sdk-checks.ts';
import { SdkPage } from './sdk-page.ts';

async function control(https: HttpsServer, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${https.origin}/_serverchat${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('the JS SDK chats with a bot agent; a 40 s chatTimeout passes in one advance', { timeout: 60_000 }, async () => {
  const https = await startHttpsServer(['--control', '--clock', 'manual', '--strict'], demoBotProvisioning);
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin);
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await page.waitFor('init', 'onInit', () => true, mark);
    mark = page.mark();
    await page.call('request chat', 'requestChat', { skill: 'Sales' });
    await page.waitFor('waiting', 'onState', (d) => at(d, 'state') === 'waiting', mark);

    // The bot accepts after acceptAfterMs on the server's clock, and greets.
    await control(https, 'POST', '/clock/advance', { ms: DEMO_BOT.bot?.acceptAfterMs ?? 0 });
    await page.waitFor('the bot accepts', 'onState', (d) => at(d, 'state') === 'chatting', mark);
    await page.waitFor('the bot greets', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'text') === DEMO_BOT.bot?.greeting && at(l, 'by') === 'Max'), mark);

    // A line the script matches: typing first, then the reply.
    mark = page.mark();
    await page.call('visitor line', 'addLine', { text: 'How much does it cost?' });
    await control(https, 'POST', '/clock/advance', { ms: 600 });
    await page.waitFor('the bot types', 'onAgentTyping', (d) => at(d, 'agentTyping') === true, mark);
    await control(https, 'POST', '/clock/advance', { ms: 2000 });
    await page.waitFor('the bot answers', 'onLine', (d) => list(at(d, 'lines')).some((l) => at(l, 'text') === 'Our plans start at 10 EUR a month.'), mark);

    // The visitor goes quiet: one advance of 40 s ends the chat, in well under a second.
    mark = page.mark();
    const started = performance.now();
    const moved = await control(https, 'POST', '/clock/advance', { ms: 40_000 });
    const took = performance.now() - started;
    assert.ok(took < 1000, `advance took ${took} ms`);
    assert.equal(typeof moved.now, 'string');
    await page.waitFor('the SDK sees the timeout', 'onState', (d) => at(d, 'state') === 'ended', mark);
    const chats = (await control(https, 'GET', '/chats')).chats as Array<{ state: string; agent: { name: string } }>;
    assert.deepEqual(chats.map((c) => [c.state, c.agent.name]), [['ended', 'Max']]);
    // Under --strict the vendor's own SDK was never refused; the report shows only the
    // silence this test made on purpose.
    const report = (await control(https, 'GET', '/conformance')).clients as Array<{ appKey: string; deviations: Array<{ code: string }> }>;
    const codes = report.filter((c) => c.appKey === APP_KEY).flatMap((c) => c.deviations.map((d) => d.code));
    assert.deepEqual(codes.filter((c) => c !== 'silence-over-chat-timeout'), [], JSON.stringify(report));
  } finally {
    page?.close();
    await https.close();
  }
});

test('the JS SDK sees an injected fault', { timeout: 30_000 }, async () => {
  const https = await startHttpsServer(['--control', '--clock', 'manual'], demoBotProvisioning);
  let page: SdkPage | null = null;
  try {
    page = new SdkPage(https.origin);
    let mark = page.mark();
    page.start({ lpNumber: ACCOUNT, appKey: APP_KEY, domain: https.domain });
    await page.waitFor('init', 'onInit', () => true, mark);
    const rule = await control(https, 'POST', '/faults', { method: 'availability', status: 503 });
    mark = page.mark();
    await assert.rejects(page.call('availability under a fault', 'getAvailability', { skill: 'Sales' }));
    const xhr = page.xhrs.find((x) => x.url.includes('/chat/availability.json'));
    assert.equal(xhr?.status, 503);
    assert.match(xhr?.response ?? '', /SERVICE_UNAVAILABLE/);
    const faults = (await control(https, 'GET', '/faults')).faults as Array<{ id: string; hits: number }>;
    assert.deepEqual(faults.map((f) => [f.id, f.hits]), [[rule.id, 1]]);
    // Once the rule is spent, the same call succeeds.
    assert.deepEqual(await page.call('availability again', 'getAvailability', { skill: 'Sales' }), { availability: true });
  } finally {
    page?.close();
    await https.close();
  }
});
