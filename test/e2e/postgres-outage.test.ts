// One serverchat process on PostgreSQL, and PostgreSQL goes away: requests answer 503
// `store-unavailable` in the format asked for (docs/errors.md), the process stays up, and
// once PostgreSQL is back it serves again by itself, with what was acknowledged before.
// And a PostgreSQL that cannot be reached at start: exit 1 with one clear line.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { http, json, sleep, runCli, startInstance, type Instance, type Reply } from '../helpers/instances.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { asArray, lastSegment, parseXmlRoot, TIME, type EventsDoc } from '../helpers/wire.ts';
import { freePort } from '../helpers/ports.ts';

const VISITOR = { authorization: 'LivePerson appKey=721c180b09eb463d9f3191c41762bb68' };
const ERROR_FIELDS = ['time', 'reason', 'message', 'internalCode', 'responseStatus'];
/** A request during the outage must fail fast, not wait for the statement timeout (5 s) and more. */
const FAIL_FAST_MS = 6_000;
/** After PostgreSQL is back, requests succeed again within this. */
const RECOVERY_MS = 5_000;
/** What a 503 must not tell clients: where the database is, or the driver's error. */
const NO_DETAILS = /127\.0\.0\.1|ECONNREFUSED|postgres(ql)?:\/\/|57P01/i;

const pgServer = await startPostgres();
const instances: Instance[] = [];
after(async () => {
  await Promise.all(instances.map((i) => i.kill('SIGKILL')));
  await pgServer.destroy();
});

const line = (text: string): { event: { '@type': string; text: string } } => ({ event: { '@type': 'line', text } });

async function timed(what: string, call: () => Promise<Reply>): Promise<Reply> {
  const t = Date.now();
  const r = await call();
  assert.ok(Date.now() - t < FAIL_FAST_MS, `${what}: answered after ${Date.now() - t} ms`);
  return r;
}

function isUnavailableJson(what: string, r: Reply): void {
  assert.equal(r.status, 503, `${what}: ${r.text}`);
  assert.equal(r.contentType, 'application/json', what);
  const error = json<{ error: Record<string, unknown> }>(r).error;
  assert.deepEqual(Object.keys(error), ERROR_FIELDS, what);
  assert.match(String(error.time), TIME, what);
  assert.deepEqual([error.reason, error.internalCode, error.responseStatus], ['SERVICE_UNAVAILABLE', 532, 'SERVICE_UNAVAILABLE'], what);
  assert.match(String(error.message), /^The chat store cannot be reached; try again shortly/, what);
  assert.doesNotMatch(r.text, NO_DETAILS, `${what}: the body names no database address or cause`);
}

