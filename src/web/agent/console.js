// The agent console: Login Service login (agent API §1.2), an agent session (§4.1),
// availability (§4.2–4.3), the queue (queue.js) and accept (§4.8); three columns — the chat
// list, the chat on screen (a ChatPanel) and the visitor's context. The bearer and session
// live in sessionStorage, so a reload keeps the tab logged in and its chats open. When the
// session ends elsewhere, the chats stay on screen and a password brings them back.
import { ApiError, asArray, byId, call } from '../shared/api.js';
import { messageOf } from '../shared/dom.js';
import { ChatPanel } from './chat-panel.js';
import { addItem, clearItems, ordered, removeItem, updateItem } from './chat-list.js';
import { showContext } from './context.js';
import { clearQueue, readQueue, showQueue } from './queue.js';
import { offerAgentSurvey } from './agent-survey.js';
import { openTransfer } from './transfer.js';
import { prepareAlerts } from './alert.js';
import { help, installShortcuts } from './shortcuts.js';
import { fillDemoLogin, loginMessage, startSession } from './login.js';

const QUEUE_MS = 2000;
const STORAGE_KEY = 'serverchat.console';

/** @typedef {import('./login.js').Session} Session */
/** @type {Session | null} */
let session = null;
/** False once the server said the session is gone, until a new login. */
let sessionLive = false;
/** @type {Map<string, ChatPanel>} by chat id */
const chats = new Map();
/** @type {ChatPanel | null} */
let active = null;
/** @type {number | undefined} */
let queueTimer;
/** @type {string | null} */
let acceptUrl = null;
/** @type {{ shortcut: string, text: string }[]} */
let canned = [];
/** Bumped on every change the agent makes, so an older poll cannot undo it on screen. */
let availabilityEpoch = 0;

const auth = () => `Bearer ${session?.bearer ?? ''}`;
const save = () => {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...session, chats: [...chats.values()].map((p) => p.chatUrl) }));
  else sessionStorage.removeItem(STORAGE_KEY);
};

/** @type {import('./chat-panel.js').PanelHost} */
const host = {
  auth,
  get agentId() {
    return session?.agentId ?? '';
  },
  canned: () => canned,
  onChange(panel) {
    updateItem(panel);
    if (panel === active) void showContext(byId('context', HTMLElement), panel);
  },
  onClose: closePanel,
  onEnded(panel) {
    void offerAgentSurvey({ chatUrl: panel.chatUrl, auth: auth(), visitorName: panel.visitorName });
  },
  async onTransfer(panel) {
    const to = await openTransfer({ chatUrl: panel.chatUrl, auth: auth(), agentId: session?.agentId ?? '', visitorName: panel.visitorName });
    if (to) panel.transferred(to);
    else panel.input.focus();
  },
  onSessionEnded: sessionEnded,
};

async function init() {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (saved) {
    try {
      const s = JSON.parse(saved);
      await call('GET', `${s.sessionUrl}.json`, { auth: `Bearer ${s.bearer}` });
      session = s;
      sessionLive = true;
      return enterDesk(s.chats ?? []);
    } catch {
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }
  await fillDemoLogin();
}

/** @param {SubmitEvent} ev */
async function login(ev) {
  ev.preventDefault();
  prepareAlerts();
  const error = byId('login-error', HTMLElement);
  error.textContent = '';
  const accountId = byId('login-account', HTMLInputElement).value.trim();
  const username = byId('login-username', HTMLInputElement).value.trim();
  const password = byId('login-password', HTMLInputElement).value;
  if (!accountId || !username || !password) {
    error.textContent = 'Enter the account id, your username and your password.';
    return;
  }
  const button = byId('login-submit', HTMLButtonElement);
  button.disabled = true;
  try {
    session = await startSession(accountId, username, password);
    sessionLive = true;
    byId('login-password', HTMLInputElement).value = '';
    save();
    await enterDesk([]);
  } catch (err) {
    error.textContent = loginMessage(err);
  } finally {
    button.disabled = false;
  }
}

/** @param {string[]} reopen chat URLs to reopen after a reload */
async function enterDesk(reopen) {
  if (!session) return;
  byId('login', HTMLElement).hidden = true;
  byId('desk', HTMLElement).hidden = false;
  byId('agent-bar', HTMLElement).hidden = false;
  byId('agent-name', HTMLElement).textContent = session.agentName;
  void showContext(byId('context', HTMLElement), null);
  // The name visitors see (Retrieve Agent Information, §4.6); the login name until then.
  call('GET', `${session.sessionUrl}/info.json`, { auth: auth() }).then(({ body }) => {
    const name = body?.info?.displayName ?? body?.info?.agentName;
    if (session && name) {
      session.agentName = String(name);
      byId('agent-name', HTMLElement).textContent = session.agentName;
      save();
    }
  }, () => undefined);
  try {
    const { body } = await call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() });
    showAvailability(body.availability?.chat ?? 'Offline');
  } catch (err) {
    deskError(err);
  }
  for (const url of reopen) openChat(url, false);
  await reopenHeld();
  void pollQueue();
}

