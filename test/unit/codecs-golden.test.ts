// Byte-exactness of the wire codecs (src/api/codecs/*). codecs-golden.json holds what the
// codecs wrote before they were rewritten as direct writers (fast-xml-parser's builder;
// shape + JSON.stringify): one API-test document per resource shape, captured from the API
// tests, plus edge cases. The fuzz half compares against those old writers, rebuilt here
// from fast-xml-parser's XMLBuilder with the options the codec had, on random trees.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { XMLBuilder } from 'fast-xml-parser';
import { encodeJson } from '../../src/api/codecs/json.ts';
import { occurrences, type Doc, type Node, type Tree } from '../../src/api/codecs/tree.ts';
import { encodeXml, XML_FORBIDDEN } from '../../src/api/codecs/xml.ts';

/**
 * The old writers wrote characters XML 1.0 forbids as they were; the codec writes U+FFFD in
 * their place (issue 11, finding 5), and is otherwise byte for byte the same.
 */
const FORBIDDEN_ALL = new RegExp(XML_FORBIDDEN.source, 'g');
const xmlSafe = (xml: string): string => xml.replace(FORBIDDEN_ALL, '\ufffd');

interface Case {
  name: string;
  doc: unknown;
  xml: string;
  json: string;
  jsonList: string;
  jsonBare: string;
}
const golden = JSON.parse(readFileSync(new URL('./codecs-golden.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** JSON cannot hold undefined, NaN, ±Infinity or -0: the fixture spells them as markers. */
function revive(v: unknown): Node {
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.$undefined === true) return undefined;
    if (typeof o.$number === 'string') return Number(o.$number);
    const out: Tree = {};
    for (const [k, x] of Object.entries(o)) out[k] = revive(x);
    return out;
  }
  return v as Node;
}

describe('codecs: golden output (captured before the direct writers)', () => {
  assert.ok(golden.cases.length > 100);
  for (const c of golden.cases) {
    it(c.name, () => {
      const doc = revive(c.doc) as Doc;
      assert.equal(encodeXml(doc), xmlSafe(c.xml));
      assert.equal(encodeJson(doc), c.json);
      assert.equal(encodeJson(doc, { collapse: true }), c.json);
      assert.equal(encodeJson(doc, { collapse: false }), c.jsonList);
      assert.equal(encodeJson(doc, { collapse: true, bareAttributes: true }), c.jsonBare);
    });
  }
});

// --- the old writers, as the oracle -------------------------------------------------------

const oldBuilder = new XMLBuilder({
  attributeNamePrefix: '@',
  ignoreAttributes: false,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
  processEntities: true,
  textNodeName: '#text',
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

const oldXml = (doc: Doc): string => `<?xml version="1.0" encoding="UTF-8"?>${oldBuilder.build(clean(doc)) as string}`;

function shape(node: Node, collapse: boolean, bare: boolean): unknown {
  if (Array.isArray(node)) {
    const items = occurrences(node).map((n) => shape(n, collapse, bare));
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

const oldJson = (doc: Doc, collapse: boolean, bare: boolean): string => JSON.stringify(shape(doc, collapse, bare) ?? {});

// --- random trees ---------------------------------------------------------------------------

/** Deterministic PRNG (mulberry32), so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['a', 'b', 'link', 'event', 'text', '@id', '@href', '@rel', '@a', 'id', 'href', '1', '@2', '@', '#text', '?pi', 'ü', '__proto__', '@__proto__'];
const STRINGS = ['', 'x', 'Tom & "Jerry"', "it's", '<b>', '>', '&amp;', 'ü ☃ 😀', '\n\t\r', '\u0001', '\\', '\ud800', 'true', '0', ' spaced '];
const NUMBERS = [0, -0, 1, -3, 12.5, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53];

function randomNode(r: () => number, depth: number, inList: boolean): Node {
  const x = r();
  if (x < 0.08) return null;
  if (x < 0.14) return undefined;
  if (x < 0.36) return STRINGS[Math.floor(r() * STRINGS.length)];
  if (x < 0.46) return NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (x < 0.52) return r() < 0.5;
  if (depth > 4) return 'leaf';
  if (x < 0.7) {
    const n = Math.floor(r() * 4);
    return Array.from({ length: n }, () => randomNode(r, depth + 1, true));
  }
  return randomTree(r, depth + 1, inList);
}

function randomTree(r: () => number, depth: number, _inList: boolean): Tree {
  const out: Tree = {};
  const n = Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const key = NAMES[Math.floor(r() * NAMES.length)] as string;
    const v = randomNode(r, depth, false);
    // "#text" holding a list or an object is no convention of tree.ts (the old builder
    // printed "[object Object]" or threw); as a scalar it is the element's text.
    if (key === '#text' && v !== null && typeof v === 'object') continue;
    // An own "__proto__" is dropped by both (the old writers' copies set the prototype with it,
    // and the old builder then read an inherited "#text" from a tree there: not reproduced).
    if (key === '__proto__' && v !== null && typeof v === 'object' && !Array.isArray(v)) continue;
    // An own "__proto__" member, as JSON.parse makes one (plain assignment would set the prototype).
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

describe('codecs: same bytes as the old writers on random trees', () => {
  it('XML and JSON (all options), 3000 seeded trees', () => {
    const r = rng(20261123);
    for (let i = 0; i < 3000; i++) {
      const doc = randomTree(r, 0, false);
      const label = `tree #${i}: ${JSON.stringify(doc)}`;
      assert.equal(encodeXml(doc), xmlSafe(oldXml(doc)), label);
      assert.equal(encodeJson(doc), oldJson(doc, true, false), label);
      assert.equal(encodeJson(doc, { collapse: false }), oldJson(doc, false, false), label);
      assert.equal(encodeJson(doc, { collapse: true, bareAttributes: true }), oldJson(doc, true, true), label);
      assert.equal(encodeJson(doc, { collapse: false, bareAttributes: true }), oldJson(doc, false, true), label);
    }
  });

  it('throws like the old builder past 100 nested elements', () => {
    let deep: Tree = { leaf: 'x' };
    for (let i = 0; i < 120; i++) deep = { n: deep };
    assert.throws(() => oldXml(deep), /Maximum nested tags exceeded/);
    assert.throws(() => encodeXml(deep), /Maximum nested tags exceeded/);
    let ok: Tree = { leaf: 'x' };
    for (let i = 0; i < 90; i++) ok = { n: ok };
    assert.equal(encodeXml(ok), oldXml(ok));
  });
});
