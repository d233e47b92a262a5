// The XML codec: the only code that reads or writes XML. The mapping is the one the
// vendor's XML clients show (spec §1.4): "@x" keys are attributes, arrays repeat elements.
// Writing is a direct walk of the tree (the keep-alive poll is the hot path, and a generic
// builder spent a third of an info.xml answer); reading stays with fast-xml-parser.
// The bytes are those the fast-xml-parser builder wrote before (test/unit/codecs-golden.*).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EmbeddedJson, type Doc, type Node, type Scalar, type Tree } from './tree.ts';

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
/** Deeper than any representation; stops a cyclic tree (as the builder's limit did). */
const MAX_DEPTH = 100;
const AT = 64; // "@"
const QUESTION = 63; // "?": a processing instruction, written `<?name attrs?>`
/** Never written (an own one comes only from parsed input); the old writer lost it too. */
const PROTO = '__proto__';

// The same five entities in text and in attribute values.
const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const HAS_SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;
const entity = (c: string): string => ENTITY[c] ?? c;

/**
 * What XML 1.0 forbids in a document (its `Char` production): C0 controls other than tab,
 * LF and CR, U+FFFE, U+FFFF and unpaired surrogates. Input refuses them (api/input-text.ts);
 * whatever still holds one (old data, a store written by an older version) is written with
 * U+FFFD in its place, so that no document this codec writes is ever ill-formed.
 */
export const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const XML_FORBIDDEN_ALL = new RegExp(XML_FORBIDDEN.source, 'g');

/**
 * Printable ASCII but the five specials: a string of only these is written as it is. Ids,
 * times, states and URLs — nearly every value of a poll's answer — take this one test
 * instead of the two below (issue 14: the XML poll, profiled).
 */
const PLAIN = /^[\x20\x21\x23-\x25\x28-\x3b\x3d\x3f-\x7e]*$/;

function escaped(v: Scalar): string {
  if (typeof v === 'string') {
    if (PLAIN.test(v)) return v;
    const text = XML_FORBIDDEN.test(v) ? v.replace(XML_FORBIDDEN_ALL, '\ufffd') : v;
    return HAS_SPECIAL.test(text) ? text.replace(SPECIALS, entity) : text;
  }
  // Keep the sign of -0, as the builder did.
  return typeof v === 'number' && Object.is(v, -0) ? '-0' : String(v);
}

function isAttribute(key: string): boolean {
  return key.length > 1 && key.charCodeAt(0) === AT;
}

function leaf(name: string, v: Scalar): string {
  if (name.charCodeAt(0) === QUESTION) return `<${name}?>`;
  const t = escaped(v);
  return t === '' ? `<${name}/>` : `<${name}>${t}</${name}>`;
}

/** One element holding a tree: its scalar "@" keys are attributes, "#text" is its text. */
function element(name: string, node: Tree, depth: number): string {
  if (depth >= MAX_DEPTH) throw new Error('Maximum nested tags exceeded');
  let attrs = '';
  let body = '';
  for (const key in node) {
    const v = node[key];
    if (v === undefined || v === null || key === PROTO) continue;
    if (typeof v !== 'object') {
      if (isAttribute(key)) attrs += ` ${key.slice(1)}="${escaped(v)}"`;
      else if (key === '#text') body += escaped(v);
      else body += leaf(key, v);
    } else if (v instanceof EmbeddedJson) body += leaf(key, JSON.stringify(v.value) ?? '');
    else if (Array.isArray(v)) body += repeated(key, v, depth);
    else body += element(key, v, depth + 1);
  }
  if (name.charCodeAt(0) === QUESTION) return `<${name}${attrs}?>`;
  // An empty element is self-closed: `<events/>` (empty list, no children, "").
  return body === '' ? `<${name}${attrs}/>` : `<${name}${attrs}>${body}</${name}>`;
}

/** A list is the element repeated; absent items are skipped, a nested list is spliced in. */
function repeated(name: string, list: Node[], depth: number): string {
  let out = '';
  for (const item of list) {
    if (item === undefined || item === null) continue;
    if (typeof item !== 'object') out += leaf(name, item);
    else if (item instanceof EmbeddedJson) out += leaf(name, JSON.stringify(item.value) ?? '');
    else if (Array.isArray(item)) out += repeated(name, item, depth);
    else out += element(name, item, depth + 1);
  }
  return out;
}

export function encodeXml(doc: Doc): string {
  let out = PROLOG;
  for (const key in doc) {
    const v = doc[key];
    if (v === undefined || v === null || key === PROTO) continue;
    if (typeof v !== 'object') {
      // A document has no element to carry a root-level attribute.
      if (!isAttribute(key)) out += key === '#text' ? escaped(v) : leaf(key, v);
    } else if (v instanceof EmbeddedJson) out += leaf(key, JSON.stringify(v.value) ?? '');
    else if (Array.isArray(v)) out += repeated(key, v, 0);
    else out += element(key, v, 1);
  }
  return out;
}

const parser = new XMLParser({
  attributeNamePrefix: '@',
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // References are decoded below, in one pass (decoding `&amp;` first and then `&#…;` would
  // turn the text `&amp;#xE9;` into `é`).
  processEntities: false,
  textNodeName: '#text',
  // No DTDs: entity expansion from a request body is never wanted.
  htmlEntities: false,
  tagValueProcessor: (_name: string, value: string) => decodeReferences(value),
  attributeValueProcessor: (_name: string, value: string) => decodeReferences(value),
});

export class XmlSyntaxError extends Error {}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|([a-zA-Z]+));/g;

/**
 * The five predefined entities and numeric character references (decimal and hex), in one
 * pass. A reference to a character XML 1.0 forbids (`&#1;`, `&#xD800;`, past U+10FFFF) makes
 * the document ill-formed, as the XML spec says; an unknown named one (`&nbsp;`: there is no DTD) too.
 */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (whole: string, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) {
      const c = NAMED[name];
      if (c === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`);
      return c;
    }
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    const c = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    if (c === '' || XML_FORBIDDEN.test(c)) throw new XmlSyntaxError(`${whole} is not a character XML allows`);
    return c;
  });
}

/** No vendor body comes near these (issue 11, finding 1): a few dozen elements, a few levels. */
export const MAX_XML_ELEMENTS = 2000;
export const MAX_XML_NESTING = 32;
const SLASH = 47; // "/"

/**
 * One pass over the text before the parsers see it: too many elements or too deep a nesting
 * is refused at once, so that a hostile body costs a scan, not a parse. Approximate where
 * it cannot matter (a `>` inside an attribute value): the parsers still decide well-formedness.
 */
function checkShape(text: string): void {
  let elements = 0;
  let depth = 0;
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === SLASH) {
      depth -= 1;
      continue;
    }
    if (next === 33 /* ! */ || next === 63 /* ? */) continue;
    elements += 1;
    const end = text.indexOf('>', i + 1);
    const selfClosing = end > 0 && text.charCodeAt(end - 1) === SLASH;
    if (!selfClosing) depth += 1;
    if (elements > MAX_XML_ELEMENTS) throw new XmlSyntaxError(`more than ${MAX_XML_ELEMENTS} elements`);
    if (depth > MAX_XML_NESTING) throw new XmlSyntaxError(`nested deeper than ${MAX_XML_NESTING} levels`);
    if (end < 0) return;
    i = end;
  }
}

/** Parses a request body into the same tree shape a JSON body has. */
export function decodeXml(text: string): Tree {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlSyntaxError('DTDs and entity declarations are not accepted');
  checkShape(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(`line ${valid.err.line}: ${valid.err.msg}`);
  return parser.parse(text) as Tree;
}
