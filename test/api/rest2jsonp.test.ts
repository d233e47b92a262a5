// The rest2jsonp tunnel on the wire: one-part and split requests, as the JS SDK sends them.
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { ACCOUNT, APP_KEY, BASE, withApp, type TestApp } from '../helpers/app.ts';

const CB = 'lpCb123x456';
const H = { AUTHORIZATION: `LivePerson appKey=${APP_KEY}` };
const enc = (v: unknown): string => encodeURIComponent(JSON.stringify(v));

type Answer = { responseCode: number; headers?: Record<string, string>; body?: Record<string, unknown>; lpMeta?: { lpS: string } };
async function call(t: TestApp, path: string, q: string): Promise<Answer> {
  const res = await t.inject({ method: 'GET', url: `${BASE}/js2rest${path}?lpV=1&lpjson=1&${q}&cb=${CB}` });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/javascript/);
  let got: unknown;
  runInNewContext(res.body, { [CB]: (v: unknown) => void (got = JSON.parse(JSON.stringify(v))) });
  return got as Answer;
}

test('one part: the account root and a Start Chat, answered as {responseCode, headers, body}', async () => {
  await withApp({}, async (t) => {
    const root = await call(t, '', `lpB=${enc({ u: `https://localhost/api/account/${ACCOUNT}?v=1`, m: 'GET', b: '', h: H })}`);
    assert.equal(root.responseCode, 200);
    assert.equal((root.body?.account as { '@id': string })['@id'], ACCOUNT);
    assert.ok(JSON.stringify(root.body).includes(`http://localhost:80${BASE}/chat/request`), 'links name the outer request’s origin');
    const noKey = await call(t, '/chat', `lpB=${enc({ u: `https://localhost${BASE}/chat/availability?v=1`, m: 'GET', b: '', h: {} })}`);
    assert.equal(noKey.responseCode, 401);
  });
});

test('split: part 1 answers lpMeta.lpS, later parts name it, the last answers the request (201 + Location)', async () => {
  await withApp({}, async (t) => {
    const encoded = enc({ u: `https://localhost${BASE}/chat/request.json?v=1&NC=true`, m: 'POST', b: { request: { skill: 'Sales', preChatLines: { line: ['x'.repeat(300)] } } }, h: H });
    // Cut anywhere, even inside an escape, as the SDK may.
    const cuts = [0, 101, 202, encoded.length];
    const pieces = cuts.slice(1).map((end, i) => encoded.slice(cuts[i], end));
    const first = await call(t, '/chat', `lpP=1&lpO=3&lpB=${pieces[0]}`);
    assert.equal(first.responseCode, 200);
    const id = first.lpMeta?.lpS ?? '';
    assert.ok(id);
    assert.equal((await call(t, '/chat', `lpP=2&lpO=3&lpS=${id}&lpB=${pieces[1]}`)).responseCode, 200);
    const last = await call(t, '/chat', `lpP=3&lpO=3&lpS=${id}&lpB=${pieces[2]}`);
    assert.equal(last.responseCode, 201);
    assert.match(last.headers?.Location ?? '', new RegExp(`${BASE}/chat/`));
    // A part naming no split request in progress is refused, through the callback.
    const stale = await call(t, '/chat', `lpP=2&lpO=3&lpS=${id}&lpB=x`);
    assert.equal(stale.responseCode, 400);
    assert.match(String((stale.body?.error as { message: string }).message), /lpS names no split request/);
  });
});

test('only resources of the account in the path, only a plain callback', async () => {
  await withApp({}, async (t) => {
    for (const u of ['https://localhost/api/account/999/chat/availability', 'https://localhost/_serverchat/reset', `https://localhost${BASE}/js2rest/chat`]) {
      const got = await call(t, '/chat', `lpB=${enc({ u, m: 'GET', b: '', h: H })}`);
      assert.equal(got.responseCode, 400, u);
      assert.match(String((got.body?.error as { message: string }).message), /must be a resource of account/, u);
    }
    // No usable callback: a plain 400 in JSON, and nothing a script tag would run.
    for (const cb of ['alert(1)', '', 'x'.repeat(129)]) {
      const bad = await t.inject({ method: 'GET', url: `${BASE}/js2rest/chat?lpB=${enc({ u: `https://localhost${BASE}`, m: 'GET', h: H })}&cb=${encodeURIComponent(cb)}` });
      assert.equal(bad.statusCode, 400, cb);
      assert.match(String(bad.headers['content-type']), /^application\/json/, cb);
    }
  });
});

test('a malformed tunnel request calls a usable callback with responseCode 400 and the error (the SDK fails at once)', async () => {
  await withApp({}, async (t) => {
    // lpB that is not encoded JSON, lpB that is no {u, m, b, h}, lpB missing, a part number the schema refuses, an unknown method.
    const cases = ['lpB=%7Bnot-json', `lpB=${enc([1, 2])}`, 'lpjson=1', `lpP=0&lpO=2&lpB=x`, `lpB=${enc({ u: `https://localhost${BASE}`, m: 'PATCH', h: H })}`];
    for (const q of cases) {
      const got = await call(t, '/chat', q);
      assert.equal(got.responseCode, 400, q);
      assert.match(String(got.headers?.['Content-Type']), /^application\/json/, q);
      const error = got.body?.error as { internalCode: number; reason: string; message: string };
      assert.equal(error.reason, 'BAD_REQUEST', q);
      assert.equal(error.internalCode, 402, q);
    }
    // A successful answer is unchanged by it: still 200 with the API's own code inside.
    const ok = await call(t, '', `lpB=${enc({ u: `https://localhost${BASE}?v=1`, m: 'GET', b: '', h: H })}`);
    assert.equal(ok.responseCode, 200);
  });
});
