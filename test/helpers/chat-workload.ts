// The traffic of test/e2e/multi-instance.test.ts: visitors and agents whose every request goes
// to the next instance of a Cluster. Served chats exchange lines from both sides at once
// (through two instances) and read each acknowledged line back through a third; agents accept
// whatever rings for them; a monitor checks maxChats and single ringing while all this runs.
// What the run saw is left in `records`, `accepts`, `peaks` and `violations` for the test.
import assert from 'node:assert/strict';
import { LOST, type AgentLogin, type Cluster } from './cluster.ts';
import { json, sleep, type Instance, type Reply } from './instances.ts';
import { asArray, lastSegment, type EventsDoc } from './wire.ts';

export interface ChatRecord {
  kind: 'served' | 'alone' | 'orphan' | 'race';
  key: string;
  /** The visitor's path of the chat. */
  path: string;
  /** Lines acknowledged with 201: event id → text. */
  acked: Map<number, string>;
  /** Lines whose answer was lost with a killed instance: sent, maybe stored. */
  maybe: Set<string>;
  agentName?: string;
  /** When the visitor's last request was answered (orphans). */
  touchedAt?: number;
}

export interface WorkloadDeps {
  cluster: Cluster;
  base: string;
  visitor: { authorization: string };
  agents: AgentLogin[];
  records: ChatRecord[];
  /** Nothing runs past this time (ms since the epoch). */
  runUntil: number;
}

interface Listed {
  '@maxChats': string;
  chats?: string;
  nickname: string;
}

const line = (text: string): { event: { '@type': string; text: string } } => ({ event: { '@type': 'line', text } });
const ended = { event: { '@type': 'state', state: 'ended' } };

export class Workload {
  /** Chat key → names of the agents whose accept of it answered 201. */
  readonly accepts = new Map<string, string[]>();
  /** Agent name → most open chats seen held at once. */
  readonly peaks = new Map<string, number>();
  readonly violations: string[] = [];
  servedDone = 0;
  lost = 0;
  lostRequests = 0;
  ringTimeouts = 0;
  ringProbes = 0;
  private readonly d: WorkloadDeps;
  private readonly c: Cluster;
  private readonly byName: Map<string, AgentLogin>;
  /** Served chats not yet seen chatting by their visitor (what the ring probe samples). */
  private readonly waiting = new Set<string>();
  private stopped = false;

  constructor(deps: WorkloadDeps) {
    this.d = deps;
    this.c = deps.cluster;
    this.byName = new Map(deps.agents.map((a) => [a.name, a]));
  }

  /** Left-alone chats first, then `served` chats `concurrency` at a time, with the agents and the monitor running throughout. */
  async run(o: { served: number; concurrency: number; leftAlone: number; aloneTimeout: number; servedTimeout: number }): Promise<{ served: number; alone: number }> {
    // The first failure stops everything else at its next step; all of it is awaited before failing.
    const failFast = (p: Promise<void>): Promise<void> =>
      p.catch((err: unknown) => {
        this.stopped = true;
        throw err;
      });
    const loops = [...this.d.agents.map((a) => failFast(this.agentLoop(a))), failFast(this.monitor())];
    let alone = 0;
    let next = 0;
    const failures: unknown[] = [];
    try {
      for (; alone < o.leftAlone; alone++) await this.request('alone', { skill: 'Sales', interactionTimeout: o.aloneTimeout });
      const worker = async (): Promise<void> => {
        while (!this.stopped && next < o.served && Date.now() < this.d.runUntil) {
          await this.serve(next++, o.servedTimeout);
          this.servedDone++;
        }
      };
      const workers = await Promise.allSettled(Array.from({ length: o.concurrency }, () => failFast(worker())));
      for (const w of workers) if (w.status === 'rejected') failures.push(w.reason);
    } catch (err) {
      failures.push(err);
    } finally {
      this.stopped = true;
    }
    for (const l of await Promise.allSettled(loops)) if (l.status === 'rejected') failures.push(l.reason);
    if (failures.length > 0) throw failures[0];
    assert.equal(this.servedDone, o.served, `served ${this.servedDone} of ${o.served} chats before the time limit`);
    return { served: this.servedDone, alone };
  }

  /** Whether the run is over (finished, failed or out of time): long waits give up then. */
  get done(): boolean {
    return this.stopped;
  }

