// What the browser tests share: the real server on 127.0.0.1:0 (an in-memory store with the
// demo account, a second skill and a second agent), Debian's Chromium through playwright-core with a fresh
// profile, bounded waits that say what did not happen, and screenshots under
// test-artifacts/browser/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { applyProvisioning, demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { loadConfig } from '../../src/config.ts';
import { start, type Started } from '../../src/server.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export const CHROMIUM = process.env.SERVERCHAT_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts/browser');

export const BILLING = { id: 25975314, name: 'Billing' };
export const TOM = { id: 25025414, name: 'Tom', loginName: 'tom', password: 'tompass' };

/** The demo account plus a Billing skill and Tom, who takes Billing only: the transfer target. */
export const provisioning: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({
    ...a,
    skills: [...a.skills, BILLING],
    agents: [...a.agents, { ...TOM, skills: [BILLING.id], maxChats: 4 }],
  })),
};

/** Why the browser tests cannot run here, or null. On CI a missing browser is a failure, not a skip. */
export function missingBrowser(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const why = `no Chromium at ${CHROMIUM} (apt-get install chromium, or set SERVERCHAT_CHROMIUM)`;
  if (process.env.CI) throw new Error(why);
  return why;
}

export interface World {
  server: Started;
  context: BrowserContext;
  /** Uncaught page errors, CSP refusals and assets that failed to load: each fails the test. */
  problems: string[];
  page(name: string): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** More Chromium flags (e.g. --host-resolver-rules). */
  args?: string[];
  /** Accept the test servers' throwaway certificates. */
  ignoreHTTPSErrors?: boolean;
}

/** Chromium, headless, with a fresh profile under `dir`, quiet (no background networking). */
export function launchChromium(dir: string, opts: LaunchOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...(opts.args ?? [])],
    viewport: { width: 1440, height: 900 },
    timeout: 30_000,
    ...(opts.ignoreHTTPSErrors ? { ignoreHTTPSErrors: true } : {}),
  });
}

/** A 10 s default timeout; uncaught errors, CSP refusals and page assets that fail to load go to `problems`. */
export function watchPage(page: Page, name: string, problems: string[]): Page {
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => problems.push(`${name}: uncaught ${err.message}`));
  // Every page asset (anything outside the API) must load.
  page.on('response', (res) => {
    const path = new URL(res.url()).pathname;
    if (res.status() >= 400 && !path.startsWith('/api/')) problems.push(`${name}: ${res.status()} for ${path}`);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Refused to|Uncaught|SyntaxError|TypeError/.test(msg.text())) problems.push(`${name}: ${msg.text()}`);
  });
  return page;
}

/** `args`: more command-line settings for the server (e.g. `--smtp-url`). */
export async function startWorld(p: Provisioning = provisioning, args: string[] = []): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-browser-'));
  // A store provisioned up front: start() then provisions nothing itself.
  const store = new SqliteStore(':memory:');
  await applyProvisioning(store, p);
  const server = await start(loadConfig(['--memory', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent', ...args], {}), { store });
  let context: BrowserContext;
  try {
    context = await launchChromium(dir);
  } catch (err) {
    await server.app.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const problems: string[] = [];
  return {
    server,
    context,
    problems,
    async page(name) {
      return watchPage(await context.newPage(), name, problems);
    },
    async close() {
      await context.close().catch(() => undefined);
      await server.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test-artifacts/browser/ and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Waits until `what` holds on `page`, at most `ms`. On timeout: a screenshot
 * (`FAILED-<step>.png`) and an error saying which step waited for what.
 */
export async function until(page: Page, step: string, what: string, check: () => Promise<unknown>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
      last = null;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  const path = await shot(page, `FAILED-${step}`).catch(() => '(no screenshot)');
  throw new Error(`${step}: ${what} did not happen within ${ms} ms${last instanceof Error ? ` (last error: ${last.message})` : ''}; screenshot ${path}`);
}

/** Text of the first element matching `selector`, '' if there is none. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const el = page.locator(selector).first();
  return (await el.count()) > 0 ? ((await el.textContent()) ?? '') : '';
}

const AXE = resolve('node_modules/axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2 A/AA rules) on the page, shadow roots included; returns the serious
 * and critical violations as readable lines (empty: none).
 */
export async function axeProblems(page: Page): Promise<string[]> {
  // Evaluated through DevTools, which the pages' CSP (no inline script) does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(AXE, 'utf8'));
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`);
}

/**
 * Spies on the console's alerts before any page script runs: every Notification created,
 * every permission request and every oscillator started (the Web Audio chime) is recorded
 * in window.__alerts.
 */
export async function spyOnAlerts(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: Array<{ kind: string; title?: string; body?: string }> = [];
    (window as unknown as { __alerts: typeof calls }).__alerts = calls;
    const Real = window.Notification;
    const ask = Real.requestPermission.bind(Real);
    Real.requestPermission = (...args: Parameters<typeof Notification.requestPermission>) => {
      calls.push({ kind: 'permission' });
      return ask(...args);
    };
    class Spy extends Real {
      constructor(title: string, opts?: NotificationOptions) {
        super(title, opts);
        calls.push({ kind: 'notification', title, body: opts?.body ?? '' });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Spy, configurable: true, writable: true });
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: Parameters<OscillatorNode['start']>) {
      calls.push({ kind: 'sound' });
      return start.apply(this, args);
    };
  });
}

export async function alertsOf(page: Page): Promise<Array<{ kind: string; title?: string; body?: string }>> {
  return page.evaluate(() => (window as unknown as { __alerts?: Array<{ kind: string; title?: string; body?: string }> }).__alerts ?? []);
}
