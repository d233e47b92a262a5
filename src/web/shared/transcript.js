// Renders chat events (spec §4.9) as list items. Text is never parsed as HTML except for
// agent lines sent as textType "html", which go through an allow-list of a few inline tags
// (the server sanitises them already; this keeps the page safe even if it did not).

/**
 * An event as the API sends it (spec §4.9); every field but the two attributes is optional here.
 * @typedef {{ '@id': string, '@type': string, time?: string, text?: string, textType?: string, by?: string, source?: string, subType?: string, state?: string, systemMessageId?: number | string, url?: string }} WireEvent
 */

const ALLOWED = new Set(['B', 'STRONG', 'I', 'EM', 'U', 'BR', 'P', 'DIV', 'SPAN', 'UL', 'OL', 'LI', 'A']);

/**
 * Copies the allowed parts of parsed markup into `into`.
 * @param {Node} from
 * @param {HTMLElement} into
 */
function copySafe(from, into) {
  for (const node of Array.from(from.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      into.append(node.textContent ?? '');
    } else if (node instanceof Element) {
      if (!ALLOWED.has(node.tagName)) {
        if (node.tagName !== 'SCRIPT' && node.tagName !== 'STYLE') copySafe(node, into);
        continue;
      }
      const el = document.createElement(node.tagName.toLowerCase());
      if (node.tagName === 'A') {
        const href = node.getAttribute('href') ?? '';
        if (/^(https?:|mailto:)/i.test(href)) {
          el.setAttribute('href', href);
          el.setAttribute('target', '_blank');
          el.setAttribute('rel', 'noopener noreferrer');
        }
      }
      copySafe(node, el);
      into.append(el);
    }
  }
}

/**
 * @param {string} text
 * @param {string | undefined} textType
 * @param {HTMLElement} into
 */
export function fillText(text, textType, into) {
  if (textType === 'html') {
    const doc = new DOMParser().parseFromString(`<body>${text}</body>`, 'text/html');
    copySafe(doc.body, into);
  } else {
    into.textContent = text;
  }
}

/** @param {string | undefined} time e.g. 2026-11-23T20:14:36.123+01:00 */
export function clockTime(time) {
  if (!time) return '';
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** systemMessageId 0: a pre-chat line, the visitor's opening question (spec §4.9). */
export const isOpeningQuestion = (/** @type {WireEvent} */ e) => e.source === 'system' && String(e.systemMessageId) === '0';

/**
 * A line event as a list item: who, when, what. `mine` is the source shown on the right.
 * Every line carries its time, system lines too; the visitor's opening question (a pre-chat
 * line, sent as a system line) shows as the visitor's own words.
 * @param {WireEvent} e a line event
 * @param {'visitor' | 'agent'} mine
 * @param {string} [visitorName] the name to show on the opening question
 * @returns {HTMLLIElement}
 */
export function lineItem(e, mine, visitorName) {
  const li = document.createElement('li');
  const opening = isOpeningQuestion(e);
  const from = opening ? 'visitor' : e.source;
  const source = from === 'system' ? 'system' : from === mine ? 'mine' : 'theirs';
  li.className = `line line--${source}`;
  if (opening) li.classList.add('line--opening');
  if (e.subType === 'ONLY_TO_REP') li.classList.add('line--private');
  li.dataset.eventId = String(e['@id']);
  li.dataset.source = String(from ?? '');
  const meta = document.createElement('span');
  meta.className = 'line__meta';
  const time = document.createElement('time');
  time.dateTime = String(e.time ?? '');
  time.textContent = clockTime(e.time);
  if (source !== 'system') {
    const by = document.createElement('span');
    by.className = 'line__by';
    by.textContent = opening
      ? `${mine === 'visitor' ? 'You' : (visitorName ?? 'Visitor')} (opening question)`
      : e.subType === 'ONLY_TO_REP'
        ? `${e.by} (private note)`
        : String(e.by ?? '');
    meta.append(by, ' ');
  }
  meta.append(time);
  li.append(meta);
  const body = document.createElement('span');
  body.className = 'line__text';
  fillText(String(e.text ?? ''), e.textType, body);
  li.append(body);
  return li;
}

/**
 * A line the page adds itself (not an event): e.g. "Alex left the chat", with its time.
 * @param {string} text
 * @param {string} [kind] a modifier class, e.g. "left"
 * @param {Date} [at]
 */
export function noteItem(text, kind = 'note', at = new Date()) {
  const li = document.createElement('li');
  li.className = `line line--system line--${kind}`;
  const time = document.createElement('time');
  time.dateTime = at.toISOString();
  time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const meta = document.createElement('span');
  meta.className = 'line__meta';
  meta.append(time);
  const body = document.createElement('span');
  body.className = 'line__text';
  body.textContent = text;
  li.append(meta, body);
  return li;
}

/**
 * Appends new events to a transcript list, skipping ids already shown, and scrolls to the end
 * unless the reader scrolled up. Returns the state events and the new events, in order.
 * @param {HTMLElement} list the <ol>
 * @param {WireEvent[]} events
 * @param {'visitor' | 'agent'} mine
 * @param {string} [visitorName]
 * @returns {{ states: string[], added: WireEvent[] }}
 */
export function appendEvents(list, events, mine, visitorName) {
  const states = [];
  const added = [];
  const scroller = list.parentElement ?? list;
  const atEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  for (const e of events) {
    if (list.querySelector(`[data-event-id="${CSS.escape(String(e['@id']))}"]`)) continue;
    if (e['@type'] === 'state') {
      states.push(String(e.state));
      added.push(e);
      continue;
    }
    if (e['@type'] === 'line') {
      list.append(lineItem(e, mine, visitorName));
      added.push(e);
    } else if (e['@type'] === 'url') added.push(e);
  }
  if (atEnd) scroller.scrollTop = scroller.scrollHeight;
  return { states, added };
}
