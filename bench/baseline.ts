// The ceiling: a minimal node:http server on the same core answering the same documents
// serverchat answers, pre-serialised (fetched from serverchat once, split at the sample
// chat's id so each answer names the chat asked for and passes the same checks). What is
// left between this and serverchat is the cost of serverchat itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Template {
  contentType: string;
  /** The document split at every occurrence of the sample chat id. */
  parts: string[];
}

export interface Templates {
  infoJson: Template;
  infoXml: Template;
  nextNone: Template;
  nextOne: Template;
  agentLine: Template;
  /** Location of a visitor's line, split at the chat id. */
  visitorLineLocation: string[];
  /** Every seeded chat's next event id: a poll from here finds nothing new. */
  nextFrom: number;
}

const CHAT = /\/chat\/([^/?.]+)/;

function answer(res: ServerResponse, status: number, t: Template | null, chatId: string, location?: string): void {
  const body = t ? t.parts.join(chatId) : '';
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(body) };
  if (t) headers['content-type'] = t.contentType;
  if (location) headers.location = location;
  res.writeHead(status, headers);
  res.end(body);
}

function handler(t: Templates): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const chatId = CHAT.exec(url)?.[1] ?? '';
    if (req.method === 'POST') {
      // Read the body (a real server must) before answering.
      req.on('data', () => undefined);
      req.on('end', () => {
        if (url.includes('/agentSession/')) {
          const loc = t.agentLine.parts.join(chatId);
          answer(res, 201, t.agentLine, chatId, /"@href":"([^"]+)"/.exec(loc)?.[1] ?? '');
        } else answer(res, 201, null, chatId, t.visitorLineLocation.join(chatId));
      });
      return;
    }
    if (url.includes('/info.json')) return answer(res, 200, t.infoJson, chatId);
    if (url.includes('/info.xml')) return answer(res, 200, t.infoXml, chatId);
    if (/\?from=\d+/.test(url)) {
      const from = Number(/from=(\d+)/.exec(url)?.[1]);
      return answer(res, 200, from >= t.nextFrom ? t.nextNone : t.nextOne, chatId);
    }
    answer(res, 404, null, chatId);
  };
}

if (import.meta.main) {
  process.once('message', (m: { type?: string; templates?: Templates }) => {
    if (m.type !== 'templates' || !m.templates) return;
    const server = createServer({ keepAliveTimeout: 60_000 }, handler(m.templates));
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
    });
    const close = (): void => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    };
    process.on('SIGTERM', close);
    process.on('disconnect', close);
  });
}
