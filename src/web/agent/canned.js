// Canned responses in the reply box: typing "/" opens the account's list (a serverchat
// extension, GET …/serverchat/desk), filtered by what follows; ↑/↓ choose, Enter or Tab
// puts the text in the box, Escape closes. Nothing is sent until the agent sends it.
import { el } from '../shared/dom.js';

let menuCount = 0;

/**
 * @param {HTMLTextAreaElement} input
 * @param {HTMLElement} container where the menu goes (positioned above the box by CSS)
 * @param {() => { shortcut: string, text: string }[]} list
 */
export function attachCanned(input, container, list) {
  const id = `canned-${++menuCount}`;
  const menu = el('ul', { id, class: 'canned', role: 'listbox', 'aria-label': 'Canned responses', hidden: '' });
  container.append(menu);
  /** @type {{ shortcut: string, text: string }[]} */
  let shown = [];
  let selected = 0;

  const close = () => {
    menu.hidden = true;
    shown = [];
  };
  const render = () => {
    menu.replaceChildren(
      ...shown.map((c, i) => {
        const item = el('li', { role: 'option', id: `${id}-${i}`, 'aria-selected': String(i === selected), 'data-shortcut': c.shortcut }, [el('strong', { text: `/${c.shortcut}` }), ' ', el('span', { text: c.text })]);
        item.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          pick(i);
        });
        return item;
      }),
    );
    menu.hidden = shown.length === 0;
  };
  /** @param {number} i */
  const pick = (i) => {
    const c = shown[i];
    if (!c) return;
    input.value = c.text;
    close();
    input.focus();
    input.dispatchEvent(new Event('input'));
  };
  input.addEventListener('input', () => {
    const m = /^\/(\S*)$/.exec(input.value);
    if (!m) return close();
    const q = (m[1] ?? '').toLowerCase();
    shown = list().filter((c) => c.shortcut.toLowerCase().startsWith(q) || c.text.toLowerCase().includes(q));
    selected = 0;
    render();
  });
  input.addEventListener('keydown', (ev) => {
    if (menu.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      selected = (selected + (ev.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (ev.key === 'Enter' || ev.key === 'Tab') pick(selected);
    else if (ev.key === 'Escape') close();
    else return;
    ev.preventDefault();
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  return { menu, close };
}
