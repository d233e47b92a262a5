// npm run soak [-- --requests N --max-seconds S --concurrency C --seed X]: the bounded fuzzing
// run of issue 11 (soak.ts). Prints the counts, then judges: no 5xx, every error the vendor
// document in the asked format, no acknowledged event lost, no workload failure, the
// workload's p99 within 3× of the quiet run's, RSS flat. Exit code 1 on any failure.
import { parseArgs } from 'node:util';
import { runSoak, type SoakResult } from './soak.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '1000000' },
    'max-seconds': { type: 'string', default: '3600' },
    concurrency: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
  },
});

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MB`;

/** RSS is flat when the last tenth of the samples stays within 1.5× (and 64 MB) of the samples after the first tenth. */
export function rssFlat(rss: number[]): { flat: boolean; warm: number; end: number } {
  const cut = Math.max(1, Math.floor(rss.length / 10));
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const warm = median(rss.slice(cut, 2 * cut));
  const end = median(rss.slice(-cut));
  return { flat: rss.length < 4 || end <= Math.max(warm * 1.5, warm + 64 * 1024 * 1024), warm, end };
}

function judge(r: SoakResult): string[] {
  const failures: string[] = [];
  // A 5xx is a problem too (hostile.ts problemOf), but for 503 mail-not-configured: no --smtp-url here.
  if (r.problemCount > 0) failures.push(`${r.problemCount} answers were 5xx or not well-formed vendor documents in the asked format`);
  if (r.loaded.lost.length > 0) failures.push(`${r.loaded.lost.length} acknowledged events lost`);
  if (r.loaded.failures.length > 0) failures.push(`${r.loaded.failures.length} workload requests failed`);
  if (r.loaded.p99 > 3 * Math.max(r.quiet.p99, 1)) failures.push(`workload p99 ${r.loaded.p99.toFixed(1)} ms is more than 3× the quiet run's ${r.quiet.p99.toFixed(1)} ms`);
  const rss = rssFlat(r.rss);
  if (!rss.flat) failures.push(`RSS grew from ${mb(rss.warm)} to ${mb(rss.end)}`);
  return failures;
}

const result = await runSoak({
  requests: Number(values.requests),
  maxSeconds: Number(values['max-seconds']),
  concurrency: Number(values.concurrency),
  seed: Number(values.seed),
  log: (line) => process.stdout.write(`${line}\n`),
});
const rss = rssFlat(result.rss);
process.stdout.write(
  [
    `hostile requests: ${result.sent} in ${result.seconds.toFixed(0)} s (${Object.entries(result.byStatus).map(([k, v]) => `${k} ${v}`).join(', ')}; ${result.unsendable} unsendable by fetch)`,
    `workload: ${result.loaded.requests} requests, ${result.loaded.chats} chats, ${result.loaded.acked} acknowledged lines checked, ${result.loaded.lost.length} lost`,
    `p99: quiet ${result.quiet.p99.toFixed(1)} ms, under soak ${result.loaded.p99.toFixed(1)} ms`,
    `RSS: ${mb(rss.warm)} after warm-up, ${mb(rss.end)} at the end`,
    ...result.problems.slice(0, 20).map((p) => `problem: ${p}`),
    ...result.loaded.failures.slice(0, 20).map((f) => `workload failure: ${f}`),
    ...result.loaded.lost.slice(0, 20).map((l) => `lost: ${l}`),
  ].join('\n') + '\n',
);
const failures = judge(result);
for (const f of failures) process.stdout.write(`FAIL: ${f}\n`);
process.stdout.write(failures.length === 0 ? 'soak passed\n' : 'soak failed\n');
process.exitCode = failures.length === 0 ? 0 : 1;
