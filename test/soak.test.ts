// A short run of `npm run soak` (soak/soak.ts; issue 11): a few thousand hostile requests to
// every vendor route beside a normal chat workload, on a real server on 127.0.0.1. Speed is
// the full soak's to judge (p99, RSS); here: no 5xx, every error the vendor document in the
// asked format, no workload failure and no acknowledged line lost. Bounded to 20 s of traffic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak } from '../soak/soak.ts';

test('soak, short: hostile requests get well-formed vendor errors, never 5xx; the workload loses nothing', { timeout: 90_000 }, async () => {
  // Another draw each run; a failure names its seed (npm run soak -- --seed N repeats it).
  const seed = Date.now() % 100_000;
  const r = await runSoak({ requests: 3000, maxSeconds: 20, quietSeconds: 1, concurrency: 8, seed });
  assert.deepEqual(r.problems, [], `${r.problemCount} problems (seed ${seed})`);
  assert.ok(r.sent >= 300, `only ${r.sent} hostile requests went`);
  assert.ok((r.byStatus['4xx'] ?? 0) > 0, 'no hostile request was refused: the generator is broken');
  assert.deepEqual(r.loaded.failures, []);
  assert.deepEqual(r.loaded.lost, []);
  assert.ok(r.loaded.acked > 0, 'the workload acknowledged no line');
});
