// The plain object tree every representation produces and both codecs write (spec §1.4):
// keys starting with "@" are XML attributes, arrays are repeated elements, the single
// top-level key is the root element.

export type Scalar = string | number | boolean;
export type Node = Scalar | Tree | Node[] | null | undefined;
export interface Tree {
  [key: string]: Node;
}

/** A response document: exactly one root key. */
export type Doc = Record<string, Node>;
