// The JS SDK's rest2jsonp transport (lpTag.taglets.rest2jsonp in liveperson-chat-api):
// a JSONP tunnel for pages on another origin. The SDK puts the whole request in the query
// string of a script tag — GET /api/account/{id}/js2rest[/chat|/agentSession|…]
// ?lpV=1&lpjson=1&lpB=ENCODED&cb=NAME, where lpB is encodeURIComponent(JSON.stringify(
// {u: url, m: method, b: body, h: headers})) — and reads NAME({responseCode, headers,
// body}). A request too long for one URL goes in parts: lpP=i&lpO=n, each part a piece of
// the encoded lpB, sent one after the other; the answer to a part that is not the last is
// {responseCode: 200, lpMeta: {lpS: ID}}, and the SDK sends the ID back as lpS with the
// following parts. The request is replayed in-process through every hook of the API, for
// the account in the path only. Parts wait in this process's memory (PartStore): a split
// request must reach one instance (docs/architecture.md).
// A refused tunnel request (bad lpB, unknown lpS, a query the schema rejects) is answered
// through the callback too whenever `cb` is a usable name: NAME({responseCode: 400, body:
// {error}}) with HTTP 200, because a browser runs no script from a 4xx answer and the SDK
// would only give up at its timeout, after retries; a responseCode other than 200/201 makes
// it call its error callback at once (lpTag.taglets.rest2jsonp in liveperson-chat-api).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.ts';
import { decodeJson } from '../codecs/json.ts';
import { encodeJsonp, isCallbackName, JSONP_CONTENT_TYPE } from '../codecs/jsonp.ts';
import { tunnelHeader } from '../public-address.ts';
import { PartStore } from './parts.ts';