/** Chats this agent already holds, from another tab or device (Retrieve Chat Sessions, §4.9). */
async function reopenHeld() {
  if (!session) return;
  try {
    const { body } = await call('GET', `${session.sessionUrl}/chatSessions.json`, { auth: auth() });
    for (const cs of asArray(body?.chatSessions?.chatSession)) {
      const href = cs?.link?.href ?? cs?.link?.['@href'];
      if (typeof href === 'string') openChat(href, false);
    }
  } catch {
    // An older server without it: only this tab's chats come back.
  }
}

/** @param {string} value */
function showAvailability(value) {
  for (const input of document.querySelectorAll('input[name="availability"]')) {
    const radio = /** @type {HTMLInputElement} */ (input);
    radio.checked = radio.value === value;
  }
  document.body.dataset.availability = value;
}

/** @param {Event} ev */
async function setAvailability(ev) {
  const radio = /** @type {HTMLInputElement} */ (ev.target);
  if (!session || !radio.checked) return;
  prepareAlerts();
  availabilityEpoch += 1;
  try {
    const { body } = await call('PUT', `${session.sessionUrl}/availability.json`, { auth: auth(), body: { availability: { chat: radio.value } } });
    availabilityEpoch += 1;
    showAvailability(body?.availability?.chat ?? radio.value);
    byId('desk-error', HTMLElement).textContent = '';
    void pollQueue();
  } catch (err) {
    deskError(err);
    if (!sessionLive) return;
    const { body } = await call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() }).catch(() => ({ body: null }));
    showAvailability(body?.availability?.chat ?? 'Offline');
  }
}

/** @param {unknown} err */
function deskError(err) {
  if (err instanceof ApiError && err.sessionEnded) return sessionEnded(err);
  if (err instanceof ApiError && err.status === 0) return banner(`${err.message} Retrying; your chats stay open.`);
  byId('desk-error', HTMLElement).textContent = messageOf(err);
}

/** @param {string} text @param {boolean} [relogin] */
function banner(text, relogin = false) {
  byId('banner', HTMLElement).hidden = text === '';
  byId('banner-text', HTMLElement).textContent = text;
  byId('relogin-form', HTMLFormElement).hidden = !relogin;
}

/** The session ended elsewhere (logout in another tab, expiry): keep the chats, offer a new login. @param {ApiError} err */
function sessionEnded(err) {
  if (!session || !sessionLive) return;
  sessionLive = false;
  clearTimeout(queueTimer);
  clearQueue();
  for (const p of chats.values()) p.stop();
  showAvailability('Offline');
  document.body.classList.add('session-ended');
  banner(`Your session ended (${err.status === 401 ? 'logged out or expired' : 'logged out in another tab or expired'}). Log in again as ${session.username} to carry on; the chats here stay open.`, true);
  byId('relogin-password', HTMLInputElement).focus();
}

/** @param {SubmitEvent} ev */
async function relogin(ev) {
  ev.preventDefault();
  if (!session) return;
  const password = byId('relogin-password', HTMLInputElement);
  try {
    const fresh = await startSession(session.accountId, session.username, password.value);
    session = { ...fresh, agentName: session.agentName };
    sessionLive = true;
    password.value = '';
    document.body.classList.remove('session-ended');
    banner('');
    for (const p of chats.values()) {
      p.rebind(session.sessionUrl);
      if (p.live || p.state === 'loading') p.start();
    }
    save();
    await enterDesk([]);
  } catch (err) {
    byId('banner-text', HTMLElement).textContent = loginMessage(err);
  }
}

async function pollQueue() {
  clearTimeout(queueTimer);
  if (!session || !sessionLive) return;
  try {
    // Availability too: the server itself sets an agent Away when a chat rings unanswered.
    const epoch = availabilityEpoch;
    const [q, avail] = await Promise.all([readQueue(session.sessionUrl, auth()), call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() })]);
    const now = avail.body?.availability?.chat;
    // A reading taken while the agent was changing it is stale.
    if (now && epoch === availabilityEpoch && now !== document.body.dataset.availability) {
      if (document.body.dataset.availability === 'Online') byId('desk-error', HTMLElement).textContent = `The server set you ${now} (a chat rang without an answer?). Choose Online to take chats again.`;
      showAvailability(now);
    }
    acceptUrl = q.acceptUrl;
    canned = q.canned;
    showQueue(q);
    if (!byId('banner', HTMLElement).hidden && sessionLive) banner('');
  } catch (err) {
    deskError(err);
  }
  if (session && sessionLive) queueTimer = window.setTimeout(pollQueue, QUEUE_MS);
}

