// Agent survey (agent API §4.22, §4.23), in JSON and XML: the structure of a chat the agent
// holds, answers kept with the chat, only by the agent holding it, nothing stored on error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptNext, AGENT, agentAccepted, agentOnline, endByVisitor, KEY_HEADER, startChat, TOM, withApp, withTom, type AgentHandle, type TestApp } from '../helpers/app.ts';
import { AGENT_SURVEY, body, errorMessage, internalCode, noSurveys, withSurveys } from '../helpers/surveys.ts';
import { asArray, FORMATS, lastSegment, read, type Fmt } from '../helpers/wire.ts';

interface SurveyDoc {
  survey: { id: number | string; questions: { question: Array<{ id: number | string; type: string; entry: Array<{ value: string }> }> } };
}

const get = (t: TestApp, agent: AgentHandle, fmt: Fmt, chat: string) => t.inject({ method: 'GET', url: `${chat}/survey.${fmt}?v=1&NC=true`, headers: agent.auth });
const put = (t: TestApp, agent: AgentHandle, fmt: Fmt, chat: string, doc: Record<string, unknown>) => {
  const b = body(fmt, doc);
  return t.inject({ method: 'POST', url: `${chat}/survey?v=1&NC=true`, headers: { ...agent.auth, ...b.headers, 'x-http-method-override': 'PUT' }, payload: b.payload });
};
const stored = async (t: TestApp, chat: string) => (await t.store.getChat('12345678', lastSegment(chat)))?.agentSurvey;

