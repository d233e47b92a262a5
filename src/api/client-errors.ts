// Answers for what Node's HTTP parser refuses before Fastify sees a request (issue 11, finding
// 10): headers too large (431), a request that took too long (408), and anything malformed —
// a bad method, Content-Length with Transfer-Encoding, a NUL in the path (400). Each is the
// vendor error document in the format the request asked for, as far as its bytes tell.
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../clock.ts';
import { catalogue, type ErrorCode } from '../errors.ts';
import { encodeJson, JSON_CONTENT_TYPE } from './codecs/json.ts';
import { encodeXml, XML_CONTENT_TYPE } from './codecs/xml.ts';
import { negotiate, stripSuffix, type Format } from './negotiate.ts';
import { errorDoc } from './reply.ts';

/** What Node passes to 'clientError'. */
export type ParserError = Error & { code?: string; reason?: string; rawPacket?: unknown };

/** The little of the request head that decides the format: its path and two headers. */
export function sniffFormat(raw: unknown): Format {
  if (!Buffer.isBuffer(raw)) return 'json';
  // At most the first 16 KB: a header overflow's packet is bounded by the header limit anyway.
  const head = raw.subarray(0, 16 * 1024).toString('latin1').split('\r\n\r\n')[0] ?? '';
  const [requestLine = '', ...lines] = head.split(/\r?\n/);
  const target = requestLine.split(' ')[1] ?? '/';
  const headers: IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name === 'accept' || name === 'content-type') headers[name] = line.slice(colon + 1).trim();
  }
  return negotiate(stripSuffix(target).format, { headers });
}

export function parserErrorCode(err: ParserError): ErrorCode {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'headers-too-large';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'request-timeout';
  return 'bad-request';
}

/** A whole HTTP/1.1 response that closes the connection, ready to write to a socket. */
export function rawErrorResponse(code: ErrorCode, message: string, format: Format, now: number, extraHeaders: Record<string, string> = {}): string {
  const status = catalogue[code].status;
  const doc = errorDoc(code, message, now);
  const body = format === 'xml' ? encodeXml(doc) : encodeJson(doc, { collapse: true, bareAttributes: false });
  const type = format === 'xml' ? XML_CONTENT_TYPE : JSON_CONTENT_TYPE;
  const extra = Object.entries(extraHeaders).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/** Fastify's `clientErrorHandler`. */
export function clientErrorHandler(clock: Clock) {
  return (err: ParserError, socket: Socket): void => {
    // A reset connection has nobody to answer; a response already begun cannot be replaced.
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    if (socket.writable) {
      const code = parserErrorCode(err);
      const detail = code === 'bad-request' ? `the request could not be parsed (${err.code ?? 'error'}${err.reason ? `: ${err.reason}` : ''})` : '';
      const message = detail ? `${catalogue[code].message}: ${detail}` : catalogue[code].message;
      socket.end(rawErrorResponse(code, message, sniffFormat(err.rawPacket), clock.now()));
    }
    socket.destroySoon();
  };
}
