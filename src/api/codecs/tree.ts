// The plain object tree every representation produces and both codecs write (spec §1.4):
// keys starting with "@" are XML attributes, arrays are repeated elements, the single
// top-level key is the root element.

export type Scalar = string | number | boolean;
export type Node = Scalar | Tree | Node[] | EmbeddedJson | null | undefined;

/**
 * A JSON value carried as it is: JSON writes it in place, XML (which has no mapping for
 * arbitrary JSON keys) writes its JSON text as the element's text. The `json` of a
 * rich-content line (agent API §4.13) is one.
 */
export class EmbeddedJson {
  readonly value: unknown;
  constructor(value: unknown) {
    this.value = value;
  }
}
export interface Tree {
  [key: string]: Node;
}

/** A response document: exactly one root key. */
export type Doc = Record<string, Node>;

/**
 * The occurrences of a repeated element: absent ones dropped, and a list inside a list
 * spliced in place — XML has no list of lists, so both codecs read one as one flat sequence.
 */
export function occurrences(list: Node[]): Node[] {
  const out: Node[] = [];
  for (const n of list) {
    if (Array.isArray(n)) out.push(...occurrences(n));
    else if (n !== undefined && n !== null) out.push(n);
  }
  return out;
}
