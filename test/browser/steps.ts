// The steps the browser tests share: a visitor starting a chat in the widget, an agent
// logging in to the console and going Online, accepting, moving between chats.
import type { Page } from 'playwright-core';
import { textOf, until, type World } from './browser.ts';

export const transcriptHas = (page: Page, list: string, text: string) => async () => (await textOf(page, list)).includes(text);

/**
 * In a page that embeds the widget: opens it and starts a chat as `name` with a first
 * question, answering the demo account's pre-chat survey (selectors pierce the shadow root).
 */
export async function startInWidget(page: Page, label: string, name: string, question: string): Promise<void> {
  await until(page, `${label}-launcher`, 'the widget button', () => page.locator('#launcher').isVisible());
  await page.click('#launcher');
  await until(page, `${label}-form`, 'the start form with the pre-chat survey', () => page.getByLabel('What is your name?').isVisible());
  await page.fill('#visitor-name', name);
  await page.fill('#question', question);
  await page.getByLabel('What is your name?').fill(name);
  await page.getByLabel('What is your question about?').selectOption('Orders');
  await page.click('#start-chat');
  await until(page, `${label}-waiting`, 'the chat waiting for an agent', async () => (await textOf(page, '#chat-status')).includes('Waiting for an agent'));
}

/** Opens the demo page (which embeds the widget) and starts a chat. */
export async function visitorStarts(w: World, label: string, name: string, question: string): Promise<Page> {
  const page = await w.page(label);
  await page.goto(`${w.server.url}/`);
  // Each test visitor is a different person: no visitorId left by another tab of this browser.
  await page.evaluate(() => localStorage.clear());
  await startInWidget(page, label, name, question);
  return page;
}

/** Logs an agent in on a new console page and goes Online. */
export async function agentOnline(w: World, label: string, username: string, password: string, page?: Page): Promise<Page> {
  page ??= await w.page(label);
  await page.goto(`${w.server.url}/agent`);
  await until(page, `${label}-form`, 'the login form pre-filled with the demo account', async () => (await page.inputValue('#login-account')) === '12345678');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await until(page, `${label}-desk`, 'the desk after login', () => page.isVisible('#desk'));
  await page.click('label[for="avail-online"]');
  await until(page, `${label}-online`, 'availability Online', async () => (await page.getAttribute('body', 'data-availability')) === 'Online');
  return page;
}

export const panelOf = (visitor: string): string => `.panel:has(h2:text-is("${visitor}"))`;
export const itemOf = (visitor: string): string => `#history .chat-item:has(.chat-item__name:text-is("${visitor}"))`;
/** The list entry (li, with data-state and data-unread) of the chat with `visitor`. */
export const entryOf = (visitor: string): string => `#history li:has(.chat-item__name:text-is("${visitor}"))`;

/** Accepts the ringing chat; returns the panel that opened for `visitor`. */
export async function accept(page: Page, step: string, visitor: string): Promise<string> {
  await until(page, `${step}-ringing`, 'a chat ringing (Accept enabled)', () => page.isEnabled('#accept'));
  await page.click('#accept');
  const panel = panelOf(visitor);
  await until(page, `${step}-chatting`, `a chatting panel for ${visitor}`, async () => (await page.getAttribute(panel, 'data-state')) === 'chatting');
  return panel;
}

/** Puts the chat with `visitor` on screen from the chat list. */
export async function selectChat(page: Page, step: string, visitor: string): Promise<void> {
  await page.click(itemOf(visitor));
  await until(page, step, `the chat with ${visitor} on screen`, () => page.locator(panelOf(visitor)).isVisible());
}

/** The agent survey dialog after ending: answers it (the demo account provisions one). */
export async function answerAgentSurvey(page: Page, step: string, outcome = 'Resolved'): Promise<void> {
  await until(page, step, 'the agent survey after ending', () => page.isVisible('#survey-dialog'));
  await page.getByLabel('Chat outcome').selectOption(outcome);
  await page.click('#survey-submit');
  await until(page, `${step}-closed`, 'the agent survey saved and closed', async () => !(await page.isVisible('#survey-dialog')));
}
