// The banner lines of the control plane, the manual clock and --strict (docs/configuration.md).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { controlBanner } from '../../src/api/control/banner.ts';

const off = { control: false, controlToken: null, clock: 'system' as const, clockStart: null, strict: false };

it('says nothing when all is off, and one line per thing that is on; never the token', () => {
  assert.deepEqual(controlBanner(off, 'http://h:1'), []);
  const lines = controlBanner({ control: true, controlToken: 'sekret-token', clock: 'manual', clockStart: Date.UTC(2017, 1, 27, 11, 35, 45), strict: true }, 'http://h:1');
  assert.deepEqual(lines, [
    'control plane:    http://h:1/_serverchat/  (ON: Authorization: Bearer <--control-token> required; see docs/testing.md)',
    'clock:            manual, from 2017-02-27T11:35:45.000Z; it moves only with POST http://h:1/_serverchat/clock/advance',
    'strict:           ON: requests that deviate from the spec are answered 400',
  ]);
  assert.ok(!lines.join('\n').includes('sekret-token'));
  assert.match(controlBanner({ ...off, control: true }, 'http://h:1')[0] ?? '', /loopback clients only/);
});
