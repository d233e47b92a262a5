// The agent console: Login Service login (agent API §1.2), an agent session (§4.1),
// availability (§4.2–4.3), the queue polled every 2 s (§4.7) and accept (§4.8); each
// accepted chat is a ChatPanel. The bearer and session live in sessionStorage, so a reload
// keeps the tab logged in and its chats open; a new login reopens the chats the agent holds.
import { ApiError, asArray, byId, call, webConfig } from '../shared/api.js';
import { ChatPanel } from './chat-panel.js';

const QUEUE_MS = 2000;
const STORAGE_KEY = 'serverchat.console';

/** @param {unknown} err */
const messageOf = (err) => (err instanceof Error ? err.message : String(err));

/** @type {{ accountId: string, bearer: string, sessionUrl: string, agentId: string, agentName: string, chats: string[] } | null} */
let session = null;
/** @type {Map<string, { panel: ChatPanel, item: HTMLLIElement }>} */
const chats = new Map();
/** @type {number | undefined} */
let queueTimer;
/** @type {string | null} */
let acceptUrl = null;
/** Bumped on every change the agent makes, so an older poll cannot undo it on screen. */
let availabilityEpoch = 0;

const auth = () => `Bearer ${session?.bearer ?? ''}`;
const save = () => {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...session, chats: [...chats.keys()] }));
  else sessionStorage.removeItem(STORAGE_KEY);
};

async function init() {
  const saved = sessionStorage.getItem(STORAGE_KEY);
  if (saved) {
    try {
      const s = JSON.parse(saved);
      await call('GET', `${s.sessionUrl}.json`, { auth: `Bearer ${s.bearer}` });
      session = s;
      return enterDesk(s.chats ?? []);
    } catch {
      sessionStorage.removeItem(STORAGE_KEY);
    }
  }
  const demo = (await webConfig()).demo;
  if (demo) {
    byId('login-account', HTMLInputElement).value = demo.accountId;
    if (demo.agent) {
      byId('login-username', HTMLInputElement).value = demo.agent.loginName;
      const hint = byId('login-hint', HTMLElement);
      hint.textContent = `Demo agent: ${demo.agent.loginName} / ${demo.agent.password}`;
      hint.hidden = false;
    }
  }
  byId(demo?.agent ? 'login-password' : 'login-account', HTMLInputElement).focus();
}

/** @param {SubmitEvent} ev */
async function login(ev) {
  ev.preventDefault();
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
    const account = `${location.origin}/api/account/${encodeURIComponent(accountId)}`;
    // The Login Service wants v=1.3 (agent API §1.2), not the chat API's v=1.
    const { body } = await call('POST', `${account}/login?v=1.3`, { body: { username, password }, raw: true });
    const bearer = body.bearer;
    const started = await call('POST', `${account}/agentSession.json`, { auth: `Bearer ${bearer}`, body: { loginData: '' } });
    const sessionUrl = started.body?.agentSessionLocation?.link?.['@href'] ?? started.location;
    if (!sessionUrl) throw new Error('The server did not say where the agent session is.');
    session = { accountId, bearer, sessionUrl, agentId: String(body.config?.userId ?? ''), agentName: String(body.config?.loginName ?? username), chats: [] };
    byId('login-password', HTMLInputElement).value = '';
    save();
    await enterDesk([]);
  } catch (err) {
    error.textContent =
      err instanceof ApiError && err.status === 401 ? 'Wrong username or password for this account.' : `Could not log in: ${messageOf(err)}`;
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
  // The name visitors see (Retrieve Agent Information, §4.6); the login name until then.
  call('GET', `${session.sessionUrl}/info.json`, { auth: auth() }).then(
    ({ body }) => {
      const name = body?.info?.displayName ?? body?.info?.agentName;
      if (session && name) {
        session.agentName = String(name);
        byId('agent-name', HTMLElement).textContent = session.agentName;
        save();
      }
    },
    () => undefined,
  );
  try {
    const { body } = await call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() });
    showAvailability(body.availability?.chat ?? 'Offline');
  } catch (err) {
    deskError(err);
  }
  for (const url of reopen) openChat(url);
  // Chats this agent already holds, from another tab or device (Retrieve Chat Sessions, §4.9).
  try {
    const { body } = await call('GET', `${session.sessionUrl}/chatSessions.json`, { auth: auth() });
    for (const cs of asArray(body?.chatSessions?.chatSession)) {
      const href = cs?.link?.href ?? cs?.link?.['@href'];
      if (typeof href === 'string') openChat(href);
    }
  } catch {
    // An older server without it: only this tab's chats come back.
  }
  void pollQueue();
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
  availabilityEpoch += 1;
  try {
    const { body } = await call('PUT', `${session.sessionUrl}/availability.json`, { auth: auth(), body: { availability: { chat: radio.value } } });
    availabilityEpoch += 1;
    showAvailability(body?.availability?.chat ?? radio.value);
    byId('desk-error', HTMLElement).textContent = '';
    void pollQueue();
  } catch (err) {
    deskError(err);
    const { body } = await call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() }).catch(() => ({ body: null }));
    showAvailability(body?.availability?.chat ?? 'Offline');
  }
}

/** @param {unknown} err */
function deskError(err) {
  byId('desk-error', HTMLElement).textContent = messageOf(err);
  if (err instanceof ApiError && err.status === 401) {
    byId('desk-error', HTMLElement).textContent = 'Your login expired. Log in again.';
    void logout(false);
  }
}

