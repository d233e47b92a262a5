// The demo account's surveys (provisioning.ts demoProvisioning), written as in a provisioning
// file and read by the same parser, so the demo can never hold a survey a file could not.
// Ids and wording follow the vendor's examples (spec §4.4, §4.5, §4.17).
import { newSurveyScope, parseSurveySet } from './survey-provisioning.ts';
import type { SurveySet } from '../chat/core/types.ts';

export const demoSurveyFile = {
  preChat: {
    id: 40216,
    name: 'Pre-chat',
    header: 'To help us serve you better, please answer a few questions.',
    questions: [
      { id: 16314710, type: 'Text Field', label: 'What is your name?', mandatory: true, logicId: 1 },
      { id: 16314711, type: 'Text Field', label: 'What is your e-mail address?', validationType: 'email', logicId: 2 },
      {
        id: 12786273,
        type: 'Dropdown Box',
        label: 'What is your question about?',
        mandatory: true,
        logicId: 3,
        entries: [{ value: 'Orders' }, { value: 'Billing' }, { value: 'Other', showLogicIds: [4] }],
      },
      { id: 12786274, type: 'Text Area', label: 'Please tell us more:', mandatory: true, logicId: 4, maxLength: 1000 },
    ],
  },
  offline: {
    id: 40290,
    name: 'Offline',
    header: 'Send A Message',
    questions: [
      { id: 13387458, type: 'Text Field', label: 'Your name:', mandatory: true, logicId: 1 },
      { id: 13387459, type: 'Text Field', label: 'Your e-mail address:', validationType: 'email', mandatory: true, logicId: 2 },
      { id: 13387460, type: 'Text Area', label: 'What do you want? :', mandatory: true, logicId: 3 },
    ],
  },
  exit: {
    id: 361348,
    name: 'Exit',
    questions: [
      {
        id: 4991315,
        type: 'Radio Button',
        label: 'Would you like us to email you a transcript of this chat?',
        logicId: 1,
        entries: [
          { value: 'yes', displayValue: 'Yes', showLogicIds: [2] },
          { value: 'no', displayValue: 'No' },
        ],
      },
      { id: 4991311, type: 'Text Field', validationType: 'email', label: 'If yes, please provide your email:', logicId: 2 },
      {
        id: 4991316,
        type: 'Radio Button (side by side)',
        label: 'How would you rate this chat?',
        logicId: 3,
        entries: ['1', '2', '3', '4', '5'].map((value) => ({ value })),
      },
    ],
  },
  agent: {
    id: 361350,
    name: 'Disposition',
    questions: [
      {
        id: 4991320,
        type: 'Dropdown Box',
        label: 'Chat outcome',
        mandatory: true,
        logicId: 1,
        entries: [{ value: 'Resolved' }, { value: 'Follow-up needed' }, { value: 'Not resolved' }],
      },
      { id: 4991321, type: 'Checkbox', label: 'Topics', logicId: 2, entries: [{ value: 'Orders' }, { value: 'Billing' }, { value: 'Technical' }] },
    ],
  },
};

function parseDemo(): SurveySet {
  const problems: string[] = [];
  const surveys = parseSurveySet(demoSurveyFile, 'demo.surveys', newSurveyScope(), problems);
  if (problems.length > 0) throw new Error(`the demo surveys are not valid: ${problems.join('; ')}`);
  return surveys;
}

export const demoSurveys: SurveySet = parseDemo();
