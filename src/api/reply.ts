// Sends representations and errors through the one codec the request negotiated.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catalogue, type ErrorCode, type ErrorSpec } from '../errors.ts';
import { compatOf } from './compat.ts';
import { encodeJson, JSON_CONTENT_TYPE } from './codecs/json.ts';
import type { Doc } from './codecs/tree.ts';
import { encodeXml, XML_CONTENT_TYPE } from './codecs/xml.ts';
import { formatTime } from './representations/time.ts';

/** The body is already text: Fastify's serializer step passes it through as it is. */
const asIs = (text: unknown): string => text as string;

export interface SendOptions {
  collapse?: boolean;
  bareAttributes?: boolean;
  /** JSON writes what is inside the root element (the Domain API's JSON has no root). */
  unwrapJson?: boolean;
}

export function send(req: FastifyRequest, reply: FastifyReply, status: number, doc: Doc, opts: SendOptions = {}): FastifyReply {
  reply.code(status);
  if (req.format === 'xml') return reply.header('content-type', XML_CONTENT_TYPE).send(encodeXml(doc));
  // Exactly "application/json", no charset: the vendor's JS SDK parses only on an exact
  // match. Fastify appends a charset to a JSON type sent as a string unless the reply has its
  // own serializer, so the text goes through one (no copy into a Buffer per response).
  const compat = compatOf(req);
  const json = encodeJson(opts.unwrapJson ? unwrapped(doc) : doc, {
    // lists "always" keeps every list an array; a JSON-native document (collapse false) stays one.
    collapse: (opts.collapse ?? true) && compat.lists === 'collapse',
    bareAttributes: opts.bareAttributes ?? false,
    plainLinks: compat.linkKeys === 'plain',
    systemMessageIdAsString: compat.systemMessageId === 'string',
  });
  return reply.header('content-type', JSON_CONTENT_TYPE).serializer(asIs).send(json);
}

function unwrapped(doc: Doc): Doc {
  const [root] = Object.values(doc);
  return root !== null && typeof root === 'object' && !Array.isArray(root) ? (root as Doc) : doc;
}

/** 201 with the new thing's address in Location and, where the vendor had one, a body. */
export function created(req: FastifyRequest, reply: FastifyReply, location: string, doc?: Doc): FastifyReply {
  reply.header('location', location);
  if (doc) return send(req, reply, 201, doc);
  return reply.code(201).send();
}

/** 200 with no body, for setters whose vendor pages document no response body. */
export function ok(reply: FastifyReply): FastifyReply {
  return reply.code(200).send();
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Sep 22, 2016 4:10:15 PM" in the server's time zone, as the Login Service's example prints `time`. */
export function loginServiceTime(now: number): string {
  const d = new Date(now);
  const h = d.getHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()} ${h % 12 || 12}:${two(d.getMinutes())}:${two(d.getSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function errorDoc(code: ErrorCode, message: string, now: number): Doc {
  const spec: ErrorSpec = catalogue[code];
  // The Login Service's CSRF error exactly as its page prints it (agent spec §1.2).
  if (spec.form === 'login-service') return { error: { time: loginServiceTime(now), message, internalCode: spec.internalCode, responseStatus: spec.reason } };
  return {
    error: {
      time: formatTime(now),
      reason: spec.reason,
      message,
      internalCode: spec.internalCode,
      responseStatus: spec.reason,
    },
  };
}
