// Checks shared by the SDK interop tests: walking what the SDK hands its callbacks, the
// demo surveys' question ids, and what every run must leave behind.
import assert from 'node:assert/strict';
import { demoSurveyFile } from '../../src/provisioning/demo-surveys.ts';
import { ACCOUNT } from '../helpers/app.ts';
import type { Json, SdkPage } from './sdk-page.ts';

/** Walks a JSON value by keys; undefined when any step is missing. */
export function at(v: Json | undefined, ...path: string[]): Json | undefined {
  let cur = v;
  for (const k of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}
export const list = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
export const question = (kind: 'preChat' | 'offline' | 'exit', label: string): number => {
  const q = demoSurveyFile[kind].questions.find((x) => x.label === label);
  assert.ok(q, `the demo ${kind} survey asks "${label}"`);
  return q.id;
};

/**
 * The SDK never logged an error or raised onError, the page threw nothing, and every
 * request it made went to the server's origin and was answered without error, in JSON.
 */
export function assertCleanRun(page: SdkPage, origin: string, sdkOnlyLogs: string[] = []): void {
  const problems = page.events.filter((e) => (e.name === 'onLog' || e.name === 'onError') && !(at(e.data, 'sentRequest') === '' && sdkOnlyLogs.includes(String(at(e.data, 'error', 'error')))));
  assert.deepEqual(problems, []);
  assert.deepEqual(page.pageErrors, []);
  for (const x of page.xhrs) {
    assert.ok(x.url.startsWith(`${origin}/api/account/${ACCOUNT}`), x.url);
    assert.ok(x.status !== undefined && x.status < 400, `${x.method} ${x.url} answered ${x.status}: ${x.response}`);
    if (x.response) assert.equal(x.contentType, 'application/json', `${x.method} ${x.url}`);
  }
}
