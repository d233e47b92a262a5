// The wire codecs (src/api/codecs/*), format negotiation (src/api/negotiate.ts) and the
// timestamp format (src/api/representations/time.ts).
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { encodeJson } from '../../src/api/codecs/json.ts';
import { decodeXml, encodeXml, XmlSyntaxError } from '../../src/api/codecs/xml.ts';
import { negotiate, stripSuffix } from '../../src/api/negotiate.ts';
import { formatTime } from '../../src/api/representations/time.ts';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>';
const req = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('JSON codec', () => {
  it('collapses a one-item list to the item, keeps longer lists', () => {
    const doc = { events: { link: [{ '@href': 'h1', '@rel': 'self' }], event: [{ '@id': '0' }, { '@id': '1' }] } };
    assert.equal(encodeJson(doc), '{"events":{"link":{"@href":"h1","@rel":"self"},"event":[{"@id":"0"},{"@id":"1"}]}}');
  });

  it('drops empty lists, undefined and null, but keeps 0, false and ""', () => {
    const doc = { info: { a: [], b: undefined, c: null, d: [null, undefined], n: 0, f: false, s: '', nested: { x: null } } };
    assert.equal(encodeJson(doc), '{"info":{"n":0,"f":false,"s":"","nested":{}}}');
  });

  it('with collapse: false keeps lists as lists, even empty ones', () => {
    assert.equal(encodeJson({ skills: { skill: [{ id: 1 }] } }, { collapse: false }), '{"skills":{"skill":[{"id":1}]}}');
    assert.equal(encodeJson({ list: [], gone: null }, { collapse: false }), '{"list":[]}');
  });

  it('collapses inside nested lists and writes a scalar root as is', () => {
    assert.equal(encodeJson({ a: [{ b: ['only'] }, { b: ['x', 'y'] }] }), '{"a":[{"b":"only"},{"b":["x","y"]}]}');
    assert.equal(encodeJson({ availability: true }), '{"availability":true}');
  });
});

describe('XML codec', () => {
  it('writes "@" keys as attributes and arrays as repeated elements', () => {
    const doc = {
      account: {
        '@id': '12345678',
        link: [
          { '@href': 'https://h/api/account/12345678', '@rel': 'self' },
          { '@href': 'https://h/api/account/12345678/chat/request', '@rel': 'chat-request' },
        ],
      },
    };
    assert.equal(
      encodeXml(doc),
      `${PROLOG}<account id="12345678"><link href="https://h/api/account/12345678" rel="self"/><link href="https://h/api/account/12345678/chat/request" rel="chat-request"/></account>`,
    );
  });

  it('writes a scalar root as one element', () => {
    assert.equal(encodeXml({ availability: true }), `${PROLOG}<availability>true</availability>`);
    assert.equal(encodeXml({ count: 0 }), `${PROLOG}<count>0</count>`);
  });

  it('escapes < & > " in text and in attributes', () => {
    const xml = encodeXml({ event: { '@id': 'a"<&>b', text: '<b>Tom & "Jerry"</b>' } });
    assert.ok(xml.includes('id="a&quot;&lt;&amp;&gt;b"'), xml);
    assert.ok(xml.includes('<text>&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;</text>'), xml);
    assert.deepEqual(decodeXml(xml), { event: { '@id': 'a"<&>b', text: '<b>Tom & "Jerry"</b>' } });
  });

  it('drops null, undefined and empty lists, keeps one-item lists as one element', () => {
    const xml = encodeXml({ info: { a: null, b: undefined, c: [], one: ['x'], state: 'waiting', zero: 0, no: false } });
    assert.equal(xml, `${PROLOG}<info><one>x</one><state>waiting</state><zero>0</zero><no>false</no></info>`);
  });

  it('decodes the vendor request and event bodies into the same tree as their JSON twins', () => {
    const cases: Array<[string, string]> = [
      ['<request><skill>Sales</skill><userAgent>AndroidChat</userAgent><visitorId>123</visitorId></request>', '{"request":{"skill":"Sales","userAgent":"AndroidChat","visitorId":"123"}}'],
      ['<event type="line"><text>hi</text></event>', '{"event":{"@type":"line","text":"hi"}}'],
      ['<event type="state"><state>ended</state></event>', '{"event":{"@type":"state","state":"ended"}}'],
      [`${PROLOG}\n<event type="line">\n  <text>a &lt;b&gt; &amp; c</text>\n  <textType>plain</textType>\n</event>`, '{"event":{"@type":"line","text":"a <b> & c","textType":"plain"}}'],
      ['<request><preChatLines><line>a</line><line>b</line></preChatLines></request>', '{"request":{"preChatLines":{"line":["a","b"]}}}'],
    ];
    for (const [xml, json] of cases) assert.deepEqual(decodeXml(xml), JSON.parse(json), xml);
  });

  it('rejects DTDs and entity declarations', () => {
    const bombs = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><event><text>&lol2;</text></event>',
      '<!doctype event SYSTEM "file:///etc/passwd"><event/>',
      '<event><!ENTITY x "y"></event>',
    ];
    for (const b of bombs) assert.throws(() => decodeXml(b), XmlSyntaxError, b);
  });

  it('rejects malformed XML with the line of the problem', () => {
    assert.throws(() => decodeXml('<event>\n<text>hi</event>'), (err: unknown) => err instanceof XmlSyntaxError && /^line 2: /.test(err.message));
    assert.throws(() => decodeXml('not xml at all'), XmlSyntaxError);
  });
});

