// Surveys (spec §4.4–4.6, §4.17–4.18, §5; agent API §4.22–4.23): which provisioned survey
// applies, and checking a submission against it. Pure functions: no HTTP, no store.
import { ApiError } from '../../errors.ts';
import type { Account, Skill, Survey, SurveyAnswer, SurveyKind, SurveyQuestion, SurveySubmission } from '../core/types.ts';

/** `surveyName` / `surveyApiId` of the GET methods (spec §4.4, §4.5, §4.17). */
export interface SurveyPick {
  name?: string;
  apiId?: string;
}

/** One answered question as it arrives: `answer` (docs) or `value` (JS SDK page, spec §6 #10). */
export interface RawAnswer {
  id?: string | number;
  answer?: RawValue;
  value?: RawValue;
}
type RawValue = string | number | Array<string | number>;

/** `survey` of a submission: `question` is one object or a list (spec §1.4, §6 #11). */
export interface RawSurveyAnswers {
  id: string | number;
  question?: RawAnswer | RawAnswer[];
}

export const SELECTION_TYPES = ['Dropdown Box', 'Checkbox', 'Radio Button (side by side)', 'Radio Button'] as const;
export const TEXT_TYPES = ['Text Field', 'Text Area'] as const;

export function isSelection(q: Pick<SurveyQuestion, 'type'>): boolean {
  return (SELECTION_TYPES as readonly string[]).includes(q.type);
}

/** A skill named in a query or body: by name (exact, then any case) or by id, as Start Chat does. */
export function skillNamed(account: Account, wanted: string | number): Skill {
  const want = String(wanted);
  const s =
    account.skills.find((k) => k.name === want) ?? account.skills.find((k) => k.name.toLowerCase() === want.toLowerCase() || String(k.id) === want);
  if (!s) throw new ApiError('unknown-skill', `"${want}"`);
  return s;
}

/** Every survey of a kind the account has: its own, then its skills'. */
export function surveysOfKind(account: Account, kind: SurveyKind): Survey[] {
  const all: Survey[] = [];
  const own = account.surveys?.account[kind];
  if (own) all.push(own);
  for (const set of Object.values(account.surveys?.skills ?? {})) {
    const s = set[kind];
    if (s) all.push(s);
  }
  return all;
}

/**
 * The survey shown: one named by `surveyName` (or else `surveyApiId`, the survey id) when the
 * account has it; otherwise the skill's, else the account's; null when none is provisioned.
 * A name that matches nothing falls back to the rules, as the vendor's "returned unless a
 * rule overrides the name" allows (compatibility.md).
 */
export function surveyFor(account: Account, kind: SurveyKind, skillId: number | null, pick: SurveyPick = {}): Survey | null {
  const all = surveysOfKind(account, kind);
  const named = pick.name ? all.find((s) => s.name === pick.name) : pick.apiId ? all.find((s) => String(s.id) === pick.apiId) : undefined;
  if (named) return named;
  const bySkill = skillId === null ? undefined : account.surveys?.skills[String(skillId)]?.[kind];
  return bySkill ?? account.surveys?.account[kind] ?? null;
}

/** The survey a submission answers, by its id, among the account's surveys of that kind. */
export function surveyById(account: Account, kind: SurveyKind, id: string | number): Survey {
  const survey = surveysOfKind(account, kind).find((s) => String(s.id) === String(id).trim());
  if (!survey) throw new ApiError('unknown-survey', `survey ${String(id)} is not ${/^[aeiou]/.test(kindName[kind]) ? 'an' : 'a'} ${kindName[kind]} survey of this account`);
  return survey;
}

const kindName: Record<SurveyKind, string> = { preChat: 'pre-chat', offline: 'offline', exit: 'exit', agent: 'agent' };

/** For a text question provisioned without one (the parser always fills it in). */
const DEFAULT_MAX_LENGTH = 256;
const NUMERIC = /^[+-]?\d+([.,]\d+)?$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function valuesOf(raw: RawValue | undefined): Array<string | number> {
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw : [raw];
}

