// The visitor demo widget: one chat over the Server Chat API (spec §4.7–4.16), the way a
// website widget would do it — request, poll the chat's `next` link, send lines and the
// typing flag, end.
import { ApiError, asArray, byId, call, hrefOf, typingReporter, webConfig } from '../shared/api.js';
import { appendEvents } from '../shared/transcript.js';

const POLL_MS = 1500;


const ui = {
  startForm: byId('start-form', HTMLFormElement),
  startError: byId('start-error', HTMLElement),
  name: byId('visitor-name', HTMLInputElement),
  /** @type {HTMLSelectElement | HTMLInputElement} */
  skill: byId('skill', HTMLSelectElement),
  question: byId('question', HTMLTextAreaElement),
  account: byId('account-id', HTMLInputElement),
  appKey: byId('app-key', HTMLInputElement),
  connection: byId('connection', HTMLDetailsElement),
  chat: byId('chat', HTMLElement),
  status: byId('chat-status', HTMLElement),
  transcript: byId('transcript', HTMLOListElement),
  agentTyping: byId('agent-typing', HTMLElement),
  chatError: byId('chat-error', HTMLElement),
  composer: byId('composer', HTMLFormElement),
  message: byId('message', HTMLTextAreaElement),
  send: byId('send', HTMLButtonElement),
  end: byId('end-chat', HTMLButtonElement),
  newChat: byId('new-chat', HTMLButtonElement),
};

/**
 * The chat on screen: where it is, the next link to poll, and the polling state.
 * @typedef {{ auth: string, chatUrl: string, next: string, timer: number | undefined, ended: boolean, agentName: string, failures: number, inFlight: boolean, again: boolean }} Chat
 */
/** @type {Chat | null} */
let chat = null;

const typing = typingReporter((value) => {
  if (!chat || chat.ended) return Promise.resolve();
  return call('PUT', `${chat.chatUrl}/info/visitorTyping.json`, { auth: chat.auth, body: { visitorTyping: value } });
});

/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

async function init() {
  const cfg = await webConfig();
  const demo = cfg.demo;
  if (demo) {
    ui.account.value = demo.accountId;
    ui.appKey.value = demo.appKey;
    for (const s of asArray(demo.skills)) ui.skill.append(new Option(s.name, s.name));
    if (demo.agent) byId('login-hint', HTMLElement).textContent = ` as ${demo.agent.loginName} / ${demo.agent.password}`;
  } else {
    byId('no-demo', HTMLElement).hidden = false;
    ui.connection.open = true;
    ui.skill.replaceWith(Object.assign(document.createElement('input'), { id: 'skill', name: 'skill', placeholder: 'skill name, e.g. Sales' }));
    ui.skill = byId('skill', HTMLInputElement);
  }
}

/** @param {string} state @param {string} [text] */
function showState(state, text) {
  ui.status.dataset.state = state;
  ui.status.textContent =
    text ?? (state === 'waiting' ? 'Waiting for an agent…' : state === 'chatting' ? `Chatting with ${chat?.agentName || 'an agent'}` : state === 'ended' ? 'The chat has ended.' : state);
}

/** @param {SubmitEvent} ev */
async function startChat(ev) {
  ev.preventDefault();
  ui.startError.textContent = '';
  const accountId = ui.account.value.trim();
  const appKey = ui.appKey.value.trim();
  if (!accountId || !appKey) {
    ui.connection.open = true;
    ui.startError.textContent = 'Enter the account id and app key under "Connection".';
    return;
  }
  const auth = `LivePerson appKey=${appKey}`;
  // 10 minutes without a request before the chat times out (default 40 s): browsers slow
  // down timers in background tabs, and in the demo this tab is in the background while
  // you answer in the console.
  const request = /** @type {Record<string, unknown>} */ ({ interactionTimeout: 600 });
  if (ui.skill.value.trim()) request.skill = ui.skill.value.trim();
  if (ui.question.value.trim()) request.preChatLines = { line: [ui.question.value.trim()] };
  const button = byId('start-chat', HTMLButtonElement);
  button.disabled = true;
  try {
    const res = await call('POST', `${location.origin}/api/account/${encodeURIComponent(accountId)}/chat/request.json`, { auth, body: { request } });
    if (!res.location) throw new Error('The server answered without the chat address (Location).');
    const name = ui.name.value.trim();
    if (name) await call('PUT', `${res.location}/info/visitorName.json`, { auth, body: { visitorName: name } });
    chat = { auth, chatUrl: res.location, next: `${res.location}.json`, timer: undefined, ended: false, agentName: '', failures: 0, inFlight: false, again: false };
    ui.transcript.replaceChildren();
    ui.agentTyping.textContent = '';
    ui.chatError.textContent = '';
    setEnded(false);
    ui.startForm.hidden = true;
    ui.chat.hidden = false;
    showState('waiting');
    await poll();
    ui.message.focus();
  } catch (err) {
    ui.startError.textContent = `Could not start the chat: ${messageOf(err)}`;
  } finally {
    button.disabled = false;
  }
}

