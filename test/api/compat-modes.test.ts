// Compatibility modes (docs/compatibility.md "Compatibility modes"): per account in
// provisioning, per request with X-Serverchat-Compat; JSON changes, XML never does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { list, obj, ORIGIN, parseXml } from '../helpers/wire.ts';

const allModes: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, compatibility: { linkKeys: 'plain', lists: 'always', systemMessageId: 'string' } })),
};

type J = Record<string, unknown>;
const get = async (t: TestApp, url: string, headers: Record<string, string> = {}): Promise<J> => {
  const res = await t.inject({ method: 'GET', url, headers: { ...KEY_HEADER, ...headers } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as J;
};

/** events.json from=1: one event (the system line), and the two links. */
async function oneEvent(t: TestApp, chat: string, headers: Record<string, string> = {}): Promise<{ link: J[]; event: unknown }> {
  return (await get(t, `${chat}/events.json?from=1`, headers)).events as { link: J[]; event: unknown };
}

test('default modes: "@href"/"@rel", one item collapsed, systemMessageId a number', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const ev = await oneEvent(t, chat);
    assert.deepEqual(ev.link[0], { '@href': `${ORIGIN}${chat}/events`, '@rel': 'self' });
    assert.ok(!Array.isArray(ev.event));
    assert.equal((ev.event as J).systemMessageId, 4);
  });
});

test('account modes linkKeys "plain", lists "always", systemMessageId "string" in JSON', async () => {
  await withApp({ provisioning: allModes }, async (t) => {
    const chat = await startChat(t);
    const ev = await oneEvent(t, chat);
    assert.deepEqual(ev.link[0], { href: `${ORIGIN}${chat}/events`, rel: 'self' });
    assert.ok(Array.isArray(ev.event), 'one event is still a list');
    const [line] = ev.event as J[];
    assert.equal(line?.systemMessageId, '4');
    // Other attributes keep their "@": only link keys change.
    assert.equal(line?.['@id'], '1');
    assert.equal(line?.['@type'], 'line');
    // A single link (the account root has many; Start Chat's chat has many): still a list.
    const root = (await get(t, `/api/account/12345678.json`)).account as J;
    assert.ok(Array.isArray(root.link));
    assert.ok((root.link as J[]).every((l) => typeof l.href === 'string' && typeof l.rel === 'string' && !('@href' in l)));
  });
});

test('XML is the same whatever the modes', async () => {
  const xmlOf = async (provisioning: Provisioning | undefined, headers: Record<string, string> = {}) =>
    withApp(provisioning ? { provisioning } : {}, async (t) => {
      const chat = await startChat(t);
      const res = await t.inject({ method: 'GET', url: `${chat}/events.xml?from=1`, headers: { ...KEY_HEADER, ...headers } });
      return res.body;
    });
  const plain = await xmlOf(undefined);
  const modes = await xmlOf(allModes);
  const header = await xmlOf(undefined, { 'x-serverchat-compat': 'linkKeys=plain, lists=always, systemMessageId=string' });
  assert.equal(modes, plain);
  assert.equal(header, plain);
  const root = obj(parseXml(plain).events);
  assert.ok(list(root.link).every((l) => typeof l['@href'] === 'string'));
  assert.equal(list(root.event)[0]?.systemMessageId, '4');
});

test('per request: X-Serverchat-Compat overrides the account, one mode at a time; unknown values are ignored', async () => {
  await withApp({ provisioning: allModes }, async (t) => {
    const chat = await startChat(t);
    const back = await oneEvent(t, chat, { 'x-serverchat-compat': 'linkKeys=@; lists=collapse; systemMessageId=number' });
    assert.deepEqual(Object.keys(back.link[0] ?? {}), ['@href', '@rel']);
    assert.equal((back.event as J).systemMessageId, 4);
    const some = await oneEvent(t, chat, { 'x-serverchat-compat': 'lists=collapse, linkKeys=bogus, nonsense' });
    assert.ok(!Array.isArray(some.event));
    assert.deepEqual(Object.keys(some.link[0] ?? {}), ['href', 'rel']);
  });
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const ev = await oneEvent(t, chat, { 'x-serverchat-compat': 'systemMessageId=string' });
    assert.equal((ev.event as J).systemMessageId, '4');
    assert.deepEqual(Object.keys(ev.link[0] ?? {}), ['@href', '@rel']);
  });
});

test('provisioning: compatibility is checked', () => {
  const base = demoProvisioning.accounts[0];
  const bad = parseProvisioning({ accounts: [{ ...base, compatibility: { linkKeys: 'bare', lists: true, other: 'x' } }] });
  assert.equal(bad.ok, false);
  const problems = bad.ok ? [] : bad.problems;
  for (const k of ['linkKeys', 'lists', 'other']) assert.ok(problems.some((p) => p.includes(`compatibility.${k}`)), problems.join('\n'));
  const good = parseProvisioning({ accounts: [{ ...base, compatibility: { lists: 'always' } }] });
  assert.ok(good.ok);
  assert.deepEqual(good.value.accounts[0]?.compatibility, { linkKeys: '@', lists: 'always', systemMessageId: 'number' });
});
