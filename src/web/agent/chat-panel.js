// One chat in the console (agent API §4.10–4.19): its whole history first, then the
// chat-level `next` link every ~1.5 s; lines, the agent's typing flag, end, transfer.
// Every open chat polls, shown or not: a line in a chat not on screen counts as unread.
import { ApiError, asArray, call, hrefOf, typingReporter } from '../shared/api.js';
import { appendEvents, clockTime, noteItem } from '../shared/transcript.js';
import { el, messageOf } from '../shared/dom.js';
import { Poller } from '../shared/poller.js';
import { attachCanned } from './canned.js';

let panelCount = 0;

/**
 * What the panel needs from the console: the current bearer (it changes on a re-login), the
 * canned responses, and what to tell it.
 * @typedef {{ auth: () => string, agentId: string, canned: () => { shortcut: string, text: string }[], onChange: (p: ChatPanel) => void, onClose: (p: ChatPanel) => void, onEnded: (p: ChatPanel) => void, onTransfer: (p: ChatPanel) => void, onSessionEnded: (err: ApiError) => void }} PanelHost
 */

/**
 * The fields of the chat information (§4.11) the console reads.
 * @typedef {{ state?: string, visitorName?: string, skillName?: string, startTime?: string, visitorId?: string | number, participantId?: string, visitorTyping?: string }} ChatInfo
 */

