// One chat in the console (agent API §4.10–4.19): its whole history first, then the
// chat-level `next` link every ~1.5 s; lines, the agent's typing flag, end, transfer.
import { ApiError, asArray, call, hrefOf, typingReporter } from '../shared/api.js';
import { appendEvents } from '../shared/transcript.js';
import { openTransfer } from './transfer.js';

const POLL_MS = 1500;
let panelCount = 0;

/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string>} [attrs] `text` sets the text content
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
}

export class ChatPanel {
  /**
   * @param {{ chatUrl: string, auth: string, agentId: string, onChange: (p: ChatPanel) => void, onClose: (p: ChatPanel) => void }} opts
   */
  constructor(opts) {
    this.chatUrl = opts.chatUrl;
    this.agentId = opts.agentId;
    this.chatId = opts.chatUrl.split('/').pop() ?? '';
    this.auth = opts.auth;
    this.onChange = opts.onChange;
    this.onClose = opts.onClose;
    /** 'loading' | 'waiting' | 'chatting' | 'ended' | 'transferred' | 'gone' */
    this.state = 'loading';
    this.visitorName = 'Visitor';
    this.skillName = '';
    this.next = `${this.chatUrl}.json`;
    /** @type {number | undefined} */
    this.timer = undefined;
    this.failures = 0;
    this.stopped = false;
    this.running = false;
    this.inFlight = false;
    this.again = false;
    this.typing = typingReporter((value) => call('PUT', `${this.chatUrl}/info/agentTyping.json`, { auth: this.auth, body: { agentTyping: value } }));

    // The panel's DOM: header, transcript, typing line, errors, composer, actions.
    const n = ++panelCount;
    const titleId = `chat-title-${n}`;
    this.title = el('h2', { id: titleId, text: 'Visitor' });
    this.meta = el('p', { class: 'panel__meta' });
    this.badge = el('span', { class: 'badge', 'data-state': 'loading', text: 'loading' });
    this.closeButton = el('button', { type: 'button', class: 'panel__close', 'aria-label': 'Close this chat panel', text: 'Close' });
    this.closeButton.addEventListener('click', () => this.close());
    this.list = el('ol', { class: 'transcript', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-labelledby': titleId });
    this.scroller = el('div', { class: 'scroller', tabindex: '0' }, [this.list]);
    this.typingLine = el('p', { class: 'typing', 'aria-live': 'polite' });
    this.error = el('div', { class: 'error', role: 'alert' });
    this.input = el('textarea', { id: `message-${n}`, rows: '2', maxlength: '5000', placeholder: 'Reply… (Enter sends, Shift+Enter for a new line)' });
    this.sendButton = el('button', { type: 'submit', class: 'primary', text: 'Send' });
    const composer = el('form', { class: 'composer' }, [el('label', { for: `message-${n}`, class: 'visually-hidden', text: 'Reply' }), this.input, this.sendButton]);
    composer.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.send();
    });
    this.input.addEventListener('input', () => this.typing.input(this.input.value.trim() !== ''));
    this.input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        void this.send();
      }
    });
    this.transferButton = el('button', { type: 'button', text: 'Transfer…' });
    this.transferButton.addEventListener('click', () => void this.transfer());
    this.endButton = el('button', { type: 'button', class: 'danger', text: 'End chat' });
    this.endButton.addEventListener('click', () => void this.end());
    this.actions = el('div', { class: 'panel__actions' }, [this.transferButton, this.endButton]);
    const header = el('header', { class: 'panel__header' }, [el('div', {}, [this.title, this.meta]), this.badge, this.closeButton]);
    this.element = el('article', { class: 'panel', 'aria-labelledby': titleId, 'data-chat-id': this.chatId }, [header, this.scroller, this.typingLine, this.error, composer, this.actions]);
    this.setState('loading');
  }

  /** @param {string} state */
  setState(state) {
    this.state = state;
    const live = state === 'chatting' || state === 'waiting';
    this.badge.dataset.state = state;
    this.badge.textContent = state;
    this.element.setAttribute('data-state', state);
    this.input.disabled = !live;
    this.sendButton.disabled = !live;
    this.transferButton.disabled = state !== 'chatting';
    this.endButton.disabled = !live;
    this.closeButton.hidden = live || state === 'loading';
    if (!live && state !== 'loading') {
      this.typing.stop();
      this.typingLine.textContent = '';
    }
    this.onChange(this);
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.stopped = false;
    void this.poll();
  }

  stop() {
    this.running = false;
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Polls the chat until it ends or stops being ours. */
  async poll() {
    if (this.stopped) return;
    // One request at a time: a poll asked for meanwhile (after a send) runs right after it.
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.inFlight = true;
    try {
      await this.pollOnce();
    } finally {
      this.inFlight = false;
    }
    if (this.stopped) return;
    const delay = this.again ? 0 : this.failures > 0 ? Math.min(POLL_MS * 2 ** this.failures, 15_000) : POLL_MS;
    this.again = false;
    this.timer = window.setTimeout(() => void this.poll(), delay);
  }

  /** Reads the next events and the chat information; stops polling once there is no more to read. */
  async pollOnce() {
    try {
      const { body } = await call('GET', this.next, { auth: this.auth });
      if (this.stopped) return;
      this.failures = 0;
      this.error.textContent = '';
      const doc = body.chat;
      const info = doc.info ?? {};
      if (info.visitorName) this.visitorName = info.visitorName;
      if (info.skillName) this.skillName = info.skillName;
      this.title.textContent = this.visitorName;
      this.meta.textContent = [this.skillName, `chat ${this.chatId.slice(0, 12)}…`].filter(Boolean).join(' · ');
      const states = appendEvents(this.list, asArray(doc.events?.event), 'agent');
      this.next = hrefOf(doc.link, 'next') ?? this.next;
      const state = info.state ?? states.at(-1) ?? this.state;
      if (state !== this.state) this.setState(state);
      this.typingLine.textContent = info.visitorTyping === 'typing' && state === 'chatting' ? `${this.visitorName} is typing…` : '';
      if (state === 'ended') return this.stop();
    } catch (err) {
      if (this.stopped) return;
      this.failures += 1;
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        // The chat went to another agent (a transfer) or no longer exists for us.
        this.error.textContent = err.status === 403 ? 'This chat is no longer yours (transferred or taken by another agent).' : `This chat is gone: ${err.message}`;
        this.stop();
        return this.setState(err.status === 403 ? 'transferred' : 'gone');
      }
      this.error.textContent = messageOf(err);
      if (err instanceof ApiError && err.status === 401) this.stop();
    }
  }

  async send() {
    const text = this.input.value.trim();
    if (text === '' || this.input.disabled) return;
    this.sendButton.disabled = true;
    try {
      this.typing.stop();
      await call('POST', `${this.chatUrl}/events.json`, { auth: this.auth, body: { event: { '@type': 'line', text, textType: 'plain' } } });
      this.input.value = '';
      await this.poll();
    } catch (err) {
      this.error.textContent = `Not sent: ${messageOf(err)}`;
    } finally {
      this.sendButton.disabled = this.input.disabled;
      this.input.focus();
    }
  }

  async end() {
    this.endButton.disabled = true;
    try {
      this.typing.stop();
      await call('POST', `${this.chatUrl}/events.json`, { auth: this.auth, body: { event: { '@type': 'state', state: 'ended' } } });
      await this.poll();
    } catch (err) {
      this.error.textContent = `Could not end the chat: ${messageOf(err)}`;
      this.endButton.disabled = false;
    }
  }

  async transfer() {
    const done = await openTransfer({ chatUrl: this.chatUrl, auth: this.auth, agentId: this.agentId, visitorName: this.visitorName });
    if (!done) return this.input.focus();
    this.stop();
    this.list.append(el('li', { class: 'line line--system', text: `You transferred this chat to ${done}.` }));
    this.setState('transferred');
  }

  close() {
    this.stop();
    this.typing.stop();
    this.onClose(this);
  }
}
