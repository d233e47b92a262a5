// The transcript's pieces (src/chat/transcripts.ts, src/mail/mailer.ts): the address rule,
// zoned times, and what a rendered transcript holds for every event type.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, formatZoned, renderTranscript } from '../../src/chat/conversation/transcripts.ts';
import type { Chat, ChatEvent } from '../../src/chat/core/types.ts';
import { isEmailAddress, isMailbox } from '../../src/mail/mailer.ts';

const T0 = Date.UTC(2017, 1, 27, 11, 35, 45, 448);

describe('e-mail addresses', () => {
  it('accepts plain addresses and refuses everything that could carry more', () => {
    for (const ok of ['bob@example.com', 'first.last+tag@sub.example.co.uk', "o'brien@example.ie", 'x@a-b.io']) assert.ok(isEmailAddress(ok), ok);
    for (const bad of ['', 'bob', 'bob@', '@example.com', 'bob@example', 'bob@@example.com', 'bo b@example.com', 'bob@example.com ', 'a@b.com,c@d.com',
      'a@b.com\nBcc: c@d.com', '"q"@example.com', 'bob@[127.0.0.1]', 'bob@-x.com', 'bob@x.123', '.bob@example.com', 'bob.@example.com', `${'a'.repeat(65)}@example.com`,
      `a@${'b'.repeat(250)}.com`]) {
      assert.ok(!isEmailAddress(bad), JSON.stringify(bad));
    }
  });
  it('a From may carry a display name', () => {
    assert.ok(isMailbox('Chat <chat@example.com>'));
    assert.ok(isMailbox('chat@example.com'));
    assert.ok(!isMailbox('Chat <chat>'));
    assert.ok(!isMailbox('Chat <a@b.com> <c@d.com>'));
  });
});

describe('formatZoned', () => {
  it('shows wall time at the offset, labelled GMT±hh:mm', () => {
    assert.equal(formatZoned(T0, 0), '2017-02-27 11:35:45 GMT+00:00');
    assert.equal(formatZoned(T0, 120), '2017-02-27 13:35:45 GMT+02:00');
    assert.equal(formatZoned(T0, -330), '2017-02-27 06:05:45 GMT-05:30');
    assert.equal(formatZoned(T0, -720), '2017-02-26 23:35:45 GMT-12:00');
  });
});

describe('renderTranscript', () => {
  const chat = { id: 'H1-ab12K3', startTime: T0 } as Chat;
  const events: ChatEvent[] = [
    { type: 'state', id: 0, time: T0, state: 'waiting' },
    { type: 'line', id: 1, time: T0, text: 'Thank you for choosing to chat with us.', textType: 'plain', by: 'info', source: 'system', systemMessageId: 4, subType: 'REGULAR' },
    { type: 'line', id: 2, time: T0 + 1000, text: 'a < b & "c"', textType: 'plain', source: 'visitor', subType: 'REGULAR' },
    { type: 'line', id: 3, time: T0 + 2000, text: '<p onclick="x()">Hi <script>bad()</script><b>there</b></p>', textType: 'html', by: 'Natalie', source: 'agent', subType: 'REGULAR' },
    { type: 'url', id: 4, time: T0 + 3000, url: 'https://x.example.com/?a=1&b=<2>', source: 'agent', by: 'Natalie' },
    { type: 'a2a-transfer', id: 5, time: T0 + 4000, domain: 'h:1', scheme: 'http', remoteSiteId: '2', skill: 'S', a2aEventId: 5, a2aSourceSessionId: 9, a2aSourceSiteId: '1' },
  ];
  const t = renderTranscript(chat, events, { timezoneOffset: 0 });

  it('has one text line per visible entry with time and name; states are left out', () => {
    assert.equal(t.subject, 'Your chat transcript');
    const lines = t.text.split('\n').filter((l) => l.startsWith('['));
    assert.deepEqual(lines, [
      '[2017-02-27 11:35:45 GMT+00:00] Info: Thank you for choosing to chat with us.',
      '[2017-02-27 11:35:46 GMT+00:00] You: a < b & "c"',
      '[2017-02-27 11:35:47 GMT+00:00] Natalie: Hi there',
      '[2017-02-27 11:35:48 GMT+00:00] Natalie: sent a link: https://x.example.com/?a=1&b=<2>',
      '[2017-02-27 11:35:49 GMT+00:00] Info: The chat was transferred to another account.',
    ]);
    assert.ok(t.text.includes('Chat H1-ab12K3'));
  });

  it('escapes user text in HTML and keeps only cleaned agent markup', () => {
    assert.ok(t.html.includes('a &lt; b &amp; &quot;c&quot;'));
    assert.ok(t.html.includes('<b>there</b>'));
    assert.ok(!t.html.includes('<script') && !t.html.includes('bad()') && !t.html.includes('onclick'));
    assert.ok(t.html.includes('https://x.example.com/?a=1&amp;b=&lt;2&gt;'));
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('uses the given subject', () => {
    const s = renderTranscript(chat, [], { subject: 'Re: <order>' });
    assert.equal(s.subject, 'Re: <order>');
    assert.ok(s.html.includes('<title>Re: &lt;order&gt;</title>'));
  });
});
