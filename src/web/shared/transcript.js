// Renders chat events (spec §4.9) as list items. Text is never parsed as HTML except for
// agent lines sent as textType "html", which go through an allow-list of a few inline tags
// (the server sanitises them already; this keeps the page safe even if it did not).

/**
 * An event as the API sends it (spec §4.9); every field but the two attributes is optional here.
 * @typedef {{ '@id': string, '@type': string, time?: string, text?: string, textType?: string, by?: string, source?: string, subType?: string, state?: string }} WireEvent
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

/**
 * A line event as a list item: who, when, what. `mine` is the source shown on the right.
 * @param {WireEvent} e a line event
 * @param {'visitor' | 'agent'} mine
 * @returns {HTMLLIElement}
 */
export function lineItem(e, mine) {
  const li = document.createElement('li');
  const source = e.source === 'system' ? 'system' : e.source === mine ? 'mine' : 'theirs';
  li.className = `line line--${source}`;
  if (e.subType === 'ONLY_TO_REP') li.classList.add('line--private');
  li.dataset.eventId = String(e['@id']);
  li.dataset.source = String(e.source ?? '');
  if (source !== 'system') {
    const meta = document.createElement('span');
    meta.className = 'line__meta';
    const by = document.createElement('span');
    by.className = 'line__by';
    by.textContent = e.subType === 'ONLY_TO_REP' ? `${e.by} (private note)` : String(e.by ?? '');
    const time = document.createElement('time');
    time.dateTime = String(e.time ?? '');
    time.textContent = clockTime(e.time);
    meta.append(by, ' ', time);
    li.append(meta);
  }
  const body = document.createElement('span');
  body.className = 'line__text';
  fillText(String(e.text ?? ''), e.textType, body);
  li.append(body);
  return li;
}

/**
 * Appends new events to a transcript list, skipping ids already shown, and scrolls to the end
 * unless the reader scrolled up. Returns the state events seen, in order.
 * @param {HTMLElement} list the <ol>
 * @param {WireEvent[]} events
 * @param {'visitor' | 'agent'} mine
 * @returns {string[]}
 */
export function appendEvents(list, events, mine) {
  const states = [];
  const scroller = list.parentElement ?? list;
  const atEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  for (const e of events) {
    if (list.querySelector(`[data-event-id="${CSS.escape(String(e['@id']))}"]`)) continue;
    if (e['@type'] === 'state') {
      states.push(String(e.state));
      continue;
    }
    if (e['@type'] === 'line') list.append(lineItem(e, mine));
  }
  if (atEnd) scroller.scrollTop = scroller.scrollHeight;
  return states;
}
