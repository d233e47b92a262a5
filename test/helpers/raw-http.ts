// Raw bytes to a listening server and the response back, for what an HTTP client would not
// send (oversized headers, bad methods, stalled bodies). Every exchange is bounded in time.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
  ms: number;
}

/** Writes `bytes` (then nothing more) and reads until the server closes or `timeoutMs` passes. */
export function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let closed = false;
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      closed = true;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1] ?? 0);
      if (text === '' && !closed) return reject(new Error(`no answer within ${timeoutMs} ms`));
      resolve({ status, headers, body: rest.join('\r\n\r\n'), closed: closed || text !== '', ms: Date.now() - started });
    });
    socket.on('connect', () => socket.write(bytes));
  });
}
