// The pages' transcript renderer (src/web/shared/transcript.js) in jsdom: plain text is never
// markup, and agent HTML keeps only a few inline tags and safe links, whatever it carries.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><ol id="list"></ol>');
const g = globalThis as Record<string, unknown>;
for (const name of ['document', 'Node', 'Element', 'DOMParser', 'HTMLElement']) g[name] = dom.window[name as keyof typeof dom.window];
g.CSS = { escape: (s: string) => s.replace(/["\\]/g, '\\$&') };

interface TranscriptModule {
  fillText(text: string, textType: string | undefined, into: HTMLElement): void;
  appendEvents(list: HTMLElement, events: unknown[], mine: 'visitor' | 'agent', visitorName?: string): { states: string[]; added: Array<{ '@id': string }> };
}
// Browser code, plain JavaScript checked by src/web/tsconfig.json: imported by URL, typed here.
const MODULE = new URL('../../src/web/shared/transcript.js', import.meta.url).href;
const { fillText, appendEvents } = (await import(MODULE)) as TranscriptModule;

const render = (text: string, textType?: string): HTMLElement => {
  const el = dom.window.document.createElement('span');
  fillText(text, textType, el);
  return el;
};

test('plain lines are text, never markup', () => {
  const el = render('<img src=x onerror=alert(1)> & <b>hi</b>', 'plain');
  assert.equal(el.children.length, 0);
  assert.equal(el.textContent, '<img src=x onerror=alert(1)> & <b>hi</b>');
});

test('html lines keep simple formatting and http links, and drop scripts, handlers and unsafe URLs', () => {
  const el = render(
    `<div dir='ltr' style='color:red' onclick='x()'>Hi <b>there</b><script>alert(1)</script><img src=x onerror=alert(2)>` +
      `<a href="https://example.com/a" onmouseover="y()">ok</a> <a href="javascript:alert(3)">bad</a><iframe src="https://evil"></iframe></div>`,
    'html',
  );
  const html = el.innerHTML;
  assert.doesNotMatch(html, /script|onerror|onclick|onmouseover|javascript:|iframe|<img|style=/i, html);
  assert.equal(el.querySelector('b')?.textContent, 'there');
  const links = [...el.querySelectorAll('a')];
  assert.equal(links.length, 2);
  assert.equal(links[0]?.getAttribute('href'), 'https://example.com/a');
  assert.equal(links[0]?.getAttribute('target'), '_blank');
  assert.equal(links[0]?.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(links[1]?.hasAttribute('href'), false, 'a javascript: link loses its href');
  assert.equal(el.textContent, 'Hi thereok bad');
});

test('appendEvents shows each line once, by side, with its time, and reports state changes', () => {
  const list = dom.window.document.getElementById('list') as unknown as HTMLElement;
  const events = [
    { '@id': '0', '@type': 'state', state: 'waiting' },
    { '@id': '1', '@type': 'line', text: 'Welcome', by: 'info', source: 'system', time: '2026-01-01T09:59:00.000+00:00' },
    { '@id': '2', '@type': 'line', text: 'Hi', by: 'Alex', source: 'visitor', time: '2026-01-01T10:00:00.000+00:00' },
    { '@id': '3', '@type': 'line', text: 'Note', by: 'Natalie', source: 'agent', subType: 'ONLY_TO_REP' },
    { '@id': '4', '@type': 'state', state: 'chatting' },
  ];
  const first = appendEvents(list, events, 'agent', 'Alex');
  assert.deepEqual(first.states, ['waiting', 'chatting']);
  assert.deepEqual(first.added.map((e) => e['@id']), ['0', '1', '2', '3', '4']);
  assert.deepEqual(appendEvents(list, events.slice(1, 3), 'agent').added, [], 'a line seen twice is shown once');
  const items = [...list.querySelectorAll('li')];
  assert.deepEqual(items.map((li) => li.className), ['line line--system', 'line line--theirs', 'line line--mine line--private']);
  assert.match(items[2]?.textContent ?? '', /Natalie \(private note\)/);
  // Every line has its time, system lines too (issue 15).
  assert.equal(items[0]?.querySelector('time')?.getAttribute('datetime'), '2026-01-01T09:59:00.000+00:00');
  assert.equal(items[1]?.querySelector('time')?.getAttribute('datetime'), '2026-01-01T10:00:00.000+00:00');
});

test("the visitor's opening question (a pre-chat system line, id 0) is shown as the visitor's words", () => {
  const list = dom.window.document.createElement('ol');
  appendEvents(list, [{ '@id': '1', '@type': 'line', text: 'Where is my parcel?', by: 'info', source: 'system', systemMessageId: 0, time: '2026-01-01T10:00:00.000+00:00' }], 'agent', 'Alex');
  const li = list.querySelector('li');
  assert.equal(li?.className, 'line line--theirs line--opening');
  assert.match(li?.textContent ?? '', /Alex \(opening question\)/);
  const mine = dom.window.document.createElement('ol');
  appendEvents(mine, [{ '@id': '1', '@type': 'line', text: 'Where is my parcel?', by: 'info', source: 'system', systemMessageId: 0 }], 'visitor');
  assert.equal(mine.querySelector('li')?.className, 'line line--mine line--opening');
});
