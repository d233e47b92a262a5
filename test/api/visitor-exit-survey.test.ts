// Exit survey on the visitor side (spec §4.17, §4.18, §5), in JSON and XML: the chat's survey,
// the SDK flow (end the chat, then submit), answers kept with the chat, nothing on error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, endByVisitor, KEY_HEADER, startChat, withApp } from '../helpers/app.ts';
import { errorMessage, EXIT, get, internalCode, PUT, send, withSurveys, type SurveyDoc } from '../helpers/surveys.ts';
import { asArray, FORMATS, lastSegment as lastSegmentOf, read } from '../helpers/wire.ts';

for (const fmt of FORMATS) {
  test(`exit survey: the chat's survey; the visitor ends the chat, then submits it (the SDK flow) (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const chat = await startChat(t);
      const res = await get(t, fmt, `${chat}/exitSurvey?v=1&NC=true`);
      assert.equal(res.statusCode, 200);
      const s = read<SurveyDoc>(res, fmt).survey;
      assert.equal(String(s.id), String(EXIT.id));
      const [transcript, , rating] = asArray(s.questions.question);
      assert.deepEqual(asArray(transcript?.entry).map((e) => [e.value, e.displayValue]), [['yes', 'Yes'], ['no', 'No']]);
      assert.equal(rating?.type, 'Radio Button (side by side)');

      await endByVisitor(t, chat);
      // Still there once ended (spec §3), with the SDK's 15 s polls of the chat in between.
      await t.tick(15_000);
      assert.equal((await get(t, fmt, `${chat}/exitSurvey`)).statusCode, 200);
      assert.equal((await get(t, fmt, chat)).statusCode, 200);
      const submit = await send(t, fmt, `${chat}/exitSurvey.${fmt}?v=1&NC=true`, {
        survey: { id: EXIT.id, question: [{ id: EXIT.transcript, answer: 'yes' }, { id: EXIT.email, answer: 'ann@x.io' }, { id: EXIT.rating, answer: 5 }], chatReferrer: 'https://x', userAgent: 'UA' },
      });
      assert.equal(submit.statusCode, 200, submit.body);
      assert.equal(submit.body, '');
      const stored = await t.store.getChat('12345678', lastSegmentOf(chat));
      assert.equal(stored?.state, 'ended');
      assert.deepEqual(stored?.exitSurvey, {
        surveyId: EXIT.id,
        time: t.clock.now(),
        answers: [
          { questionId: EXIT.transcript, values: ['yes'] },
          { questionId: EXIT.email, values: ['ann@x.io'] },
          { questionId: EXIT.rating, values: ['5'] },
        ],
      });
      // A second submission replaces the first (the method is a PUT); one question as an object.
      const again = await send(t, fmt, `${chat}/exitSurvey`, { survey: { id: String(EXIT.id), question: { id: String(EXIT.transcript), answer: 'no' } } });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual((await t.store.getChat('12345678', lastSegmentOf(chat)))?.exitSurvey?.answers, [{ questionId: EXIT.transcript, values: ['no'] }]);
    });
  });

  test(`exit survey: bad submissions and unknown chats answer 4xx and change nothing (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const chat = await startChat(t);
      const before = await t.store.getChat('12345678', lastSegmentOf(chat));
      const cases: Array<[Record<string, unknown>, number, RegExp]> = [
        [{ survey: { id: EXIT.id, question: { id: EXIT.transcript, answer: 'maybe' } } }, 431, /"maybe" is not one of its options \(yes, no\)/],
        [{ survey: { id: EXIT.id, question: { id: EXIT.email, answer: 'not-an-email' } } }, 431, /e-mail/],
        [{ survey: { id: EXIT.id, question: { id: 1, answer: 'x' } } }, 431, /not a question of survey 361348/],
        [{ survey: { id: EXIT.id, question: { id: 'abc', answer: 'x' } } }, 431, /not a question/],
        [{ survey: { id: 12, question: { id: EXIT.transcript, answer: 'yes' } } }, 430, /survey 12 is not an exit survey of this account/],
        [{ survey: { id: EXIT.id, question: { id: EXIT.rating, answer: ['4', '5'] } } }, 431, /one answer/],
        [{ answers: { question: { id: EXIT.rating, answer: '5' } } }, 401, /survey/],
      ];
      for (const [doc, code, message] of cases) {
        const res = await send(t, fmt, `${chat}/exitSurvey`, doc);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(internalCode(res, fmt), code);
        assert.match(errorMessage(res, fmt), message);
      }
      assert.deepEqual(await t.store.getChat('12345678', lastSegmentOf(chat)), before, 'the chat is unchanged');
      const gone = `${BASE}/chat/H1-nope`;
      assert.equal((await get(t, fmt, `${gone}/exitSurvey`)).statusCode, 404);
      const res = await send(t, fmt, `${gone}/exitSurvey`, { survey: { id: EXIT.id, question: { id: EXIT.rating, answer: '5' } } });
      assert.equal(res.statusCode, 404);
      assert.equal(internalCode(res, fmt), 405);
      const noKey = await t.inject({ method: 'GET', url: `${chat}/exitSurvey.${fmt}` });
      assert.equal(noKey.statusCode, 401);
    });
  });
}

