// What the tests read off the wire: the XML parser and the helpers that walk its output,
// `read(res, fmt)` for either format, and the documents the visitor and agent APIs answer with.
// In XML every value is text, so a field that is a number in JSON is typed `number | string`.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { XMLParser } from 'fast-xml-parser';

export type Fmt = 'json' | 'xml';
export const FORMATS: Fmt[] = ['json', 'xml'];

/** A timestamp as the server writes it: milliseconds and the zone offset. */
export const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;
/** Where injected requests come in: the origin of every absolute href and Location. */
export const ORIGIN = 'http://localhost:80';

/** A parsed XML element: attributes under '@name', child elements and text as strings. */
export type XNode = Record<string, unknown>;

const XML_OPTIONS = { ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false } as const;
const xmlWithDeclaration = new XMLParser(XML_OPTIONS);
const xmlWithoutDeclaration = new XMLParser({ ...XML_OPTIONS, ignoreDeclaration: true });

/** Parses an XML body; the `<?xml …?>` declaration, when there is one, is kept as a '?xml' key. */
export const parseXml = (body: string): XNode => xmlWithDeclaration.parse(body) as XNode;
/** Parses an XML body without its declaration: the root element is the only key. */
export const parseXmlRoot = (body: string): XNode => xmlWithoutDeclaration.parse(body) as XNode;

/** Asserts `v` is one element (an object, not a list) and returns it. */
export const obj = (v: unknown): XNode => {
  assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v), `expected an object, got ${JSON.stringify(v)}`);
  return v as XNode;
};
/** Repeated elements as a list: none, one or many, each asserted to be an element. */
export const list = (v: unknown): XNode[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(obj);
/** A field that is absent, one value or several (a single event renders as an object), as a list. */
export const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The last path segment: a chat's or session's id. */
export const lastSegment = (p: string): string => p.split('/').pop() as string;

/** The body of a response in the format asked for, after checking its content type. */
export function read<T>(res: LightMyRequestResponse, fmt: Fmt): T {
  if (fmt === 'json') {
    assert.equal(res.headers['content-type'], 'application/json');
    return res.json() as T;
  }
  assert.match(String(res.headers['content-type']), /^application\/xml/);
  return xmlWithoutDeclaration.parse(res.body) as T;
}

export interface Link {
  '@href': string;
  '@rel': string;
}

export interface Event {
  '@id': string;
  '@type': string;
  time: string;
  state?: string;
  text?: string;
  textType?: string;
  by?: string;
  source?: string;
  subType?: string;
  systemMessageId?: number | string;
}

export interface Events {
  link: Link[];
  event?: Event | Event[];
}

export interface EventsDoc {
  events: Events;
}

/** The chat information (visitor §4.11, agent §4.15); agent and skill fields only once known. */
export interface Info {
  link: Link[];
  state: string;
  chatSessionKey: string;
  skillName?: string;
  skillId?: number | string;
  agentName?: string;
  agentId?: number | string;
  startTime: string;
  duration: number | string;
  lastUpdate: string;
  chatTimeout: number | string;
  agentTyping: string;
  visitorTyping: string;
  visitorName: string;
  sharkVisitorId: string;
  sharkSessionId: string;
  sharkContextId: string;
  engagementId: string;
  campaignId: string;
  language: string;
  participantId?: string;
}

export interface ChatDoc {
  chat: { link: Link[]; events: Events; info: Info };
}

/** A visitor API error body (spec §1.7). */
export interface ErrorDoc {
  error: { time: string; reason: string; message: string; internalCode: number };
}

/** An agent API error body: the status is named in `responseStatus`. */
export interface AgentErrorDoc {
  error: { message: string; internalCode: number; responseStatus: string; time: string };
}
