// The chat list: one entry per chat taken in this tab — visitor name, state, last line, its
// time, and how many visitor lines arrived while the chat was not on screen.
import { byId } from '../shared/api.js';
import { el } from '../shared/dom.js';
import { clockTime } from '../shared/transcript.js';

/** @typedef {import('./chat-panel.js').ChatPanel} ChatPanel */

/** @type {Map<ChatPanel, HTMLLIElement>} */
const items = new Map();

/**
 * @param {ChatPanel} panel
 * @param {(p: ChatPanel) => void} select
 */
export function addItem(panel, select) {
  const button = el('button', { type: 'button', class: 'chat-item' });
  button.addEventListener('click', () => select(panel));
  const item = el('li', {}, [button]);
  items.set(panel, item);
  byId('history', HTMLUListElement).prepend(item);
  byId('history-empty', HTMLElement).hidden = true;
  updateItem(panel);
}

/** @param {ChatPanel} panel */
export function updateItem(panel) {
  const item = items.get(panel);
  if (!item) return;
  const button = /** @type {HTMLButtonElement} */ (item.firstElementChild);
  const unread = panel.unread > 0 ? el('span', { class: 'chat-item__unread' }, [String(panel.unread), el('span', { class: 'visually-hidden', text: ' unread' })]) : '';
  button.replaceChildren(
    el('span', { class: 'chat-item__top' }, [
      el('span', { class: 'chat-item__name', text: panel.visitorName }),
      el('span', { class: 'chat-item__state', text: panel.state }),
      el('time', { class: 'chat-item__time', datetime: panel.lastTime, text: clockTime(panel.lastTime) }),
      unread,
    ]),
    el('span', { class: 'chat-item__last', text: panel.lastLine || '…' }),
  );
  button.setAttribute('aria-current', panel.active ? 'true' : 'false');
  item.dataset.state = panel.state;
  item.dataset.unread = String(panel.unread);
  item.dataset.chatId = panel.chatId;
}

/** @param {ChatPanel} panel */
export function removeItem(panel) {
  items.get(panel)?.remove();
  items.delete(panel);
}

/** The panels in list order (newest first). @returns {ChatPanel[]} */
export function ordered() {
  const lis = [...byId('history', HTMLUListElement).children];
  return [...items.entries()].sort((a, b) => lis.indexOf(a[1]) - lis.indexOf(b[1])).map(([p]) => p);
}

export function clearItems() {
  items.clear();
  byId('history', HTMLUListElement).replaceChildren();
  byId('history-empty', HTMLElement).hidden = false;
}
