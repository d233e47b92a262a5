// The widget's talk with the Server Chat API (spec §4): availability, the pre-chat survey,
// Start Chat, polling the chat's `next` link, lines, typing, end, the exit survey and the
// transcript by mail. Where the chat is lives in sessionStorage (a reload or another page of
// the site resumes it); the visitor id in localStorage links a returning visitor's chats.
import { asArray, call, hrefOf } from '../shared/api.js';
import { Poller } from '../shared/poller.js';

/** @typedef {{ host: string, accountId: string, appKey: string, skill: string, title: string }} Options */
/** @typedef {{ chatUrl: string, open: boolean }} Saved */
/**
 * The chat resource as the widget reads it (spec §4.8): events and the chat information.
 * @typedef {{ link?: unknown, info?: { state?: string, agentName?: string, agentTyping?: string, visitorId?: string | number }, events?: { event?: import('../shared/transcript.js').WireEvent | import('../shared/transcript.js').WireEvent[] } }} ChatDoc
 */

export class VisitorSession {
  /** @param {Options} o */
  constructor(o) {
    this.o = o;
    this.base = `${o.host}/api/account/${encodeURIComponent(o.accountId)}`;
    this.auth = `LivePerson appKey=${o.appKey}`;
    this.key = `serverchat.widget.${o.host}.${o.accountId}`;
    /** @type {string | null} */
    this.chatUrl = null;
    this.next = '';
    this.poller = new Poller(() => this.pollOnce());
    /** @type {string | null} the chat whose visitorId is in localStorage */
    this.keptVisitorOf = null;
    /** @type {(doc: ChatDoc) => void} */
    this.onChat = () => undefined;
    /** @type {(err: unknown) => void} */
    this.onError = () => undefined;
  }

  /** @returns {Saved | null} */
  saved() {
    try {
      const s = JSON.parse(sessionStorage.getItem(this.key) ?? 'null');
      return s && typeof s.chatUrl === 'string' ? s : null;
    } catch {
      return null;
    }
  }

  /** @param {Partial<Saved> | null} s */
  save(s) {
    if (s === null) return sessionStorage.removeItem(this.key);
    sessionStorage.setItem(this.key, JSON.stringify({ ...(this.saved() ?? { chatUrl: this.chatUrl, open: true }), ...s }));
  }

  get skillQuery() {
    return this.o.skill ? `?skill=${encodeURIComponent(this.o.skill)}` : '';
  }

  async available() {
    const { body } = await call('GET', `${this.base}/chat/availability.json${this.skillQuery}`, { auth: this.auth });
    return body?.availability === true || body?.availability === 'true';
  }

  /** The pre-chat survey, or null when none is provisioned. */
  async preSurvey() {
    const res = await call('GET', `${this.base}/chat/preSurvey.json${this.skillQuery}`, { auth: this.auth }).catch(() => null);
    return res && res.status === 200 && res.body?.survey && asArray(res.body.survey.questions?.question).length > 0 ? res.body.survey : null;
  }

  /**
   * Start Chat (spec §4.7), then the visitor's name (§4.13).
   * @param {{ name: string, question: string, survey: unknown }} r
   */
  async start(r) {
    // Long enough to survive a reload or a slow page: without requests the chat times out.
    const request = /** @type {Record<string, unknown>} */ ({ interactionTimeout: 600 });
    if (this.o.skill) request.skill = this.o.skill;
    if (r.question) request.preChatLines = { line: [r.question] };
    if (r.survey) request.survey = r.survey;
    const visitorId = Number(localStorage.getItem(`${this.key}.visitorId`));
    if (Number.isSafeInteger(visitorId) && visitorId > 0) request.visitorId = visitorId;
    const res = await call('POST', `${this.base}/chat/request.json`, { auth: this.auth, body: { request } });
    if (!res.location) throw new Error('The server answered without the chat address (Location).');
    this.chatUrl = res.location;
    if (r.name) await call('PUT', `${this.chatUrl}/info/visitorName.json`, { auth: this.auth, body: { visitorName: r.name } });
    this.save({ chatUrl: this.chatUrl, open: true });
    this.resume(this.chatUrl);
  }

  /** Tells the agent which page the visitor is on (a url event, spec §4.9); best effort. */
  reportPage() {
    if (!this.chatUrl) return;
    call('POST', `${this.chatUrl}/events.json`, { auth: this.auth, body: { event: { '@type': 'url', url: location.href } } }).catch(() => undefined);
  }

  /** Polls a chat from its first event (after a reload: the whole history again). @param {string} chatUrl */
  resume(chatUrl) {
    this.chatUrl = chatUrl;
    this.next = `${chatUrl}.json`;
    this.poller.failures = 0;
    this.reportPage();
    this.poller.start();
  }

  get stopped() {
    return this.poller.stopped;
  }

  stop() {
    this.poller.stop();
  }

  /** Polls the chat now (after a send), or right after the poll in flight. */
  poll() {
    return this.poller.poll();
  }

  /** One read of the chat's `next` link. */
  async pollOnce() {
    try {
      const { body } = await call('GET', this.next, { auth: this.auth });
      this.poller.failures = 0;
      const doc = body.chat;
      this.next = hrefOf(doc.link, 'next') ?? this.next;
      // Kept once per chat, for the visitor's next chat (Start Chat `visitorId`, spec §4.7).
      const visitorId = Number(doc.info?.visitorId);
      if (visitorId > 0 && this.keptVisitorOf !== this.chatUrl) {
        this.keptVisitorOf = this.chatUrl;
        localStorage.setItem(`${this.key}.visitorId`, String(visitorId));
      }
      if (!this.stopped) this.onChat(doc);
    } catch (err) {
      this.poller.failures += 1;
      if (!this.stopped) this.onError(err);
    }
  }

  /** @param {string} text */
  async send(text) {
    await call('POST', `${this.chatUrl}/events.json`, { auth: this.auth, body: { event: { '@type': 'line', text } } });
    await this.poll();
  }

  /** @param {'typing' | 'not-typing'} value */
  typing(value) {
    if (!this.chatUrl || this.stopped) return Promise.resolve();
    return call('PUT', `${this.chatUrl}/info/visitorTyping.json`, { auth: this.auth, body: { visitorTyping: value } });
  }

  async end() {
    await call('POST', `${this.chatUrl}/events.json`, { auth: this.auth, body: { event: { '@type': 'state', state: 'ended' } } });
    await this.poll();
  }

  /** The exit survey (spec §4.17), or null. */
  async exitSurvey() {
    const res = await call('GET', `${this.chatUrl}/exitSurvey.json`, { auth: this.auth }).catch(() => null);
    return res && res.status === 200 && res.body?.survey && asArray(res.body.survey.questions?.question).length > 0 ? res.body.survey : null;
  }

  /** @param {unknown} answers {"survey":{…}} */
  async submitExit(answers) {
    await call('PUT', `${this.chatUrl}/exitSurvey.json`, { auth: this.auth, body: answers });
  }

  /** @param {string} email */
  async transcript(email) {
    await call('PUT', `${this.chatUrl}/transcriptRequest.json`, { auth: this.auth, body: { email, timezoneOffset: -new Date().getTimezoneOffset() * 60_000 } });
  }
}
