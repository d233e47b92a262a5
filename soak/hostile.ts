// The hostile half of the soak: fast-check draws requests to every vendor route of the API
// document (/openapi.json) — any method, suffix, Accept, Content-Type, credentials (valid,
// wrong, none) and a body that is a vendor body mutated, random JSON, JSON or XML nested or
// repeated past the limits, XML with DTDs and forbidden references, binary text or a large
// line — and checks each answer: no 5xx, every error the vendor error document, well-formed,
// in the format the request asked for.
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { catalogue } from '../src/errors.ts';
import { ACCOUNT, APP_KEY } from './server.ts';

export interface Targets {
  /** Chats of the hostile side (the workload's are never named). */
  chatIds: string[];
  bearer: string;
  sessionId: string;
}

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The format the answer must have, when the request says it unambiguously. */
  expect: 'json' | 'xml' | null;
}

const VALID_BODIES: unknown[] = [
  { event: { '@type': 'line', text: 'hello', textType: 'plain' } },
  { event: { '@type': 'state', state: 'ended' } },
  { event: { '@type': 'url', url: 'https://example.com/' } },
  { request: { skill: 'Support', preChatLines: { lines: ['hi'] } } },
  { visitorName: 'Ann' },
  { visitorTyping: 'typing' },
  { agentTyping: 'typing' },
  { availability: { chat: 'Online' } },
  { transfer: { skill: { id: 2 }, text: 'over to you' } },
  { customVariables: { customVariable: [{ name: 'a', value: 'b' }] } },
  { survey: { question: [{ id: 1, answer: 'x' }] } },
  { username: 'victim', password: 'wrong' },
  { email: 'a@example.com', subject: 'transcript' },
  { loginData: '' },
];

const HOSTILE_XML = [
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><event type="line"><text>&b;</text></event>',
  '<event type="line"><text>&#1;&#xD800;&#x110000;</text></event>',
  '<event type="line"><text>unclosed',
  '<?xml version="1.0"?><event type="state"><state>ended</state></event>',
  '<event type="line" type="line"><text>dup</text></event>',
  '<a:b xmlns:a="x"><c/></a:b>',
];

/** A JSON value as XML elements (attributes for "@" keys), as a careless client would write it. */
function toXml(name: string, v: unknown, depth = 0): string {
  const tag = /^[A-Za-z_][\w.-]*$/.test(name) ? name : 'x';
  if (depth > 40) return `<${tag}/>`;
  if (Array.isArray(v)) return v.map((i) => toXml(tag, i, depth + 1)).join('');
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    const attrs = entries.filter(([k, x]) => k.startsWith('@') && typeof x !== 'object').map(([k, x]) => ` ${k.slice(1).replace(/\W/g, '') || 'a'}="${String(x).replace(/[<&"]/g, '')}"`);
    return `<${tag}${attrs.join('')}>${entries.filter(([k]) => !k.startsWith('@')).map(([k, x]) => toXml(k, x, depth + 1)).join('')}</${tag}>`;
  }
  return `<${tag}>${String(v).replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</${tag}>`;
}

function mutate(base: unknown, value: unknown, pick: number, how: string): unknown {
  if (how === 'keep' || base === null || typeof base !== 'object') return base;
  const top = Object.keys(base as object)[0] as string;
  const inner = (base as Record<string, unknown>)[top];
  if (inner === null || typeof inner !== 'object') return { [top]: value };
  const keys = Object.keys(inner as object);
  const key = keys[pick % keys.length] as string;
  const copy = { ...(inner as Record<string, unknown>) };
  if (how === 'drop') delete copy[key];
  else if (how === 'add') copy[`k${pick}`] = value;
  else copy[key] = value;
  return { [top]: copy };
}

const jsonValue = fc.jsonValue({ maxDepth: 4 });
const text = fc.string({ unit: 'binary', maxLength: 60 });
const asciiText = fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[\r\n\0]/g, ''));

const body = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...VALID_BODIES), jsonValue, fc.nat(), fc.constantFrom('keep', 'replace', 'add', 'drop')).map(([b, v, p, h]) => ({ kind: 'json', text: JSON.stringify(mutate(b, v, p, h)) })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...VALID_BODIES), jsonValue, fc.nat(), fc.constantFrom('keep', 'replace', 'add')).map(([b, v, p, h]) => ({ kind: 'xml', text: toXml(Object.keys(b as object)[0] ?? 'x', Object.values(mutate(b, v, p, h) as object)[0]) })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 8 }).map((v) => ({ kind: 'json', text: JSON.stringify(v) ?? 'null' })) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 5000 }).map((n) => ({ kind: 'json', text: `{"event":${'['.repeat(n)}${']'.repeat(n)}}` })) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => ({ kind: 'json', text: `{"event":{"@type":"line","text":"x","a":[${'0,'.repeat(n)}0]}}` })) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 5000 }).map((n) => ({ kind: 'xml', text: `${'<a>'.repeat(n)}${'</a>'.repeat(n)}` })) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => ({ kind: 'xml', text: `<event type="line">${'<text>x</text>'.repeat(n)}</event>` })) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_XML).map((t) => ({ kind: 'xml', text: t })) },
  { weight: 1, arbitrary: fc.integer({ min: 5000, max: 300_000 }).map((n) => ({ kind: 'json', text: JSON.stringify({ event: { '@type': 'line', text: 'y'.repeat(n) } }) })) },
  { weight: 2, arbitrary: text.map((t) => ({ kind: 'text', text: t })) },
  { weight: 2, arbitrary: fc.constant({ kind: 'none', text: '' }) },
);

