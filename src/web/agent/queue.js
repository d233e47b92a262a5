// The queue (agent API §4.7, §4.8): the count and the accept link from incomingRequests,
// and — from the serverchat desk extension, since §4.7 carries only a count — who is
// ringing: name, skill, opening question, how long they have waited, and a countdown to
// the ring timeout. A chat that starts ringing chimes and notifies once.
import { asArray, byId, call } from '../shared/api.js';
import { duration, el } from '../shared/dom.js';
import { chime, notify } from './alert.js';

/**
 * @typedef {{ chatId: string, visitorName?: string, skillName?: string, question?: string, queuedAt: string, ringsUntil?: string }} Ringing
 * @typedef {{ ringing: number, acceptUrl: string | null, previews: Ringing[], canned: { shortcut: string, text: string }[] }} QueueState
 */

/** @type {Ringing[]} */
let previews = [];
/** Server time minus local time, so countdowns follow the server's clock. */
let skew = 0;
/** @type {Set<string>} chats already announced */
const announced = new Set();
/** @type {number | undefined} */
let ticker;

/**
 * Reads the queue once.
 * @param {string} sessionUrl
 * @param {string} auth
 * @returns {Promise<QueueState>}
 */
export async function readQueue(sessionUrl, auth) {
  const [{ body }, desk] = await Promise.all([
    call('GET', `${sessionUrl}/incomingRequests.json`, { auth }),
    call('GET', `${sessionUrl}/serverchat/desk.json`, { auth }).then((r) => r.body?.desk ?? null, () => null),
  ]);
  const ir = body?.incomingRequests ?? {};
  const ringing = Number(ir.ringingCount ?? 0);
  if (desk?.time) skew = Date.parse(desk.time) - Date.now();
  return {
    ringing,
    acceptUrl: ringing > 0 ? (ir.link?.['@href'] ?? ir.link?.href ?? `${sessionUrl}/incomingRequests`) : null,
    previews: ringing > 0 ? asArray(desk?.ringing) : [],
    canned: asArray(desk?.cannedResponses),
  };
}

/** Shows the queue state; chimes and notifies for chats not announced before. @param {QueueState} q */
export function showQueue(q) {
  previews = q.previews;
  const status = byId('queue-status', HTMLElement);
  status.textContent = q.ringing === 0 ? 'Nothing is ringing.' : q.ringing === 1 ? '1 chat is ringing for you.' : `${q.ringing} chats are ringing for you.`;
  byId('accept', HTMLButtonElement).disabled = q.ringing === 0;
  document.title = q.ringing > 0 ? `(${q.ringing}) serverchat — agent console` : 'serverchat — agent console';
  document.body.classList.toggle('ringing', q.ringing > 0);
  // One announcement per offer: the same chat ringing again later (after a ring timeout) chimes again.
  const offer = (/** @type {Ringing} */ p) => `${p.chatId}@${p.ringsUntil ?? ''}`;
  const fresh = q.previews.filter((p) => !announced.has(offer(p)));
  // Without previews (an older server) a rise in the count still announces.
  if (fresh.length > 0 || (q.previews.length === 0 && q.ringing > 0 && !announced.has(`count-${q.ringing}`))) {
    announced.add(`count-${q.ringing}`);
    chime();
    const p = fresh[0];
    notify(p ? `Chat from ${p.visitorName ?? 'a visitor'}${p.skillName ? ` (${p.skillName})` : ''}` : 'A chat is ringing', p?.question ?? 'Open the console to accept it.', p?.chatId ?? 'ringing');
  }
  for (const p of fresh) announced.add(offer(p));
  if (q.ringing === 0) for (const k of [...announced]) if (k.startsWith('count-')) announced.delete(k);
  render();
  clearInterval(ticker);
  if (previews.length > 0) ticker = window.setInterval(tick, 1000);
}

/** The previews, with wait times and countdowns. */
function render() {
  const list = byId('ringing', HTMLUListElement);
  list.replaceChildren(
    ...previews.map((p) =>
      el('li', { class: 'ringing__item', 'data-chat-id': p.chatId }, [
        el('strong', { class: 'ringing__name', text: p.visitorName ?? 'Visitor' }),
        el('span', { class: 'ringing__skill', text: p.skillName ?? 'any skill' }),
        p.question ? el('q', { class: 'ringing__question', text: p.question }) : '',
        el('span', { class: 'ringing__times' }, [el('span', { class: 'ringing__wait', 'data-since': p.queuedAt }), ' · ', el('span', { class: 'ringing__countdown', 'data-until': p.ringsUntil ?? '' })]),
      ]),
    ),
  );
  tick();
}

function tick() {
  const now = Date.now() + skew;
  for (const w of document.querySelectorAll('.ringing__wait')) {
    const since = Date.parse(/** @type {HTMLElement} */ (w).dataset.since ?? '');
    w.textContent = Number.isNaN(since) ? '' : `waiting ${duration(now - since)}`;
  }
  for (const c of document.querySelectorAll('.ringing__countdown')) {
    const until = Date.parse(/** @type {HTMLElement} */ (c).dataset.until ?? '');
    c.textContent = Number.isNaN(until) ? '' : `rings ${duration(until - now)} more`;
    c.classList.toggle('ringing__countdown--low', !Number.isNaN(until) && until - now < 6000);
  }
}

export function clearQueue() {
  previews = [];
  announced.clear();
  clearInterval(ticker);
  byId('ringing', HTMLUListElement).replaceChildren();
}
