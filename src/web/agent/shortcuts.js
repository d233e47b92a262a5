// Keyboard shortcuts (listed in the help overlay, opened with "?" or Alt+H). Alt+letter so
// they work while typing a reply without clashing with text.
import { byId } from '../shared/api.js';
import { el } from '../shared/dom.js';

/** @type {[string, string][]} keys and what they do, in the order the help lists them */
export const SHORTCUTS = [
  ['Alt+A', 'Accept the ringing chat'],
  ['Alt+N', 'Next chat in the list'],
  ['Alt+P', 'Previous chat in the list'],
  ['Alt+E', 'End the chat on screen'],
  ['/', 'Canned responses (at the start of the reply box)'],
  ['Enter / Shift+Enter', 'Send / new line'],
  ['? or Alt+H', 'This help'],
  ['Escape', 'Close a dialog or menu'],
];

/**
 * @param {{ accept: () => void, next: (step: number) => void, end: () => void, help: () => void }} on
 */
export function installShortcuts(on) {
  document.addEventListener('keydown', (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey) return;
    const target = /** @type {HTMLElement | null} */ (ev.target instanceof HTMLElement ? ev.target : null);
    const typing = target !== null && (target.tagName === 'TEXTAREA' || target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.isContentEditable);
    if (document.querySelector('dialog[open]')) return;
    // ev.code: Alt+letter types other characters on some layouts (macOS).
    if (ev.altKey && !ev.shiftKey) {
      const act = { KeyA: on.accept, KeyN: () => on.next(1), KeyP: () => on.next(-1), KeyE: on.end, KeyH: on.help }[ev.code];
      if (!act) return;
      ev.preventDefault();
      act();
    } else if (ev.key === '?' && !typing) {
      ev.preventDefault();
      on.help();
    }
  });
}

/** The help overlay: every shortcut. */
export function help() {
  byId('help-list', HTMLElement).replaceChildren(...SHORTCUTS.flatMap(([k, what]) => [el('dt', {}, [el('kbd', { text: k })]), el('dd', { text: what })]));
  byId('help-dialog', HTMLDialogElement).showModal();
}
