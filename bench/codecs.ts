// Micro-benchmark of the wire writers (src/api/codecs/*) over two real documents
// (codec-docs.json, captured from the API tests): the visitor info of a chatting chat, the
// keep-alive poll's answer (spec §4.11), and a visitor chat resource with five events (§4.8).
//   node bench/codecs.ts [--iterations N]     (default 10000 per row and round; bounded)
// Prints the best of 7 rounds (rows interleaved, so that a busy machine hits all alike) in
// µs per encode, the output flattened into a Buffer as writing it to a socket does.
import { readFileSync } from 'node:fs';
import { encodeJson } from '../src/api/codecs/json.ts';
import type { Doc } from '../src/api/codecs/tree.ts';
import { encodeXml } from '../src/api/codecs/xml.ts';

const docs = JSON.parse(readFileSync(new URL('./codec-docs.json', import.meta.url), 'utf8')) as { info: Doc; chat: Doc };
const at = process.argv.indexOf('--iterations');
const N = at > 0 ? Math.max(1, Math.min(1_000_000, Number(process.argv[at + 1]) || 1)) : 10_000;
const ROUNDS = 7;

const rows: Array<[string, () => string]> = [
  ['info JSON', () => encodeJson(docs.info)],
  ['info XML', () => encodeXml(docs.info)],
  ['chat JSON', () => encodeJson(docs.chat)],
  ['chat XML', () => encodeXml(docs.chat)],
  ['chat JSON bare attributes', () => encodeJson(docs.chat, { collapse: true, bareAttributes: true })],
  ['chat JSON lists kept', () => encodeJson(docs.chat, { collapse: false })],
];

const best = rows.map(() => Number.POSITIVE_INFINITY);
const bytes = rows.map(([, fn]) => Buffer.from(fn()).length);
for (let round = 0; round < ROUNDS; round++) {
  rows.forEach(([, fn], r) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) Buffer.from(fn());
    best[r] = Math.min(best[r] ?? Number.POSITIVE_INFINITY, Number(process.hrtime.bigint() - t0) / N / 1e3);
  });
}
console.log(`best of ${ROUNDS} rounds × ${N} encodes`);
rows.forEach(([name], r) => console.log(`${name.padEnd(26)} ${(best[r] ?? 0).toFixed(2).padStart(7)} µs  ${String(bytes[r]).padStart(5)} B`));
