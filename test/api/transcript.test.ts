// Send a Transcript (spec §4.19) and transcriptWithSubjectRequest, against a real SMTP
// server on loopback (test/helpers/smtp.ts), in JSON and XML.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { formatZoned } from '../../src/chat/conversation/transcripts.ts';
import { agentAccepted, BASE, KEY_HEADER, startChat, withApp, type TestApp } from '../helpers/app.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.ts';
import { FORMATS, read, type ErrorDoc, type Fmt } from '../helpers/wire.ts';

const PUT = { ...KEY_HEADER, 'x-http-method-override': 'PUT' };
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const START = Date.UTC(2017, 1, 27, 11, 35, 45, 448); // ManualClock's default start

/** POSTs (+ override PUT) a transcript request in `fmt`; `fields` become JSON keys or XML children of <transcriptRequest>. */
function requestTranscript(t: TestApp, chat: string, fmt: Fmt, fields: Record<string, string | number> | null, resource = 'transcriptRequest'): Promise<LightMyRequestResponse> {
  if (fmt === 'json') return t.inject({ method: 'POST', url: `${chat}/${resource}.json?v=1&NC=true`, headers: PUT, ...(fields ? { payload: fields } : {}) });
  const xml = fields ? `<transcriptRequest>${Object.entries(fields).map(([k, v]) => `<${k}>${esc(String(v))}</${k}>`).join('')}</transcriptRequest>` : '';
  return t.inject({ method: 'POST', url: `${chat}/${resource}?v=1&NC=true`, headers: { ...PUT, 'content-type': 'application/xml; charset=UTF-8', accept: 'application/xml' }, payload: xml });
}

function assertError(res: LightMyRequestResponse, fmt: Fmt, status: number, internalCode: number, message: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  const e = read<ErrorDoc>(res, fmt).error;
  assert.equal(Number(e.internalCode), internalCode);
  assert.match(e.message, message);
}

let sink: SmtpSink;
before(async () => {
  sink = await startSmtpSink();
});
after(async () => {
  await sink.close();
});

