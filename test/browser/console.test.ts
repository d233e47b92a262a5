// The agent console as an agent would use it (issue 15): a ringing chat previewed with a
// chime, a desktop notification and a countdown; Alt+A accepts into the reply box; the
// context sidebar; canned responses with "/"; shortcuts and their help; the visitor
// leaving; the session ending in another tab and a re-login that keeps the chats; the
// server going away; 1440 px and 375 px, each scanned with axe-core with two chats open.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { alertsOf, axeProblems, missingBrowser, provisioning, shot, spyOnAlerts, startWorld, textOf, until, type World } from './browser.ts';
import { makeIdp, SDES, trusting, type VisitorIds } from '../helpers/sso.ts';
import { agentOnline, answerAgentSurvey, entryOf, panelOf, selectChat, transcriptHas } from './steps.ts';

const skip = missingBrowser();
const KEY = 'LivePerson appKey=721c180b09eb463d9f3191c41762bb68';
const idp = await makeIdp('RS256');

/** Visitor Authentication (spec §4.7b) with a token of the test's identity provider: the ids it issues. */
async function verifiedVisitor(base: string): Promise<VisitorIds> {
  const ssoKey = await idp.token(Date.now(), { ...SDES, sub: 'ana' });
  const res = await fetch(`${base}/api/account/12345678/conversation.json?v=1&NC=true`, { method: 'POST', headers: { authorization: KEY, 'content-type': 'application/json' }, body: JSON.stringify({ ssoKey, engagementId: 1 }) });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as VisitorIds;
}

/** A visitor over plain HTTP (the Server Chat API), with a pre-chat survey, a page and a custom variable. */
async function httpVisitor(base: string, name: string, question: string, ids?: VisitorIds): Promise<string> {
  const account = `${base}/api/account/12345678`;
  const headers = { authorization: KEY, 'content-type': 'application/json', accept: 'application/json' };
  const participantId = ids?.participantId;
  const survey = { id: 40216, question: [{ id: 16314710, answer: name }, { id: 12786273, answer: 'Billing' }] };
  const res = await fetch(`${account}/chat/request.json?v=1`, { method: 'POST', headers, body: JSON.stringify({ request: { skill: 'Sales', interactionTimeout: 600, preChatLines: { line: [question] }, survey, ...(ids ? { participantId, conversationId: ids.conversationId } : {}) } }) });
  assert.equal(res.status, 201, await res.text());
  const chat = res.headers.get('location') as string;
  const put = (path: string, body: unknown) => fetch(`${chat}/${path}.json?v=1`, { method: 'POST', headers: { ...headers, 'x-http-method-override': 'PUT' }, body: JSON.stringify(body) });
  assert.equal((await put('info/visitorName', { visitorName: name })).status, 200);
  assert.equal((await put('customVariables', { customVariables: { customVariable: [{ name: 'plan', value: 'Gold' }] } })).status, 200);
  const url = await fetch(`${chat}/events.json?v=1`, { method: 'POST', headers, body: JSON.stringify({ event: { '@type': 'url', url: 'https://shop.example/basket' } }) });
  assert.equal(url.status, 201, `url event: ${await url.text()}`);
  return chat;
}

async function visitorEnds(chat: string): Promise<void> {
  const res = await fetch(`${chat}/events.json?v=1`, { method: 'POST', headers: { authorization: KEY, 'content-type': 'application/json' }, body: JSON.stringify({ event: { '@type': 'state', state: 'ended' } }) });
  assert.equal(res.status, 201, `visitor ends: ${await res.text()}`);
}

async function visitorLines(chat: string): Promise<string> {
  const res = await fetch(`${chat}.json?v=1`, { headers: { authorization: KEY, accept: 'application/json' } });
  return JSON.stringify((await res.json()).chat.events);
}

const focusedIn = (page: Page, selector: string) => () => page.locator(selector).evaluate((el) => el === document.activeElement);

