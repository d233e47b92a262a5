// Surveys in the provisioning file (src/chat/survey-provisioning.ts): a valid definition with
// defaults filled in, every bad definition listed with its path, the demo surveys valid, and
// applying twice changing nothing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { demoSurveyFile } from '../../src/provisioning/demo-surveys.ts';
import { applyProvisioning, demoProvisioning, parseProvisioning } from '../../src/provisioning/provisioning.ts';
import { checkAnswers } from '../../src/chat/surveys/surveys.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

const base = { id: '1', appKeys: ['k'], skills: [{ id: 5, name: 'Sales' }] };

function parse(account: Record<string, unknown>) {
  return parseProvisioning({ accounts: [{ ...base, ...account }] });
}

function problemsOf(account: Record<string, unknown>): string[] {
  const r = parse(account);
  assert.equal(r.ok, false, 'expected the file to be rejected');
  return r.ok ? [] : r.problems;
}

describe('surveys in the provisioning file', () => {
  it('parses account and skill surveys, filling in defaults', () => {
    const r = parse({
      surveys: { exit: { id: 10, questions: [{ id: 1, type: 'Text Field', label: 'Email?', validationType: 'email' }, { id: 2, type: 'Radio Button', label: 'OK?', entries: [{ value: 'y', showLogicIds: [1] }, { value: 'n', checked: true }] }] } },
      skills: [{ id: 5, name: 'Sales', surveys: { preChat: { id: 11, name: 'Sales', header: 'Hi', questions: [{ id: 3, type: 'Text Area', label: 'Why?', mandatory: true, maxLength: 50 }] } } }],
    });
    assert.ok(r.ok, r.ok ? '' : r.problems.join('\n'));
    const surveys = r.value.accounts[0]?.surveys;
    assert.deepEqual(surveys?.exit, {
      id: 10,
      title: '',
      header: '',
      questions: [
        { id: 1, type: 'Text Field', validationType: 'email', logicId: 1, order: 0, mandatory: false, label: 'Email?', maxLength: 256 },
        {
          id: 2, type: 'Radio Button', validationType: 'alpha_numeric', logicId: 2, order: 1, mandatory: false, label: 'OK?',
          entries: [{ value: 'y', checked: false, showLogicIds: [1] }, { value: 'n', checked: true, showLogicIds: [] }],
        },
      ],
    });
    const sales = r.value.accounts[0]?.skills[0]?.surveys?.preChat;
    assert.equal(sales?.questions[0]?.maxLength, 50);
    assert.equal(sales?.name, 'Sales');
    // The parsed form is itself a valid file that parses to the same thing.
    const again = parseProvisioning(r.value);
    assert.ok(again.ok);
    assert.deepEqual(again.value, r.value);
  });

  it('an account without surveys has no surveys field', () => {
    const r = parse({});
    assert.ok(r.ok);
    assert.equal(r.value.accounts[0]?.surveys, undefined);
  });

  it('lists every bad survey definition with its path', () => {
    const q = (over: Record<string, unknown>) => ({ id: 1, type: 'Text Field', label: 'L', ...over });
    const problems = problemsOf({
      surveys: {
        preChat: { id: 0, questions: [] },
        offline: 'nope',
        exit: {
          id: 20,
          colour: 'red',
          questions: [
            q({ type: 'Slider' }),
            q({ id: 2, label: '' }),
            q({ id: 3, mandatory: 'yes', validationType: 'phone', logicId: -1, order: 1.5 }),
            q({ id: 4, maxLength: 0 }),
            { id: 5, type: 'Dropdown Box', label: 'L' },
            { id: 6, type: 'Radio Button', label: 'L', entries: [{ value: 'a', checked: true }, { value: 'a', checked: 'no' }, { value: 'b', checked: true, extra: 1 }] },
            q({ id: 7, entries: [{ value: 'x' }] }),
            { id: 8, type: 'Checkbox', label: 'L', maxLength: 5, entries: [{ value: 'x', showLogicIds: 'all' }] },
          ],
        },
        agent: { id: 21, questions: [q({ id: 1 })] },
        postChat: {},
      },
      skills: [{ id: 5, name: 'Sales', surveys: { exit: { id: 20, questions: [q({})] }, preChat: [] } }],
    });
    const expected = [
      'accounts[0].skills[0].surveys.preChat: must be an object',
      'accounts[0].surveys.postChat: unknown field',
      'accounts[0].surveys.preChat.id: must be a positive whole number',
      'accounts[0].surveys.preChat.questions: must be an array of 1 to 100 questions',
      'accounts[0].surveys.offline: must be an object',
      'accounts[0].surveys.exit.colour: unknown field',
      'accounts[0].surveys.exit.id: survey 20 appears twice in this account',
      'accounts[0].surveys.exit.questions[0].type: must be one of',
      'accounts[0].surveys.exit.questions[1].label: must be a non-empty string',
      'accounts[0].surveys.exit.questions[2].mandatory: must be true or false',
      'accounts[0].surveys.exit.questions[2].validationType: must be one of alpha_numeric, numeric, email',
      'accounts[0].surveys.exit.questions[2].logicId: must be a positive whole number',
      'accounts[0].surveys.exit.questions[2].order: must be a whole number from 0',
      'accounts[0].surveys.exit.questions[3].maxLength: must be a whole number from 1 to 10000',
      'accounts[0].surveys.exit.questions[4].entries: must be an array of 1 to 100 choices',
      'accounts[0].surveys.exit.questions[5].entries[1].value: "a" appears twice in this question',
      'accounts[0].surveys.exit.questions[5].entries[1].checked: must be true or false',
      'accounts[0].surveys.exit.questions[5].entries[2].extra: unknown field',
      'accounts[0].surveys.exit.questions[5].entries: only a Checkbox question may preselect more than one choice',
      'accounts[0].surveys.exit.questions[6].entries: only selection questions',
      'accounts[0].surveys.exit.questions[7].maxLength: only text questions take a maxLength',
      'accounts[0].surveys.exit.questions[7].entries[0].showLogicIds: must be an array of logicIds',
      'accounts[0].surveys.agent.questions[0].type: an agent survey takes only',
    ];
    for (const e of expected) assert.ok(problems.some((p) => p.startsWith(e)), `missing problem "${e}" in:\n${problems.join('\n')}`);
    assert.equal(problems.length, expected.length, problems.join('\n'));
  });

  it('checks ids, logicIds and entry logic across the survey, and names per kind', () => {
    const problems = problemsOf({
      surveys: {
        exit: {
          id: 1,
          name: 'Same',
          questions: [
            { id: 1, type: 'Radio Button', label: 'A', logicId: 1, entries: [{ value: 'x', showLogicIds: [9] }, { value: 'y', showLogicIds: [1] }] },
            { id: 1, type: 'Text Field', label: 'B', logicId: 1 },
          ],
        },
      },
      skills: [{ id: 5, name: 'Sales', surveys: { exit: { id: 2, name: 'Same', questions: [{ id: 1, type: 'Text Field', label: 'C' }] }, offline: { id: 3, name: 'Same', questions: [{ id: 1, type: 'Text Field', label: 'C' }] } } }],
    });
    assert.deepEqual(problems, [
      'accounts[0].surveys.exit.name: another exit survey of this account is named "Same"',
      'accounts[0].surveys.exit.questions[1].id: question 1 appears twice in this survey',
      'accounts[0].surveys.exit.questions[1].logicId: logicId 1 appears twice in this survey',
      'accounts[0].surveys.exit.questions[0].entries[0].showLogicIds: no question of this survey has logicId 9',
      'accounts[0].surveys.exit.questions[0].entries[1].showLogicIds: a question cannot reveal itself',
    ]);
  });

  it('the demo account carries valid pre-chat, offline, exit and agent surveys', () => {
    const r = parse({ surveys: demoSurveyFile });
    assert.ok(r.ok, r.ok ? '' : r.problems.join('\n'));
    const demo = demoProvisioning.accounts[0]?.surveys;
    assert.deepEqual(Object.keys(demo ?? {}).sort(), ['agent', 'exit', 'offline', 'preChat']);
    assert.deepEqual(demo, r.value.accounts[0]?.surveys);
    const exit = demo?.exit;
    assert.ok(exit);
    assert.deepEqual(checkAnswers(exit, { question: [] }, 0).answers, [], 'nothing in the demo exit survey is mandatory');
  });

  it('examples/provision.json carries the demo account\'s surveys', () => {
    const file = JSON.parse(readFileSync(new URL('../../examples/provision.json', import.meta.url), 'utf8')) as unknown;
    const r = parseProvisioning(file);
    assert.ok(r.ok, r.ok ? '' : r.problems.join('\n'));
    assert.deepEqual(r.value.accounts[0]?.surveys, demoProvisioning.accounts[0]?.surveys);
  });

  it('applying surveys twice changes nothing; a file without them removes them', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const r = parse({ surveys: demoSurveyFile, skills: [{ id: 5, name: 'Sales', surveys: { exit: { id: 1, questions: [{ id: 1, type: 'Text Area', label: 'Why?' }] } } }] });
      assert.ok(r.ok);
      await applyProvisioning(store, r.value);
      const once = await store.getAccount('1');
      await applyProvisioning(store, r.value);
      assert.deepEqual(await store.getAccount('1'), once);
      assert.equal(once?.surveys?.account.preChat?.id, 40216);
      assert.equal(once?.surveys?.skills['5']?.exit?.id, 1);
      assert.deepEqual(once?.skills, [{ id: 5, name: 'Sales' }], 'skills keep only id and name');
      const plain = parse({});
      assert.ok(plain.ok);
      await applyProvisioning(store, plain.value);
      assert.equal((await store.getAccount('1'))?.surveys, undefined);
    } finally {
      await store.close();
    }
  });
});