  /** A chat request through the next instance; a lost one is asked again elsewhere (and may have left a chat nobody knows). */
  private async request(kind: ChatRecord['kind'], request: Record<string, unknown>): Promise<ChatRecord> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = await this.c.call(this.c.next(), 'POST', `${this.d.base}/chat/request.json`, { headers: this.d.visitor, body: { request } });
      if (r.status === LOST) {
        this.lostRequests++;
        continue;
      }
      assert.equal(r.status, 201, r.text);
      const key = lastSegment(r.location ?? '');
      const rec: ChatRecord = { kind, key, path: `${this.d.base}/chat/${key}`, acked: new Map(), maybe: new Set() };
      this.d.records.push(rec);
      return rec;
    }
    throw new Error('chat request lost three times');
  }

  private async serve(i: number, interactionTimeout: number): Promise<void> {
    const { c } = this;
    const rec = await this.request('served', { skill: 'Sales', interactionTimeout });
    this.waiting.add(rec.key);
    const agent = await this.waitForAgent(rec);
    this.waiting.delete(rec.key);
    const agentChat = `${agent.sessions[0]}/chat/${rec.key}`;
    for (let k = 0; k < 3; k++) {
      // Both sides write at once through two instances: the version check must keep ids unique and gapless.
      const vi = c.next();
      const ai = c.otherThan(vi);
      const texts = [`visitor ${i}.${k}`, `agent ${i}.${k}`] as const;
      const [v, a] = await Promise.all([
        c.call(vi, 'POST', `${rec.path}/events.json`, { headers: this.d.visitor, body: line(texts[0]) }),
        c.call(ai, 'POST', `${agentChat}/events.json`, { headers: agent.auth, body: line(texts[1]) }),
      ]);
      // Each acknowledged line is read back at once through another instance, from the other side.
      await this.acknowledged(rec, v, texts[0], vi, `${agentChat}/events.json`, agent.auth);
      await this.acknowledged(rec, a, texts[1], ai, `${rec.path}/events.json`, this.d.visitor);
    }
    await this.end(rec, i % 2 === 0 ? null : agent, agentChat);
  }

  private async acknowledged(rec: ChatRecord, r: Reply, text: string, via: Instance, readPath: string, headers: Record<string, string>): Promise<void> {
    if (r.status === LOST) {
      rec.maybe.add(text);
      this.lost++;
      return;
    }
    assert.equal(r.status, 201, `${rec.key} "${text}": ${r.text}`);
    const id = Number(lastSegment(r.location ?? ''));
    assert.ok(Number.isInteger(id) && !rec.acked.has(id), `${rec.key}: event id ${id} of "${text}" is new`);
    rec.acked.set(id, text);
    const { reply, via: reader } = await this.c.get(`${readPath}?from=${id}`, { headers }, this.c.otherThan(via));
    assert.equal(reply.status, 200, reply.text);
    const seen = asArray(json<EventsDoc>(reply).events.event).find((e) => e['@id'] === String(id));
    assert.equal(seen?.text, text, `read-your-writes: "${text}" (id ${id}, acknowledged by ${via.name}) read through ${reader.name}`);
  }

  /** The visitor polls its chat (keeping it alive) until an agent holds it; returns that agent. */
  private async waitForAgent(rec: ChatRecord): Promise<AgentLogin> {
    const until = Math.min(this.d.runUntil, Date.now() + 30_000);
    for (;;) {
      const { reply } = await this.c.get(`${rec.path}/info.json`, { headers: this.d.visitor });
      assert.equal(reply.status, 200, reply.text);
      const info = json<{ info: { state: string; agentName?: string } }>(reply).info;
      assert.notEqual(info.state, 'ended', `${rec.key} ended while waiting for an agent`);
      if (info.state === 'chatting') {
        const agent = this.byName.get(info.agentName ?? '');
        assert.ok(agent, `${rec.key}: held by an unknown agent ${info.agentName}`);
        rec.agentName = agent.name;
        return agent;
      }
      assert.ok(Date.now() < until && !this.stopped, `${rec.key}: no agent took it in time`);
      await sleep(200);
    }
  }

  /** The visitor (agent null) or the agent ends the chat; the end is read back through another instance. */
  private async end(rec: ChatRecord, agent: AgentLogin | null, agentChat: string): Promise<void> {
    const [path, headers] = agent ? [`${agentChat}/events.json`, agent.auth] : [`${rec.path}/events.json`, this.d.visitor];
    let via = this.c.next();
    let r = await this.c.call(via, 'POST', path, { headers, body: ended });
    if (r.status === LOST) {
      this.lost++;
      via = this.c.next();
      r = await this.c.call(via, 'POST', path, { headers, body: ended });
      // The lost end may have been stored: then this one is refused as chat-ended (internalCode 410).
      if (r.status === 409) assert.equal(json<{ error: { internalCode: number } }>(r).error.internalCode, 410, r.text);
    } else assert.equal(r.status, 201, `${rec.key} end: ${r.text}`);
    const { reply } = await this.c.get(`${agent ? agentChat : rec.path}/info.json`, { headers }, this.c.otherThan(via));
    assert.equal(json<{ info: { state: string } }>(reply).info.state, 'ended', `${rec.key}: the end read through another instance`);
  }

  /** Accepts whatever rings; an agent set Away by a missed ring window goes Online again (counted). */
  private async agentLoop(agent: AgentLogin): Promise<void> {
    const { c } = this;
    const session = agent.sessions[0] as string;
    let checked = Date.now();
    while (!this.stopped && Date.now() < this.d.runUntil) {
      const ir = await c.get(`${session}/incomingRequests.json`, { headers: agent.auth });
      assert.equal(ir.reply.status, 200, ir.reply.text);
      const ringing = Number(json<{ incomingRequests: { ringingCount: string } }>(ir.reply).incomingRequests.ringingCount);
      if (ringing > agent.maxChats) this.violations.push(`${agent.name}: ${ringing} chats ringing, maxChats ${agent.maxChats}`);
      if (ringing > 0) {
        const r = await c.call(c.next(), 'POST', `${session}/incomingRequests.json`, { headers: agent.auth, body: {} });
        if (r.status === 201) {
          const key = lastSegment(r.location ?? '');
          this.accepts.set(key, [...(this.accepts.get(key) ?? []), agent.name]);
        } else if (r.status === LOST) this.lost++;
        else if (!(r.status === 409 && json<{ error: { internalCode: number } }>(r).error.internalCode === 409)) this.violations.push(`${agent.name} accept: ${r.status} ${r.text}`);
        continue;
      }
      if (Date.now() - checked > 1_000) {
        checked = Date.now();
        const av = await c.get(`${session}/availability.json`, { headers: agent.auth });
        if (json<{ availability: { chat: string } }>(av.reply).availability.chat !== 'Online') {
          this.ringTimeouts++;
          await c.call(c.next(), 'POST', `${session}/availability.json`, { headers: { ...agent.auth, 'x-http-method-override': 'PUT' }, body: { availability: { chat: 'Online' } } });
        }
      }
      await sleep(80);
    }
  }

  /** While chats run: nobody over maxChats (Available Agents, Chat Sessions), and a waiting chat readable by one agent at most. */
  private async monitor(): Promise<void> {
    const { c } = this;
    while (!this.stopped && Date.now() < this.d.runUntil) {
      await this.checkCapacity(c.next(), false);
      for (const key of [...this.waiting].slice(0, 3)) {
        const replies = await Promise.all(this.d.agents.map((a) => c.call(c.next(), 'GET', `${a.sessions[0]}/chat/${key}/info.json`, { headers: a.auth })));
        const readable = replies.filter((r) => r.status === 200).length;
        this.ringProbes += readable;
        if (readable > 1) this.violations.push(`chat ${key} reachable by ${readable} agents at once: ${replies.map((r) => r.status).join(', ')}`);
      }
      await sleep(250);
    }
  }

  /** Held (and, when `settled`, held + ringing) chats of every agent within maxChats, read through `via`. */
  async checkCapacity(via: Instance, settled = true): Promise<void> {
    const { c } = this;
    const first = this.d.agents[0] as AgentLogin;
    const list = await c.get(`${first.sessions[0]}/availableAgents.json?skill=Sales`, { headers: first.auth }, via);
    assert.equal(list.reply.status, 200, list.reply.text);
    const listed = asArray(json<{ availableAgents: { agents: { agent?: Listed | Listed[] } } }>(list.reply).availableAgents.agents.agent);
    assert.equal(listed.length, this.d.agents.length);
    for (const l of listed) {
      const held = Number(l.chats ?? 0);
      this.peaks.set(l.nickname, Math.max(this.peaks.get(l.nickname) ?? 0, held));
      if (held > Number(l['@maxChats'])) this.violations.push(`${l.nickname} holds ${held} chats, maxChats ${l['@maxChats']}`);
    }
    for (const a of this.d.agents) {
      const s = await c.get(`${a.sessions[0]}/chatSessions.json`, { headers: a.auth });
      const held = asArray(json<{ chatSessions: { chatSession?: unknown } }>(s.reply).chatSessions.chatSession).length;
      if (held > a.maxChats) this.violations.push(`${a.name}: ${held} chat sessions, maxChats ${a.maxChats}`);
      if (!settled) continue;
      const ir = await c.get(`${a.sessions[0]}/incomingRequests.json`, { headers: a.auth });
      const ringing = Number(json<{ incomingRequests: { ringingCount: string } }>(ir.reply).incomingRequests.ringingCount);
      if (held + ringing > a.maxChats) this.violations.push(`${a.name}: ${held} held + ${ringing} ringing, maxChats ${a.maxChats}`);
    }
  }
}