/** Polls the chat-level `next` link (new events plus the chat information) until the chat ends. */
async function poll() {
  const current = chat;
  if (!current || current.ended) return;
  // One request at a time: a poll asked for meanwhile (after a send) runs right after it.
  if (current.inFlight) {
    current.again = true;
    return;
  }
  clearTimeout(current.timer);
  current.inFlight = true;
  try {
    await pollOnce(current);
  } finally {
    current.inFlight = false;
  }
  if (chat !== current || current.ended) return;
  const delay = current.again ? 0 : current.failures > 0 ? Math.min(POLL_MS * 2 ** current.failures, 15_000) : POLL_MS;
  current.again = false;
  current.timer = window.setTimeout(poll, delay);
}

/** @param {Chat} current */
async function pollOnce(current) {
  try {
    const { body } = await call('GET', current.next, { auth: current.auth });
    if (chat !== current) return;
    current.failures = 0;
    ui.chatError.textContent = '';
    const doc = body.chat;
    const info = doc.info ?? {};
    if (info.agentName) current.agentName = info.agentName;
    const states = appendEvents(ui.transcript, asArray(doc.events?.event), 'visitor');
    current.next = hrefOf(doc.link, 'next') ?? current.next;
    const state = info.state ?? states.at(-1);
    if (state) showState(state);
    ui.agentTyping.textContent = info.agentTyping === 'typing' && state !== 'ended' ? `${current.agentName || 'The agent'} is typing…` : '';
    if (state === 'ended') setEnded(true);
  } catch (err) {
    if (chat !== current) return;
    current.failures += 1;
    ui.chatError.textContent = messageOf(err);
    // A chat that is gone (timed out and purged, wrong key) will not come back.
    if (err instanceof ApiError && (err.status === 404 || err.status === 401)) setEnded(true);
  }
}

/** @param {boolean} ended */
function setEnded(ended) {
  if (chat) chat.ended = ended;
  if (ended) {
    typing.stop();
    clearTimeout(chat?.timer);
    ui.agentTyping.textContent = '';
    showState('ended');
  }
  ui.message.disabled = ended;
  ui.send.disabled = ended;
  ui.end.hidden = ended;
  ui.newChat.hidden = !ended;
}

/** @param {SubmitEvent} [ev] */
async function sendLine(ev) {
  ev?.preventDefault();
  const text = ui.message.value.trim();
  if (!chat || chat.ended || text === '') return;
  ui.send.disabled = true;
  try {
    typing.stop();
    await call('POST', `${chat.chatUrl}/events.json`, { auth: chat.auth, body: { event: { '@type': 'line', text } } });
    ui.message.value = '';
    await poll();
  } catch (err) {
    ui.chatError.textContent = `Not sent: ${messageOf(err)}`;
  } finally {
    ui.send.disabled = chat?.ended ?? false;
    ui.message.focus();
  }
}

async function endChat() {
  if (!chat || chat.ended) return;
  ui.end.disabled = true;
  try {
    typing.stop();
    await call('POST', `${chat.chatUrl}/events.json`, { auth: chat.auth, body: { event: { '@type': 'state', state: 'ended' } } });
    await poll();
  } catch (err) {
    ui.chatError.textContent = `Could not end the chat: ${messageOf(err)}`;
  } finally {
    ui.end.disabled = false;
  }
}

ui.startForm.addEventListener('submit', startChat);
ui.composer.addEventListener('submit', sendLine);
ui.message.addEventListener('input', () => typing.input(ui.message.value.trim() !== ''));
ui.message.addEventListener('keydown', (/** @type {KeyboardEvent} */ ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
    ev.preventDefault();
    void sendLine();
  }
});
ui.end.addEventListener('click', endChat);
ui.newChat.addEventListener('click', () => {
  chat = null;
  ui.chat.hidden = true;
  ui.startForm.hidden = false;
  ui.question.value = '';
  ui.name.focus();
});
window.addEventListener('pagehide', () => typing.stop());

void init();
