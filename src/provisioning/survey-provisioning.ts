// The `surveys` of an account or a skill in the provisioning file (docs/provisioning.md):
// checked whole, every problem listed with its path, like the rest of provisioning.ts.
import { isSelection, SELECTION_TYPES, TEXT_TYPES } from '../chat/surveys/surveys.ts';
import type { Survey, SurveyEntry, SurveyKind, SurveyQuestion, SurveyQuestionType, SurveySet, SurveyValidationType } from '../chat/core/types.ts';

export const SURVEY_KINDS: SurveyKind[] = ['preChat', 'offline', 'exit', 'agent'];
const QUESTION_TYPES: readonly string[] = [...SELECTION_TYPES, ...TEXT_TYPES];
const VALIDATION_TYPES: readonly string[] = ['alpha_numeric', 'numeric', 'email'];
/** Default longest answer of a text question, when the file gives none. */
export const DEFAULT_MAX_LENGTH: Record<string, number> = { 'Text Field': 256, 'Text Area': 4000 };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

/** What must be unique across one account: survey ids, and survey names per kind. */
export interface SurveyScope {
  ids: Set<number>;
  names: Map<SurveyKind, Set<string>>;
}

export function newSurveyScope(): SurveyScope {
  return { ids: new Set(), names: new Map(SURVEY_KINDS.map((k) => [k, new Set<string>()])) };
}

