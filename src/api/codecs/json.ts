// The JSON codec: the only code that writes JSON on the wire.
import { occurrences, type Doc, type Node } from './tree.ts';

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
}

function shape(node: Node, collapse: boolean, bare = false): unknown {
  if (Array.isArray(node)) {
    const items = occurrences(node).map((n) => shape(n, collapse, bare));
    // An empty repeated element does not exist in XML, so the vendor's mapping omits it.
    if (items.length === 0) return collapse ? undefined : [];
    return collapse && items.length === 1 ? items[0] : items;
  }
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const s = shape(v, collapse, bare);
      if (s !== undefined) out[bare && k.startsWith('@') ? k.slice(1) : k] = s;
    }
    return out;
  }
  return node === null ? undefined : node;
}

export function encodeJson(doc: Doc, opts: JsonOptions = { collapse: true }): string {
  return JSON.stringify(shape(doc, opts.collapse, opts.bareAttributes ?? false) ?? {});
}