for (const fmt of FORMATS) {
  test(`agent survey: the structure, then answers after the chat ended, kept with the chat (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, visitorChat, agentChat } = await agentAccepted(t);
      const res = await get(t, agent, fmt, agentChat);
      assert.equal(res.statusCode, 200);
      const s = read<SurveyDoc>(res, fmt).survey;
      assert.equal(String(s.id), String(AGENT_SURVEY.id));
      const [outcome, topics] = asArray(s.questions.question);
      assert.equal(outcome?.type, 'Dropdown Box');
      assert.deepEqual(asArray(outcome?.entry).map((e) => e.value), ['Resolved', 'Follow-up needed', 'Not resolved']);
      assert.equal(topics?.type, 'Checkbox');

      await endByVisitor(t, visitorChat);
      const ok = await put(t, agent, fmt, agentChat, {
        survey: { id: AGENT_SURVEY.id, question: [{ id: AGENT_SURVEY.outcome, answer: 'Resolved' }, { id: AGENT_SURVEY.topics, answer: ['Orders', 'Billing'] }] },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(await stored(t, agentChat), {
        surveyId: AGENT_SURVEY.id,
        time: t.clock.now(),
        agentId: AGENT.id,
        answers: [
          { questionId: AGENT_SURVEY.outcome, values: ['Resolved'] },
          { questionId: AGENT_SURVEY.topics, values: ['Orders', 'Billing'] },
        ],
      });
      // The agent page's bare `question` elements (no survey id): the chat's own survey.
      const again = await put(t, agent, fmt, agentChat, { question: { id: AGENT_SURVEY.outcome, answer: 'Not resolved' } });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual((await stored(t, agentChat))?.answers, [{ questionId: AGENT_SURVEY.outcome, values: ['Not resolved'] }]);
    });
  });

  test(`agent survey: bad answers answer 400 and store nothing (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const { agent, agentChat } = await agentAccepted(t);
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ survey: { id: AGENT_SURVEY.id, question: { id: AGENT_SURVEY.topics, answer: 'Orders' } } }, 431, /question 4991320 \("Chat outcome"\) is mandatory/],
        [{ survey: { id: AGENT_SURVEY.id, question: [{ id: AGENT_SURVEY.outcome, answer: 'Maybe' }] } }, 431, /"Maybe" is not one of its options/],
        [{ survey: { id: AGENT_SURVEY.id, question: [{ id: AGENT_SURVEY.outcome, answer: ['Resolved', 'Not resolved'] }] } }, 431, /one answer/],
        [{ survey: { id: AGENT_SURVEY.id, question: [{ id: AGENT_SURVEY.outcome, answer: 'Resolved' }, { id: 5, answer: 'x' }] } }, 431, /question 5: not a question/],
        [{ survey: { id: AGENT_SURVEY.id, question: [{ id: AGENT_SURVEY.outcome, answer: 'Resolved' }, { id: AGENT_SURVEY.topics, answer: ['Orders', 'Orders'] }] } }, 431, /twice/],
        [{ survey: { id: 40216, question: { id: AGENT_SURVEY.outcome, answer: 'Resolved' } } }, 430, /survey 40216 is not an agent survey of this account/],
        [{ nothing: { here: 'x' } }, 401, /survey/],
        [{ survey: { id: AGENT_SURVEY.id, question: { id: AGENT_SURVEY.outcome, answer: 'x'.repeat(10_001) } } }, 401, /answer/],
      ];
      for (const [doc, code, message] of cases) {
        const res = await put(t, agent, fmt, agentChat, doc);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(internalCode(res, fmt), code);
        assert.match(errorMessage(res, fmt), message);
      }
      assert.equal(await stored(t, agentChat), undefined, 'nothing stored');
    });
  });

  test(`agent survey: another agent's chat 403, a ringing chat can be read but not answered (409), no bearer 401 (${fmt})`, async () => {
    await withApp({ provisioning: withTom }, async (t) => {
      const natalie = await agentOnline(t);
      await startChat(t);
      const held = await acceptNext(t, natalie);
      const tom = await agentOnline(t, { login: TOM.loginName, password: TOM.password });
      const answer = { survey: { id: AGENT_SURVEY.id, question: { id: AGENT_SURVEY.outcome, answer: 'Resolved' } } };
      const tomsView = `${tom.session}/chat/${lastSegment(held)}`;
      for (const res of [await get(t, tom, fmt, tomsView), await put(t, tom, fmt, tomsView, answer)]) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(internalCode(res, fmt), 13);
      }
      // The next chat rings for one of them; whoever it rings for may read, not answer.
      await startChat(t);
      const ringing = await t.store.listWaitingChats('12345678');
      const chat = ringing[0];
      assert.ok(chat && chat.ringingAgentId !== null);
      const who = chat.ringingAgentId === TOM.id ? tom : natalie;
      const url = `${who.session}/chat/${chat.id}`;
      assert.equal((await get(t, who, fmt, url)).statusCode, 200);
      const early = await put(t, who, fmt, url, answer);
      assert.equal(early.statusCode, 409);
      assert.equal(internalCode(early, fmt), 412);
      assert.equal((await t.inject({ method: 'GET', url: `${held}/survey.${fmt}`, headers: KEY_HEADER })).statusCode, 401);
      assert.equal(await stored(t, held), undefined);
      assert.equal((await t.store.getChat('12345678', chat.id))?.agentSurvey, undefined);
    });
  });

  test(`agent survey: none provisioned → 204; a submission → 400 unknown-survey (${fmt})`, async () => {
    await withApp({ provisioning: noSurveys }, async (t) => {
      const { agent, agentChat } = await agentAccepted(t);
      const res = await get(t, agent, fmt, agentChat);
      assert.equal(res.statusCode, 204);
      assert.equal(res.body, '');
      const sub = await put(t, agent, fmt, agentChat, { question: { id: 1, answer: 'x' } });
      assert.equal(sub.statusCode, 400);
      assert.equal(internalCode(sub, fmt), 430);
    });
  });
}

test('a skill\'s own agent survey wins over the account\'s', async () => {
  const own = { agent: { id: 9, questions: [{ id: 90, type: 'Radio Button', label: 'Sale made?', entries: [{ value: 'yes' }, { value: 'no' }] }] } };
  const account = { agent: { id: 8, questions: [{ id: 80, type: 'Checkbox', label: 'Tags', entries: [{ value: 'a' }] }] } };
  await withApp({ provisioning: withSurveys(account, own) }, async (t) => {
    const { agent, agentChat } = await agentAccepted(t, { skill: 'Sales' });
    const res = await get(t, agent, 'json', agentChat);
    assert.equal(read<SurveyDoc>(res, 'json').survey.id, 9);
  });
});
