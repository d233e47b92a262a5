// The normal chat workload the soak measures beside the hostile traffic: visitors start Sales
// chats, wait for the worker agent to accept, write lines and read them back with `from`,
// then end; the agent accepts what rings and answers once. Every line acknowledged with 201
// is looked for in the chat's events at its end (following `next` pages): one missing is an
// acknowledged event lost. Every request's time is kept for the p99.
import { ACCOUNT, APP_KEY, WORKER } from './server.ts';

export interface WorkloadStats {
  requests: number;
  /** Milliseconds per request. */
  latencies: number[];
  chats: number;
  acked: number;
  lost: string[];
  failures: string[];
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lastSegment = (p: string): string => p.split('/').pop() ?? '';

interface Answer {
  status: number;
  body: unknown;
  location: string;
}

export class Workload {
  readonly stats: WorkloadStats = { requests: 0, latencies: [], chats: 0, acked: 0, lost: [], failures: [] };
  private readonly base: string;
  private readonly origin: string;
  private readonly visitors: number;
  private readonly lines: number;
  private bearer = '';
  private session = '';
  private stopped = false;

  constructor(url: string, opts: { visitors?: number; lines?: number } = {}) {
    this.origin = url;
    this.base = `${url}/api/account/${ACCOUNT}`;
    this.visitors = opts.visitors ?? 4;
    this.lines = opts.lines ?? 8;
  }

  private async call(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
    const started = performance.now();
    const res = await fetch(url.startsWith('/api/') ? `${this.origin}${url}` : `${this.base}${url}`, { method, headers: { ...JSON_HEADERS, ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await res.text();
    this.stats.latencies.push(performance.now() - started);
    this.stats.requests += 1;
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      this.stats.failures.push(`${method} ${url}: not JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.status, body: parsed, location: res.headers.get('location') ?? '' };
  }

  private expect(a: Answer, status: number, what: string): boolean {
    if (a.status === status) return true;
    this.stats.failures.push(`${what}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    return false;
  }

  private get agent(): Record<string, string> {
    return { authorization: `Bearer ${this.bearer}` };
  }

  async start(): Promise<void> {
    const login = await this.call('POST', '/login?v=1.3', {}, { username: WORKER.loginName, password: WORKER.password });
    if (!this.expect(login, 200, 'login')) throw new Error(this.stats.failures.join('\n'));
    this.bearer = (login.body as { bearer: string }).bearer;
    const s = await this.call('POST', '/agentSession.json?v=1&NC=true', this.agent, { loginData: '' });
    if (!this.expect(s, 201, 'agent session')) throw new Error(this.stats.failures.join('\n'));
    this.session = new URL(s.location).pathname.replace(`/api/account/${ACCOUNT}`, '');
    const on = await this.call('PUT', `${this.session}/availability.json`, this.agent, { availability: { chat: 'Online' } });
    if (!this.expect(on, 200, 'availability')) throw new Error(this.stats.failures.join('\n'));
  }

  /** Runs until stop(); resolves when every loop has finished its chat. */
  async run(): Promise<void> {
    await Promise.all([this.agentLoop(), ...Array.from({ length: this.visitors }, () => this.visitorLoop())]);
  }

  stop(): void {
    this.stopped = true;
  }

  private async agentLoop(): Promise<void> {
    while (!this.stopped) {
      const ir = await this.call('GET', `${this.session}/incomingRequests.json`, this.agent);
      const ringing = Number((ir.body as { incomingRequests?: { ringingCount?: string } } | null)?.incomingRequests?.ringingCount ?? 0);
      if (ringing > 0) {
        const accepted = await this.call('POST', `${this.session}/incomingRequests.json`, this.agent, {});
        if (accepted.status === 201) {
          const line = await this.call('POST', `${new URL(accepted.location).pathname}/events.json`, this.agent, { event: { '@type': 'line', text: 'How can I help?', textType: 'plain' } });
          // The visitor may have ended already: 409 then is the right answer.
          if (line.status !== 201 && line.status !== 409) this.expect(line, 201, 'agent line');
        }
      } else await sleep(20);
    }
  }

  private async visitorLoop(): Promise<void> {
    const key = { authorization: `LivePerson appKey=${APP_KEY}` };
    while (!this.stopped) {
      const req = await this.call('POST', '/chat/request.json?v=1&NC=true', key, { request: { skill: 'Sales' } });
      if (!this.expect(req, 201, 'chat request')) return void (await sleep(200));
      const chat = new URL(req.location).pathname;
      this.stats.chats += 1;
      const acked = new Map<number, string>();
      let next = `${chat}/events.json?from=0`;
      for (let waited = 0; waited < 200; waited++) {
        const info = await this.call('GET', `${chat}/info.json`, key);
        if ((info.body as { info?: { state?: string } } | null)?.info?.state === 'chatting') break;
        await sleep(25);
      }
      for (let i = 0; i < this.lines && !this.stopped; i++) {
        const text = `line ${i} of ${lastSegment(chat)}`;
        const sent = await this.call('POST', `${chat}/events.json`, key, { event: { '@type': 'line', text, textType: 'plain' } });
        if (this.expect(sent, 201, 'visitor line')) acked.set(Number(lastSegment(new URL(sent.location).pathname)), text);
        const poll = await this.call('GET', next, key);
        const link = (poll.body as { events?: { link?: Array<{ '@rel': string; '@href': string }> } } | null)?.events?.link?.find((l) => l['@rel'] === 'next');
        if (link) next = new URL(link['@href']).pathname + new URL(link['@href']).search;
        await sleep(10);
      }
      const end = await this.call('POST', `${chat}/events.json`, key, { event: { '@type': 'state', state: 'ended' } });
      this.expect(end, 201, 'end');
      await this.checkAcked(chat, key, acked);
    }
  }

  /** Every acknowledged line is in the chat's events, with its text. */
  private async checkAcked(chat: string, key: Record<string, string>, acked: Map<number, string>): Promise<void> {
    const seen = new Map<number, string>();
    let url = `${chat}/events.json?from=0`;
    for (let page = 0; page < 100; page++) {
      const a = await this.call('GET', url, key);
      const events = (a.body as { events?: { event?: unknown; link?: Array<{ '@rel': string; '@href': string }> } } | null)?.events;
      const list = (Array.isArray(events?.event) ? events.event : events?.event ? [events.event] : []) as Array<{ '@id': string; text?: string }>;
      if (list.length === 0) break;
      for (const e of list) seen.set(Number(e['@id']), e.text ?? '');
      const link = events?.link?.find((l) => l['@rel'] === 'next');
      if (!link) break;
      url = new URL(link['@href']).pathname + new URL(link['@href']).search;
    }
    for (const [id, text] of acked) {
      this.stats.acked += 1;
      if (seen.get(id) !== text) this.stats.lost.push(`${chat} event ${id} (${text})`);
    }
  }
}