interface Tunnelled {
  u: string;
  m: string;
  b: unknown;
  h: Record<string, unknown> | string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
/** The request headers a replay takes from `h` (names in any case). */
const PASSED = new Set(['authorization', 'x-http-method-override', 'content-type']);

const query = {
  type: 'object',
  required: ['cb', 'lpB'],
  properties: {
    cb: { type: 'string', minLength: 1, maxLength: 128 },
    lpB: { type: 'string' },
    lpV: { type: 'string', maxLength: 8 },
    lpjson: { type: 'string', maxLength: 8 },
    lpP: { type: 'integer', minimum: 1, maximum: 256 },
    lpO: { type: 'integer', minimum: 1, maximum: 256 },
    lpS: { type: 'string', maxLength: 64 },
  },
} as const;
const params = { type: 'object', required: ['accountId'], properties: { accountId: { type: 'string', maxLength: 64 }, kind: { type: 'string', maxLength: 64 } } } as const;

interface Query {
  cb: string;
  lpB: string;
  lpP?: number;
  lpO?: number;
  lpS?: string;
}

/** The lpB value exactly as sent: parts are cut from the encoded text, maybe inside an escape. */
function rawParam(url: string, name: string): string {
  const q = url.indexOf('?');
  for (const pair of (q < 0 ? '' : url.slice(q + 1)).split('&')) {
    if (pair.startsWith(`${name}=`)) return pair.slice(name.length + 1);
  }
  return '';
}

function decode(encoded: string): Tunnelled {
  let v: unknown;
  try {
    // Bounded as every JSON body is (codecs/json.ts): the tunnelled request is one.
    v = decodeJson(decodeURIComponent(encoded.replace(/\+/g, '%20')));
  } catch {
    throw new ApiError('bad-query', 'lpB is not an encoded JSON request');
  }
  const t = v as Partial<Tunnelled> | null;
  if (!t || typeof t.u !== 'string' || (t.m !== undefined && typeof t.m !== 'string')) throw new ApiError('bad-query', 'lpB must hold {u, m, b, h}');
  return { u: t.u, m: (t.m ?? 'GET').toUpperCase(), b: t.b ?? '', h: t.h ?? '' };
}

export function rest2jsonpRoutes(app: FastifyInstance): void {
  const parts = new PartStore();

  const replay = async (req: FastifyRequest, accountId: string, t: Tunnelled) => {
    let target: URL;
    try {
      target = new URL(t.u, 'https://tunnel.invalid');
    } catch {
      throw new ApiError('bad-query', 'lpB.u is not a URL');
    }
    const base = `/api/account/${accountId}`;
    const path = target.pathname;
    if (!(path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}.`)) || path.includes('/js2rest')) {
      throw new ApiError('bad-query', `lpB.u must be a resource of account ${accountId}`);
    }
    if (!METHODS.has(t.m)) throw new ApiError('bad-query', 'lpB.m must be GET, POST, PUT or DELETE');
    const headers: Record<string, string> = { accept: 'application/json', host: req.host, ...tunnelHeader(req) };
    if (t.h && typeof t.h === 'object') {
      for (const [k, v] of Object.entries(t.h)) if (PASSED.has(k.toLowerCase()) && typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    const hasBody = t.m !== 'GET' && t.b !== '' && t.b !== null && t.b !== undefined;
    if (hasBody) headers['content-type'] ??= 'application/json';
    const res = await app.inject({
      method: t.m as 'GET',
      url: path + target.search,
      headers,
      remoteAddress: req.ip,
      ...(hasBody ? { payload: typeof t.b === 'string' ? t.b : JSON.stringify(t.b) } : {}),
    });
    const out: Record<string, unknown> = { responseCode: res.statusCode, headers: {} as Record<string, string> };
    const h = out.headers as Record<string, string>;
    if (typeof res.headers['content-type'] === 'string') h['Content-Type'] = res.headers['content-type'];
    if (typeof res.headers.location === 'string') h.Location = res.headers.location;
    if (res.body !== '') {
      try {
        out.body = String(res.headers['content-type']).startsWith('application/json') ? (JSON.parse(res.body) as unknown) : res.body;
      } catch {
        out.body = res.body;
      }
    }
    return out;
  };

  const handler = async (req: FastifyRequest<{ Params: { accountId: string }; Querystring: Query }>, reply: FastifyReply) => {
    const { cb, lpP, lpO, lpS } = req.query;
    if (!isCallbackName(cb)) throw new ApiError('bad-query', 'cb must be a JavaScript identifier (letters, digits, _, $ and dots)');
    const raw = rawParam(req.raw.url ?? '', 'lpB');
    let answer: unknown;
    if (lpP === undefined || lpO === undefined || lpO === 1) {
      answer = await replay(req, req.params.accountId, decode(raw));
    } else {
      const got = parts.add(req.params.accountId, lpS ?? null, lpP, lpO, raw);
      answer = got.complete === null ? { responseCode: 200, lpMeta: { lpS: got.id } } : await replay(req, req.params.accountId, decode(got.complete));
    }
    return reply.code(200).header('content-type', JSONP_CONTENT_TYPE).header('cache-control', 'no-store').send(encodeJsonp(cb, answer));
  };

  /** Errors rendered by the one error handler, re-wrapped as a call of a usable callback. */
  const errorsThroughCallback = async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    const cb = (req.query as { cb?: unknown } | undefined)?.cb;
    if (reply.statusCode < 400 || !isCallbackName(cb) || typeof payload !== 'string') return payload;
    const type = reply.getHeader('content-type');
    const answer: Record<string, unknown> = { responseCode: reply.statusCode, headers: typeof type === 'string' ? { 'Content-Type': type } : {} };
    try {
      answer.body = typeof type === 'string' && type.startsWith('application/json') ? (JSON.parse(payload) as unknown) : payload;
    } catch {
      answer.body = payload;
    }
    reply.code(200).header('content-type', JSONP_CONTENT_TYPE).header('cache-control', 'no-store');
    return encodeJsonp(cb, answer);
  };

  type Route = { Params: { accountId: string }; Querystring: Query };
  const opts = { schema: { params, querystring: query }, onSend: errorsThroughCallback };
  app.get<Route>('/api/account/:accountId/js2rest', opts, handler);
  app.get<Route>('/api/account/:accountId/js2rest/:kind', opts, handler);
}
