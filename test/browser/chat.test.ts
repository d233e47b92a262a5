// The demo page (/, the embedded widget) and the agent console (/agent) in a real browser
// against the real server: two chats, lines and typing both ways, a transfer to a skill that
// a second agent accepts in a second console, and the ends. Screenshots of every major
// step go to test-artifacts/browser/; SERVERCHAT_DOCS_SCREENSHOT=1 also refreshes the
// README's docs/console.png.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { alertsOf, BILLING, missingBrowser, spyOnAlerts, provisioning, shot, startWorld, textOf, TOM, until, type World } from './browser.ts';
import { accept, agentOnline, answerAgentSurvey, entryOf, itemOf, selectChat, transcriptHas, visitorStarts } from './steps.ts';

const skip = missingBrowser();

describe('visitor demo page and agent console in Chromium', { skip: skip ?? false, timeout: 180_000 }, () => {
  let w: World;
  let natalie: Page;
  before(async () => {
    w = await startWorld();
  });
  after(async () => {
    await w?.close();
  });

  test('two chats: lines and typing both ways, ends from each side', async () => {
    natalie = await w.page('natalie');
    await spyOnAlerts(natalie);
    await agentOnline(w, 'natalie', 'natalie', 'secret', natalie);
    const alex = await visitorStarts(w, 'alex', 'Alex', 'Where is my parcel?');
    await shot(alex, '01-visitor-waiting');

    await until(natalie, '02-ringing', 'the queue saying a chat rings', transcriptHas(natalie, '#queue-status', '1 chat is ringing'));
    // Without a grant the console asked for notifications once (login and Online are two clicks), and chimed.
    await until(natalie, '02-chime', 'the chime for the ringing chat', async () => (await alertsOf(natalie)).some((c) => c.kind === 'sound'));
    assert.equal((await alertsOf(natalie)).filter((c) => c.kind === 'permission').length, 1, 'notification permission asked once');
    await shot(natalie, '02-console-ringing');
    const p1 = await accept(natalie, '03-accept', 'Alex');
    await until(natalie, '03-history', "the visitor's pre-chat question in the panel", transcriptHas(natalie, `${p1} .transcript`, 'Where is my parcel?'));
    await until(alex, '03-visitor-chatting', 'the visitor chatting with Natalie', transcriptHas(alex, '#chat-status', 'Chatting with Natalie'));

    // The agent types without sending: the visitor sees it, then the line.
    await natalie.locator(`${p1} textarea`).pressSequentially('Let me check that for you', { delay: 20 });
    await until(alex, '04-agent-typing', '"Natalie is typing…" on the visitor page', transcriptHas(alex, '#agent-typing', 'Natalie is typing'));
    await shot(alex, '04-visitor-sees-agent-typing');
    await natalie.locator(`${p1} textarea`).press('Enter');
    await until(alex, '04-agent-line', "Natalie's line on the visitor page", transcriptHas(alex, '#transcript', 'Let me check that for you'));
    await until(alex, '04-typing-cleared', 'the typing indicator cleared after the line', async () => (await textOf(alex, '#agent-typing')) === '');

    // The visitor types: the console shows it, then the line.
    await alex.locator('#message').pressSequentially('It was due on Monday', { delay: 20 });
    await until(natalie, '05-visitor-typing', '"Alex is typing…" in the console', transcriptHas(natalie, `${p1} .typing`, 'Alex is typing'));
    await shot(natalie, '05-console-sees-visitor-typing');
    await alex.locator('#message').press('Enter');
    await until(natalie, '05-visitor-line', "Alex's line in the console", transcriptHas(natalie, `${p1} .transcript`, 'It was due on Monday'));
    await until(natalie, '05-typing-cleared', 'the visitor typing indicator cleared', async () => (await textOf(natalie, `${p1} .typing`)) === '');

    // A second visitor: the new chat takes the screen, the first stays in the list.
    const sam = await visitorStarts(w, 'sam', 'Sam', 'Do you ship to Canada?');
    const p2 = await accept(natalie, '06-accept-second', 'Sam');
    await natalie.fill(`${p2} textarea`, 'Yes, we do. Which province?');
    await natalie.click(`${p2} button[type="submit"]`);
    await until(sam, '06-sam-line', "Natalie's answer on Sam's page", transcriptHas(sam, '#transcript', 'Which province?'));
    // A line in the chat not on screen: an unread mark and the last line in the list.
    await alex.locator('#message').fill('Any news?');
    await alex.locator('#message').press('Enter');
    await until(natalie, '06-unread', 'an unread mark on the chat with Alex', async () => (await natalie.getAttribute(entryOf('Alex'), 'data-unread')) === '1');
    assert.match(await textOf(natalie, `${itemOf('Alex')} .chat-item__last`), /Any news\?/, 'the last line in the list');
    await shot(natalie, '06-console-unread');
    await selectChat(natalie, '06-select-alex', 'Alex');
    await until(natalie, '06-read', 'the unread mark gone once the chat is on screen', async () => (await natalie.getAttribute(entryOf('Alex'), 'data-unread')) === '0');
    await natalie.locator(`${p1} textarea`).pressSequentially('Your parcel left the depot this morning', { delay: 10 });
    await natalie.locator(`${p1} textarea`).press('Enter');
    await until(alex, '06-alex-line', 'the second line on the visitor page', transcriptHas(alex, '#transcript', 'left the depot'));
    await selectChat(natalie, '06-select-sam', 'Sam');
    await sam.locator('#message').pressSequentially('Ontario', { delay: 40 });
    await until(natalie, '06-sam-typing', '"Sam is typing…" in the second panel', transcriptHas(natalie, `${p2} .typing`, 'Sam is typing'));
    assert.equal(await natalie.locator('.panel').count(), 2, 'two chats open');
    await shot(natalie, '06-console-two-chats');
    if (process.env.SERVERCHAT_DOCS_SCREENSHOT) {
      // The README's picture: the console at 1440 × 900 with two chats open.
      await natalie.screenshot({ path: 'docs/console.png' });
    }
    await sam.locator('#message').press('Enter');
    await until(natalie, '06-sam-answer', "Sam's answer in the console", transcriptHas(natalie, `${p2} .transcript`, 'Ontario'));

    // The agent ends the first chat (and answers the agent survey); the visitor ends the second.
    await selectChat(natalie, '07-select-alex', 'Alex');
    await natalie.click(`${p1} button.danger`);
    await answerAgentSurvey(natalie, '07-survey');
    await until(alex, '07-alex-ended', 'the visitor page showing the end', transcriptHas(alex, '#chat-status', 'The chat has ended'));
    await until(alex, '07-alex-message', 'the system line about the end', transcriptHas(alex, '#transcript', 'Natalie has ended the chat'));
    assert.ok(await alex.isDisabled('#message'), 'the visitor can no longer type');
    await until(natalie, '07-panel-ended', 'the first panel ended', async () => (await natalie.getAttribute(p1, 'data-state')) === 'ended');
    await shot(alex, '07-visitor-ended');
    await sam.click('#end-chat');
    await until(natalie, '07-sam-ended', 'the second panel ended after the visitor left', async () => (await natalie.getAttribute(p2, 'data-state')) === 'ended');
    await selectChat(natalie, '07-select-sam', 'Sam');
    await until(natalie, '07-sam-left', 'a clear line that the visitor left', transcriptHas(natalie, `${p2} .transcript`, 'Sam left the chat'));
    await shot(natalie, '07-console-visitor-left');

    // Ended chats stay readable until closed; Close takes them off the list.
    await selectChat(natalie, '08-select-alex', 'Alex');
    await until(natalie, '08-readable', 'the ended chat still readable', transcriptHas(natalie, `${p1} .transcript`, 'It was due on Monday'));
    await natalie.click(`${p1} .panel__close`);
    await until(natalie, '08-closed', 'the closed chat gone from the list', async () => (await natalie.locator(itemOf('Alex')).count()) === 0);
    await natalie.click(`${p2} .panel__close`);
    assert.deepEqual(w.problems, [], 'no script errors or CSP refusals on any page');
  });

  test('transfers to a skill and to an agent: the second agent accepts and carries on', async () => {
    assert.ok(natalie, 'the first test logged Natalie in');
    const jo = await visitorStarts(w, 'jo', 'Jo', 'I was charged twice');
    const p = await accept(natalie, '10-accept', 'Jo');
    await natalie.fill(`${p} textarea`, 'Let me get you to our billing team.');
    await natalie.press(`${p} textarea`, 'Enter');
    await until(jo, '10-jo-line', "Natalie's line on Jo's page", transcriptHas(jo, '#transcript', 'billing team'));

    const tom = await agentOnline(w, 'tom', TOM.loginName, TOM.password);
    await natalie.click(`${p} button:text-is("Transfer…")`);
    await until(natalie, '11-dialog', 'the transfer dialog listing Billing with an agent online', async () => {
      return (await natalie.isVisible('#transfer-dialog')) && (await natalie.locator(`#transfer-skill option[value="${BILLING.id}"]`).count()) === 1;
    });
    await natalie.selectOption('#transfer-skill', String(BILLING.id));
    await natalie.fill('#transfer-text', 'Charged twice for order 1234.');
    await shot(natalie, '11-transfer-dialog');
    await natalie.click('#transfer-submit');
    await until(natalie, '11-transferred', 'the panel marked transferred', async () => (await natalie.getAttribute(p, 'data-state')) === 'transferred', 15_000);
    assert.equal(await textOf(natalie, '#transfer-error'), '', 'no transfer error');

    // Tom's console rings; he sees the whole chat so far and answers.
    const tp = await accept(tom, '12-tom-accept', 'Jo');
    await until(tom, '12-history', 'the earlier lines in the new agent\'s panel', transcriptHas(tom, `${tp} .transcript`, 'billing team'));
    await tom.locator(`${tp} textarea`).pressSequentially('Hi Jo, Tom from billing here', { delay: 20 });
    await until(jo, '12-tom-typing', '"Tom is typing…" on the visitor page', transcriptHas(jo, '#agent-typing', 'Tom is typing'));
    await tom.locator(`${tp} textarea`).press('Enter');
    await until(jo, '12-tom-line', "Tom's line on the visitor page", transcriptHas(jo, '#transcript', 'Tom from billing'));
    await until(jo, '12-jo-status', 'the visitor chatting with Tom', transcriptHas(jo, '#chat-status', 'Chatting with Tom'));
    assert.ok(!(await textOf(jo, '#transcript')).includes('order 1234'), 'the transfer note is never shown to the visitor');
    await shot(tom, '12-console-after-transfer');
    // A reload keeps the console logged in with the chat open; so does logging in again elsewhere.
    await tom.reload();
    await until(tom, '12-reload', 'the chat panel back after a reload', transcriptHas(tom, `${tp} .transcript`, 'Tom from billing'));
    const elsewhere = await agentOnline(w, 'tom-elsewhere', TOM.loginName, TOM.password);
    await until(elsewhere, '12-continuity', 'the held chat opened in a second console', transcriptHas(elsewhere, `${tp} .transcript`, 'Tom from billing'));
    await elsewhere.close();
    await shot(jo, '12-visitor-after-transfer');

    await tom.click(`${tp} button.danger`);
    await answerAgentSurvey(tom, '13-survey');
    await until(jo, '13-ended', 'the visitor page showing the end', transcriptHas(jo, '#chat-status', 'The chat has ended'));
    await shot(jo, '13-visitor-ended');

    // The other way: to one agent by name, from the list of Retrieve Available Agents.
    const kim = await visitorStarts(w, 'kim', 'Kim', 'Can Tom call me back?');
    const kp = await accept(natalie, '14-accept-kim', 'Kim');
    await natalie.click(`${kp} button:text-is("Transfer…")`);
    await until(natalie, '14-agents', 'Tom listed as a transfer target', async () => (await natalie.locator(`#transfer-agent option[value="${TOM.id}"]`).count()) === 1);
    await natalie.check('#transfer-to-agent');
    await natalie.selectOption('#transfer-agent', String(TOM.id));
    await natalie.click('#transfer-submit');
    await until(natalie, '14-kim-transferred', 'the panel marked transferred', async () => (await natalie.getAttribute(kp, 'data-state')) === 'transferred');
    const tk = await accept(tom, '14-tom-accepts-kim', 'Kim');
    await until(kim, '14-kim-tom', 'the visitor chatting with Tom', transcriptHas(kim, '#chat-status', 'Chatting with Tom'));
    await tom.click(`${tk} button.danger`);
    await answerAgentSurvey(tom, '14-survey', 'Follow-up needed');
    await until(kim, '14-kim-ended', 'the end on the visitor page', transcriptHas(kim, '#chat-status', 'The chat has ended'));

    // Tom logs out: back to the login form, and the server no longer counts him online.
    await tom.click('#logout');
    await until(tom, '15-logged-out', 'the login form after logging out', () => tom.isVisible('#login-form'));
    const tomNow = await w.server.store.getAgent('12345678', TOM.id);
    assert.ok(tomNow && tomNow.availability !== 'Online', `Tom is no longer Online after logging out (${tomNow?.availability})`);
    // Both pages on a phone-sized screen (for a look at the responsive layout).
    for (const [page, name] of [[jo, '16-visitor-phone'], [natalie, '16-console-phone']] as const) {
      await page.setViewportSize({ width: 375, height: 812 });
      await shot(page, name);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${name}: no sideways scrolling on a phone (overflow ${overflow}px)`);
    }
    assert.deepEqual(w.problems, [], 'no script errors or CSP refusals on any page');
  });
});

describe('without the demo account, the pages ask and explain', { skip: skip ?? false, timeout: 60_000 }, () => {
  const acme = provisioning.accounts.map((a) => ({ ...a, id: 'acme', appKeys: ['acme-key'] }));
  let w: World;
  before(async () => {
    w = await startWorld({ accounts: acme });
  });
  after(async () => {
    await w?.close();
  });

  test('the demo page asks for the account and says what is wrong with a bad key', async () => {
    const page = await w.page('acme-visitor');
    await page.goto(`${w.server.url}/`);
    await until(page, '20-no-demo', 'the note that no demo account is provisioned', () => page.isVisible('#no-demo'));
    assert.equal(await page.inputValue('#account-id'), '', 'no account filled in');
    await page.click('#load-widget');
    await until(page, '20-missing', 'a message asking for the account and key', transcriptHas(page, '#connection-error', 'Enter the account id and an app key'));
    await page.fill('#account-id', 'acme');
    await page.fill('#app-key', 'wrong-key');
    await page.fill('#skill', 'Billing');
    await page.click('#load-widget');
    await until(page, '20-launcher', 'the widget loaded', () => page.locator('#launcher').isVisible());
    await page.click('#launcher');
    await until(page, '20-bad-key', "the server's reason for refusing the key", transcriptHas(page, '#start-error', 'the app key is not valid for account acme'));
    await shot(page, '20-visitor-bad-key');
    // The right key, and nobody online: the widget says so instead of queueing the visitor.
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${w.server.url}/`);
    await page.fill('#account-id', 'acme');
    await page.fill('#app-key', 'acme-key');
    await page.click('#load-widget');
    await until(page, '20-launcher-2', 'the widget loaded', () => page.locator('#launcher').isVisible());
    await page.click('#launcher');
    await until(page, '20-offline', 'the widget saying nobody is available', () => page.locator('#offline').isVisible());

    const agent = await w.page('acme-agent');
    await agent.goto(`${w.server.url}/agent`);
    await until(agent, '21-login', 'the empty login form', () => agent.isVisible('#login-form'));
    assert.equal(await agent.inputValue('#login-account'), '');
    await agent.fill('#login-account', 'acme');
    await agent.fill('#login-username', 'natalie');
    await agent.fill('#login-password', 'not-her-password');
    await agent.click('#login-submit');
    await until(agent, '21-bad-password', 'a plain message about the password', transcriptHas(agent, '#login-error', 'Wrong username or password'));
    await shot(agent, '21-console-bad-password');
    assert.deepEqual(w.problems, []);
  });
});
