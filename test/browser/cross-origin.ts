// Two origins for the cross-origin browser tests: serverchat over HTTPS on 127.0.0.1 (as
// https://localhost:PORT; the JS SDK hard-codes https://), and a "shop" — a plain HTTP
// server on another port of 127.0.0.1, so a different origin and real CORS — serving the
// unmodified SDK (node_modules/liveperson-chat-api/dist/lpChat.js) and the small pages of
// test/browser/shop/. Chromium resolves api.liveperson.net (the SDK's hard-coded Domain API
// host) to serverchat with --host-resolver-rules, as a DNS or hosts entry would
// (docs/compatibility.md "Pointing a client's lookup at serverchat"), and accepts the
// throwaway certificate.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import type { Provisioning } from '../../src/provisioning/provisioning.ts';
import { startHttpsServer, type HttpsServer } from '../interop/https-server.ts';
import { launchChromium, watchPage } from './browser.ts';

/** The Domain API host the JS SDK looks accounts up on. */
export const LOOKUP_HOST = 'api.liveperson.net';

const SHOP_DIR = fileURLToPath(new URL('./shop/', import.meta.url));
const SDK_FILE = createRequire(import.meta.url).resolve('liveperson-chat-api/dist/lpChat.js');
const FILES: Readonly<Record<string, [string, string]>> = {
  '/lpChat.js': [SDK_FILE, 'text/javascript; charset=utf-8'],
  '/sdk.html': [join(SHOP_DIR, 'sdk.html'), 'text/html; charset=utf-8'],
  '/sdk-harness.js': [join(SHOP_DIR, 'sdk-harness.js'), 'text/javascript; charset=utf-8'],
  '/fetch.html': [join(SHOP_DIR, 'fetch.html'), 'text/html; charset=utf-8'],
  '/fetch-chat.js': [join(SHOP_DIR, 'fetch-chat.js'), 'text/javascript; charset=utf-8'],
};

export interface CrossOrigin {
  /** serverchat: origin https://localhost:PORT, domain localhost:PORT. */
  chat: HttpsServer;
  /** The shop's origin, http://127.0.0.1:PORT2. */
  shop: string;
  context: BrowserContext;
  /** Uncaught page errors, CSP refusals, page assets that failed: each fails the test. */
  problems: string[];
  /** Every URL the browser asked for, frames' requests included, in order. */
  requests: string[];
  /** A new page of the shop at `path`. */
  page(name: string, path: string): Promise<Page>;
  close(): Promise<void>;
}

function startShop(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const file = FILES[new URL(req.url ?? '/', 'http://shop.invalid').pathname];
    if (!file || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(readFileSync(file[0]));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, origin: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` });
    });
  });
}

/** `provisioning` is given the shop's origin, for accounts' allowedOrigins. */
export async function startCrossOrigin(provisioning?: (shop: string) => Provisioning): Promise<CrossOrigin> {
  const shop = await startShop();
  let chat: HttpsServer;
  try {
    chat = await startHttpsServer([], provisioning?.(shop.origin));
  } catch (err) {
    shop.server.close();
    throw err;
  }
  const dir = mkdtempSync(join(tmpdir(), 'serverchat-cross-'));
  let context: BrowserContext;
  try {
    const port = new URL(chat.origin).port;
    context = await launchChromium(dir, { args: [`--host-resolver-rules=MAP ${LOOKUP_HOST} 127.0.0.1:${port}`], ignoreHTTPSErrors: true });
  } catch (err) {
    shop.server.close();
    await chat.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const problems: string[] = [];
  const requests: string[] = [];
  context.on('request', (r) => void requests.push(r.url()));
  const shopServer = shop;
  return {
    chat,
    shop: shopServer.origin,
    context,
    problems,
    requests,
    async page(name, path) {
      const page = watchPage(await context.newPage(), name, problems);
      await page.goto(`${shopServer.origin}${path}`);
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      shopServer.server.closeAllConnections();
      shopServer.server.close();
      await chat.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
