// Issue 11, findings 5 and 9: a character XML 1.0 forbids never gets in (every body, both
// sides, both formats) and never goes out (the codec); character references in any XML body
// are decoded once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { encodeXml, decodeXml } from '../../src/api/codecs/xml.ts';
import { agentAccepted, KEY_HEADER, startChat, visitorEvents, withApp } from '../helpers/app.ts';

const XML_BODY = { ...KEY_HEADER, 'content-type': 'application/xml' };
const PUT = { 'x-http-method-override': 'PUT' };

test('a line with a control character is refused with 400 bad-body, in JSON and in XML, on both sides', async () => {
  await withApp({}, async (t) => {
    const { agent, visitorChat, agentChat } = await agentAccepted(t);
    for (const text of ['a\u0001b', 'nul\u0000', 'vt\u000b', 'ff\u000c', 'esc\u001b[31m', 'lone \ud800']) {
      const v = await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text } } });
      assert.equal(v.statusCode, 400, `visitor ${JSON.stringify(text)}: ${v.body}`);
      assert.equal((v.json() as { error: { internalCode: number } }).error.internalCode, 401);
      const a = await t.inject({ method: 'POST', url: `${agentChat}/events.json`, headers: agent.auth, payload: { event: { '@type': 'line', text, textType: 'plain' } } });
      assert.equal(a.statusCode, 400, `agent ${JSON.stringify(text)}: ${a.body}`);
    }
    for (const body of ['<event type="line"><text>a&#1;b</text></event>', '<event type="line"><text>a&#x1B;b</text></event>', '<event type="line"><text>a\u0001b</text></event>']) {
      const res = await t.inject({ method: 'POST', url: `${visitorChat}/events`, headers: XML_BODY, payload: body });
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /xml/);
    }
    // The visitor's name too (any field of any body).
    const name = await t.inject({ method: 'POST', url: `${visitorChat}/info/visitorName.json`, headers: { ...KEY_HEADER, ...PUT }, payload: { visitorName: 'Eve\u0007' } });
    assert.equal(name.statusCode, 400, name.body);
    // Tab, CR and LF are text.
    const ok = await t.inject({ method: 'POST', url: `${visitorChat}/events.json`, headers: KEY_HEADER, payload: { event: { '@type': 'line', text: 'a\tb\r\nc' } } });
    assert.equal(ok.statusCode, 201, ok.body);
    const xml = await t.inject({ method: 'GET', url: `${visitorChat}/events.xml`, headers: KEY_HEADER });
    assert.equal(XMLValidator.validate(xml.body), true);
  });
});

test('XML character references are decoded once: Caf&#xE9; is stored as Café, &amp;#xE9; as the text &#xE9;', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const res = await t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload: '<event type="line"><text>Caf&#xE9; &#233; &amp;#xE9; &lt;b&gt; &quot;&apos; &#x1F600;</text></event>' });
    assert.equal(res.statusCode, 201, res.body);
    const line = (await visitorEvents(t, chat)).findLast((e) => e['@type'] === 'line');
    assert.equal(line?.text, 'Café é &#xE9; <b> "\' 😀');
    const xml = await t.inject({ method: 'GET', url: `${chat}/events.xml`, headers: KEY_HEADER });
    assert.match(xml.body, /<text>Café é &amp;#xE9; &lt;b&gt; &quot;&apos; 😀<\/text>/);
    // An unknown named entity (there is no DTD) is not well-formed.
    const nbsp = await t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload: '<event type="line"><text>a&nbsp;b</text></event>' });
    assert.equal(nbsp.statusCode, 400);
  });
});

test('references in attributes are decoded too', () => {
  assert.deepEqual(decodeXml('<a x="&#x41;&amp;&#66;">t</a>'), { a: { '#text': 't', '@x': 'A&B' } });
});

test('the XML codec never writes a character XML 1.0 forbids, whatever the tree holds', () => {
  const nasty = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('') + '\ud800\udfff\ud83d\ude00\ufffe\uffff';
  const out = encodeXml({ doc: { '@attr': nasty, text: nasty, list: [nasty, { '#text': nasty }] } });
  assert.equal(XMLValidator.validate(out), true);
  assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(out));
  // Tab, LF, CR and a well-formed pair survive.
  assert.ok(out.includes('\t\n') && out.includes('\r') && out.includes('\ud83d\ude00'));
});

test('XML bodies: too many elements or too deep a nesting is 400 after a scan, before any parse', async () => {
  await withApp({}, async (t) => {
    const chat = await startChat(t);
    const post = (payload: string) => t.inject({ method: 'POST', url: `${chat}/events`, headers: XML_BODY, payload });
    const deep = `${'<a>'.repeat(40)}x${'</a>'.repeat(40)}`;
    const wide = `<event type="line"><text>x</text>${'<b/>'.repeat(5000)}</event>`;
    for (const body of [deep, wide]) {
      const started = performance.now();
      const res = await post(body);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.body, /elements|nested/);
      assert.ok(performance.now() - started < 1000);
    }
    // An ordinary body with > in an attribute value and self-closed elements still goes.
    const ok = await post('<event type="line" note="a>b"><text>fine</text><x/><y/></event>');
    assert.equal(ok.statusCode, 201, ok.body);
  });
});
