// The survey object (spec §5) for the pre-chat, offline, exit and agent surveys. Every field
// is an element (no "@" keys in the vendor's examples); `question`, `entry` and `showLogicId`
// are lists, which the JSON codec collapses to an object when they hold one item (spec §1.4).
// Numbers and Booleans as in the exit-survey example (§4.17), the one the §5 table agrees with.
import { isSelection } from '../../chat/surveys/surveys.ts';
import type { Survey, SurveyEntry, SurveyQuestion } from '../../chat/core/types.ts';
import type { Doc, Tree } from '../codecs/tree.ts';

function entryTree(e: SurveyEntry): Tree {
  return {
    checked: e.checked,
    value: e.value,
    displayValue: e.displayValue,
    logic: e.showLogicIds.length > 0 ? { showLogicId: e.showLogicIds } : undefined,
  };
}

function questionTree(q: SurveyQuestion): Tree {
  const selection = isSelection(q);
  return {
    type: q.type,
    validationType: q.validationType,
    id: q.id,
    logicId: q.logicId,
    order: q.order,
    mandatory: q.mandatory,
    label: q.label,
    // No visitor history is kept across chats, so a text question's previous answer is blank.
    lastKnownValue: selection ? undefined : '',
    entry: selection ? (q.entries ?? []).map(entryTree) : undefined,
  };
}

export function surveyDoc(survey: Survey): Doc {
  const questions = [...survey.questions].sort((a, b) => a.order - b.order);
  return {
    survey: {
      id: survey.id,
      title: survey.title,
      header: survey.header,
      questions: { question: questions.map(questionTree) },
    },
  };
}