describe('the agent console, used as an agent would', { skip: skip ?? false, timeout: 240_000 }, () => {
  let w: World;
  let natalie: Page;
  before(async () => {
    w = await startWorld(trusting(provisioning, idp));
  });
  after(async () => {
    await w?.close();
  });

  test('ringing: preview, chime, notification, countdown; Alt+A accepts into the reply box; the context', async () => {
    await w.context.grantPermissions(['notifications'], { origin: w.server.url });
    natalie = await w.page('console');
    await spyOnAlerts(natalie);
    await agentOnline(w, 'console', 'natalie', 'secret', natalie);
    await httpVisitor(w.server.url, 'Ana', 'My invoice is wrong', await verifiedVisitor(w.server.url));
    const preview = '#ringing li:has(.ringing__name:text-is("Ana"))';
    await until(natalie, '30-preview', 'a preview with the name, skill and question', async () => {
      const t = await textOf(natalie, preview);
      return t.includes('Sales') && t.includes('My invoice is wrong') && /waiting \d+ s/.test(t) && /rings \d+ s more/.test(t);
    });
    await until(natalie, '30-alerts', 'a chime and a desktop notification', async () => {
      const calls = await alertsOf(natalie);
      return calls.some((c) => c.kind === 'sound') && calls.some((c) => c.kind === 'notification' && c.title?.includes('Ana') && c.body === 'My invoice is wrong');
    });
    const before = await textOf(natalie, `${preview} .ringing__countdown`);
    await new Promise((r) => setTimeout(r, 2200));
    assert.notEqual(await textOf(natalie, `${preview} .ringing__countdown`), before, 'the countdown counts down');
    await shot(natalie, '30-console-ringing-preview');

    await natalie.keyboard.press('Alt+KeyA');
    const p = panelOf('Ana');
    await until(natalie, '31-accepted', 'the chat accepted', async () => (await natalie.getAttribute(p, 'data-state')) === 'chatting');
    await until(natalie, '31-focus', 'the reply box focused after accepting', focusedIn(natalie, `${p} textarea`));
    // The opening question is the visitor's, not a centred system line; every line has a time.
    assert.equal(await natalie.locator(`${p} .line--opening.line--theirs`).count(), 1, 'the opening question as a visitor line');
    for (const t of await natalie.locator(`${p} .transcript li time`).allTextContents()) assert.match(t, /\d/, 'a time on every line');
    assert.equal(await natalie.locator(`${p} .transcript li`).count(), await natalie.locator(`${p} .transcript li time`).count());
    await until(natalie, '31-context', 'the sidebar with survey, variables and page', async () => {
      const t = await textOf(natalie, '#context');
      return t.includes('Sales') && t.includes('Visitor id') && t.includes('Authenticated identity') && t.includes('cust-138766AC') && t.includes('John') && t.includes('john@example.com') && t.includes('What is your question about?') && t.includes('Billing') && t.includes('plan') && t.includes('Gold') && t.includes('https://shop.example/basket');
    });
    assert.doesNotMatch(await textOf(natalie, `${p} .panel__meta`), /H\d{6,}/, 'no raw chat key in the title');
    await shot(natalie, '31-console-context');
  });

  test('canned responses with "/", shortcuts, help, two chats; axe at 1440 and 375 px', async () => {
    const p = panelOf('Ana');
    const ana = await (async () => (await natalie.evaluate(() => JSON.parse(sessionStorage.getItem('serverchat.console') ?? '{}').chats?.[0])) as string)();
    await natalie.locator(`${p} textarea`).fill('/ord');
    await natalie.locator(`${p} textarea`).dispatchEvent('input');
    await until(natalie, '32-canned', 'the canned responses menu filtered by "ord"', async () => (await textOf(natalie, `${p} .canned`)).includes('order number'));
    await shot(natalie, '32-console-canned');
    await natalie.locator(`${p} textarea`).press('Enter');
    assert.equal(await natalie.inputValue(`${p} textarea`), 'Could you give me your order number, please?');
    await natalie.locator(`${p} textarea`).press('Enter');
    await until(natalie, '32-sent', 'the canned line in the chat', transcriptHas(natalie, `${p} .transcript`, 'order number'));

    // A second chat: Alt+N moves between them.
    const benChat = await httpVisitor(w.server.url, 'Ben', 'Do you have it in blue?');
    await until(natalie, '33-ringing', 'Ben ringing', () => natalie.isEnabled('#accept'));
    await natalie.click('#accept');
    await until(natalie, '33-ben', 'the chat with Ben on screen', () => natalie.locator(panelOf('Ben')).isVisible());
    await natalie.keyboard.press('Alt+KeyN');
    await until(natalie, '33-next', 'Alt+N showing the other chat', () => natalie.locator(p).isVisible());
    await natalie.locator('#history-title').click();
    await natalie.keyboard.press('?');
    await until(natalie, '34-help', 'the help listing the shortcuts', async () => (await natalie.isVisible('#help-dialog')) && (await textOf(natalie, '#help-list')).includes('Alt+E'));
    await shot(natalie, '34-console-help');
    await natalie.keyboard.press('Escape');
    await until(natalie, '34-help-closed', 'the help closed', async () => !(await natalie.isVisible('#help-dialog')));

    assert.deepEqual(await axeProblems(natalie), [], 'axe: no serious or critical violation at 1440 px with two chats open');
    await natalie.setViewportSize({ width: 375, height: 812 });
    await shot(natalie, '35-console-375');
    const overflow = await natalie.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 375 px (${overflow}px)`);
    const top = await natalie.locator('.topbar').boundingBox();
    assert.ok(top && top.height < 60, `the top bar is one row at 375 px (${top?.height}px)`);
    const box = await natalie.locator(`${p} textarea`).boundingBox();
    assert.ok(box && box.y + box.height <= 812, 'the reply box is above the fold at 375 px');
    const list = await natalie.locator('.chatlist').boundingBox();
    const conv = await natalie.locator('.conversation').boundingBox();
    assert.ok(list && conv && conv.y < list.y, 'the conversation comes first at 375 px');
    assert.deepEqual(await axeProblems(natalie), [], 'axe: no serious or critical violation at 375 px');
    await natalie.setViewportSize({ width: 1440, height: 900 });

    // Ben leaves: a clear line; Ana's chat ended by the agent with Alt+E and the survey.
    await visitorEnds(benChat);
    await selectChat(natalie, '36-ben', 'Ben');
    await until(natalie, '36-left', 'a line saying Ben left', transcriptHas(natalie, `${panelOf('Ben')} .transcript`, 'Ben left the chat'));
    assert.match(await textOf(natalie, `${panelOf('Ben')} .ended-note`), /Ben left/);
    await selectChat(natalie, '36-ana', 'Ana');
    await natalie.locator(`${p} .scroller`).click();
    await natalie.keyboard.press('Alt+KeyE');
    await answerAgentSurvey(natalie, '36-survey');
    await until(natalie, '36-ended', "Ana's chat ended", async () => (await natalie.getAttribute(p, 'data-state')) === 'ended');
    assert.match(await visitorLines(ana.replace(/agentSession\/[^/]+\//, '')), /Natalie has ended the chat/);
    assert.deepEqual(w.problems, []);
  });

  test('the session ends in another tab: a clear state, and a re-login keeps the chats', async () => {
    await httpVisitor(w.server.url, 'Cam', 'Is shipping free?');
    await until(natalie, '40-ringing', 'Cam ringing', () => natalie.isEnabled('#accept'));
    await natalie.click('#accept');
    const p = panelOf('Cam');
    await until(natalie, '40-cam', 'the chat with Cam', async () => (await natalie.getAttribute(p, 'data-state')) === 'chatting');
    const { bearer } = await natalie.evaluate(() => JSON.parse(sessionStorage.getItem('serverchat.console') ?? '{}'));
    const out = await fetch(`${w.server.url}/api/account/12345678/logout`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` } });
    assert.ok(out.status < 300, `logout elsewhere (${out.status})`);
    await until(natalie, '41-ended', 'the banner offering a new login', () => natalie.isVisible('#relogin-form'));
    assert.doesNotMatch(await textOf(natalie, '#banner'), /No such agent session/);
    assert.equal(await natalie.getAttribute('body', 'data-availability'), 'Offline', 'Online no longer lit');
    assert.equal(await natalie.locator('input[name="availability"]:checked').count(), 0);
    assert.ok(await natalie.locator(p).isVisible(), 'the chat stays on screen');
    await shot(natalie, '41-console-session-ended');
    await natalie.fill('#relogin-password', 'secret');
    await natalie.click('#relogin-submit');
    await until(natalie, '42-back', 'the banner gone after logging in again', async () => !(await natalie.isVisible('#banner')));
    assert.ok((await textOf(natalie, `${p} .transcript`)).includes('Is shipping free?'), "the chat's history kept");
    // The server closed the chat when its agent left with nobody else online: said plainly.
    await until(natalie, '42-state', 'the chat marked as closed while logged out', transcriptHas(natalie, `${p} .error`, 'While you were logged out'));
    await shot(natalie, '42-console-relogged');

    // The server goes away (every API call refused), then comes back.
    await natalie.route('**/api/**', (route) => route.abort('connectionrefused'));
    await until(natalie, '43-gone', 'a banner saying the server cannot be reached', transcriptHas(natalie, '#banner', 'could not be reached'));
    await shot(natalie, '43-console-server-gone');
    await natalie.unroute('**/api/**');
    await until(natalie, '43-back', 'the banner gone when the server answers again', async () => !(await natalie.isVisible('#banner')), 15_000);
    assert.ok(await natalie.locator(entryOf('Cam')).count(), 'the chats still listed');
    assert.deepEqual(w.problems, []);
  });
});
