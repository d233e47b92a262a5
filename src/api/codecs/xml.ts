// The XML codec: the only code that reads or writes XML. The mapping is the one the
// vendor's XML clients show (spec §1.4): "@x" keys are attributes, arrays repeat elements.
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { occurrences, type Doc, type Node, type Tree } from './tree.ts';

export const XML_CONTENT_TYPE = 'application/xml; charset=utf-8';

const builder = new XMLBuilder({
  attributeNamePrefix: '@',
  ignoreAttributes: false,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: true,
  textNodeName: '#text',
});

const parser = new XMLParser({
  attributeNamePrefix: '@',
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  textNodeName: '#text',
  // No DTDs: entity expansion from a request body is never wanted.
  htmlEntities: false,
});

function clean(node: Node): Node {
  if (Array.isArray(node)) return occurrences(node).map(clean);
  if (node !== null && typeof node === 'object') {
    const out: Tree = {};
    for (const [k, v] of Object.entries(node)) if (v !== undefined && v !== null) out[k] = clean(v);
    return out;
  }
  return node;
}

export function encodeXml(doc: Doc): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build(clean(doc)) as string}`;
}

export class XmlSyntaxError extends Error {}

/** Parses a request body into the same tree shape a JSON body has. */
export function decodeXml(text: string): Tree {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new XmlSyntaxError('DTDs and entity declarations are not accepted');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlSyntaxError(`line ${valid.err.line}: ${valid.err.msg}`);
  return parser.parse(text) as Tree;
}
