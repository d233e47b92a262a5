// HTTP plumbing shared by every route: suffixes and method override before routing, body
// parsing for JSON and XML, format negotiation, and one renderer for every error.
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock.ts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError, catalogue, RateLimitedError, type ErrorCode } from '../errors.ts';
import { StoreUnavailableError } from '../store/store.ts';
import { decodeJson } from './codecs/json.ts';
import { decodeXml, XmlSyntaxError } from './codecs/xml.ts';
import { refuseForbiddenCharacters } from './input-text.ts';
import { trackRoutes, type RouteTable } from './route-table.ts';
import { requestOrigin } from './origin.ts';
import { negotiate, stripSuffix, type Format } from './negotiate.ts';
import { tunnelled } from './public-address.ts';
import { Urls } from './representations/links.ts';
import { errorDoc, send } from './reply.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route's path and methods (405 answers; tests iterate it). */
    routeTable: RouteTable;
  }
}

const SUFFIX_FORMAT = Symbol('serverchat.suffixFormat');
type Tagged = IncomingMessage & { [SUFFIX_FORMAT]?: Format | null };

/**
 * Fastify's rewriteUrl: runs before routing. Strips .json/.xml (remembering it) and turns
 * POST + X-HTTP-Method-Override: PUT|DELETE into that method (spec §1.5).
 */
export function rewriteUrl(req: IncomingMessage): string {
  const { url, format } = stripSuffix(req.url ?? '/');
  (req as Tagged)[SUFFIX_FORMAT] = format;
  const override = req.headers['x-http-method-override'];
  if (req.method === 'POST' && typeof override === 'string') {
    const m = override.trim().toUpperCase();
    if (m === 'PUT' || m === 'DELETE') req.method = m;
  }
  return url;
}

function parseBody(text: string, isXml: boolean): unknown {
  const body = decodeBody(text, isXml);
  refuseForbiddenCharacters(body);
  return body;
}

function decodeBody(text: string, isXml: boolean): unknown {
  if (text.trim() === '') return undefined;
  if (isXml || /^\s*</.test(text)) {
    try {
      return decodeXml(text);
    } catch (err) {
      throw new ApiError('bad-body', `the XML body could not be read (${err instanceof XmlSyntaxError ? err.message : 'syntax error'})`);
    }
  }
  try {
    return decodeJson(text);
  } catch (err) {
    throw new ApiError('bad-body', `the JSON body could not be read (${(err as Error).message})`);
  }
}

export function installHttp(app: FastifyInstance, clock: Clock, opts: { publicUrl?: string | null } = {}): RouteTable {
  const publicUrl = opts.publicUrl ?? null;
  // Every route registered from here on: a known path with another method is 405, not 404.
  const table = trackRoutes(app);
  app.decorate('routeTable', table);
  app.decorateRequest('format', 'json');
  // Filled in by hooks before any handler reads them (auth.ts, onRequest below).
  for (const name of ['account', 'agent', 'agentSession', 'urls'] as const) app.decorateRequest(name, null as never);

  app.removeAllContentTypeParsers();
  // JSON and XML by their types; any other or no type is sniffed, as lenient clients send
  // JSON as text/plain or form types. An empty body is allowed (Accept a Chat sends none).
  const parser = (isXml: boolean) => (_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    try {
      done(null, parseBody(body.toString(), isXml));
    } catch (err) {
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser(/^(application|text)\/([\w.+-]*\+)?xml/i, { parseAs: 'string' }, parser(true));
  app.addContentTypeParser('*', { parseAs: 'string' }, parser(false));

  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    req.format = negotiate((req.raw as Tagged)[SUFFIX_FORMAT] ?? null, req.raw);
    const { accountId } = (req.params ?? {}) as { accountId?: string };
    req.urls = new Urls(tunnelled(req) ?? requestOrigin(req, publicUrl), accountId ?? '');
    done();
  });

  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    if (!req.format) req.format = negotiate((req.raw as Tagged)[SUFFIX_FORMAT] ?? null, req.raw);
    const path = req.url.split('?')[0] ?? '/';
    const allowed = table.allowed(path);
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return send(req, reply, 405, errorDoc('method-not-allowed', `${req.method} is not a method of ${path}; it takes ${allowed.join(', ')}`, clock.now()));
    }
    return send(req, reply, 404, errorDoc('not-found', `no resource at ${req.method} ${path}`, clock.now()));
  });

  app.setErrorHandler((err: FastifyError | ApiError, req: FastifyRequest, reply: FastifyReply) => {
    let code: ErrorCode = 'internal';
    let message: string = catalogue.internal.message;
    let status: number | undefined;
    if (err instanceof ApiError) {
      if (err instanceof RateLimitedError) reply.header('retry-after', String(err.retryAfterSeconds));
      code = err.code;
      message = err.message;
    } else if (err.validation) {
      const ctx = err.validationContext;
      code = ctx === 'querystring' ? 'bad-query' : ctx === 'body' ? 'bad-body' : 'bad-request';
      const where = ctx === 'params' ? 'path' : (ctx ?? 'request');
      message = `${where}: ${err.validation.map((v) => `${v.instancePath || '/'} ${v.message ?? 'is not valid'}`).join('; ')}`;
    } else if ((err as Error) instanceof StoreUnavailableError) {
      // PostgreSQL is down or out of reach: nothing was acknowledged; the client may retry.
      // The cause (the database's address, its error) goes to the log, never to the client.
      code = 'store-unavailable';
      message = catalogue['store-unavailable'].message;
      req.log.warn({ err: (err as Error).message }, 'store unavailable');
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      code = 'payload-too-large';
      message = err.message;
    } else if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
      // Other client errors Fastify detects itself (e.g. a malformed URL): keep its status.
      code = 'bad-request';
      message = err.message;
      status = err.statusCode;
    } else {
      req.log.error({ err }, 'request failed');
    }
    return send(req, reply, status ?? catalogue[code].status, errorDoc(code, message, clock.now()));
  });
  return table;
}

/**
 * Fastify's `frameworkErrors` (a malformed URL, before any hook runs): the same error
 * body as everything else, in the format the request asked for.
 */
export function frameworkErrors(clock: Clock) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): void => {
    req.format = negotiate((req.raw as Tagged)[SUFFIX_FORMAT] ?? null, req.raw);
    void send(req, reply, 400, errorDoc('bad-request', err.message, clock.now()));
  };
}
