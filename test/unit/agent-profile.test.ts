// The optional agent fields of a provisioning file (agent-profile.ts): checked with every
// problem named, applied idempotently, application-login secrets stored hashed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyProvisioning, parseProvisioning } from '../../src/provisioning/provisioning.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const agent = (extra: Record<string, unknown>) => ({ id: 1, name: 'Bot', loginName: 'bot', password: 'pw', ...extra });
const file = (extra: Record<string, unknown>) => ({ accounts: [{ id: 'A', appKeys: ['k'], skills: [], agents: [agent(extra)] }] });
const APP = { appKey: 'key', secret: 's', accessToken: 't', accessTokenSecret: 'ts' };

test('the optional agent fields are parsed into the profile', () => {
  const parsed = parseProvisioning(file({ displayName: 'B.', email: 'b@x.io', privilegeGroup: 'administrators', appLogin: APP }));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value.accounts[0]?.agents[0]?.profile, { displayName: 'B.', email: 'b@x.io', privilegeGroup: 'administrators', appLogin: APP });
  const plain = parseProvisioning(file({}));
  assert.ok(plain.ok);
  assert.equal(plain.value.accounts[0]?.agents[0]?.profile, undefined);
});

test('bad optional agent fields are each reported', () => {
  const parsed = parseProvisioning(file({ displayName: '', email: 5, appLogin: { appKey: 'k', secret: '', extra: 1 } }));
  assert.ok(!parsed.ok);
  const problems = parsed.problems.join('\n');
  assert.match(problems, /agents\[0\]\.displayName: must be a non-empty string/);
  assert.match(problems, /agents\[0\]\.email: must be a non-empty string/);
  assert.match(problems, /appLogin: secret, accessToken, accessTokenSecret must be non-empty strings/);
  assert.match(problems, /appLogin\.extra: unknown field/);
  const notObject = parseProvisioning(file({ appLogin: 'key' }));
  assert.ok(!notObject.ok);
  assert.match(notObject.problems.join('\n'), /appLogin: must be an object/);
});

test('applying a profile twice changes nothing; secrets are stored hashed', async () => {
  const store = new SqliteStore(':memory:');
  try {
    const parsed = parseProvisioning(file({ displayName: 'B.', appLogin: APP }));
    assert.ok(parsed.ok);
    await applyProvisioning(store, parsed.value);
    const first = await store.getAgent('A', 1);
    assert.equal(first?.displayName, 'B.');
    assert.equal(first?.appLogin?.appKey, 'key');
    assert.match(first?.appLogin?.secretsHash ?? '', /^[0-9a-f]+:[0-9a-f]+$/);
    assert.ok(!JSON.stringify(first).includes('"ts"'));
    await applyProvisioning(store, parsed.value);
    assert.deepEqual(await store.getAgent('A', 1), first);
    // A changed secret gets a new hash.
    const changed = parseProvisioning(file({ displayName: 'B.', appLogin: { ...APP, secret: 's2' } }));
    assert.ok(changed.ok);
    await applyProvisioning(store, changed.value);
    assert.notEqual((await store.getAgent('A', 1))?.appLogin?.secretsHash, first?.appLogin?.secretsHash);
  } finally {
    await store.close();
  }
});