export function requests(paths: string[], targets: Targets): fc.Arbitrary<HostileRequest> {
  const param = (name: string): fc.Arbitrary<string> => {
    if (name === 'accountId') return fc.oneof({ weight: 8, arbitrary: fc.constant(ACCOUNT) }, { weight: 1, arbitrary: asciiText });
    if (name === 'chatId') return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...targets.chatIds) }, { weight: 1, arbitrary: asciiText });
    if (name === 'sessionId') return fc.oneof({ weight: 5, arbitrary: fc.constant(targets.sessionId) }, { weight: 1, arbitrary: asciiText });
    if (name === 'eventId') return fc.oneof(fc.nat(40).map(String), asciiText);
    return asciiText;
  };
  const path = fc.constantFrom(...paths).chain((p) => {
    const names = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    return fc.tuple(...names.map(param)).map((values) => names.reduce((acc, n, i) => acc.replace(`{${n}}`, encodeURIComponent(values[i] ?? '') || 'x'), p));
  });
  const auth = fc.constantFrom<Record<string, string>>(
    { authorization: `LivePerson appKey=${APP_KEY}` },
    { authorization: 'LivePerson appKey=wrong' },
    { authorization: `Bearer ${targets.bearer}` },
    { authorization: 'Bearer nope' },
    { authorization: 'Basic eDp5' },
    {},
  );
  return fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'POST'),
      override: fc.option(fc.constantFrom('PUT', 'DELETE', 'GET', 'garbage'), { nil: null }),
      path,
      suffix: fc.constantFrom('', '', '.json', '.xml', '.html'),
      keyInQuery: fc.boolean(),
      query: fc.array(fc.tuple(fc.constantFrom('from', 'skill', 'maxWaitTime', 'v', 'NC', 'agent', 'q'), fc.oneof(fc.nat(1000).map(String), asciiText)), { maxLength: 3 }),
      accept: fc.constantFrom('application/json', 'application/xml', '*/*', 'text/html', 'application/xml, application/json', 'garbage', ''),
      contentType: fc.constantFrom('application/json', 'application/xml', 'text/xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'garbage/type', ''),
      auth,
      body,
    })
    .map((r) => {
      const query = [...r.query, ...(r.keyInQuery ? [['appKey', APP_KEY] as const] : [])].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      const headers: Record<string, string> = { ...r.auth };
      if (r.accept) headers.accept = r.accept;
      if (r.contentType) headers['content-type'] = r.contentType;
      if (r.override) headers['x-http-method-override'] = r.override;
      const hasBody = r.method !== 'GET' && r.method !== 'HEAD' && r.body.kind !== 'none';
      const expect = r.suffix === '.json' ? 'json' : r.suffix === '.xml' ? 'xml' : r.suffix === '' && r.accept === 'application/json' ? 'json' : r.suffix === '' && r.accept === 'application/xml' ? 'xml' : null;
      return { method: r.method, path: `${r.path}${r.suffix}${query ? `?${query}` : ''}`, headers, body: hasBody ? r.body.text : undefined, expect };
    });
}

const xml = new XMLParser({ ignoreAttributes: false });
const ERROR_FIELDS = ['time', 'reason', 'message', 'internalCode', 'responseStatus'];

/** The Login Service and Visitor Authentication speak JSON only (agent spec §2; docs/compatibility.md). */
const JSON_ONLY = /\/(login|refresh|logout|conversation)(\.\w+)?(\?|$)/;
/** 503 by design: a transcript asked for with no --smtp-url (docs/errors.md). */
const MAIL_NOT_CONFIGURED = catalogue['mail-not-configured'].internalCode;

/** What is wrong with the answer, or null. */
export function problemOf(req: HostileRequest, status: number, contentType: string, text: string): string | null {
  const mailOff = status === 503 && (text.includes(`"internalCode":${MAIL_NOT_CONFIGURED}`) || text.includes(`<internalCode>${MAIL_NOT_CONFIGURED}</internalCode>`));
  if (status >= 500 && !mailOff) return `${status}: ${text.slice(0, 200)}`;
  if (JSON_ONLY.test(req.path)) req = { ...req, expect: null };
  if (req.method === 'HEAD' || status === 204 || status === 304 || /javascript/.test(contentType)) return null;
  const isJson = /json/.test(contentType);
  const isXml = /xml/.test(contentType);
  if (status >= 400 && req.expect && !(req.expect === 'json' ? isJson : isXml)) return `${status} in ${contentType}, asked for ${req.expect}`;
  if (isJson) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return `${status}: ill-formed JSON`;
    }
    if (status < 400) return null;
    const err = (doc as { error?: Record<string, unknown> } | null)?.error;
    if (!err || ERROR_FIELDS.some((f) => err[f] === undefined) || typeof err.internalCode !== 'number') return `${status}: not the vendor error document: ${text.slice(0, 200)}`;
    return null;
  }
  if (isXml) {
    if (XMLValidator.validate(text) !== true) return `${status}: ill-formed XML`;
    if (status < 400) return null;
    const err = (xml.parse(text) as { error?: Record<string, unknown> }).error;
    if (!err || ERROR_FIELDS.some((f) => err[f] === undefined)) return `${status}: not the vendor error document: ${text.slice(0, 200)}`;
    return null;
  }
  return status >= 400 ? `${status}: an error in ${contentType || 'no type'}` : null;
}
