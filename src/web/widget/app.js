// The widget's window (docs/widget.md): a floating button, then availability → pre-chat
// survey → chat → exit survey and transcript by mail. It lives in a shadow root, so the
// host page's styles and ids and ours never meet; its styles come from the widget's host.
import { ApiError, typingReporter } from '../shared/api.js';
import { el, messageOf } from '../shared/dom.js';
import { renderSurvey } from '../shared/survey-form.js';
import { asArray } from '../shared/api.js';
import { appendEvents, noteItem } from '../shared/transcript.js';
import { VisitorSession } from './session.js';

/** @param {import('./session.js').Options} o */
export function mount(o) {
  if (document.querySelector('serverchat-widget')) return;
  const hostEl = document.createElement('serverchat-widget');
  const root = hostEl.attachShadow({ mode: 'open' });
  const s = new VisitorSession(o);
  /** @param {string} file */
  const sheet = (file) => el('link', { rel: 'stylesheet', href: `${o.host}${file}` });

  // --- the parts ---
  const launcher = el('button', { type: 'button', class: 'launcher', id: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'window' }, [el('span', { text: o.title })]);
  const unreadDot = el('span', { class: 'launcher__dot', hidden: '', 'aria-hidden': 'true' });
  launcher.append(unreadDot);
  const close = el('button', { type: 'button', class: 'window__close', id: 'minimise', 'aria-label': 'Minimise the chat window', text: '–' });
  const status = el('p', { id: 'chat-status', class: 'status', role: 'status', 'aria-live': 'polite' });
  const header = el('header', { class: 'window__header' }, [el('h2', { id: 'widget-title', text: o.title }), close]);

  const startError = el('div', { id: 'start-error', class: 'error', role: 'alert' });
  const name = el('input', { id: 'visitor-name', autocomplete: 'name', maxlength: '200', placeholder: 'Alex' });
  const question = el('textarea', { id: 'question', rows: '2', maxlength: '5000' });
  const surveyBox = el('div', { class: 'survey', id: 'pre-survey' });
  const startButton = el('button', { type: 'submit', class: 'primary', id: 'start-chat', text: 'Start chat' });
  const startForm = el('form', { id: 'start-form', class: 'step', novalidate: '' }, [
    el('div', { class: 'field' }, [el('label', { for: 'visitor-name', text: 'Your name' }), name]),
    el('div', { class: 'field' }, [el('label', { for: 'question' }, ['Your question ', el('span', { class: 'optional', text: '(optional)' })]), question]),
    surveyBox,
    startError,
    startButton,
  ]);
  const offline = el('div', { id: 'offline', class: 'step', hidden: '' }, [el('p', { text: 'No one is available to chat right now. Please try again later.' })]);

  const transcript = el('ol', { id: 'transcript', class: 'transcript' });
  const scroller = el('div', { class: 'scroller', tabindex: '0', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Conversation' }, [transcript]);
  const agentTyping = el('p', { id: 'agent-typing', class: 'typing', 'aria-live': 'polite' });
  const chatError = el('div', { id: 'chat-error', class: 'error', role: 'alert' });
  const message = el('textarea', { id: 'message', rows: '2', maxlength: '5000', placeholder: 'Type a message… (Enter sends)' });
  const send = el('button', { type: 'submit', class: 'primary', id: 'send', text: 'Send' });
  const composer = el('form', { id: 'composer', class: 'composer' }, [el('label', { for: 'message', class: 'visually-hidden', text: 'Message' }), message, send]);
  const endButton = el('button', { type: 'button', class: 'danger', id: 'end-chat', text: 'End chat' });
  const chat = el('div', { id: 'chat', class: 'step chat', hidden: '' }, [scroller, agentTyping, chatError, composer, el('div', { class: 'chat-actions' }, [endButton])]);

  const exitBox = el('div', { class: 'survey', id: 'exit-survey' });
  const exitError = el('div', { class: 'error', role: 'alert' });
  const exitForm = el('form', { id: 'exit-form', novalidate: '', hidden: '' }, [el('h3', { text: 'Before you go' }), exitBox, exitError, el('button', { type: 'submit', class: 'primary', id: 'exit-submit', text: 'Send answers' })]);
  const email = el('input', { id: 'transcript-email', type: 'email', autocomplete: 'email', placeholder: 'you@example.com' });
  const mailStatus = el('p', { id: 'transcript-status', class: 'hint', role: 'status' });
  const mailForm = el('form', { id: 'transcript-form', class: 'mail', novalidate: '' }, [
    el('label', { for: 'transcript-email', text: 'E-mail me the transcript' }),
    el('div', { class: 'mail__row' }, [email, el('button', { type: 'submit', id: 'transcript-send', text: 'Send' })]),
    mailStatus,
  ]);
  const newChat = el('button', { type: 'button', id: 'new-chat', text: 'Start a new chat' });
  const after = el('div', { id: 'after', class: 'after', hidden: '' }, [exitForm, mailForm, newChat]);
  chat.append(after);

  const win = el('section', { id: 'window', class: 'window', 'aria-labelledby': 'widget-title', hidden: '' }, [header, status, startForm, offline, chat]);
  root.append(sheet('/shared/base.css'), sheet('/widget/widget.css'), win, launcher);
  document.body.append(hostEl);

  // --- state ---
  let agentName = '';
  let ended = false;
  /** Set when a saved chat is picked up again: the note goes after its history. */
  let resumed = false;
  /** @type {null | (() => ReturnType<ReturnType<typeof renderSurvey>>)} */
  let readPre = null;
  /** @type {null | (() => ReturnType<ReturnType<typeof renderSurvey>>)} */
  let readExit = null;
  const typing = typingReporter((v) => s.typing(v));

  /** @param {'form' | 'offline' | 'chat'} step */
  const show = (step) => {
    startForm.hidden = step !== 'form';
    offline.hidden = step !== 'offline';
    chat.hidden = step !== 'chat';
  };
  /** @param {string} state */
  const showState = (state) => {
    status.dataset.state = state;
    status.textContent = state === 'waiting' ? 'Waiting for an agent…' : state === 'chatting' ? `Chatting with ${agentName || 'an agent'}` : state === 'ended' ? 'The chat has ended.' : state;
  };
  /** @param {boolean} open */
  const setOpen = (open) => {
    win.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.hidden = open;
    if (open) unreadDot.hidden = true;
    if (s.chatUrl) s.save({ open });
  };

  async function openFresh() {
    setOpen(true);
    status.textContent = 'Checking whether someone can chat…';
    try {
      if (!(await s.available())) {
        status.textContent = '';
        return show('offline');
      }
      const survey = await s.preSurvey();
      readPre = survey ? renderSurvey(survey, surveyBox) : null;
      status.textContent = '';
      show('form');
      name.focus();
    } catch (err) {
      status.textContent = '';
      show('form');
      startError.textContent = `The chat service cannot be reached: ${messageOf(err)}`;
    }
  }

  /** @param {SubmitEvent} ev */
  async function start(ev) {
    ev.preventDefault();
    startError.textContent = '';
    const answers = readPre ? readPre() : null;
    if (answers && !answers.ok) return void (startError.textContent = `Please answer: ${answers.missing.join(', ')}`);
    startButton.disabled = true;
    try {
      transcript.replaceChildren();
      ended = false;
      after.hidden = true;
      await s.start({ name: name.value.trim(), question: question.value.trim(), survey: answers?.ok ? answers.body.survey : null });
      setEnded(false);
      show('chat');
      showState('waiting');
      message.focus();
    } catch (err) {
      startError.textContent = `Could not start the chat: ${messageOf(err)}`;
    } finally {
      startButton.disabled = false;
    }
  }

  s.onChat = (doc) => {
    chatError.textContent = '';
    const info = doc.info ?? {};
    if (info.agentName) agentName = info.agentName;
    const { states, added } = appendEvents(transcript, asArray(doc.events?.event), 'visitor');
    if (win.hidden && added.some((e) => e['@type'] === 'line' && e.source === 'agent')) unreadDot.hidden = false;
    const state = info.state ?? states.at(-1);
    if (resumed && state !== 'ended') transcript.append(noteItem('Welcome back: your chat continues here.', 'resumed'));
    resumed = false;
    if (state) showState(state);
    agentTyping.textContent = info.agentTyping === 'typing' && state !== 'ended' ? `${agentName || 'The agent'} is typing…` : '';
    if (state === 'ended' && !ended) void setEnded(true);
  };
  s.onError = (err) => {
    chatError.textContent = messageOf(err);
    // A chat that is gone (timed out and purged, wrong key) will not come back.
    if (err instanceof ApiError && (err.status === 404 || err.status === 401)) void setEnded(true);
  };

  /** @param {boolean} isEnded */
  async function setEnded(isEnded) {
    ended = isEnded;
    message.disabled = isEnded;
    send.disabled = isEnded;
    endButton.hidden = isEnded;
    composer.hidden = isEnded;
    if (!isEnded) return;
    s.stop();
    typing.stop();
    agentTyping.textContent = '';
    showState('ended');
    after.hidden = false;
    mailStatus.textContent = '';
    const survey = await s.exitSurvey();
    readExit = survey ? renderSurvey(survey, exitBox) : null;
    exitForm.hidden = !survey;
  }

  async function sendLine() {
    const text = message.value.trim();
    if (ended || text === '') return;
    send.disabled = true;
    try {
      typing.stop();
      await s.send(text);
      message.value = '';
    } catch (err) {
      chatError.textContent = `Not sent: ${messageOf(err)}`;
    } finally {
      send.disabled = ended;
      message.focus();
    }
  }

  // --- wiring ---
  launcher.addEventListener('click', () => {
    if (s.chatUrl) return setOpen(true);
    void openFresh();
  });
  close.addEventListener('click', () => {
    setOpen(false);
    launcher.focus();
  });
  startForm.addEventListener('submit', start);
  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void sendLine();
  });
  message.addEventListener('input', () => typing.input(message.value.trim() !== ''));
  message.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      void sendLine();
    }
  });
  endButton.addEventListener('click', async () => {
    endButton.disabled = true;
    try {
      typing.stop();
      await s.end();
    } catch (err) {
      chatError.textContent = `Could not end the chat: ${messageOf(err)}`;
    } finally {
      endButton.disabled = false;
    }
  });
  exitForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const answers = readExit?.();
    if (!answers) return;
    if (!answers.ok) return void (exitError.textContent = `Please answer: ${answers.missing.join(', ')}`);
    try {
      await s.submitExit(answers.body);
      exitForm.replaceChildren(el('p', { id: 'exit-thanks', text: 'Thank you for your answers.' }));
    } catch (err) {
      exitError.textContent = `Not sent: ${messageOf(err)}`;
    }
  });
  mailForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.value.trim())) return void (mailStatus.textContent = 'Enter an e-mail address.');
    try {
      await s.transcript(email.value.trim());
      mailStatus.textContent = `The transcript is on its way to ${email.value.trim()}.`;
    } catch (err) {
      mailStatus.textContent = err instanceof ApiError && err.status === 503 ? 'Sending transcripts by mail is not available here.' : `Not sent: ${messageOf(err)}`;
    }
  });
  newChat.addEventListener('click', () => {
    s.stop();
    s.chatUrl = null;
    s.save(null);
    transcript.replaceChildren();
    question.value = '';
    exitForm.hidden = true;
    void openFresh();
  });
  window.addEventListener('pagehide', () => typing.stop());

  // A chat from before a reload or on another page of the site: carry on with it.
  const saved = s.saved();
  if (saved) {
    resumed = true;
    show('chat');
    s.resume(saved.chatUrl);
    setOpen(saved.open);
  }
}
