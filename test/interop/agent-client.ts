// The agent side of the interop test: the Chat Agent API over the same HTTPS socket the SDK
// uses, the way the vendor's agent sample app drives it (login, session, Online, poll
// incomingRequests, accept, poll the chat's next link, lines, typing, end).
import assert from 'node:assert/strict';
import { AGENT, ACCOUNT } from '../helpers/app.ts';
import { asArray, type ChatDoc, type Event, type Link } from '../helpers/wire.ts';

export interface Reply {
  status: number;
  location: string | null;
  contentType: string | null;
  body: unknown;
}

/** One JSON request; `put` tunnels through POST as the vendor clients do. */
export async function call(method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown; put?: boolean } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.put) headers['x-http-method-override'] = 'PUT';
  const res = await fetch(url, { method, headers, ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }), signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), contentType: res.headers.get('content-type'), body: text === '' ? null : (JSON.parse(text) as unknown) };
}

const nextOf = (doc: ChatDoc): string => {
  const next = doc.chat.link.find((l) => l['@rel'] === 'next');
  assert.ok(next, 'the agent chat resource has a next link');
  return next['@href'];
};

export class AgentClient {
  private chatUrl: string | null = null;
  private next: string | null = null;
  /** Every event the agent has read from its chat, in order. */
  readonly seen: Event[] = [];

  private readonly auth: { authorization: string };
  readonly session: string;

  private constructor(auth: { authorization: string }, session: string) {
    this.auth = auth;
    this.session = session;
  }

  /** Logs the demo agent in, opens a session and goes Online. */
  static async online(origin: string): Promise<AgentClient> {
    const base = `${origin}/api/account/${ACCOUNT}`;
    const login = await call('POST', `${base}/login?v=1.3`, { body: { username: AGENT.loginName, password: AGENT.password } });
    assert.equal(login.status, 200, `agent login: ${JSON.stringify(login.body)}`);
    const auth = { authorization: `Bearer ${(login.body as { bearer: string }).bearer}` };
    const s = await call('POST', `${base}/agentSession.json?v=1&NC=true`, { headers: auth, body: { loginData: '' } });
    assert.equal(s.status, 201, `agent session: ${JSON.stringify(s.body)}`);
    const session = (s.body as { agentSessionLocation: { link: Link } }).agentSessionLocation.link['@href'];
    const a = await call('POST', `${session}/availability.json?v=1&NC=true`, { headers: auth, put: true, body: { availability: { chat: 'Online' } } });
    assert.equal(a.status, 200, `agent availability: ${JSON.stringify(a.body)}`);
    return new AgentClient(auth, session);
  }

  get chat(): string {
    assert.ok(this.chatUrl, 'the agent holds no chat yet');
    return this.chatUrl;
  }

  /** Polls incomingRequests until a chat rings (bounded), then takes it through the ringing link. */
  async acceptWhenRinging(timeoutMs = 5_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ir = await call('GET', `${this.session}/incomingRequests.json?v=1&NC=true`, { headers: this.auth });
      assert.equal(ir.status, 200);
      const rings = (ir.body as { incomingRequests: { ringingCount: string; link?: Link } }).incomingRequests;
      if (rings.link) {
        const accept = await call('POST', `${rings.link['@href']}.json?v=1&NC=true`, { headers: this.auth, body: { chat: 'start' } });
        assert.equal(accept.status, 201, `accept: ${JSON.stringify(accept.body)}`);
        this.chatUrl = (accept.body as { chatLocation: { link: Link } }).chatLocation.link['@href'];
        const doc = await this.get<ChatDoc>('');
        this.seen.push(...asArray(doc.chat.events.event));
        this.next = nextOf(doc);
        return this.chatUrl;
      }
      if (Date.now() > deadline) throw new Error(`no chat rang for the agent within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** GET {chat}{path}.json as the agent; must answer 200 JSON. */
  async get<T>(path: string): Promise<T> {
    const res = await call('GET', `${this.chat}${path}.json?v=1&NC=true`, { headers: this.auth });
    assert.equal(res.status, 200, `agent GET ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.contentType, 'application/json');
    return res.body as T;
  }

  /** GET {session}{path}.json as the agent (resources under the session, not the chat). */
  async sessionGet<T>(path: string): Promise<T> {
    const res = await call('GET', `${this.session}${path}.json?v=1&NC=true`, { headers: this.auth });
    assert.equal(res.status, 200, `agent GET ${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.contentType, 'application/json');
    return res.body as T;
  }

  /** Reads the chat's next link until an event satisfies `match` (bounded); returns it. */
  async waitForEvent(step: string, match: (e: Event) => boolean, timeoutMs = 5_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.seen.find(match);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`step "${step}" failed: the agent never saw the event; it saw ${JSON.stringify(this.seen.slice(-6))}`);
      assert.ok(this.next);
      const res = await call('GET', this.next, { headers: this.auth });
      assert.equal(res.status, 200, `agent poll: ${JSON.stringify(res.body)}`);
      const doc = res.body as ChatDoc;
      this.seen.push(...asArray(doc.chat.events.event));
      this.next = nextOf(doc);
      if (!this.seen.some(match)) await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Polls GET {chat}{path} until `match` holds of its body (bounded); returns the body. */
  async waitForGet<T>(step: string, path: string, match: (body: T) => boolean, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const body = await this.get<T>(path);
      if (match(body)) return body;
      if (Date.now() > deadline) throw new Error(`step "${step}" failed: the agent read ${path} as ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async line(text: string): Promise<void> {
    const res = await call('POST', `${this.chat}/events.json?v=1&NC=true`, { headers: this.auth, body: { event: { '@type': 'line', text, textType: 'plain' } } });
    assert.equal(res.status, 201, `agent line: ${JSON.stringify(res.body)}`);
  }

  async end(): Promise<void> {
    const res = await call('POST', `${this.chat}/events.json?v=1&NC=true`, { headers: this.auth, body: { event: { '@type': 'state', state: 'ended' } } });
    assert.equal(res.status, 201, `agent end: ${JSON.stringify(res.body)}`);
  }

  async typing(state: 'typing' | 'not-typing'): Promise<void> {
    const res = await call('POST', `${this.chat}/info/agentTyping.json?v=1&NC=true`, { headers: this.auth, put: true, body: { agentTyping: state } });
    assert.equal(res.status, 200, `agent typing: ${JSON.stringify(res.body)}`);
  }
}
