// The console's serverchat extension GET …/agentSession/{id}/serverchat/desk (issue 15;
// docs/compatibility.md "Serverchat extensions"): previews of the chats ringing for this
// agent only, with the visitor's name, skill, question and ring deadline, and the
// account's canned responses; and the provisioning field behind them, every problem listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, AGENT, endByVisitor, startChat, withApp } from '../helpers/app.ts';
import { agentIn, fmtGet } from '../helpers/agents.ts';
import { readFileSync } from 'node:fs';
import { demoProvisioning, parseProvisioning } from '../../src/provisioning/provisioning.ts';

type Desk = { desk: { time: string; ringTimeout: number; ringing?: Array<Record<string, string>>; cannedResponses?: Array<{ shortcut: string; text: string }> } };

test('the desk previews what rings for the agent and lists the canned responses', async () => {
  await withApp({}, async (t) => {
    const nat = await agentIn(t, AGENT, { online: true });
    const empty = await fmtGet(t, `${nat.session}/serverchat/desk`, nat.auth, 'json');
    assert.equal(empty.statusCode, 200, empty.body);
    const before = empty.json() as Desk;
    assert.deepEqual(before.desk.ringing ?? [], []);
    assert.ok((before.desk.cannedResponses ?? []).some((c) => c.shortcut === 'hello'), 'the demo account has canned responses');

    await startChat(t, { skill: 'Sales', preChatLines: { line: ['Where is my parcel?'] } });
    const res = await fmtGet(t, `${nat.session}/serverchat/desk`, nat.auth, 'json');
    const desk = (res.json() as Desk).desk;
    assert.equal(desk.ringing?.length, 1);
    const [r] = desk.ringing ?? [];
    assert.equal(r?.skillName, 'Sales');
    assert.equal(r?.question, 'Where is my parcel?');
    assert.ok(r?.ringsUntil && Date.parse(r.ringsUntil) > Date.parse(r.queuedAt ?? ''), 'a ring deadline after the queue time');
    assert.equal(desk.ringTimeout > 0, true);

    await acceptNext(t, nat);
    const after = ((await fmtGet(t, `${nat.session}/serverchat/desk`, nat.auth, 'json')).json() as Desk).desk;
    assert.deepEqual(after.ringing ?? [], [], 'an accepted chat no longer rings');
    const xml = await fmtGet(t, `${nat.session}/serverchat/desk`, nat.auth, 'xml');
    assert.equal(xml.statusCode, 200);
    assert.match(xml.body, /<desk>.*<shortcut>hello<\/shortcut>/s);
    const none = await fmtGet(t, `${nat.session}/serverchat/desk`, {}, 'json');
    assert.equal(none.statusCode, 401);
  });
});

test("previous chats: the visitor's earlier chats by visitorId, for the agent's chat only", async () => {
  await withApp({}, async (t) => {
    const nat = await agentIn(t, AGENT, { online: true });
    const first = await startChat(t, { skill: 'Sales', visitorId: 4242 });
    const firstAgent = await acceptNext(t, nat);
    await endByVisitor(t, first);
    const other = await startChat(t, { skill: 'Sales' });
    await acceptNext(t, nat);
    await endByVisitor(t, other);
    await startChat(t, { skill: 'Sales', visitorId: 4242 });
    const second = await acceptNext(t, nat);
    const res = await fmtGet(t, `${second}/serverchat/previousChats`, nat.auth, 'json');
    assert.equal(res.statusCode, 200, res.body);
    const chats = (res.json() as { previousChats: { chat?: Array<Record<string, string>> } }).previousChats.chat ?? [];
    assert.deepEqual(chats.map((c) => c.chatId), [firstAgent.split('/').pop()], 'only the same visitor\'s earlier chat');
    assert.equal(chats[0]?.state, 'ended');
    assert.equal(chats[0]?.agentName, 'Natalie');
    assert.equal(chats[0]?.skillName, 'Sales');
    // Another chat's key that the agent does not hold: refused like every agent chat resource.
    const none = await fmtGet(t, `${second.replace(/chat\/[^/]+$/, 'chat/nope')}/serverchat/previousChats`, nat.auth, 'json');
    assert.equal(none.statusCode, 404, none.body);
  });
});

test('cannedResponses: every problem listed', () => {
  const account = (cannedResponses: unknown) => ({ accounts: [{ id: 'a', appKeys: ['k'], cannedResponses }] });
  assert.ok(parseProvisioning(account([{ shortcut: 'hi', text: 'Hello!' }])).ok);
  const bad = parseProvisioning(account([{ shortcut: 'has space', text: '' }, { shortcut: 'x', text: 'a', extra: 1 }, { shortcut: 'X', text: 'b' }, 'nope']));
  assert.equal(bad.ok, false);
  const problems = bad.ok ? [] : bad.problems;
  assert.deepEqual(problems, [
    'accounts[0].cannedResponses[0].shortcut: must be 1 to 32 letters, digits, "-" or "_" (typed after "/")',
    'accounts[0].cannedResponses[0].text: must be a non-empty string of at most 5000 characters',
    'accounts[0].cannedResponses[1].extra: unknown field',
    'accounts[0].cannedResponses[2].shortcut: "X" appears twice',
    'accounts[0].cannedResponses[3]: must be an object with "shortcut" and "text"',
  ]);
  const notList = parseProvisioning(account({}));
  assert.deepEqual(notList.ok ? [] : notList.problems, ['accounts[0].cannedResponses: must be an array of { "shortcut", "text" } objects']);
});

test('the demo account has the canned responses of examples/provision.json', () => {
  const parsed = parseProvisioning(JSON.parse(readFileSync(new URL('../../examples/provision.json', import.meta.url), 'utf8')));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value.accounts[0]?.cannedResponses, demoProvisioning.accounts[0]?.cannedResponses);
  assert.ok((demoProvisioning.accounts[0]?.cannedResponses ?? []).length >= 3);
});
