// Several serverchat instances on one database, seen as a load balancer would: requests go
// round-robin over the live ones, and an instance can be killed mid-run. A request that was
// in flight on the killed instance has no answer: it is "lost" (status 0), and the caller
// decides what an unknown outcome means; reads are simply retried on another instance.
import { http, json, pathOf, type CallOptions, type Instance, type Reply } from './instances.ts';

export const LOST = 0;

export class Cluster {
  readonly instances: Instance[];
  private readonly dead = new Set<Instance>();
  private turn = 0;
  /** Requests whose answer was lost with a killed instance (reads included). */
  lost = 0;

  constructor(instances: Instance[]) {
    this.instances = instances;
  }

  live(): Instance[] {
    return this.instances.filter((i) => !this.dead.has(i));
  }

  isDead(i: Instance): boolean {
    return this.dead.has(i);
  }

  /** The next live instance, round-robin. */
  next(): Instance {
    const live = this.live();
    const i = live[this.turn++ % live.length];
    if (!i) throw new Error('no live instance');
    return i;
  }

  /** A live instance other than `than` (itself only when it is the last one). */
  otherThan(than: Instance): Instance {
    for (let n = 0; n < this.instances.length; n++) {
      const i = this.next();
      if (i !== than) return i;
    }
    return than;
  }

  /** Takes `i` out of the rotation first, so that only requests already sent can be lost; then kill -9. */
  async kill(i: Instance): Promise<void> {
    this.dead.add(i);
    await i.kill('SIGKILL');
  }

  /** One request through `via`; status 0 (LOST) when `via` was killed under it. */
  async call(via: Instance, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    try {
      return await http(method, via.url + path, opts);
    } catch (err) {
      if (this.dead.has(via)) {
        this.lost++;
        return { status: LOST, location: null, contentType: null, text: '' };
      }
      throw new Error(`${method} ${via.name}${path}: ${String((err as Error).cause ?? err)}`);
    }
  }

  /** A GET through `via` (default: the next instance), retried on another live one when lost. */
  async get(path: string, opts: CallOptions = {}, via?: Instance): Promise<{ reply: Reply; via: Instance }> {
    let inst = via ?? this.next();
    for (let attempt = 0; attempt < this.instances.length; attempt++) {
      const reply = await this.call(inst, 'GET', path, opts);
      if (reply.status !== LOST) return { reply, via: inst };
      inst = this.next();
    }
    throw new Error(`GET ${path}: lost on every instance`);
  }
}

export interface AgentLogin {
  name: string;
  maxChats: number;
  auth: { authorization: string };
  /** Paths of the agent's sessions (/api/account/…/agentSession/{id}), each opened through another instance. */
  sessions: string[];
}

/** Logs an agent in through `via` and opens one session through each of `sessionVia`. */
export async function loginAgent(
  cluster: Cluster,
  base: string,
  agent: { name: string; loginName: string; password: string; maxChats: number },
  via: Instance,
  sessionVia: Instance[] = [via],
): Promise<AgentLogin> {
  const login = await cluster.call(via, 'POST', `${base}/login?v=1.3`, { body: { username: agent.loginName, password: agent.password } });
  if (login.status !== 200) throw new Error(`login ${agent.loginName}: ${login.status} ${login.text}`);
  const auth = { authorization: `Bearer ${json<{ bearer: string }>(login).bearer}` };
  const sessions: string[] = [];
  for (const inst of sessionVia) {
    const s = await cluster.call(inst, 'POST', `${base}/agentSession.json?v=1&NC=true`, { headers: auth, body: { loginData: '' } });
    if (s.status !== 201 || s.location === null) throw new Error(`agent session ${agent.loginName}: ${s.status} ${s.text}`);
    sessions.push(pathOf(s.location));
  }
  return { name: agent.name, maxChats: agent.maxChats, auth, sessions };
}

/** Sets the agent's availability through `via` (POST + override PUT, as the vendor's clients send it). */
export async function setAvailability(cluster: Cluster, agent: AgentLogin, chat: 'Online' | 'Away', via: Instance): Promise<Reply> {
  const session = agent.sessions[0] as string;
  return cluster.call(via, 'POST', `${session}/availability.json`, {
    headers: { ...agent.auth, 'x-http-method-override': 'PUT' },
    body: { availability: { chat } },
  });
}
