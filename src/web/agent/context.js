// The context sidebar: what the agent knows about the visitor of the chat on screen, all from
// the vendor's Chat Agent API — chat information (§4.11: skill, visitor id and name, start),
// Retrieve Participant Info (§4.24) for an authenticated visitor, the visit (§2 Visit: pages,
// pre-chat survey answers) and its custom variables, and the url events of the chat; the
// visitor's earlier chats from the serverchat extension …/serverchat/previousChats (the
// vendor API has none).
import { asArray, call, hrefOf } from '../shared/api.js';
import { duration, el } from '../shared/dom.js';
import { clockTime } from '../shared/transcript.js';

const REFRESH_MS = 10_000;

/** @typedef {import('./chat-panel.js').ChatPanel} ChatPanel */

/** The panel the sidebar shows last asked for: an older, slower answer is dropped. */
let wanted = /** @type {ChatPanel | null} */ (null);

/**
 * What the sidebar read for a chat, as the API sent it.
 * @typedef {{ link?: unknown, pages?: { page?: Page | Page[] }, preChatSurvey?: { question?: Answer | Answer[] } }} Visit
 * @typedef {{ url?: string, time?: string }} Page
 * @typedef {{ id?: string | number, label?: string, answer?: string | string[] }} Answer
 * @typedef {{ at: number, visit: Visit | null, vars: { name?: string, value?: string }[], participant: Record<string, unknown> | null, previous: { startTime?: string, state?: string, skillName?: string, agentName?: string }[] }} Context
 */

/** @type {WeakMap<ChatPanel, Context>} */
const cache = new WeakMap();

/**
 * @param {string} title
 * @param {[string, string][]} rows
 * @param {string} [empty] shown when there are no rows; the section is left out without it
 */
function section(title, rows, empty) {
  if (rows.length === 0 && !empty) return null;
  const body = rows.length === 0 ? el('p', { class: 'hint', text: empty ?? '' }) : el('dl', {}, rows.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]));
  return el('section', { class: 'context__section' }, [el('h3', { text: title }), body]);
}

/**
 * The verified identity and its SDEs (agent API §4.24) as one flat record: the customer info
 * as it comes, the personal info's name and first contact beside it.
 * @param {any} body
 * @returns {Record<string, unknown> | null}
 */
function identityOf(body) {
  const info = body?.authenticatedParticipantInfo;
  if (!info) return null;
  const personal = body?.authenticatedPersonalInfo;
  const contact = asArray(personal?.contacts)[0];
  return { ...info, ...(personal ? { name: personal.name, surname: personal.surname, email: contact?.email, phone: contact?.phone } : {}) };
}

/** @param {ChatPanel} panel */
async function load(panel) {
  const known = cache.get(panel);
  if (known && Date.now() - known.at < REFRESH_MS) return known;
  const auth = panel.host.auth();
  const sessionUrl = panel.chatUrl.replace(/\/chat\/[^/]+$/, '');
  const none = () => null;
  const pid = panel.info.participantId;
  const [visitDoc, participantDoc, previous] = await Promise.all([
    panel.visitUrl ? call('GET', `${panel.visitUrl}.json`, { auth }).then((r) => r.body?.visit ?? null, none) : null,
    pid ? call('GET', `${sessionUrl}/participantExtendedInfo/${encodeURIComponent(pid)}.json`, { auth }).then((r) => identityOf(r.body), none) : null,
    call('GET', `${panel.chatUrl}/serverchat/previousChats.json`, { auth }).then((r) => asArray(r.body?.previousChats?.chat), () => []),
  ]);
  const varsUrl = visitDoc ? hrefOf(visitDoc.link, 'custom-variables') : null;
  const vars = varsUrl ? await call('GET', `${varsUrl}.json`, { auth }).then((r) => asArray(r.body?.customVariables?.customVariable), () => []) : [];
  const fresh = { at: Date.now(), visit: visitDoc, vars, participant: participantDoc, previous };
  // Before the first poll the visit's address is not known yet: read again next time.
  if (panel.visitUrl) cache.set(panel, fresh);
  return fresh;
}

/**
 * Fills the sidebar for `panel` (or says there is no chat on screen).
 * @param {HTMLElement} into
 * @param {ChatPanel | null} panel
 */
export async function showContext(into, panel) {
  wanted = panel;
  if (!panel) {
    into.replaceChildren(el('h2', { id: 'context-title', text: 'Visitor' }), el('p', { class: 'hint', text: 'Choose a chat to see who you are talking to.' }));
    return;
  }
  /** @type {Context} */
  const none = { at: 0, visit: null, vars: [], participant: null, previous: [] };
  const data = await load(panel).catch(() => none);
  if (wanted !== panel) return;
  const info = panel.info;
  const start = info.startTime ? Date.parse(info.startTime) : NaN;
  const accepted = panel.acceptedTime ? Date.parse(panel.acceptedTime) : NaN;
  /** @type {[string, string][]} */
  const chat = [
    ['Skill', info.skillName ?? '—'],
    ['Started', clockTime(info.startTime)],
    ['Waited', Number.isNaN(start) ? '—' : duration((Number.isNaN(accepted) ? Date.now() : accepted) - start)],
    ['State', panel.state],
  ];
  /** @type {[string, string][]} */
  const visitor = [
    ['Name', panel.visitorName],
    ['Visitor id', String(info.visitorId ?? '—')],
  ];
  /** @type {[string, string][]} */
  const identity = [];
  if (data.participant) {
    for (const [k, v] of Object.entries(data.participant)) if (k !== 'isUserAuthenticated' && v !== null && typeof v !== 'object') identity.push([k, String(v)]);
    identity.unshift(['Authenticated', String(data.participant.isUserAuthenticated)]);
  }
  const survey = asArray(data.visit?.preChatSurvey?.question).map((q) => /** @type {[string, string]} */ ([String(q.label ?? q.id), asArray(q.answer).join(', ')]));
  const vars = data.vars.map((v) => /** @type {[string, string]} */ ([String(v.name), String(v.value ?? '')]));
  const pages = [...asArray(data.visit?.pages?.page), ...panel.pages].map((p) => /** @type {[string, string]} */ ([clockTime(p.time) || '—', String(p.url)]));
  const previous = data.previous.map((c) => /** @type {[string, string]} */ ([new Date(c.startTime).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }), [c.state, c.skillName, c.agentName].filter(Boolean).join(' · ')]));
  const seen = new Set();
  const uniquePages = pages.filter(([t, u]) => (seen.has(t + u) ? false : (seen.add(t + u), true)));
  into.replaceChildren(
    ...[
      el('h2', { id: 'context-title', text: panel.visitorName }),
      section('Chat', chat),
      section('Visitor', visitor),
      section('Authenticated identity', identity),
      section('Pre-chat survey', survey, 'No pre-chat survey answers.'),
      section('Custom variables', vars, 'None set.'),
      section("Visitor's pages", uniquePages.slice(-10), 'No page reported.'),
      section('Previous chats', previous, 'None: a first chat.'),
    ].filter((n) => n !== null),
  );
  into.dataset.chatId = panel.chatId;
}
