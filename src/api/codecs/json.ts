// The JSON codec: the only code that writes JSON on the wire.
// `shape` maps the tree to the vendor's JSON (one-item lists collapsed, empty lists and
// absent values dropped, bare attribute names on request) and JSON.stringify writes it.
// It runs on every keep-alive poll, so it copies only what the mapping changes and hands
// every untouched subtree (a link, an event without lists) to JSON.stringify as it is.
// The bytes are those of the full-copy mapping it replaced (test/unit/codecs-golden.*).
import { EmbeddedJson, occurrences, type Doc, type Node, type Tree } from './tree.ts';

export const JSON_CONTENT_TYPE = 'application/json';

export interface JsonOptions {
  /**
   * Render a one-item list as the item itself, as the vendor's XML-to-JSON mapping did
   * (spec §1.4, "Single item versus list"). Off for JSON-native APIs (Login Service).
   */
  collapse: boolean;
  /**
   * Write attribute keys without their "@" (`href`, `rel`, `id`, `type`), as the agent
   * pages Retrieve Chat Sessions and Retrieve Data for Multiple Chats show (agent spec §5 #7).
   * XML is unaffected: there they are attributes either way.
   */
  bareAttributes?: boolean;
  /** Compatibility mode linkKeys "plain": `href` and `rel` without their "@" (and no other key). */
  plainLinks?: boolean;
  /** Compatibility mode systemMessageId "string": `"systemMessageId":"4"`. */
  systemMessageIdAsString?: boolean;
}

/** The options as the walk reads them, resolved once per document. */
interface Walk {
  collapse: boolean;
  bare: boolean;
  plainLinks: boolean;
  idAsString: boolean;
}

const AT = 64; // "@"

/** The node as JSON.stringify should see it: the node itself when the mapping leaves it be. */
function shape(node: Node, w: Walk): unknown {
  if (typeof node !== 'object') return node; // scalars; undefined stays undefined
  if (node === null) return undefined;
  if (node instanceof EmbeddedJson) return node.value;
  return Array.isArray(node) ? shapeList(node, w) : shapeTree(node, w);
}

function keyName(key: string, w: Walk): string {
  if (key.charCodeAt(0) !== AT) return key;
  if (w.bare || (w.plainLinks && (key === '@href' || key === '@rel'))) return key.slice(1);
  return key;
}

function shapeList(node: Node[], w: Walk): unknown {
  const collapse = w.collapse;
  // A copy only from the first item that changes: absent, a nested list, or reshaped.
  let copy: unknown[] | undefined;
  for (let i = 0; i < node.length; i++) {
    const n = node[i];
    if (n === undefined || n === null) {
      copy ??= node.slice(0, i);
    } else if (Array.isArray(n)) {
      // XML has no list of lists: one flat sequence (tree.ts occurrences).
      copy ??= node.slice(0, i);
      for (const m of occurrences(n)) copy.push(shape(m, w));
    } else {
      const s = shape(n, w);
      if (copy === undefined && s !== n) copy = node.slice(0, i);
      copy?.push(s);
    }
  }
  const items = copy ?? node;
  // An empty repeated element does not exist in XML, so the vendor's mapping omits it.
  if (items.length === 0) return collapse ? undefined : items;
  return collapse && items.length === 1 ? items[0] : items;
}

function shapeTree(node: Tree, w: Walk): unknown {
  let copy: Record<string, unknown> | undefined;
  for (const key in node) {
    const v = node[key];
    const s = w.idAsString && typeof v === 'number' && key === 'systemMessageId' ? String(v) : shape(v, w);
    const name = keyName(key, w);
    if (copy === undefined) {
      // "__proto__" is never a member: in a copy it would set the prototype instead.
      if (s === v && name === key && key !== '__proto__') continue;
      copy = {};
      for (const before in node) {
        if (before === key) break;
        if (node[before] !== undefined) copy[before] = node[before];
      }
    }
    if (s !== undefined) copy[name] = s;
  }
  return copy ?? node;
}

export function encodeJson(doc: Doc, opts: JsonOptions = { collapse: true }): string {
  const w: Walk = { collapse: opts.collapse, bare: opts.bareAttributes ?? false, plainLinks: opts.plainLinks ?? false, idAsString: opts.systemMessageIdAsString ?? false };
  return JSON.stringify(shape(doc, w) ?? {});
}

/** No vendor body comes near these (issue 11, finding 1), as for XML (xml.ts). */
export const MAX_JSON_VALUES = 2000;
export const MAX_JSON_NESTING = 32;
const QUOTE = 34;
const BACKSLASH = 92;

/**
 * One pass over the text before JSON.parse sees it: too many values or too deep a nesting is
 * refused at once, so a hostile body costs a scan, not a parse and a walk of what it built.
 * Counts `{`, `[` and `,` outside strings: at least the values less one.
 */
function checkJsonShape(text: string): void {
  let values = 0;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      depth += 1;
      values += 1;
      if (depth > MAX_JSON_NESTING) throw new SyntaxError(`nested deeper than ${MAX_JSON_NESTING} levels`);
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth -= 1;
    else if (c === 44 /* , */) values += 1;
    if (values > MAX_JSON_VALUES) throw new SyntaxError(`more than ${MAX_JSON_VALUES} values`);
  }
}

/** Parses a request body, bounded by checkJsonShape; throws SyntaxError. */
export function decodeJson(text: string): unknown {
  checkJsonShape(text);
  return JSON.parse(text) as unknown;
}