async function accept() {
  if (!session || !acceptUrl) return;
  byId('accept', HTMLButtonElement).disabled = true;
  try {
    const res = await call('POST', acceptUrl, { auth: auth(), body: {} });
    const chatUrl = res.body?.chatLocation?.link?.['@href'] ?? res.location;
    if (!chatUrl) throw new Error('The server did not say where the accepted chat is.');
    const panel = openChat(chatUrl, true);
    panel?.input.focus();
  } catch (err) {
    deskError(err);
  }
  void pollQueue();
}

/** @param {string} chatUrl @param {boolean} show put it on screen */
function openChat(chatUrl, show) {
  if (!session) return null;
  const chatId = chatUrl.split('/').pop() ?? '';
  let panel = chats.get(chatId);
  if (!panel) {
    panel = new ChatPanel(chatUrl, host);
    chats.set(chatId, panel);
    byId('panels', HTMLElement).append(panel.element);
    addItem(panel, (p) => select(p, true));
    panel.start();
    save();
  }
  if (show || !active) select(panel, false);
  return panel;
}

/** @param {ChatPanel} panel @param {boolean} focus */
function select(panel, focus) {
  if (active && active !== panel) active.setActive(false);
  active = panel;
  panel.setActive(true);
  byId('no-chats', HTMLElement).hidden = true;
  void showContext(byId('context', HTMLElement), panel);
  if (focus) (panel.input.disabled ? panel.scroller : panel.input).focus();
}

/** @param {number} step */
function selectNext(step) {
  const list = ordered();
  if (list.length === 0) return;
  const i = active ? list.indexOf(active) : -1;
  const next = list[(i + step + list.length) % list.length];
  if (next) select(next, true);
}

/** @param {ChatPanel} panel */
function closePanel(panel) {
  panel.element.remove();
  removeItem(panel);
  chats.delete(panel.chatId);
  save();
  if (active === panel) {
    active = null;
    const next = ordered()[0];
    if (next) select(next, false);
    else {
      byId('no-chats', HTMLElement).hidden = false;
      void showContext(byId('context', HTMLElement), null);
    }
  }
}

/** @param {boolean} [tellServer] */
async function logout(tellServer = true) {
  const s = session;
  session = null;
  sessionLive = false;
  clearTimeout(queueTimer);
  clearQueue();
  for (const p of chats.values()) p.stop();
  chats.clear();
  active = null;
  save();
  if (s && tellServer) {
    // Away first so nothing keeps ringing for an agent who left; both best effort.
    await call('PUT', `${s.sessionUrl}/availability.json`, { auth: `Bearer ${s.bearer}`, body: { availability: { chat: 'Away' } } }).catch(() => undefined);
    await call('POST', `${location.origin}/api/account/${encodeURIComponent(s.accountId)}/logout`, { auth: `Bearer ${s.bearer}`, raw: true }).catch(() => undefined);
  }
  byId('panels', HTMLElement).replaceChildren();
  clearItems();
  banner('');
  document.body.classList.remove('session-ended', 'ringing');
  byId('no-chats', HTMLElement).hidden = false;
  byId('desk', HTMLElement).hidden = true;
  byId('agent-bar', HTMLElement).hidden = true;
  byId('login', HTMLElement).hidden = false;
  if (s) byId('login-username', HTMLInputElement).value = s.username;
  document.title = 'serverchat — agent console';
  byId('login-password', HTMLInputElement).focus();
}

byId('login-form', HTMLFormElement).addEventListener('submit', login);
byId('relogin-form', HTMLFormElement).addEventListener('submit', relogin);
byId('relogin-leave', HTMLButtonElement).addEventListener('click', () => void logout(false));
byId('availability', HTMLFieldSetElement).addEventListener('change', setAvailability);
byId('accept', HTMLButtonElement).addEventListener('click', accept);
byId('logout', HTMLButtonElement).addEventListener('click', () => void logout());
byId('help-button', HTMLButtonElement).addEventListener('click', help);
// Lines that came while the tab was hidden are read once the agent looks again.
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) active?.markRead();
});
// After a reload nothing was clicked yet: the first click or key wakes the audio up.
document.addEventListener('pointerdown', prepareAlerts, { once: true });
document.addEventListener('keydown', prepareAlerts, { once: true });
installShortcuts({ accept: () => void accept(), next: selectNext, end: () => void active?.end(), help });
void init();
