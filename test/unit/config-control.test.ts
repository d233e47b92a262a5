// The control plane's settings (issue 13): --control, --control-token, --clock, --strict.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

function problems(argv: string[], env: Record<string, string> = {}): string[] {
  try {
    loadConfig(argv, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  return assert.fail('expected loadConfig to throw');
}

describe('control plane settings', () => {
  it('reads the flags', () => {
    const c = loadConfig(['--control', '--control-token', 'sekret-123', '--clock', 'manual', '--strict'], {});
    assert.deepEqual([c.control, c.controlToken, c.clock, c.clockStart, c.strict], [true, 'sekret-123', 'manual', null, true]);
  });
  it('reads the environment twins', () => {
    const c = loadConfig([], { SERVERCHAT_CONTROL: '1', SERVERCHAT_CONTROL_TOKEN: 'tok-tok-tok', SERVERCHAT_CLOCK: '2017-02-27T11:35:45Z', SERVERCHAT_STRICT: 'yes' });
    assert.deepEqual([c.control, c.controlToken, c.clock, c.clockStart, c.strict], [true, 'tok-tok-tok', 'manual', Date.UTC(2017, 1, 27, 11, 35, 45), true]);
  });
  it('an instant starts a manual clock there; system is the default', () => {
    assert.equal(loadConfig([], {}).clock, 'system');
    assert.equal(loadConfig(['--clock', 'system'], {}).clock, 'system');
    assert.equal(loadConfig(['--clock=2020-01-01T00:00:00.000Z'], {}).clockStart, Date.UTC(2020, 0, 1));
  });
  it('lists every problem together', () => {
    assert.deepEqual(problems(['--clock', 'tomorrow', '--control-token', 'short']), [
      'control-token: must be 8 to 200 printable characters without spaces',
      'clock: "tomorrow" is not system, manual or an ISO 8601 instant such as 2017-02-27T11:35:45Z',
    ]);
    assert.deepEqual(problems(['--control-token', 'long-enough-token']), ['control-token: give --control too (the token guards the control plane)']);
    assert.deepEqual(problems(['--clock', 'manual', '--store', 'postgres://u@127.0.0.1/x']), ["clock: a manual clock is one process's; use it with the embedded store, not --store"]);
  });
});