function unknownKeys(o: Obj, allowed: string[], at: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${at}.${k}: unknown field`);
}

/** Parses `surveys` ({preChat, offline, exit, agent}, each optional) at path `at`. */
export function parseSurveySet(input: unknown, at: string, scope: SurveyScope, problems: string[]): SurveySet {
  const set: SurveySet = {};
  if (input === undefined) return set;
  if (!isObj(input)) return problems.push(`${at}: must be an object with any of ${SURVEY_KINDS.join(', ')}`), set;
  unknownKeys(input, SURVEY_KINDS, at, problems);
  for (const kind of SURVEY_KINDS) {
    if (input[kind] === undefined) continue;
    const survey = parseSurvey(input[kind], `${at}.${kind}`, kind, scope, problems);
    if (survey) set[kind] = survey;
  }
  return set;
}

function parseSurvey(s: unknown, at: string, kind: SurveyKind, scope: SurveyScope, problems: string[]): Survey | null {
  if (!isObj(s)) return problems.push(`${at}: must be an object`), null;
  const before = problems.length;
  unknownKeys(s, ['id', 'name', 'title', 'header', 'questions'], at, problems);
  if (!isInt(s.id) || s.id <= 0) problems.push(`${at}.id: must be a positive whole number`);
  else if (scope.ids.has(s.id)) problems.push(`${at}.id: survey ${s.id} appears twice in this account`);
  else scope.ids.add(s.id);
  const names = scope.names.get(kind) ?? new Set<string>();
  if (s.name !== undefined && !isText(s.name, 100)) problems.push(`${at}.name: must be a non-empty string of at most 100 characters`);
  else if (typeof s.name === 'string' && names.has(s.name)) problems.push(`${at}.name: another ${kind} survey of this account is named "${s.name}"`);
  else if (typeof s.name === 'string') names.add(s.name);
  for (const f of ['title', 'header'] as const) {
    if (s[f] !== undefined && (typeof s[f] !== 'string' || s[f].length > 2000)) problems.push(`${at}.${f}: must be a string of at most 2000 characters`);
  }
  const questions: SurveyQuestion[] = [];
  if (!Array.isArray(s.questions) || s.questions.length === 0 || s.questions.length > 100) {
    problems.push(`${at}.questions: must be an array of 1 to 100 questions`);
  } else {
    s.questions.forEach((q: unknown, i: number) => {
      const parsed = parseQuestion(q, `${at}.questions[${i}]`, i, kind, problems);
      if (parsed) questions.push(parsed);
    });
    checkSurveyWide(s.questions as unknown[], questions, at, problems);
  }
  if (problems.length > before) return null;
  return { id: s.id as number, ...(typeof s.name === 'string' ? { name: s.name } : {}), title: (s.title as string | undefined) ?? '', header: (s.header as string | undefined) ?? '', questions };
}

/** Ids and logicIds unique within the survey; every showLogicId names a question of it. */
function checkSurveyWide(raw: unknown[], questions: SurveyQuestion[], at: string, problems: string[]): void {
  if (questions.length !== raw.length) return; // each broken question is already reported
  const ids = new Set<number>();
  const logicIds = new Set<number>();
  questions.forEach((q, i) => {
    if (ids.has(q.id)) problems.push(`${at}.questions[${i}].id: question ${q.id} appears twice in this survey`);
    ids.add(q.id);
    if (logicIds.has(q.logicId)) problems.push(`${at}.questions[${i}].logicId: logicId ${q.logicId} appears twice in this survey`);
    logicIds.add(q.logicId);
  });
  questions.forEach((q, i) =>
    (q.entries ?? []).forEach((e, j) => {
      for (const id of e.showLogicIds) {
        const where = `${at}.questions[${i}].entries[${j}].showLogicIds`;
        if (!logicIds.has(id)) problems.push(`${where}: no question of this survey has logicId ${id}`);
        else if (id === q.logicId) problems.push(`${where}: a question cannot reveal itself`);
      }
    }),
  );
}

function parseQuestion(q: unknown, at: string, index: number, kind: SurveyKind, problems: string[]): SurveyQuestion | null {
  if (!isObj(q)) return problems.push(`${at}: must be an object`), null;
  const before = problems.length;
  unknownKeys(q, ['id', 'type', 'label', 'mandatory', 'validationType', 'logicId', 'order', 'maxLength', 'entries'], at, problems);
  if (!isInt(q.id) || q.id <= 0) problems.push(`${at}.id: must be a positive whole number`);
  if (typeof q.type !== 'string' || !QUESTION_TYPES.includes(q.type)) problems.push(`${at}.type: must be one of ${QUESTION_TYPES.map((t) => `"${t}"`).join(', ')}`);
  // Agent surveys hold selection questions only (agent API §4.22).
  else if (kind === 'agent' && !isSelection({ type: q.type as SurveyQuestionType })) problems.push(`${at}.type: an agent survey takes only ${SELECTION_TYPES.map((t) => `"${t}"`).join(', ')}`);
  if (!isText(q.label, 1000)) problems.push(`${at}.label: must be a non-empty string of at most 1000 characters`);
  const mandatory = q.mandatory ?? false;
  if (!isBool(mandatory)) problems.push(`${at}.mandatory: must be true or false`);
  const validationType = q.validationType ?? 'alpha_numeric';
  if (typeof validationType !== 'string' || !VALIDATION_TYPES.includes(validationType)) problems.push(`${at}.validationType: must be one of ${VALIDATION_TYPES.join(', ')}`);
  const logicId = q.logicId ?? index + 1;
  if (!isInt(logicId) || logicId <= 0) problems.push(`${at}.logicId: must be a positive whole number`);
  const order = q.order ?? index;
  if (!isInt(order) || order < 0) problems.push(`${at}.order: must be a whole number from 0`);
  // maxLength and entries depend on the type: with an unknown type, that one problem is enough.
  if (typeof q.type !== 'string' || !QUESTION_TYPES.includes(q.type)) return null;
  const selection = isSelection({ type: q.type as SurveyQuestionType });
  const maxLength = q.maxLength ?? DEFAULT_MAX_LENGTH[q.type] ?? 0;
  if (selection && q.maxLength !== undefined) problems.push(`${at}.maxLength: only text questions take a maxLength`);
  else if (!selection && (!isInt(maxLength) || maxLength < 1 || maxLength > 10_000)) problems.push(`${at}.maxLength: must be a whole number from 1 to 10000`);
  const entries = parseEntries(q.entries, `${at}.entries`, selection, q.type === 'Checkbox', problems);
  if (problems.length > before) return null;
  // Defaults filled in, in a shape that is itself a valid definition (parsing it again is a no-op).
  return {
    id: q.id as number,
    type: q.type as SurveyQuestionType,
    validationType: validationType as SurveyValidationType,
    logicId: logicId as number,
    order: order as number,
    mandatory: mandatory as boolean,
    label: q.label as string,
    ...(selection ? { entries } : { maxLength: maxLength as number }),
  };
}

function parseEntries(input: unknown, at: string, selection: boolean, several: boolean, problems: string[]): SurveyEntry[] {
  if (!selection) {
    if (input !== undefined) problems.push(`${at}: only selection questions (${SELECTION_TYPES.join(', ')}) take entries`);
    return [];
  }
  if (!Array.isArray(input) || input.length === 0 || input.length > 100) return problems.push(`${at}: must be an array of 1 to 100 choices`), [];
  const entries: SurveyEntry[] = [];
  const values = new Set<string>();
  input.forEach((e: unknown, j: number) => {
    const eat = `${at}[${j}]`;
    if (!isObj(e)) return void problems.push(`${eat}: must be an object`);
    unknownKeys(e, ['value', 'displayValue', 'checked', 'showLogicIds'], eat, problems);
    let ok = true;
    const bad = (msg: string): void => {
      ok = false;
      problems.push(`${eat}.${msg}`);
    };
    if (!isText(e.value, 200)) bad('value: must be a non-empty string of at most 200 characters');
    else if (values.has(e.value)) bad(`value: "${e.value}" appears twice in this question`);
    if (e.displayValue !== undefined && !isText(e.displayValue, 200)) bad('displayValue: must be a non-empty string of at most 200 characters');
    const checked = e.checked ?? false;
    if (!isBool(checked)) bad('checked: must be true or false');
    const show = e.showLogicIds ?? [];
    if (!Array.isArray(show) || !show.every((n) => isInt(n) && n > 0)) bad('showLogicIds: must be an array of logicIds');
    if (ok) {
      values.add(e.value as string);
      const entry: SurveyEntry = { value: e.value as string, checked: checked as boolean, showLogicIds: show as number[] };
      if (typeof e.displayValue === 'string') entry.displayValue = e.displayValue;
      entries.push(entry);
    }
  });
  if (!several && entries.filter((e) => e.checked).length > 1) problems.push(`${at}: only a Checkbox question may preselect more than one choice`);
  return entries;
}