for (const fmt of FORMATS) {
  describe(`transcript (${fmt})`, () => {
    test('mails every line the visitor saw, with times and names, as text and escaped HTML', async () => {
      await withApp({ smtpUrl: sink.url }, async (t) => {
        const { agent, visitorChat, agentChat } = await agentAccepted(t, { skill: 'Sales', visitorName: 'Bob' });
        t.clock.advance(61_000);
        const post = (url: string, headers: Record<string, string>, event: Record<string, string>) =>
          t.inject({ method: 'POST', url: `${url}/events.json`, headers, payload: { event } });
        assert.equal((await post(visitorChat, KEY_HEADER, { '@type': 'line', text: 'Hi <script>alert(1)</script> & bye' })).statusCode, 201);
        t.clock.advance(2_000);
        assert.equal((await post(agentChat, agent.auth, { '@type': 'line', text: 'secret note', subType: 'ONLY_TO_REP' })).statusCode, 201);
        assert.equal((await post(agentChat, agent.auth, { '@type': 'line', text: '<div dir="ltr">Hello <b>Bob</b></div>', textType: 'html' })).statusCode, 201);
        const before = sink.messages.length;

        const res = await requestTranscript(t, visitorChat, fmt, { email: 'bob@example.com', timezoneOffset: -7200000 });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.body, '');
        const mail = await sink.waitForMessage();
        assert.equal(sink.messages.length, before + 1);
        assert.deepEqual(sink.recipients.at(-1), ['bob@example.com']);
        assert.equal(mail.subject, 'Your chat transcript');
        assert.equal(mail.from?.value[0]?.address, 'no-reply@serverchat.invalid');
        const text = mail.text ?? '';
        const html = typeof mail.html === 'string' ? mail.html : '';
        // Times in the visitor's zone: timezoneOffset -7200000 (JS convention) is GMT+02:00.
        const at = (ms: number) => formatZoned(ms, 120);
        assert.match(at(START), /^2017-02-27 13:35:45 GMT\+02:00$/);
        for (const line of [
          `[${at(START)}] Info: Thank you for choosing to chat with us.`,
          `[${at(START)}] Info: You are now chatting with Natalie.`,
          `[${at(START + 61_000)}] Bob: Hi <script>alert(1)</script> & bye`,
          `[${at(START + 63_000)}] Natalie: Hello Bob`,
        ]) {
          assert.ok(text.includes(line), `text part lacks ${JSON.stringify(line)}:\n${text}`);
        }
        assert.ok(text.includes(visitorChat.split('/').pop() as string), 'names the chat');
        assert.ok(!text.includes('secret note') && !html.includes('secret note'), 'ONLY_TO_REP lines never reach the visitor');
        assert.ok(html.includes('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; bye'), 'visitor text is escaped in HTML');
        assert.ok(!html.includes('<script>'));
        assert.ok(html.includes('<b>Bob</b>'), 'the agent\'s (cleaned) markup is kept');
        for (const s of [at(START + 61_000), 'Natalie', 'Bob', 'Info']) assert.ok(html.includes(s), s);
      });
    });

    test('without timezoneOffset the times are the server\'s; the subject variant sets the subject', async () => {
      await withApp({ smtpUrl: sink.url }, async (t) => {
        const chat = await startChat(t);
        const res = await requestTranscript(t, chat, fmt, { email: 'v@example.org', subject: 'Our chat & you' }, 'transcriptWithSubjectRequest');
        assert.equal(res.statusCode, 200, res.body);
        const mail = await sink.waitForMessage();
        assert.equal(mail.subject, 'Our chat & you');
        const local = formatZoned(START, -new Date(START).getTimezoneOffset());
        assert.ok((mail.text ?? '').includes(`[${local}] Info: Thank you for choosing to chat with us.`), mail.text);
        assert.ok(String(mail.html).includes('<title>Our chat &amp; you</title>'));
        // The subject variant needs a subject.
        const none = await requestTranscript(t, chat, fmt, { email: 'v@example.org' }, 'transcriptWithSubjectRequest');
        assertError(none, fmt, 400, 401, /subject/);
      });
    });

    test('a real PUT works too, and an ended chat can still be mailed', async () => {
      await withApp({ smtpUrl: sink.url }, async (t) => {
        const chat = await startChat(t);
        const end = await t.inject({ method: 'POST', url: `${chat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'state', state: 'ended' } } });
        assert.equal(end.statusCode, 201);
        const res = await t.inject({ method: 'PUT', url: `${chat}/transcriptRequest${fmt === 'xml' ? '.xml' : ''}`, headers: { ...KEY_HEADER, 'content-type': fmt === 'xml' ? 'application/xml' : 'application/json' }, payload: fmt === 'xml' ? '<email>late@example.com</email>' : { email: 'late@example.com' } });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(sink.recipients.at(-1), ['late@example.com']);
        await sink.waitForMessage();
      });
    });

    test('bad input is 400 and nothing is sent', async () => {
      await withApp({ smtpUrl: sink.url }, async (t) => {
        const chat = await startChat(t);
        const count = sink.messages.length;
        for (const email of ['nobody', 'a@b', 'a b@example.com', 'x@example.com, y@example.com', 'x@example.com\r\nBcc: y@example.com', `${'a'.repeat(65)}@example.com`]) {
          const res = await requestTranscript(t, chat, fmt, { email });
          assertError(res, fmt, 400, 401, /email/);
        }
        assertError(await requestTranscript(t, chat, fmt, null), fmt, 400, 401, /body|email/);
        assertError(await requestTranscript(t, chat, fmt, { mail: 'v@example.com' }), fmt, 400, 401, /email/);
        assertError(await requestTranscript(t, chat, fmt, { email: 'v@example.com', timezoneOffset: 'soon' }), fmt, 400, 401, /timezoneOffset/);
        assertError(await requestTranscript(t, chat, fmt, { email: 'v@example.com', timezoneOffset: 99_999_999 }), fmt, 400, 401, /timezoneOffset/);
        assertError(await requestTranscript(t, chat, fmt, { email: `${'a'.repeat(250)}@example.com` }), fmt, 400, 401, /email/);
        assertError(await requestTranscript(t, `${BASE}/chat/H1-00K1`, fmt, { email: 'v@example.com' }), fmt, 404, 405, /H1-00K1/);
        const noKey = await t.inject({ method: 'POST', url: `${chat}/transcriptRequest.json`, headers: { 'x-http-method-override': 'PUT' }, payload: { email: 'v@example.com' } });
        assert.equal(noKey.statusCode, 401);
        assert.equal(sink.messages.length, count, 'nothing was sent');
      });
    });

    test('without --smtp-url: 503 mail-not-configured (a bad address is still 400)', async () => {
      await withApp({}, async (t) => {
        const chat = await startChat(t);
        assertError(await requestTranscript(t, chat, fmt, { email: 'v@example.com' }), fmt, 503, 531, /not configured/);
        assertError(await requestTranscript(t, chat, fmt, { email: 'v@' }), fmt, 400, 401, /email/);
      });
    });

    test('a mail server that is down or refuses the message: 502 mail-failed, nothing delivered', async () => {
      const down = await startSmtpSink();
      const url = down.url;
      await down.close();
      await withApp({ smtpUrl: url }, async (t) => {
        const chat = await startChat(t);
        assertError(await requestTranscript(t, chat, fmt, { email: 'v@example.com' }), fmt, 502, 530, /ECONNREFUSED|connect/i);
      });
      const refusing = await startSmtpSink({ rejectWith: { code: 550, message: 'mailbox unavailable' } });
      try {
        await withApp({ smtpUrl: refusing.url }, async (t) => {
          const chat = await startChat(t);
          assertError(await requestTranscript(t, chat, fmt, { email: 'v@example.com' }), fmt, 502, 530, /550|mailbox unavailable/);
        });
        assert.equal(refusing.messages.length, 0);
      } finally {
        await refusing.close();
      }
    });
  });
}