async function pollQueue() {
  clearTimeout(queueTimer);
  if (!session) return;
  try {
    // Availability too: the server itself sets an agent Away when a chat rings unanswered.
    const epoch = availabilityEpoch;
    const [{ body }, avail] = await Promise.all([
      call('GET', `${session.sessionUrl}/incomingRequests.json`, { auth: auth() }),
      call('GET', `${session.sessionUrl}/availability.json`, { auth: auth() }),
    ]);
    const now = avail.body?.availability?.chat;
    // A reading taken while the agent was changing it is stale.
    if (now && epoch === availabilityEpoch && now !== document.body.dataset.availability) {
      if (document.body.dataset.availability === 'Online') byId('desk-error', HTMLElement).textContent = `The server set you ${now} (a chat rang without an answer?). Choose Online to take chats again.`;
      showAvailability(now);
    }
    const ir = body.incomingRequests ?? {};
    const ringing = Number(ir.ringingCount ?? 0);
    acceptUrl = ringing > 0 ? (ir.link?.['@href'] ?? `${session.sessionUrl}/incomingRequests`) : null;
    byId('queue-status', HTMLElement).textContent = ringing === 0 ? 'Nothing is ringing.' : ringing === 1 ? '1 chat is ringing for you.' : `${ringing} chats are ringing for you.`;
    byId('accept', HTMLButtonElement).disabled = ringing === 0;
    document.title = ringing > 0 ? `(${ringing}) serverchat — agent console` : 'serverchat — agent console';
    document.body.classList.toggle('ringing', ringing > 0);
    if (byId('desk-error', HTMLElement).textContent.startsWith('The server could') || byId('desk-error', HTMLElement).textContent.startsWith('The server did not answer')) byId('desk-error', HTMLElement).textContent = '';
  } catch (err) {
    deskError(err);
  }
  if (session) queueTimer = window.setTimeout(pollQueue, QUEUE_MS);
}

async function accept() {
  if (!session || !acceptUrl) return;
  byId('accept', HTMLButtonElement).disabled = true;
  try {
    const res = await call('POST', acceptUrl, { auth: auth(), body: {} });
    const chatUrl = res.body?.chatLocation?.link?.['@href'] ?? res.location;
    if (!chatUrl) throw new Error('The server did not say where the accepted chat is.');
    openChat(chatUrl)?.input.focus();
  } catch (err) {
    deskError(err);
  }
  void pollQueue();
}

/** @param {string} chatUrl */
function openChat(chatUrl) {
  if (!session) return null;
  const known = chats.get(chatUrl);
  if (known) {
    showPanel(known.panel);
    return known.panel;
  }
  const panel = new ChatPanel({ chatUrl, auth: auth(), agentId: session.agentId, onChange: updateItem, onClose: hidePanel });
  const button = document.createElement('button');
  button.type = 'button';
  button.addEventListener('click', () => showPanel(panel));
  const item = document.createElement('li');
  item.append(button);
  chats.set(chatUrl, { panel, item });
  byId('history', HTMLUListElement).prepend(item);
  byId('history-empty', HTMLElement).hidden = true;
  showPanel(panel);
  updateItem(panel);
  save();
  return panel;
}

/** @param {ChatPanel} panel */
function showPanel(panel) {
  // Newest first: a chat just taken or reopened is where the eye starts.
  if (!panel.element.isConnected) byId('panels', HTMLElement).prepend(panel.element);
  byId('no-chats', HTMLElement).hidden = true;
  if (panel.state !== 'transferred' && panel.state !== 'gone' && panel.state !== 'ended') panel.start();
  panel.element.scrollIntoView({ block: 'nearest' });
  updateItem(panel);
}

/** @param {ChatPanel} panel */
function hidePanel(panel) {
  panel.element.remove();
  byId('no-chats', HTMLElement).hidden = byId('panels', HTMLElement).children.length > 0;
  updateItem(panel);
}

/** @param {ChatPanel} panel */
function updateItem(panel) {
  const entry = chats.get(panel.chatUrl);
  if (!entry) return;
  const button = /** @type {HTMLButtonElement} */ (entry.item.firstElementChild);
  button.textContent = `${panel.visitorName} — ${panel.state}`;
  button.setAttribute('aria-label', `${panel.element.isConnected ? 'Go to' : 'Reopen'} the chat with ${panel.visitorName} (${panel.state})`);
  entry.item.dataset.state = panel.state;
}

/** @param {boolean} [tellServer] */
async function logout(tellServer = true) {
  const s = session;
  session = null;
  clearTimeout(queueTimer);
  for (const { panel } of chats.values()) panel.stop();
  chats.clear();
  save();
  if (s && tellServer) {
    // Away first so nothing keeps ringing for an agent who left; both best effort.
    await call('PUT', `${s.sessionUrl}/availability.json`, { auth: `Bearer ${s.bearer}`, body: { availability: { chat: 'Away' } } }).catch(() => undefined);
    await call('POST', `${location.origin}/api/account/${encodeURIComponent(s.accountId)}/logout`, { auth: `Bearer ${s.bearer}`, raw: true }).catch(() => undefined);
  }
  byId('panels', HTMLElement).replaceChildren();
  byId('history', HTMLUListElement).replaceChildren();
  byId('history-empty', HTMLElement).hidden = false;
  byId('no-chats', HTMLElement).hidden = false;
  byId('desk', HTMLElement).hidden = true;
  byId('agent-bar', HTMLElement).hidden = true;
  byId('login', HTMLElement).hidden = false;
  document.title = 'serverchat — agent console';
  byId('login-password', HTMLInputElement).focus();
}

byId('login-form', HTMLFormElement).addEventListener('submit', login);
byId('availability', HTMLFieldSetElement).addEventListener('change', setAvailability);
byId('accept', HTMLButtonElement).addEventListener('click', accept);
byId('logout', HTMLButtonElement).addEventListener('click', () => void logout());
void init();
