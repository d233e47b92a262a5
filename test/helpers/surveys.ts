// Survey test helpers: request bodies in either format, a minimal provisioning with no
// surveys, and the demo surveys' ids.
import type { LightMyRequestResponse } from 'fastify';
import { KEY_HEADER, type TestApp } from './app.ts';
import { XMLBuilder } from 'fast-xml-parser';
import { demoProvisioning, parseProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { read, type Fmt } from './wire.ts';

const builder = new XMLBuilder({ attributeNamePrefix: '@', ignoreAttributes: false });

/** A request body in the format under test: JSON as is, XML by the vendor's mapping (spec §1.4). */
export function body(fmt: Fmt, doc: Record<string, unknown>): { payload: string; headers: Record<string, string> } {
  if (fmt === 'json') return { payload: JSON.stringify(doc), headers: { 'content-type': 'application/json; charset=UTF-8', accept: 'application/json' } };
  return { payload: builder.build(doc) as string, headers: { 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' } };
}

/** The demo account without any survey. */
export const noSurveys: Provisioning = {
  accounts: demoProvisioning.accounts.map(({ surveys: _surveys, ...a }) => a),
};

/** The demo account with `file` (provisioning-file form) as its surveys and `skill` as Sales's own. */
export function withSurveys(file: Record<string, unknown>, skill: Record<string, unknown> = {}): Provisioning {
  const accounts = noSurveys.accounts.map((a) => ({ ...a, surveys: file, skills: a.skills.map((s) => ({ ...s, surveys: skill })) }));
  const parsed = parseProvisioning({ accounts });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.value;
}

export const PRE = { id: 40216, name: 16314710, email: 16314711, topic: 12786273, more: 12786274 };
export const OFFLINE = { id: 40290, name: 13387458, email: 13387459, message: 13387460 };
export const EXIT = { id: 361348, transcript: 4991315, email: 4991311, rating: 4991316 };
export const AGENT_SURVEY = { id: 361350, outcome: 4991320, topics: 4991321 };

/** The message of an error response in either format, unescaped. */
export function errorMessage(res: LightMyRequestResponse, fmt: Fmt): string {
  if (fmt === 'json') return (res.json() as { error: { message: string } }).error.message;
  return String((read<{ error: { message: string } }>(res, 'xml')).error.message);
}

/** internalCode of an error response in either format, as a number. */
export function internalCode(res: LightMyRequestResponse, fmt: Fmt): number {
  if (fmt === 'json') return (res.json() as { error: { internalCode: number } }).error.internalCode;
  const m = /<internalCode>(\d+)<\/internalCode>/.exec(res.body);
  return Number(m?.[1]);
}

export interface Entry {
  checked: boolean | string;
  value: string;
  displayValue?: string;
  logic?: { showLogicId: number | string | Array<number | string> };
}
export interface Question {
  type: string;
  validationType: string;
  id: number | string;
  logicId: number | string;
  order: number | string;
  mandatory: boolean | string;
  label: string;
  lastKnownValue?: string;
  entry?: Entry | Entry[];
}
export interface SurveyDoc {
  survey: { id: number | string; title?: string; header?: string; questions: { question: Question | Question[] } };
}

export const PUT = { ...KEY_HEADER, 'x-http-method-override': 'PUT' };
export const send = (t: TestApp, fmt: Fmt, url: string, doc: Record<string, unknown>) => {
  const b = body(fmt, doc);
  return t.inject({ method: 'POST', url, headers: { ...PUT, ...b.headers }, payload: b.payload });
};
export const get = (t: TestApp, fmt: Fmt, url: string) => t.inject({ method: 'GET', url, headers: { ...KEY_HEADER, accept: `application/${fmt}` } });
