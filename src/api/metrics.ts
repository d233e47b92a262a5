// Prometheus metrics (prom-client), one registry per app so that apps built side by side
// (tests, several in a process) never mix. Label values are bounded: routes are templates,
// accounts and skills come from provisioning, and no chat id is ever a label.
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TimerHost } from '../chat/core/timers.ts';
import type { Clock } from '../clock.ts';
import type { ChatStore } from '../store/store.ts';
import { RequestStats } from './request-stats.ts';

const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
/** withLock's time is its callback's; watch and the `shared` flag are not operations. */
const UNTIMED = new Set<PropertyKey>(['withLock', 'watch', 'shared', 'constructor']);

export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new RequestStats(this.registry, {
    requests: { name: 'serverchat_http_requests_total', help: 'HTTP requests by method, route template, status and format' },
    latency: { name: 'serverchat_http_request_duration_seconds', help: 'HTTP request latency by method, route template and format', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] },
  });
  private readonly storeOps = new Histogram({
    name: 'serverchat_store_operation_duration_seconds',
    help: 'Store operation latency by operation and outcome',
    labelNames: ['operation', 'outcome'],
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  private readonly flushSize = new Histogram({ name: 'serverchat_keepalive_flush_size', help: 'Keep-alives written per batched flush', buckets: [1, 5, 10, 50, 100, 500, 1000, 5000, 10000], registers: [this.registry] });
  private readonly timersFired = new Counter({ name: 'serverchat_timers_fired_total', help: 'Domain timers fired (timeouts, rings, session expiries, sweeps)', registers: [this.registry] });
  private readonly timerLateness = new Histogram({
    name: 'serverchat_timer_lateness_seconds',
    help: 'How late a domain timer fired after its due time',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly openChats = new Gauge({ name: 'serverchat_open_chats', help: 'Open chats by account and state (waiting: in the queue; chatting: with an agent)', labelNames: ['account', 'state'], registers: [this.registry] });
  private readonly queueLength = new Gauge({ name: 'serverchat_queue_length', help: 'Chats waiting for an agent by account and skill', labelNames: ['account', 'skill'], registers: [this.registry] });
  private readonly longestWait = new Gauge({ name: 'serverchat_queue_longest_wait_seconds', help: 'Wait of the oldest chat in the queue by account and skill', labelNames: ['account', 'skill'], registers: [this.registry] });
  private readonly agents = new Gauge({ name: 'serverchat_agents', help: 'Agents by account and chat availability', labelNames: ['account', 'availability'], registers: [this.registry] });
  private readonly snapshotErrors = new Counter({ name: 'serverchat_metrics_store_errors_total', help: 'Scrapes whose chat, queue and agent figures could not be read from the store', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'serverchat_' });
  }

  /** The store with every operation timed (and keep-alive batches measured). */
  store(inner: ChatStore): ChatStore {
    const ops = this.storeOps;
    const flushSize = this.flushSize;
    return new Proxy(inner, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || UNTIMED.has(prop)) return value;
        const fn = value as (...args: unknown[]) => unknown;
        const operation = String(prop);
        return (...args: unknown[]) => {
          if (operation === 'touchChats' && Array.isArray(args[0])) flushSize.observe(args[0].length);
          const end = ops.startTimer({ operation });
          const result = fn.apply(target, args);
          if (!(result instanceof Promise)) return result;
          return result.then(
            (v: unknown) => (end({ outcome: 'ok' }), v),
            (err: unknown) => {
              end({ outcome: 'error' });
              throw err;
            },
          );
        };
      },
    });
  }

  /** The domain's timers, counted with how late each fires. */
  timers(host: TimerHost): TimerHost {
    return {
      set: (fn, ms) => {
        const due = performance.now() + ms;
        return host.set(() => {
          this.timersFired.inc();
          this.timerLateness.observe(Math.max(0, performance.now() - due) / 1000);
          fn();
        }, ms);
      },
      clear: (h) => host.clear(h),
    };
  }

  /** Request counts and latency, and GET /metrics. */
  install(app: FastifyInstance, store: ChatStore, clock: Clock): void {
    // A callback hook, not an async one: no promise per request.
    app.addHook('onResponse', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      this.requests.observe(req.method, req.routeOptions.url ?? 'unmatched', req.format ?? 'json', reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
    app.get('/metrics', async (req, reply) => {
      try {
        await this.snapshot(store, clock.now());
      } catch (err) {
        // Process and request metrics still answer while the store is out of reach.
        this.snapshotErrors.inc();
        req.log.warn({ err: (err as Error).message }, 'metrics: store figures unavailable');
      }
      const text = await this.registry.metrics();
      return reply.header('content-type', PROMETHEUS_TYPE).send(text);
    });
  }

  /** Chats, queues and agents as they are now, read once per scrape. */
  private async snapshot(store: ChatStore, now: number): Promise<void> {
    const accounts = await store.listAccounts();
    const gauges = { open: new Map<string, number>(), queue: new Map<string, number>(), wait: new Map<string, number>(), agents: new Map<string, number>() };
    const add = (m: Map<string, number>, k: string, n: number): void => void m.set(k, (m.get(k) ?? 0) + n);
    for (const account of accounts) {
      const skillName = new Map(account.skills.map((s) => [s.id, s.name]));
      const [waiting, perAgent, agents] = await Promise.all([store.listWaitingChats(account.id), store.countAgentChats(account.id), store.listAgents(account.id)]);
      // countAgentChats counts chats with an agent plus those ringing one (still waiting).
      const held = [...perAgent.values()].reduce((a, b) => a + b, 0);
      const waitingHeld = waiting.filter((c) => c.agentId !== null || c.ringingAgentId !== null).length;
      add(gauges.open, JSON.stringify([account.id, 'waiting']), waiting.length);
      add(gauges.open, JSON.stringify([account.id, 'chatting']), Math.max(0, held - waitingHeld));
      for (const chat of waiting) {
        const key = JSON.stringify([account.id, chat.skillId === null ? 'any' : (skillName.get(chat.skillId) ?? String(chat.skillId))]);
        add(gauges.queue, key, 1);
        gauges.wait.set(key, Math.max(gauges.wait.get(key) ?? 0, (now - chat.queuedAt) / 1000));
      }
      for (const agent of agents) add(gauges.agents, JSON.stringify([account.id, agent.availability]), 1);
    }
    this.openChats.reset();
    this.queueLength.reset();
    this.longestWait.reset();
    this.agents.reset();
    const set = (g: Gauge, names: [string, string], m: Map<string, number>): void => {
      for (const [k, v] of m) {
        const [a, b] = JSON.parse(k) as [string, string];
        g.set({ [names[0]]: a, [names[1]]: b }, v);
      }
    };
    set(this.openChats, ['account', 'state'], gauges.open);
    set(this.queueLength, ['account', 'skill'], gauges.queue);
    set(this.longestWait, ['account', 'skill'], gauges.wait);
    set(this.agents, ['account', 'availability'], gauges.agents);
  }
}
