// docs/errors.md lists exactly the catalogue of src/errors.ts, with the same status,
// internalCode, reason and message, so the page and the code stay in step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { catalogue, type ErrorSpec } from '../../src/errors.ts';

const DOC = new URL('../../docs/errors.md', import.meta.url);

interface Row {
  status: number;
  internalCode: number;
  reason: string;
  message: string;
}

/** The rows of the table under "## Catalogue": | `code` | status | internalCode | reason | message | when | */
function documented(): Map<string, Row> {
  const text = readFileSync(DOC, 'utf8');
  const start = text.search(/^## Catalogue\s*$/m);
  assert.ok(start >= 0, 'docs/errors.md has a "## Catalogue" section');
  const rest = text.slice(start).split('\n').slice(1);
  const end = rest.findIndex((l) => /^## /.test(l));
  const rows = new Map<string, Row>();
  for (const line of end < 0 ? rest : rest.slice(0, end)) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*`?([A-Z_]+)`?\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (!m) continue;
    const [, code, status, internalCode, reason, message] = m as unknown as [string, string, string, string, string, string];
    assert.ok(!rows.has(code), `docs/errors.md lists ${code} twice`);
    rows.set(code, { status: Number(status), internalCode: Number(internalCode), reason, message });
  }
  return rows;
}

test('docs/errors.md lists exactly the codes of the catalogue', () => {
  const doc = [...documented().keys()].sort();
  const code = Object.keys(catalogue).sort();
  assert.ok(doc.length > 0, 'no catalogue rows found in docs/errors.md');
  assert.deepEqual(doc, code, 'codes in docs/errors.md (actual) vs src/errors.ts (expected)');
});

test('docs/errors.md gives each code the status, internalCode, reason and message of the catalogue', () => {
  const rows = documented();
  for (const [code, spec] of Object.entries(catalogue) as Array<[string, ErrorSpec]>) {
    const row = rows.get(code);
    if (!row) continue; // reported by the test above
    assert.equal(row.status, spec.status, `${code}: HTTP status`);
    assert.equal(row.internalCode, spec.internalCode, `${code}: internalCode`);
    assert.equal(row.reason, spec.reason, `${code}: reason`);
    assert.equal(row.message, spec.message, `${code}: message`);
  }
});

/** Codes the vendor's own pages give a number already taken: the CSRF error prints 10 (agent spec §1.2). */
const VENDOR_SHARED = new Set(['bad-csrf']);

test('internalCodes are unique, so clients can branch on them', () => {
  const seen = new Map<number, string>();
  for (const [code, spec] of Object.entries(catalogue) as Array<[string, ErrorSpec]>) {
    if (VENDOR_SHARED.has(code)) continue;
    assert.ok(!seen.has(spec.internalCode), `${code} and ${seen.get(spec.internalCode)} share internalCode ${spec.internalCode}`);
    seen.set(spec.internalCode, code);
  }
});
