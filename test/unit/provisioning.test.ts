// The provisioning file (src/chat/provisioning.ts): the example is valid, a bad file lists
// every problem with its path, and applying is idempotent with hashed passwords.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashPassword, verifyPassword } from '../../src/chat/agents/passwords.ts';
import { applyProvisioning, demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/** A provisioning file as an operator writes it: two accounts, skills, agents, defaults left out. */
const EXAMPLE_FILE = `{
  "accounts": [
    {
      "id": "12345678",
      "appKeys": ["721c180b09eb463d9f3191c41762bb68"],
      "chatTimeout": 40,
      "language": "en-US",
      "skills": [{ "id": 25975313, "name": "Sales" }, { "id": 26060413, "name": "Billing" }],
      "agents": [
        { "id": 25025413, "name": "Natalie", "loginName": "natalie", "password": "secret", "skills": [25975313], "maxChats": 4 },
        { "id": 25025414, "name": "Bot", "loginName": "bot", "password": "bot-pass", "skills": [25975313, 26060413], "maxChats": -1 }
      ]
    },
    { "id": "other-account", "appKeys": ["k1", "k2"] }
  ]
}`;

function problemsOf(input: unknown): string[] {
  const r = parseProvisioning(input);
  assert.equal(r.ok, false, 'expected the file to be rejected');
  return r.ok ? [] : r.problems;
}

function parsed(input: unknown): Provisioning {
  const r = parseProvisioning(input);
  if (!r.ok) assert.fail(r.problems.join('\n'));
  return r.value;
}

describe('parseProvisioning', () => {
  it('accepts the example file and fills in the defaults', () => {
    const p = parsed(JSON.parse(EXAMPLE_FILE));
    assert.equal(p.accounts.length, 2);
    const [first, second] = p.accounts;
    assert.deepEqual(first?.agents.map((a) => [a.loginName, a.maxChats, a.skills]), [['natalie', 4, [25975313]], ['bot', -1, [25975313, 26060413]]]);
    assert.deepEqual(second, { id: 'other-account', appKeys: ['k1', 'k2'], chatTimeout: 40, language: 'en-US', skills: [], agents: [] });
  });

  it('accepts the built-in demo provisioning and gives agents 4 chats by default', () => {
    assert.deepEqual(parsed(demoProvisioning), demoProvisioning);
    const p = parsed({ accounts: [{ id: 'a', appKeys: ['k'], skills: [{ id: 1, name: 'S' }], agents: [{ id: 1, name: 'N', loginName: 'n', password: 'p' }] }] });
    assert.deepEqual(p.accounts[0]?.agents[0], { id: 1, name: 'N', loginName: 'n', password: 'p', skills: [], maxChats: 4 });
  });

  it('rejects a file that is not an object with an accounts array', () => {
    for (const bad of [null, [], 'x', {}, { accounts: {} }]) assert.equal(problemsOf(bad).length, 1);
  });

  it('lists every problem of an invalid file at once, each with its path', () => {
    const file = {
      accounts: [
        {
          id: 'ok-1', appKeys: ['k'], chatTimeout: 0, language: '',
          skills: [{ id: 1, name: 'Sales' }, { id: 1, name: 'Again' }, { id: -2, name: '' }, 'x'],
          agents: [
            { id: 1, name: 'A', loginName: 'a', password: 'p', skills: [1], maxChats: 2 },
            { id: 1, name: 'B', loginName: 'a', password: '', skills: [9], maxChats: 0, colour: 'red' },
            { id: 2.5, name: 'C', loginName: 'c', password: 'p', skills: 'all', maxChats: -2 },
          ],
        },
        { id: 'ok-1', appKeys: [] },
        { id: 'has space', appKeys: ['with space'], skills: {}, agents: {}, extra: true },
      ],
      version: 2,
    };
    const problems = problemsOf(file);
    const paths = problems.map((p) => p.slice(0, p.indexOf(':')));
    assert.deepEqual(paths.sort(), [
      '$.version',
      'accounts[0].agents[1].id',
      'accounts[0].agents[1].loginName',
      'accounts[0].agents[1].maxChats',
      'accounts[0].agents[1].password',
      'accounts[0].agents[1].skills',
      'accounts[0].agents[1].colour',
      'accounts[0].agents[2].id',
      'accounts[0].agents[2].maxChats',
      'accounts[0].agents[2].skills',
      'accounts[0].chatTimeout',
      'accounts[0].language',
      'accounts[0].skills[1].id',
      'accounts[0].skills[2].id',
      'accounts[0].skills[2].name',
      'accounts[0].skills[3]',
      'accounts[1].appKeys',
      'accounts[1].id',
      'accounts[2].agents',
      'accounts[2].appKeys',
      'accounts[2].extra',
      'accounts[2].id',
      'accounts[2].skills',
    ].sort());
    const text = problems.join('\n');
    assert.match(text, /accounts\[0\]\.agents\[1\]\.maxChats: must be a positive whole number, or -1 for unlimited/);
    assert.match(text, /accounts\[0\]\.agents\[1\]\.skills: 9 is not a skill of this account/);
    assert.match(text, /accounts\[0\]\.agents\[1\]\.loginName: "a" appears twice/);
    assert.match(text, /accounts\[1\]\.id: account "ok-1" appears twice/);
  });
});

describe('applyProvisioning', () => {
  it('stores accounts and agents, with passwords hashed, not in clear', async () => {
    const store = new SqliteStore(':memory:');
    try {
      await applyProvisioning(store, parsed(JSON.parse(EXAMPLE_FILE)));
      assert.deepEqual((await store.listAccounts()).map((a) => a.id).sort(), ['12345678', 'other-account']);
      assert.deepEqual(await store.getAccount('other-account'), { id: 'other-account', appKeys: ['k1', 'k2'], chatTimeout: 40, language: 'en-US', skills: [] });
      const natalie = await store.findAgentByLogin('12345678', 'natalie');
      assert.ok(natalie);
      assert.equal(natalie.availability, 'Offline');
      assert.deepEqual({ ...natalie, passwordHash: '' }, {
        accountId: '12345678', id: 25025413, name: 'Natalie', loginName: 'natalie', passwordHash: '',
        skills: [25975313], maxChats: 4, availability: 'Offline',
      });
      assert.ok(!natalie.passwordHash.includes('secret'));
      assert.match(natalie.passwordHash, /^[0-9a-f]{32}:[0-9a-f]{64}$/);
      assert.equal(await verifyPassword('secret', natalie.passwordHash), true);
      assert.equal(await verifyPassword('Secret', natalie.passwordHash), false);
    } finally {
      await store.close();
    }
  });

  it('is idempotent: a second apply keeps records, password hashes and availability', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const p = parsed(JSON.parse(EXAMPLE_FILE));
      await applyProvisioning(store, p);
      await store.setAgentAvailability('12345678', 25025413, 'Online');
      const accounts = await store.listAccounts();
      const agents = await store.listAgents('12345678');
      await applyProvisioning(store, p);
      assert.deepEqual(await store.listAccounts(), accounts);
      assert.deepEqual(await store.listAgents('12345678'), agents);
      assert.equal((await store.getAgent('12345678', 25025413))?.availability, 'Online');
    } finally {
      await store.close();
    }
  });

  it('re-hashes a changed password and applies changed fields', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const p = parsed(demoProvisioning);
      await applyProvisioning(store, p);
      const before = await store.getAgent('12345678', 25025413);
      const agent = p.accounts[0]?.agents[0];
      assert.ok(before && agent);
      await applyProvisioning(store, { accounts: [{ ...(p.accounts[0] as Provisioning['accounts'][0]), agents: [{ ...agent, password: 'new', maxChats: 9 }] }] });
      const after = await store.getAgent('12345678', 25025413);
      assert.ok(after);
      assert.notEqual(after.passwordHash, before.passwordHash);
      assert.equal(await verifyPassword('new', after.passwordHash), true);
      assert.equal(await verifyPassword('secret', after.passwordHash), false);
      assert.equal(after.maxChats, 9);
    } finally {
      await store.close();
    }
  });
});

describe('passwords', () => {
  it('hashes with a fresh salt each time; verify rejects malformed hashes', async () => {
    const [a, b] = await Promise.all([hashPassword('pw'), hashPassword('pw')]);
    assert.notEqual(a, b);
    assert.equal(await verifyPassword('pw', a), true);
    assert.equal(await verifyPassword('pw', b), true);
    assert.equal(await verifyPassword('pw', 'not-a-hash'), false);
    assert.equal(await verifyPassword('pw', ''), false);
  });
});