/**
 * Checks a submission against its survey and returns the answers to keep, or throws one
 * `bad-survey` error listing every problem. Blank answers count as unanswered; mandatory
 * questions must be answered unless entry logic hides them (spec §5 `showLogicId`).
 */
export function checkAnswers(survey: Survey, raw: Pick<RawSurveyAnswers, 'question'>, now: number): SurveySubmission {
  const problems: string[] = [];
  const byId = new Map(survey.questions.map((q) => [String(q.id), q]));
  const answers = new Map<number, SurveyAnswer>();
  const list = raw.question === undefined ? [] : Array.isArray(raw.question) ? raw.question : [raw.question];
  for (const [i, a] of list.entries()) {
    const at = a.id === undefined ? `question[${i}]` : `question ${String(a.id)}`;
    if (a.id === undefined) {
      problems.push(`${at}: "id" is missing`);
      continue;
    }
    const q = byId.get(String(a.id).trim());
    if (!q) {
      problems.push(`${at}: not a question of survey ${survey.id}`);
      continue;
    }
    if (answers.has(q.id)) {
      problems.push(`${at}: answered twice`);
      continue;
    }
    const given = a.answer !== undefined ? a.answer : a.value;
    const values = valuesOf(given)
      .map((v) => String(v))
      .filter((v) => v.trim() !== '');
    const before = problems.length;
    checkValues(q, values, at, problems);
    if (problems.length === before && values.length > 0) answers.set(q.id, { questionId: q.id, values });
  }
  for (const q of hiddenFree(survey, answers)) {
    if (q.mandatory && !answers.has(q.id)) problems.push(`question ${q.id} ("${q.label}") is mandatory`);
  }
  if (problems.length > 0) throw new ApiError('bad-survey', problems.join('; '));
  return { surveyId: survey.id, time: now, answers: [...answers.values()] };
}

function checkValues(q: SurveyQuestion, values: string[], at: string, problems: string[]): void {
  if (values.length > 1 && q.type !== 'Checkbox') return void problems.push(`${at}: a ${q.type} question takes one answer, not ${values.length}`);
  if (isSelection(q)) {
    const options = (q.entries ?? []).map((e) => e.value);
    for (const v of values) if (!options.includes(v)) problems.push(`${at}: ${JSON.stringify(v)} is not one of its options (${options.join(', ')})`);
    if (new Set(values).size !== values.length) problems.push(`${at}: the same option is given twice`);
    return;
  }
  const v = values[0];
  if (v === undefined) return;
  const max = q.maxLength ?? DEFAULT_MAX_LENGTH;
  if (v.length > max) problems.push(`${at}: the answer is longer than ${max} characters`);
  else if (q.validationType === 'numeric' && !NUMERIC.test(v.trim())) problems.push(`${at}: the answer must be a number`);
  else if (q.validationType === 'email' && !EMAIL.test(v.trim())) problems.push(`${at}: the answer must be an e-mail address`);
}

/**
 * The questions the visitor was shown: those no entry reveals, plus those revealed by a chosen
 * entry of a shown question (computed to a fixed point; at most one pass per question).
 */
function hiddenFree(survey: Survey, answers: Map<number, SurveyAnswer>): SurveyQuestion[] {
  const revealable = new Set(survey.questions.flatMap((q) => (q.entries ?? []).flatMap((e) => e.showLogicIds)));
  const shown = new Set(survey.questions.filter((q) => !revealable.has(q.logicId)).map((q) => q.logicId));
  for (let pass = 0; pass < survey.questions.length; pass++) {
    let grew = false;
    for (const q of survey.questions) {
      if (!shown.has(q.logicId)) continue;
      const chosen = answers.get(q.id)?.values ?? [];
      for (const e of q.entries ?? []) {
        if (!chosen.includes(e.value)) continue;
        for (const id of e.showLogicIds) {
          if (shown.has(id)) continue;
          shown.add(id);
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  return survey.questions.filter((q) => shown.has(q.logicId));
}
