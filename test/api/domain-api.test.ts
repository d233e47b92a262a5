// The Domain API (spec §1.1) in every form a known client calls, in JSON, XML and JSONP:
// each names this server's address (the request's host) for any service of a provisioned
// account, and nothing for an account that is not.
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import { ACCOUNT, BASE, KEY_HEADER, withApp } from '../helpers/app.ts';
import { list, obj, parseXmlRoot } from '../helpers/wire.ts';

const HOST = 'chat.example.test:8443';

test('GET …/service/{service}/baseURI.json?version=1.0: {service, account, baseURI} naming this server, no key needed', async () => {
  await withApp({}, async (t) => {
    for (const service of ['conversationVep', 'agentVep', 'smt', 'adminArea', 'anyOtherService']) {
      const res = await t.inject({ method: 'GET', url: `${BASE}/service/${service}/baseURI.json?version=1.0`, headers: { host: HOST } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/json');
      assert.deepEqual(res.json(), { service, account: ACCOUNT, baseURI: HOST });
    }
    // The IBM harness's form under /csdr, and the default port of injected requests.
    const csdr = await t.inject({ method: 'GET', url: `/csdr/account/${ACCOUNT}/service/conversationVep/baseURI.json?version=1.0` });
    assert.deepEqual(csdr.json(), { service: 'conversationVep', account: ACCOUNT, baseURI: 'localhost:80' });
    // The base URI it names is where the account root answers.
    const root = await t.inject({ method: 'GET', url: `${BASE}.json?v=1`, headers: { ...KEY_HEADER, host: HOST } });
    assert.equal(root.statusCode, 200);
    assert.ok(root.body.includes(`http://${HOST}${BASE}`), root.body);
  });
});

test('GET …/service/{service}/baseURI.xml: the same fields under <csdsResponse>', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: `${BASE}/service/conversationVep/baseURI.xml?version=1.0`, headers: { host: HOST } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml\b/);
    assert.deepEqual(obj(parseXmlRoot(res.body).csdsResponse), { service: 'conversationVep', account: ACCOUNT, baseURI: HOST });
  });
});

test('GET …/service/baseURI: every service, baseURIs always a list (JSON) / repeated elements (XML)', async () => {
  await withApp({}, async (t) => {
    for (const url of [`${BASE}/service/baseURI.json?version=1.0`, `/csdr/account/${ACCOUNT}/service/baseURI.json?version=1.0`]) {
      const res = await t.inject({ method: 'GET', url, headers: { host: HOST } });
      assert.equal(res.statusCode, 200, res.body);
      const doc = res.json() as { baseURIs: { service: string; account: string; baseURI: string }[] };
      assert.deepEqual(Object.keys(doc), ['baseURIs']);
      assert.deepEqual(doc.baseURIs.map((b) => b.service).sort(), ['adminArea', 'agentVep', 'conversationVep', 'smt']);
      for (const b of doc.baseURIs) assert.deepEqual(b, { service: b.service, account: ACCOUNT, baseURI: HOST });
    }
    const xml = await t.inject({ method: 'GET', url: `${BASE}/service/baseURI.xml`, headers: { host: HOST } });
    const items = list(obj(parseXmlRoot(xml.body).csdsCollectionResponse).baseURIs);
    assert.equal(items.length, 4);
    assert.ok(items.every((b) => b.baseURI === HOST && b.account === ACCOUNT));
  });
});

test('an account that is not provisioned: 401 in the format asked for', async () => {
  await withApp({}, async (t) => {
    const json = await t.inject({ method: 'GET', url: '/api/account/999/service/conversationVep/baseURI.json?version=1.0' });
    assert.equal(json.statusCode, 401);
    assert.match(String((json.json() as { error: { message: string } }).error.message), /999/);
    const xml = await t.inject({ method: 'GET', url: '/api/account/999/service/conversationVep/baseURI.xml?version=1.0' });
    assert.equal(xml.statusCode, 401);
    assert.ok(obj(parseXmlRoot(xml.body).error));
  });
});

/** Runs a JSONP answer as a script tag would, and returns what it passed its callback. */
function runJsonp(body: string, cb: string): unknown {
  let got: unknown;
  const sandbox: Record<string, unknown> = { [cb]: (v: unknown) => void (got = JSON.parse(JSON.stringify(v))) };
  runInNewContext(body, sandbox);
  return got;
}

test('GET /csdr/…/baseURI.lpCsds?version=1.0&cb=NAME: the JS SDK lookup, NAME({ResultSet:{lpData:[{lpServer}]}})', async () => {
  await withApp({}, async (t) => {
    const cb = 'lpCb12345x67890';
    const res = await t.inject({ method: 'GET', url: `/csdr/account/${ACCOUNT}/service/adminArea/baseURI.lpCsds?version=1.0&cb=${cb}`, headers: { host: HOST } });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/javascript\b/);
    assert.ok(res.body.startsWith(`${cb}(`), res.body);
    assert.deepEqual(runJsonp(res.body, cb), { ResultSet: { lpData: [{ lpServer: HOST }] } });
    // Unknown account: still a call (a script tag sees no status), with nothing in it.
    const unknown = await t.inject({ method: 'GET', url: `/csdr/account/999/service/adminArea/baseURI.lpCsds?version=1.0&cb=${cb}` });
    assert.equal(unknown.statusCode, 200);
    assert.deepEqual(runJsonp(unknown.body, cb), { ResultSet: { lpData: [] } });
  });
});

test('the JSONP callback must be an identifier: anything else is 400 and nothing runs', async () => {
  await withApp({}, async (t) => {
    for (const cb of ['alert(1)//', 'a-b', '1abc', '']) {
      const res = await t.inject({ method: 'GET', url: `/csdr/account/${ACCOUNT}/service/adminArea/baseURI.lpCsds?version=1.0&cb=${encodeURIComponent(cb)}` });
      assert.equal(res.statusCode, 400, cb);
      assert.equal(res.headers['content-type'], 'application/json');
    }
    const missing = await t.inject({ method: 'GET', url: `/csdr/account/${ACCOUNT}/service/adminArea/baseURI.lpCsds?version=1.0` });
    assert.equal(missing.statusCode, 400);
    const dotted = await t.inject({ method: 'GET', url: `/csdr/account/${ACCOUNT}/service/adminArea/baseURI.lpCsds?cb=lpTag.cb_1` });
    assert.equal(dotted.statusCode, 200);
  });
});