describe('negotiation', () => {
  it('strips a .json or .xml suffix from the path, before the query string', () => {
    assert.deepEqual(stripSuffix('/api/account/1/chat/request.json?v=1&NC=true'), { url: '/api/account/1/chat/request?v=1&NC=true', format: 'json' });
    assert.deepEqual(stripSuffix('/api/account/1/chat/abc/events.xml'), { url: '/api/account/1/chat/abc/events', format: 'xml' });
    assert.deepEqual(stripSuffix('/api/account/1.XML?x=.json'), { url: '/api/account/1?x=.json', format: 'xml' });
  });

  it('leaves paths without a final suffix alone', () => {
    for (const url of ['/api/account/1', '/api/account/1?f=a.json', '/api/a.json/b', '/api/account/1.jsonx', '/api/account/1.html']) {
      assert.deepEqual(stripSuffix(url), { url, format: null }, url);
    }
  });

  it('the suffix wins over every header', () => {
    assert.equal(negotiate('json', req({ accept: 'application/xml', 'content-type': 'application/xml' })), 'json');
    assert.equal(negotiate('xml', req({ accept: 'application/json' })), 'xml');
  });

  it('then Accept, then the body Content-Type, then JSON', () => {
    assert.equal(negotiate(null, req({ accept: 'application/xml' })), 'xml');
    assert.equal(negotiate(null, req({ accept: 'text/xml;q=0.9' })), 'xml');
    assert.equal(negotiate(null, req({ accept: 'application/json', 'content-type': 'application/xml' })), 'json');
    assert.equal(negotiate(null, req({ accept: 'application/xml, application/json' })), 'json');
    assert.equal(negotiate(null, req({ accept: 'application/vnd.api+json' })), 'json');
    assert.equal(negotiate(null, req({ 'content-type': 'application/xml; charset=UTF-8' })), 'xml');
    assert.equal(negotiate(null, req({ 'content-type': 'application/atom+xml' })), 'xml');
    assert.equal(negotiate(null, req({ 'content-type': 'application/json; charset=UTF-8' })), 'json');
    assert.equal(negotiate(null, req({ accept: 'text/html' })), 'json');
    assert.equal(negotiate(null, req({})), 'json');
  });
});

describe('formatTime', () => {
  const saved = process.env.TZ;
  after(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  const at = (tz: string, ms: number): string => {
    process.env.TZ = tz;
    return formatTime(ms);
  };
  const T = Date.UTC(2017, 1, 27, 11, 35, 45, 448);

  it('writes YYYY-MM-DDTHH:mm:ss.SSS±HH:MM in the process time zone', () => {
    assert.equal(at('America/New_York', T), '2017-02-27T06:35:45.448-05:00');
    assert.equal(at('UTC', T), '2017-02-27T11:35:45.448+00:00');
    assert.equal(at('Asia/Kolkata', T), '2017-02-27T17:05:45.448+05:30');
    assert.equal(at('America/St_Johns', T), '2017-02-27T08:05:45.448-03:30');
    assert.equal(at('America/New_York', Date.UTC(2017, 6, 1, 4, 5, 6, 7)), '2017-07-01T00:05:06.007-04:00');
  });

  it('pads every field and round-trips through Date.parse', () => {
    for (const tz of ['UTC', 'Pacific/Auckland', 'America/Los_Angeles']) {
      for (const ms of [0, T, Date.UTC(2001, 0, 2, 3, 4, 5, 6), Date.UTC(2030, 11, 31, 23, 59, 59, 999)]) {
        const s = at(tz, ms);
        assert.match(s, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/, s);
        assert.equal(Date.parse(s), ms, `${tz} ${s}`);
      }
    }
  });
});

describe('JSON codec, bareAttributes (agent spec §5 #7)', () => {
  it('drops the "@" of attribute keys at every depth and leaves other keys, XML unchanged', () => {
    const doc = { chats: { chat: [{ link: [{ '@href': 'h', '@rel': 'self' }], events: { event: { '@id': '0', '@type': 'state', state: 'waiting' } } }] } };
    assert.equal(
      encodeJson(doc, { collapse: true, bareAttributes: true }),
      '{"chats":{"chat":{"link":{"href":"h","rel":"self"},"events":{"event":{"id":"0","type":"state","state":"waiting"}}}}}',
    );
    assert.match(encodeJson(doc, { collapse: true }), /"@href":"h"/);
    assert.equal(encodeXml(doc), `${PROLOG}<chats><chat><link href="h" rel="self"/><events><event id="0" type="state"><state>waiting</state></event></events></chat></chats>`);
  });
});