function isUnavailableXml(what: string, r: Reply): void {
  assert.equal(r.status, 503, `${what}: ${r.text}`);
  assert.equal(r.contentType, 'application/xml; charset=utf-8', what);
  assert.ok(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><error><time>'), `${what}: ${r.text}`);
  const error = parseXmlRoot(r.text).error as Record<string, unknown>;
  assert.deepEqual(Object.keys(error), ERROR_FIELDS, what);
  assert.deepEqual([error.reason, error.internalCode, error.responseStatus], ['SERVICE_UNAVAILABLE', '532', 'SERVICE_UNAVAILABLE'], what);
  assert.doesNotMatch(r.text, NO_DETAILS, `${what}: the body names no database address or cause`);
}

test('PostgreSQL stops: 503 store-unavailable in JSON and XML, the process stays up, and serves again by itself', { timeout: 60_000 }, async () => {
  const url = await pgServer.createDatabase('outage');
  const inst = await startInstance('outage', ['--store', url, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn']);
  instances.push(inst);
  const base = `${inst.url}/api/account/12345678`;

  const created = await http('POST', `${base}/chat/request.json`, { headers: VISITOR, body: { request: { skill: 'Sales', interactionTimeout: 600 } } });
  assert.equal(created.status, 201, created.text);
  const chat = created.location ?? '';
  const before = await http('POST', `${chat}/events.json`, { headers: VISITOR, body: line('before the outage') });
  assert.equal(before.status, 201, before.text);
  const beforeId = Number(lastSegment(before.location ?? ''));

  await pgServer.stop();
  const t0 = Date.now();
  isUnavailableJson('chat request', await timed('chat request', () => http('POST', `${base}/chat/request.json`, { headers: VISITOR, body: { request: { skill: 'Sales' } } })));
  isUnavailableXml('info.xml', await timed('info.xml', () => http('GET', `${chat}/info.xml`, { headers: VISITOR })));
  isUnavailableJson('events.json', await timed('events.json', () => http('GET', `${chat}/events.json`, { headers: VISITOR })));
  isUnavailableJson('a line', await timed('a line', () => http('POST', `${chat}/events.json`, { headers: VISITOR, body: line('during the outage') })));
  isUnavailableXml('info, Accept XML', await timed('info, Accept XML', () => http('GET', `${chat}/info`, { headers: { ...VISITOR, accept: 'application/xml' } })));
  const xmlLine = () => http('POST', `${chat}/events.xml`, { headers: { ...VISITOR, 'content-type': 'application/xml' }, body: '<event type="line"><text>during the outage, in XML</text></event>' });
  isUnavailableXml('an XML line', await timed('an XML line', xmlLine));
  // A few sweeps and keep-alive flushes fail meanwhile: the process stays, and keeps answering 503.
  await sleep(Math.max(0, t0 + 2_500 - Date.now()));
  assert.ok(inst.running(), `the process stays up:\n${inst.output()}`);
  isUnavailableJson('info.json, later', await timed('info.json, later', () => http('GET', `${chat}/info.json`, { headers: VISITOR })));

  await pgServer.start();
  const back = Date.now();
  let info: Reply | null = null;
  for (let n = 0; n < 100 && Date.now() - back < RECOVERY_MS * 2; n++) {
    info = await http('GET', `${chat}/info.json`, { headers: VISITOR });
    if (info.status === 200) break;
    assert.equal(info.status, 503, info.text);
    await sleep(100);
  }
  const recovered = Date.now() - back;
  assert.equal(info?.status, 200, `serves again after PostgreSQL is back: ${info?.text}`);
  assert.ok(recovered <= RECOVERY_MS, `serves again ${recovered} ms after PostgreSQL is back`);
  assert.equal(json<{ info: { state: string } }>(info).info.state, 'waiting');

  // What was acknowledged is there; what got 503 is not; numbering carries on.
  const events = asArray(json<EventsDoc>(await http('GET', `${chat}/events.json`, { headers: VISITOR })).events.event);
  assert.deepEqual(events.map((e) => e['@id']), events.map((_, n) => String(n)));
  assert.equal(events[beforeId]?.text, 'before the outage');
  assert.deepEqual(events.filter((e) => e.text?.startsWith('during the outage')), []);
  const after = await http('POST', `${chat}/events.json`, { headers: VISITOR, body: line('after the outage') });
  assert.equal(after.status, 201, after.text);
  assert.equal(Number(lastSegment(after.location ?? '')), events.length);
  const again = await http('POST', `${base}/chat/request.json`, { headers: VISITOR, body: { request: { skill: 'Sales' } } });
  assert.equal(again.status, 201, again.text);
  assert.ok(inst.running());
  console.log(`postgres-outage: 503s during the outage, serving again ${recovered} ms after PostgreSQL came back`);
});


test('an unreachable PostgreSQL at start: exit 1 and one clear line on stderr, no stack', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const run = await runCli(['--store', `postgres://serverchat:s3cret-pw@127.0.0.1:${port}/serverchat`, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], 20_000);
  const report = `exit ${run.code ?? run.signal}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
  assert.equal(run.timedOut, false, `it gives up instead of hanging\n${report}`);
  assert.equal(run.code, 1, report);
  assert.doesNotMatch(run.stdout, /listening/, report);
  const lines = run.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line\n${report}`);
  assert.match(lines[0] ?? '', /^serverchat: .*PostgreSQL/, report);
  assert.ok(lines[0]?.includes(`127.0.0.1:${port}`), `it says where it tried\n${report}`);
  assert.doesNotMatch(run.stderr, /^\s+at /m, `no stack trace\n${report}`);
  assert.doesNotMatch(run.stderr, /s3cret-pw/, `the password is not shown\n${report}`);
});
