// A vendor survey object (spec §5: pre-chat, exit, agent survey) as form fields, and the
// answers in the shape every survey resource takes: {"survey":{"id":…,"question":[{"id":…,"answer":…}]}}.
// Entry logic: a question whose logicId some entry reveals stays hidden until that entry is chosen.
import { asArray } from './api.js';
import { el } from './dom.js';

/**
 * @typedef {{ value?: string, displayValue?: string, checked?: boolean | string, logic?: { showLogicId?: number | string | (number | string)[] } }} Entry
 * @typedef {{ id: number | string, type?: string, label?: string, mandatory?: boolean | string, logicId?: number | string, lastKnownValue?: string, validationType?: string, entry?: Entry | Entry[], entries?: { entry?: Entry | Entry[] } }} Question
 * @typedef {{ id?: number | string, header?: string, questions?: { question?: Question | Question[] } }} Survey
 */

let formCount = 0;
const truthy = (/** @type {unknown} */ v) => v === true || v === 'true';
const entriesOf = (/** @type {Question} */ q) => asArray(q.entry ?? q.entries?.entry);
const revealed = (/** @type {Entry} */ e) => asArray(e.logic?.showLogicId).map(String);

/**
 * Renders `survey` into `into` (replacing its content); returns a reader of the answers that
 * lists what is missing instead when a visible mandatory question is unanswered.
 * @param {Survey} survey
 * @param {HTMLElement} into
 * @returns {() => { ok: true, body: { survey: { id: number | string | undefined, question: { id: number | string, answer: string | string[] }[] } } } | { ok: false, missing: string[] }}
 */
export function renderSurvey(survey, into) {
  const n = ++formCount;
  const questions = asArray(survey.questions?.question);
  const gated = new Set(questions.flatMap((q) => entriesOf(q).flatMap(revealed)));
  /** @type {{ q: Question, field: HTMLElement, read: () => string[], shows: () => string[] }[]} */
  const rows = [];
  into.replaceChildren();
  if (survey.header) into.append(el('p', { class: 'survey__header', text: survey.header }));
  for (const q of questions) {
    const id = `survey-${n}-${q.id}`;
    const label = `${q.label ?? ''}${truthy(q.mandatory) ? ' *' : ''}`;
    const entries = entriesOf(q);
    const type = q.type ?? 'Text Field';
    /** @type {HTMLElement} */
    let field;
    /** @type {() => string[]} */
    let read;
    /** @type {() => string[]} */
    let shows = () => [];
    if (type === 'Dropdown Box') {
      const select = el('select', { id });
      select.append(new Option('Choose…', ''));
      for (const e of entries) select.append(new Option(e.displayValue ?? e.value ?? '', e.value ?? '', false, truthy(e.checked)));
      field = el('div', { class: 'field' }, [el('label', { for: id, text: label }), select]);
      read = () => (select.value ? [select.value] : []);
      shows = () => entries.filter((e) => e.value === select.value).flatMap(revealed);
      select.addEventListener('change', () => sync());
    } else if (type === 'Checkbox' || type.startsWith('Radio Button')) {
      const kind = type === 'Checkbox' ? 'checkbox' : 'radio';
      const inputs = entries.map((e, i) => {
        const input = el('input', { type: kind, name: id, id: `${id}-${i}`, value: e.value ?? '' });
        input.checked = truthy(e.checked);
        input.addEventListener('change', () => sync());
        return { e, input };
      });
      field = el('fieldset', { class: `field choices${type.includes('side by side') ? ' choices--row' : ''}` }, [
        el('legend', { text: label }),
        ...inputs.map(({ e, input }, i) => el('div', { class: 'choice' }, [input, el('label', { for: `${id}-${i}`, text: e.displayValue ?? e.value ?? '' })])),
      ]);
      read = () => inputs.filter((x) => x.input.checked).map((x) => x.input.value);
      shows = () => inputs.filter((x) => x.input.checked).flatMap((x) => revealed(x.e));
    } else {
      const input = type === 'Text Area' ? el('textarea', { id, rows: '3', maxlength: '1000' }) : el('input', { id, type: q.validationType === 'email' ? 'email' : 'text', maxlength: '200' });
      if (q.lastKnownValue) input.value = q.lastKnownValue;
      field = el('div', { class: 'field' }, [el('label', { for: id, text: label }), input]);
      read = () => (input.value.trim() ? [input.value.trim()] : []);
    }
    field.dataset.questionId = String(q.id);
    into.append(field);
    rows.push({ q, field, read, shows });
  }
  const sync = () => {
    const shown = new Set(rows.flatMap((r) => (r.field.hidden ? [] : r.shows())));
    for (const r of rows) if (r.q.logicId !== undefined && gated.has(String(r.q.logicId))) r.field.hidden = !shown.has(String(r.q.logicId));
  };
  sync();
  return () => {
    const missing = rows.filter((r) => !r.field.hidden && truthy(r.q.mandatory) && r.read().length === 0).map((r) => r.q.label ?? String(r.q.id));
    if (missing.length > 0) return { ok: false, missing };
    const question = rows
      .filter((r) => !r.field.hidden && r.read().length > 0)
      .map((r) => ({ id: r.q.id, answer: r.q.type === 'Checkbox' ? r.read() : (r.read()[0] ?? '') }));
    return { ok: true, body: { survey: { id: survey.id, question } } };
  };
}
