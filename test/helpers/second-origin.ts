// A second loopback origin for browser tests: a plain HTTP server on 127.0.0.1 (another
// port, so another origin) serving fixed pages, each with its own headers. A page there that
// calls serverchat makes real cross-origin requests (CORS preflights included).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecondOrigin {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  close(): Promise<void>;
}

export interface OriginPage {
  html: string;
  headers?: Record<string, string>;
}

/** Serves `pages` by path (anything else: 404) on 127.0.0.1, port chosen by the system. */
export async function startSecondOrigin(pages: Record<string, OriginPage>): Promise<SecondOrigin> {
  const server: Server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...page.headers }).end(page.html);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