export class ChatPanel {
  /**
   * @param {string} chatUrl
   * @param {PanelHost} host
   */
  constructor(chatUrl, host) {
    this.chatUrl = chatUrl;
    this.host = host;
    this.chatId = chatUrl.split('/').pop() ?? '';
    /** 'loading' | 'waiting' | 'chatting' | 'ended' | 'transferred' | 'gone' */
    this.state = 'loading';
    this.visitorName = 'Visitor';
    this.skillName = '';
    /** @type {ChatInfo} the latest chat information (§4.11) */
    this.info = {};
    /** @type {string | null} the visit resource (§4.10 `visit-id`) */
    this.visitUrl = null;
    /** @type {{ url: string, time: string }[]} the visitor's pages (url events) */
    this.pages = [];
    /** @type {string | null} when the chat was first accepted (its first "chatting" state event) */
    this.acceptedTime = null;
    this.lastLine = '';
    this.lastTime = '';
    this.unread = 0;
    this.active = false;
    this.endedByMe = false;
    /** Moved to a new agent session after a re-login (rebind). */
    this.rebound = false;
    this.next = `${this.chatUrl}.json`;
    this.poller = new Poller(() => this.pollOnce());
    this.typing = typingReporter((value) => call('PUT', `${this.chatUrl}/info/agentTyping.json`, { auth: this.host.auth(), body: { agentTyping: value } }));

    const n = ++panelCount;
    const titleId = `chat-title-${n}`;
    this.title = el('h2', { id: titleId, text: 'Visitor' });
    this.meta = el('p', { class: 'panel__meta' });
    this.badge = el('span', { class: 'badge', 'data-state': 'loading', text: 'loading' });
    this.closeButton = el('button', { type: 'button', class: 'panel__close', 'aria-label': 'Close this chat', text: 'Close' });
    this.closeButton.addEventListener('click', () => this.close());
    this.list = el('ol', { class: 'transcript' });
    // The log role on the scroller, not the list: a list keeps its list semantics (axe "listitem").
    this.scroller = el('div', { class: 'scroller', tabindex: '0', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation' }, [this.list]);
    this.typingLine = el('p', { class: 'typing', 'aria-live': 'polite' });
    this.error = el('div', { class: 'error', role: 'alert' });
    this.endedNote = el('p', { class: 'ended-note', role: 'status', hidden: '' });
    this.input = el('textarea', { id: `message-${n}`, rows: '2', maxlength: '5000', placeholder: 'Reply… (Enter sends, Shift+Enter new line, / for canned responses)' });
    this.sendButton = el('button', { type: 'submit', class: 'primary', text: 'Send' });
    const composer = (this.composer = el('form', { class: 'composer' }, [el('label', { for: `message-${n}`, class: 'visually-hidden', text: `Reply to ${this.visitorName}` }), this.input, this.sendButton]));
    this.canned = attachCanned(this.input, composer, () => this.host.canned());
    composer.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.send();
    });
    this.input.addEventListener('input', () => this.typing.input(this.input.value.trim() !== '' && !this.input.value.startsWith('/')));
    this.input.addEventListener('keydown', (ev) => {
      if (ev.defaultPrevented) return;
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        void this.send();
      }
    });
    this.transferButton = el('button', { type: 'button', text: 'Transfer…' });
    this.transferButton.addEventListener('click', () => this.host.onTransfer(this));
    this.endButton = el('button', { type: 'button', class: 'danger', text: 'End chat' });
    this.endButton.addEventListener('click', () => void this.end());
    this.actions = el('div', { class: 'panel__actions' }, [this.transferButton, this.endButton, this.closeButton]);
    const header = el('header', { class: 'panel__header' }, [el('div', {}, [this.title, this.meta]), this.badge]);
    this.element = el('article', { class: 'panel', 'aria-labelledby': titleId, 'data-chat-id': this.chatId, hidden: '' }, [header, this.scroller, this.typingLine, this.error, this.endedNote, composer, this.actions]);
    this.setState('loading');
  }

  get live() {
    return this.state === 'chatting' || this.state === 'waiting';
  }

  /** @param {string} state */
  setState(state) {
    this.state = state;
    const live = this.live;
    this.badge.dataset.state = state;
    this.badge.textContent = state;
    this.element.setAttribute('data-state', state);
    this.input.disabled = !live && state !== 'loading';
    this.sendButton.disabled = !live;
    this.transferButton.disabled = state !== 'chatting';
    this.endButton.hidden = !live && state !== 'loading';
    this.transferButton.hidden = this.endButton.hidden;
    this.closeButton.hidden = live || state === 'loading';
    this.composer.hidden = !live && state !== 'loading';
    if (!live && state !== 'loading') {
      this.typing.stop();
      this.typingLine.textContent = '';
      this.endedNote.hidden = false;
      this.endedNote.textContent =
        state === 'ended' ? (this.endedByMe ? 'You ended this chat.' : `${this.visitorName} left: the chat has ended.`) : state === 'transferred' ? 'This chat is no longer yours.' : 'This chat is gone.';
    }
    this.host.onChange(this);
  }

  /** Shown (true) or in the background: lines arriving while hidden count as unread. @param {boolean} on */
  setActive(on) {
    this.active = on;
    this.element.hidden = !on;
    if (on) {
      this.unread = 0;
      this.scroller.scrollTop = this.scroller.scrollHeight;
    }
    this.host.onChange(this);
  }

  /** The agent sees the chat again (the tab came back): nothing unread. */
  markRead() {
    if (this.unread === 0) return;
    this.unread = 0;
    this.host.onChange(this);
  }

  get stopped() {
    return this.poller.stopped;
  }

  start() {
    if (this.stopped) this.poller.start();
  }

  stop() {
    this.poller.stop();
  }

  /** After a re-login: the same chat under the new agent session (its history stays on screen). @param {string} sessionUrl */
  rebind(sessionUrl) {
    this.chatUrl = `${sessionUrl}/chat/${this.chatId}`;
    this.next = `${this.chatUrl}.json`;
    this.poller.failures = 0;
    this.rebound = true;
  }

  /** Polls the chat until it ends or stops being ours. */
  poll() {
    return this.poller.poll();
  }

  /** Reads the next events and the chat information; stops polling once there is no more to read. */
  async pollOnce() {
    try {
      const { body } = await call('GET', this.next, { auth: this.host.auth() });
      if (this.stopped) return;
      this.poller.failures = 0;
      this.error.textContent = '';
      const doc = body.chat;
      const info = doc.info ?? {};
      this.info = info;
      if (info.visitorName) this.visitorName = info.visitorName;
      if (info.skillName) this.skillName = info.skillName;
      this.visitUrl = hrefOf(doc.link, 'visit-id') ?? this.visitUrl;
      this.title.textContent = this.visitorName;
      this.meta.textContent = [this.skillName, info.startTime ? `since ${clockTime(info.startTime)}` : ''].filter(Boolean).join(' · ');
      const { states, added } = appendEvents(this.list, asArray(doc.events?.event), 'agent', this.visitorName);
      this.noteEvents(added);
      this.next = hrefOf(doc.link, 'next') ?? this.next;
      const state = info.state ?? states.at(-1) ?? this.state;
      if (state === 'ended' && this.state !== 'ended' && this.state !== 'loading' && !this.endedByMe) {
        this.list.append(noteItem(`${this.visitorName} left the chat.`, 'left'));
      }
      if (state !== this.state) this.setState(state);
      else this.host.onChange(this);
      this.typingLine.textContent = info.visitorTyping === 'typing' && state === 'chatting' ? `${this.visitorName} is typing…` : '';
      if (state === 'ended') return this.stop();
    } catch (err) {
      if (this.stopped) return;
      this.poller.failures += 1;
      if (err instanceof ApiError && err.sessionEnded) {
        this.stop();
        return this.host.onSessionEnded(err);
      }
      if (err instanceof ApiError && (err.status === 403 || err.status === 404)) {
        // The chat went to another agent (a transfer) or no longer exists for us.
        this.error.textContent = this.rebound
          ? 'While you were logged out, this chat was closed or passed to another agent. Its lines up to then stay here.'
          : err.status === 403
            ? 'This chat is no longer yours (transferred or taken by another agent).'
            : `This chat is gone: ${err.message}`;
        this.stop();
        return this.setState(err.status === 403 ? 'transferred' : 'gone');
      }
      this.error.textContent = messageOf(err);
    }
  }

  /** Last line, unread count and the visitor's pages from new events. @param {import('../shared/transcript.js').WireEvent[]} added */
  noteEvents(added) {
    for (const e of added) {
      if (e['@type'] === 'url' && e.url) this.pages.push({ url: e.url, time: e.time ?? '' });
      if (e['@type'] === 'state' && e.state === 'chatting' && !this.acceptedTime) this.acceptedTime = e.time ?? null;
      if (e['@type'] !== 'line') continue;
      this.lastLine = `${e.source === 'agent' ? 'You: ' : ''}${String(e.text ?? '').replace(/<[^>]*>/g, '')}`;
      this.lastTime = e.time ?? '';
      if (e.source === 'visitor' && (!this.active || document.hidden) && this.state !== 'loading') this.unread += 1;
    }
  }

  async send() {
    const text = this.input.value.trim();
    if (text === '' || this.input.disabled) return;
    this.sendButton.disabled = true;
    try {
      this.typing.stop();
      await call('POST', `${this.chatUrl}/events.json`, { auth: this.host.auth(), body: { event: { '@type': 'line', text, textType: 'plain' } } });
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
    if (!this.live) return;
    this.endButton.disabled = true;
    try {
      this.typing.stop();
      this.endedByMe = true;
      await call('POST', `${this.chatUrl}/events.json`, { auth: this.host.auth(), body: { event: { '@type': 'state', state: 'ended' } } });
      await this.poll();
      this.host.onEnded(this);
    } catch (err) {
      this.endedByMe = false;
      this.error.textContent = `Could not end the chat: ${messageOf(err)}`;
    } finally {
      this.endButton.disabled = false;
    }
  }

  /** @param {string} to what the chat went to */
  transferred(to) {
    this.stop();
    this.list.append(noteItem(`You transferred this chat to ${to}.`, 'transfer'));
    this.setState('transferred');
  }

  close() {
    this.stop();
    this.typing.stop();
    this.host.onClose(this);
  }
}
