// The embeddable widget (issue 15; docs/widget.md) on a page of another origin — a second
// loopback server whose pages carry the CSP the docs give — so CORS is real: availability,
// the pre-chat survey, the chat with agent typing, a reload and a navigation mid-chat that
// resume it, the exit survey and the transcript by mail; 1440 px and 375 px, axe-core clean.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axeProblems, missingBrowser, provisioning, shot, startWorld, textOf, until, type World } from './browser.ts';
import { accept, agentOnline, startInWidget, transcriptHas } from './steps.ts';
import { startSecondOrigin, type SecondOrigin } from '../helpers/second-origin.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';

const skip = missingBrowser();

/** A shop page embedding the widget the way docs/widget.md says, with the CSP it documents. */
function shopPage(serverchat: string, title: string): { html: string; headers: Record<string, string> } {
  return {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>A page of a shop on another origin.</p><p><a id="other" href="/other">Another page</a></p></main>
<script src="${serverchat}/widget.js" data-account="12345678" data-app-key="721c180b09eb463d9f3191c41762bb68" data-skill="Sales" async></script></body></html>`,
    headers: { 'content-security-policy': `default-src 'self'; script-src 'self' ${serverchat}; style-src 'self' ${serverchat}; connect-src 'self' ${serverchat}; img-src 'self' data:` },
  };
}

describe('the widget embedded on another origin', { skip: skip ?? false, timeout: 180_000 }, () => {
  let w: World;
  let shop: SecondOrigin;
  let smtp: SmtpSink;
  before(async () => {
    smtp = await startSmtpSink();
    w = await startWorld(provisioning, ['--smtp-url', smtp.url]);
    shop = await startSecondOrigin({ '/': shopPage(w.server.url, 'Shop'), '/other': shopPage(w.server.url, 'Shop — other page') });
  });
  after(async () => {
    await shop?.close();
    await w?.close();
    await smtp?.close();
  });

  test('chat across origins, resumed after a reload and a navigation, then the exit survey', async () => {
    assert.notEqual(new URL(shop.url).origin, new URL(w.server.url).origin, 'two origins');
    const natalie = await agentOnline(w, 'w-natalie', 'natalie', 'secret');
    const page = await w.page('shop');
    const allowed: string[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${w.server.url}/api/`)) allowed.push(r.headers()['access-control-allow-origin'] ?? 'none');
    });
    await page.goto(`${shop.url}/`);
    await startInWidget(page, '50-shop', 'Lee', 'Is this in stock?');
    assert.ok(allowed.length > 0 && allowed.every((a) => a === '*'), `every API answer allowed the shop's origin (${allowed.join(', ')})`);
    await shot(page, '50-widget-waiting');
    assert.deepEqual(await axeProblems(page), [], 'axe on the open widget');

    const p = await accept(natalie, '51-accept', 'Lee');
    await natalie.locator(`${p} textarea`).pressSequentially('Let me look', { delay: 20 });
    await until(page, '51-typing', 'the agent typing in the widget', transcriptHas(page, '#agent-typing', 'Natalie is typing'));
    await shot(page, '51-widget-agent-typing');
    await natalie.locator(`${p} textarea`).press('Enter');
    await until(page, '51-line', "the agent's line in the widget", transcriptHas(page, '#transcript', 'Let me look'));

    // A reload mid-chat: the widget comes back open, with the history, and carries on.
    await page.reload();
    await until(page, '52-resumed', 'the chat resumed after the reload', async () => (await textOf(page, '#transcript')).includes('Let me look') && (await textOf(page, '#chat-status')).includes('Chatting with Natalie'));
    await page.locator('#message').fill('Great, thanks');
    await page.locator('#message').press('Enter');
    await until(natalie, '52-line', "the visitor's line after the reload", transcriptHas(natalie, `${p} .transcript`, 'Great, thanks'));
    // Another page of the site: the same chat again, and the console learns the page.
    await page.click('#other');
    await until(page, '53-navigated', 'the chat resumed on another page', transcriptHas(page, '#transcript', 'Great, thanks'));
    await until(natalie, '53-page', "the visitor's page in the console", transcriptHas(natalie, '#context', `${shop.url}/other`));
    await natalie.fill(`${p} textarea`, 'It is in stock.');
    await natalie.press(`${p} textarea`, 'Enter');
    await until(page, '53-line', 'the line on the other page', transcriptHas(page, '#transcript', 'It is in stock.'));

    // A phone: the window fills the screen, End chat within reach.
    await page.setViewportSize({ width: 375, height: 812 });
    await shot(page, '54-widget-375');
    const end = await page.locator('#end-chat').boundingBox();
    assert.ok(end && end.y + end.height <= 812, 'End chat above the fold at 375 px');
    assert.deepEqual(await axeProblems(page), [], 'axe on the widget at 375 px');
    await page.click('#end-chat');
    await until(page, '55-ended', 'the end shown', transcriptHas(page, '#chat-status', 'The chat has ended'));
    await until(page, '55-exit', 'the exit survey offered', () => page.locator('#exit-form').isVisible());
    await shot(page, '55-widget-exit-survey');
    await page.getByLabel('Would you like us to email you a transcript', { exact: false }).first().check().catch(() => undefined);
    await page.click('#exit-submit');
    await until(page, '55-thanks', 'thanks for the answers', () => page.locator('#exit-thanks').isVisible());
    await page.fill('#transcript-email', 'lee@example.com');
    await page.click('#transcript-send');
    await until(page, '55-mail', 'the transcript on its way', transcriptHas(page, '#transcript-status', 'on its way to lee@example.com'));
    const mail = await smtp.waitForMessage(10_000);
    assert.match(String(mail.text), /It is in stock\./, 'the transcript mail holds the chat');
    await until(natalie, '55-left', 'the visitor leaving in the console', transcriptHas(natalie, `${p} .transcript`, 'Lee left the chat'));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.click('#new-chat');
    await until(page, '56-new', 'a new chat offered', () => page.locator('#start-form').isVisible());
    // The same visitor again (the widget keeps its visitorId): the console lists the earlier chat.
    await natalie.click(`${p} .panel__close`);
    await page.fill('#visitor-name', 'Lee');
    await page.getByLabel('What is your name?').fill('Lee');
    await page.getByLabel('What is your question about?').selectOption('Billing');
    await page.click('#start-chat');
    await accept(natalie, '56-accept-again', 'Lee');
    await until(natalie, '56-previous', 'the earlier chat under Previous chats', async () => /Previous chats.*ended · Sales · Natalie/s.test(await textOf(natalie, '#context')));
    await shot(natalie, '56-console-previous-chats');
    assert.deepEqual(w.problems, [], 'no script errors, CSP refusals or failed assets');
  });
});