test('a skill\'s own exit survey wins over the account\'s; a Checkbox takes several answers', async () => {
  const account = { exit: { id: 1, questions: [{ id: 10, type: 'Text Area', label: 'Comments?' }] } };
  const sales = { exit: { id: 2, questions: [{ id: 20, type: 'Checkbox', label: 'What went well?', mandatory: true, entries: [{ value: 'speed' }, { value: 'tone' }, { value: 'answer' }] }] } };
  await withApp({ provisioning: withSurveys(account, sales) }, async (t) => {
    const salesChat = await startChat(t, { skill: 'Sales' });
    const plainChat = await startChat(t, {});
    const idOf = async (chat: string): Promise<number> => (await t.inject({ method: 'GET', url: `${chat}/exitSurvey.json`, headers: KEY_HEADER })).json<SurveyDoc>().survey.id as number;
    assert.equal(await idOf(salesChat), 2);
    assert.equal(await idOf(plainChat), 1);
    const put = (chat: string, survey: unknown) => t.inject({ method: 'POST', url: `${chat}/exitSurvey.json`, headers: PUT, payload: { survey } });
    assert.equal((await put(salesChat, { id: 2, question: { id: 20, answer: ['speed', 'speed'] } })).statusCode, 400);
    assert.equal((await put(salesChat, { id: 2, question: { id: 20, answer: [] } })).statusCode, 400, 'a mandatory Checkbox needs one choice');
    assert.equal((await put(salesChat, { id: 2, question: { id: 20, answer: ['speed', 'answer'] } })).statusCode, 200);
    assert.deepEqual((await t.store.getChat('12345678', lastSegmentOf(salesChat)))?.exitSurvey?.answers, [{ questionId: 20, values: ['speed', 'answer'] }]);
    // Any exit survey of the account may be answered (a client may have picked one by name).
    assert.equal((await put(plainChat, { id: 2, question: { id: 20, answer: 'tone' } })).statusCode, 200);
  });
});

test('XML: a Checkbox answered with repeated <answer> elements; <survey> is the root element', async () => {
  const sales = { exit: { id: 2, questions: [{ id: 20, type: 'Checkbox', label: 'What went well?', entries: [{ value: 'speed' }, { value: 'tone' }] }] } };
  await withApp({ provisioning: withSurveys({}, sales) }, async (t) => {
    const chat = await startChat(t);
    const xml = '<?xml version="1.0" encoding="UTF-8"?><survey><id>2</id><question><id>20</id><answer>speed</answer><answer>tone</answer></question></survey>';
    const res = await t.inject({ method: 'POST', url: `${chat}/exitSurvey`, headers: { ...PUT, 'content-type': 'application/xml; charset=UTF-8' }, payload: xml });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual((await t.store.getChat('12345678', lastSegmentOf(chat)))?.exitSurvey?.answers, [{ questionId: 20, values: ['speed', 'tone'] }]);
  });
});
