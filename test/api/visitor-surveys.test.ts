// Pre-chat and offline surveys on the visitor side (spec §4.4–4.7, §5), in JSON and XML: the
// survey object, submissions checked against it, nothing stored on error. Exit survey:
// visitor-exit-survey.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { body, errorMessage, EXIT, get, internalCode, noSurveys, OFFLINE, PRE, send, withSurveys, type Question, type SurveyDoc } from '../helpers/surveys.ts';
import { asArray, FORMATS, lastSegment as lastSegmentOf, read } from '../helpers/wire.ts';

const offlineCount = async (t: TestApp): Promise<number> => (await t.store.listOfflineSurveys('12345678')).length;

for (const fmt of FORMATS) {
  test(`GET preSurvey: the demo survey object, every field, one-item lists collapsed in JSON (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const res = await get(t, fmt, `${BASE}/chat/preSurvey?v=1&NC=true`);
      assert.equal(res.statusCode, 200);
      const s = read<SurveyDoc>(res, fmt).survey;
      assert.equal(String(s.id), String(PRE.id));
      assert.equal(s.header, 'To help us serve you better, please answer a few questions.');
      const qs = asArray(s.questions.question);
      assert.deepEqual(qs.map((q) => String(q.id)), [PRE.name, PRE.email, PRE.topic, PRE.more].map(String));
      const [name, email, topic] = qs as [Question, Question, Question];
      assert.deepEqual(Object.keys(name), ['type', 'validationType', 'id', 'logicId', 'order', 'mandatory', 'label', 'lastKnownValue']);
      assert.equal(name.type, 'Text Field');
      assert.equal(String(name.mandatory), 'true');
      assert.equal(email.validationType, 'email');
      assert.equal(String(email.order), '1');
      assert.equal(topic.type, 'Dropdown Box');
      assert.equal(topic.lastKnownValue, undefined, 'only text questions carry lastKnownValue');
      const entries = asArray(topic.entry);
      assert.deepEqual(entries.map((e) => e.value), ['Orders', 'Billing', 'Other']);
      assert.equal(String(entries[0]?.checked), 'false');
      assert.equal(entries[0]?.logic, undefined);
      // One showLogicId: a scalar in JSON (collapsed), one element in XML.
      assert.equal(String(entries[2]?.logic?.showLogicId), '4');
      if (fmt === 'json') {
        assert.equal(typeof name.id, 'number');
        assert.equal(name.mandatory, true);
        assert.equal(name.lastKnownValue, '');
        assert.equal(s.title, '');
      } else {
        assert.match(res.body, /^<\?xml version="1\.0" encoding="UTF-8"\?><survey><id>40216<\/id>/);
      }
    });
  });

  test(`GET preSurvey: "//preSurvey" (the doc's URL), skill and surveyName pick, unknown skill 400 (${fmt})`, async () => {
    const skillOwn = { preChat: { id: 77, name: 'Sales pre-chat', questions: [{ id: 1, type: 'Text Field', label: 'Order number?' }] } };
    const prov = withSurveys({ preChat: { id: 70, name: 'General', questions: [{ id: 2, type: 'Text Area', label: 'Anything?' }] } }, skillOwn);
    await withApp({ provisioning: prov }, async (t) => {
      const id = async (url: string): Promise<string> => String(read<SurveyDoc>(await get(t, fmt, url), fmt).survey.id);
      assert.equal(await id(`${BASE}/chat//preSurvey?v=1&NC=true`), '70');
      assert.equal(await id(`${BASE}/chat/preSurvey?skill=Sales`), '77');
      assert.equal(await id(`${BASE}/chat/preSurvey?skill=sales`), '77');
      assert.equal(await id(`${BASE}/chat/preSurvey?skill=Sales&surveyName=General`), '70');
      assert.equal(await id(`${BASE}/chat/preSurvey?surveyApiId=77`), '77');
      assert.equal(await id(`${BASE}/chat/preSurvey?surveyName=Nothing`), '70', 'an unknown name falls back to the rules');
      // One question: an object in JSON, not a one-item array.
      const one = read<SurveyDoc>(await get(t, fmt, `${BASE}/chat/preSurvey`), fmt).survey.questions.question;
      assert.ok(!Array.isArray(one) && one.label === 'Anything?');
      const bad = await get(t, fmt, `${BASE}/chat/preSurvey?skill=Nope`);
      assert.equal(bad.statusCode, 400);
      assert.equal(internalCode(bad, fmt), 403);
    });
  });

  test(`no survey provisioned: every survey GET answers 204 with no body; submissions 400 (${fmt})`, async () => {
    await withApp({ provisioning: noSurveys }, async (t) => {
      const chat = await startChat(t);
      for (const url of [`${BASE}/chat/preSurvey`, `${BASE}/chat/offlineSurvey`, `${chat}/exitSurvey`]) {
        const res = await get(t, fmt, url);
        assert.equal(res.statusCode, 204, url);
        assert.equal(res.body, '');
      }
      const off = await send(t, fmt, `${BASE}/chat/offlineSurvey`, { survey: { id: OFFLINE.id, question: { id: OFFLINE.name, answer: 'x' } } });
      assert.equal(off.statusCode, 400);
      assert.equal(internalCode(off, fmt), 430);
      const exit = await send(t, fmt, `${chat}/exitSurvey`, { survey: { id: EXIT.id, question: { id: EXIT.rating, answer: '5' } } });
      assert.equal(internalCode(exit, fmt), 430);
      assert.equal(await offlineCount(t), 0);
      assert.equal((await t.store.getChat('12345678', lastSegmentOf(chat)))?.exitSurvey, undefined);
    });
  });

  test(`offline survey: GET, then POST + override PUT stores it with the visitor's details (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const res = await get(t, fmt, `${BASE}/chat/offlineSurvey?skill=Sales&visitorId=5`);
      assert.equal(res.statusCode, 200);
      const s = read<SurveyDoc>(res, fmt).survey;
      assert.equal(s.header, 'Send A Message');
      assert.equal(asArray(s.questions.question).length, 3);
      // The doc's shape: details inside `survey`, `answer`, the `chatRefferer` typo.
      const doc = {
        survey: {
          id: OFFLINE.id,
          question: [
            { id: OFFLINE.name, answer: 'natalie' },
            { id: OFFLINE.email, answer: 'natalie@mail.com' },
            { id: OFFLINE.message, answer: 'Please call me back.' },
          ],
          LETagVisitorId: 'rloXnVgEQ-iQuoOytvKNqA',
          LETagSessionId: 'rN82d4rATN6EuiA4cJwaPg',
          LETagContextId: 5,
          skill: 'Sales',
          userAgent: 'Mozilla/5.0',
          chatRefferer: 'https://shop.example/cart',
        },
      };
      const post = await send(t, fmt, `${BASE}/chat/offlineSurvey.${fmt}?v=1&NC=true`, doc);
      assert.equal(post.statusCode, 200, post.body);
      // The JS SDK's shape: details beside `survey`, `value` instead of `answer`, a real PUT.
      const sdk = body(fmt, {
        survey: {
          id: String(OFFLINE.id),
          question: [{ id: String(OFFLINE.name), value: 'Bob' }, { id: OFFLINE.email, value: 'bob@x.io' }, { id: OFFLINE.message, value: 'hi' }],
          // XML has one root element, so only JSON can carry details beside `survey`.
          ...(fmt === 'xml' ? { visitorSessionId: 'vs1' } : {}),
        },
        ...(fmt === 'json' ? { visitorSessionId: 'vs1' } : {}),
      });
      const put = await t.inject({ method: 'PUT', url: `${BASE}/chat/offlineSurvey`, headers: { ...KEY_HEADER, ...sdk.headers, 'user-agent': 'SDK/1' }, payload: sdk.payload });
      assert.equal(put.statusCode, 200, put.body);
      const [first, second] = await t.store.listOfflineSurveys('12345678');
      assert.deepEqual(first?.answers, [
        { questionId: OFFLINE.name, values: ['natalie'] },
        { questionId: OFFLINE.email, values: ['natalie@mail.com'] },
        { questionId: OFFLINE.message, values: ['Please call me back.'] },
      ]);
      assert.equal(first?.surveyId, OFFLINE.id);
      assert.equal(first?.skillId, 25975313);
      assert.equal(first?.chatReferrer, 'https://shop.example/cart');
      assert.equal(first?.sharkVisitorId, 'rloXnVgEQ-iQuoOytvKNqA');
      assert.equal(first?.sharkContextId, '5');
      assert.equal(first?.userAgent, 'Mozilla/5.0');
      assert.equal(second?.visitorSessionId, 'vs1');
      assert.equal(second?.userAgent, 'SDK/1', 'the User-Agent header when the body has none');
      assert.equal(second?.skillId, null);
    });
  });

  test(`offline survey: bad submissions answer 400 in the client's format and store nothing (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const good = [{ id: OFFLINE.name, answer: 'Ann' }, { id: OFFLINE.email, answer: 'ann@x.io' }, { id: OFFLINE.message, answer: 'hi' }];
      const cases: Array<[string, Record<string, unknown>, number, RegExp]> = [
        ['no survey', { answers: { question: good } }, 401, /survey/],
        ['no survey id', { survey: { question: good } }, 401, /id/],
        ['survey id of another kind', { survey: { id: EXIT.id, question: good } }, 430, /not an offline survey/],
        ['unknown survey id', { survey: { id: 999, question: good } }, 430, /999/],
        ['unknown question id', { survey: { id: OFFLINE.id, question: [...good, { id: 42, answer: 'x' }] } }, 431, /question 42: not a question of survey 40290/],
        ['question without id', { survey: { id: OFFLINE.id, question: [...good, { answer: 'x' }] } }, 431, /"id" is missing/],
        ['a question answered twice', { survey: { id: OFFLINE.id, question: [...good, { id: OFFLINE.name, answer: 'B' }] } }, 431, /answered twice/],
        ['mandatory question missing', { survey: { id: OFFLINE.id, question: good.slice(0, 2) } }, 431, /mandatory/],
        ['mandatory question blank', { survey: { id: OFFLINE.id, question: [...good.slice(0, 2), { id: OFFLINE.message, answer: '   ' }] } }, 431, /mandatory/],
        ['not an e-mail address', { survey: { id: OFFLINE.id, question: [good[0], { id: OFFLINE.email, answer: 'nope' }, good[2]] } }, 431, /e-mail/],
        ['too long for a Text Field', { survey: { id: OFFLINE.id, question: [{ id: OFFLINE.name, answer: 'x'.repeat(257) }, ...good.slice(1)] } }, 431, /longer than 256/],
        ['several answers to a text question', { survey: { id: OFFLINE.id, question: [{ id: OFFLINE.name, answer: ['a', 'b'] }, ...good.slice(1)] } }, 431, /one answer/],
        ['unknown skill', { survey: { id: OFFLINE.id, question: good, skill: 'Nope' } }, 403, /Nope/],
        ['over the schema limit', { survey: { id: OFFLINE.id, question: [{ id: OFFLINE.name, answer: 'x'.repeat(10_001) }] } }, 401, /answer/],
      ];
      if (fmt === 'json') {
        cases.push(['an answer that is an object', { survey: { id: OFFLINE.id, question: [{ id: OFFLINE.name, answer: { a: 1 } }] } }, 401, /answer/]);
        cases.push(['a survey id that is an object', { survey: { id: { x: 1 }, question: good } }, 401, /id/]);
      } else {
        cases.push(['an answer that is an element tree', { survey: { id: OFFLINE.id, question: [{ id: OFFLINE.name, answer: { a: 1 } }] } }, 401, /answer/]);
      }
      for (const [what, doc, code, message] of cases) {
        const res = await send(t, fmt, `${BASE}/chat/offlineSurvey`, doc);
        assert.equal(res.statusCode, 400, `${what}: ${res.body}`);
        assert.equal(internalCode(res, fmt), code, what);
        assert.match(errorMessage(res, fmt), message, what);
        if (fmt === 'xml') assert.match(String(res.headers['content-type']), /^application\/xml/);
      }
      assert.equal(await offlineCount(t), 0, 'nothing stored');
    });
  });

  test(`Start Chat carries pre-chat answers; entry logic decides what is mandatory; bad ones create no chat (${fmt})`, async () => {
    await withApp({}, async (t) => {
      const request = (question: unknown) => body(fmt, { request: { skill: 'Sales', survey: { id: PRE.id, question } } });
      const post = (question: unknown) => {
        const b = request(question);
        return t.inject({ method: 'POST', url: `${BASE}/chat/request`, headers: { ...KEY_HEADER, ...b.headers }, payload: b.payload });
      };
      // "Other" reveals the mandatory "tell us more": missing, it is an error; "Orders" does not need it.
      const hidden = await post([{ id: PRE.name, answer: 'Ann' }, { id: PRE.topic, answer: 'Other' }]);
      assert.equal(hidden.statusCode, 400);
      assert.equal(internalCode(hidden, fmt), 431);
      assert.match(errorMessage(hidden, fmt), new RegExp(`question ${PRE.more} \\("Please tell us more:"\\) is mandatory`));
      for (const [question, why] of [
        [[{ id: PRE.name, answer: 'Ann' }, { id: PRE.topic, answer: 'Shoes' }], /not one of its options/],
        [[{ id: PRE.topic, answer: 'Orders' }], /mandatory/],
        [[{ id: PRE.name, answer: 'Ann' }, { id: PRE.topic, answer: ['Orders', 'Billing'] }], /one answer/],
      ] as const) {
        const res = await post(question);
        assert.equal(res.statusCode, 400);
        assert.match(errorMessage(res, fmt), why);
      }
      const wrongId = body(fmt, { request: { skill: 'Sales', survey: { id: OFFLINE.id, question: { id: OFFLINE.name, answer: 'x' } } } });
      const wrong = await t.inject({ method: 'POST', url: `${BASE}/chat/request`, headers: { ...KEY_HEADER, ...wrongId.headers }, payload: wrongId.payload });
      assert.equal(internalCode(wrong, fmt), 430);
      assert.deepEqual(await t.store.listWaitingChats('12345678'), [], 'no chat was created');

      const ok = await post([{ id: PRE.name, answer: 'Ann' }, { id: PRE.topic, answer: 'Other' }, { id: PRE.more, answer: 'My parcel is late' }]);
      assert.equal(ok.statusCode, 201, ok.body);
      const chat = await t.store.getChat('12345678', lastSegmentOf(String(ok.headers.location)));
      assert.deepEqual(chat?.preChatSurvey?.answers, [
        { questionId: PRE.name, values: ['Ann'] },
        { questionId: PRE.topic, values: ['Other'] },
        { questionId: PRE.more, values: ['My parcel is late'] },
      ]);
      assert.equal(chat?.preChatSurvey?.surveyId, PRE.id);
    });
  });
}
