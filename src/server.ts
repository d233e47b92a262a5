// buildApp() makes an app without listening (tests inject into it); start() opens the
// store, provisions, re-arms timers and listens.
import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { buildDomain, type DomainRuntime } from './chat/domain.ts';
import { applyProvisioning, demoProvisioning, parseProvisioning, type Provisioning } from './provisioning/provisioning.ts';
import { realTimerHost, type TimerHost } from './chat/core/timers.ts';
import { ManualClock, systemClock, type Clock } from './clock.ts';
import { installControl } from './api/control/index.ts';
import { defaults, type Config } from './config.ts';
import type { Mailer } from './mail/mailer.ts';
import { smtpMailer } from './mail/smtp.ts';
import { randomIds, type Ids } from './ids.ts';
import type { AppContext } from './api/context.ts';
import { frameworkErrors, installHttp, rewriteUrl } from './api/http.ts';
import { registerRoutes } from './api/routes.ts';
import { openStore } from './store/index.ts';
import { demoBotProvisioning } from './provisioning/demo-bot.ts';
import { CachedStore } from './store/cached-store.ts';
import { KeepAliveStore } from './store/keep-alive-store.ts';
import type { ChatStore } from './store/store.ts';

export interface Deps {
  store: ChatStore;
  clock: Clock;
  ids: Ids;
  timerHost: TimerHost;
  /** Outbound mail for transcripts; by default built from config.smtpUrl (none without it). */
  mailer?: Mailer;
  /** `--clock manual`: `clock` itself, moved by the control plane (chat/control/virtual-time.ts). */
  virtualClock?: ManualClock;
}

export interface App {
  app: FastifyInstance;
  /** The domain services the routes call. */
  ctx: AppContext;
  /** The app's own store (behind its keep-alive batching and cache), for start-up and tests. */
  store: ChatStore;
  /** Starting, stopping and driving the domain's timers. */
  domain: DomainRuntime;
}

type AppConfig = Pick<Config, 'logLevel' | 'typingTimeout' | 'tlsCert' | 'tlsKey'> &
  Partial<Pick<Config, 'smtpUrl' | 'smtpFrom' | 'ringTimeout' | 'agentSessionTimeout'>> &
  Partial<Pick<Config, 'control' | 'controlToken' | 'strict'>>;

/** Visitors poll every 2 s: a line per request belongs at debug, not info. */
class QuietRequests extends LogController {
  override incomingRequest(req: FastifyRequest): void {
    req.log.debug({ method: req.method, url: req.url }, 'incoming request');
  }
  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.debug(line, 'request completed');
  }
}

/**
 * With a shared store, keep-alives are written twice as often, so that another instance sees
 * them within a second, and deadlines wait that long plus a margin before they fire
 * (docs/architecture.md, "Keep-alives").
 */
const SHARED_FLUSH_MS = 500;
export const SHARED_TIMING = { graceMs: SHARED_FLUSH_MS + 500, sweepMs: 1000, adoptAfterMs: 2000 };

/** The composition root: the infrastructure (HTTP, store decorators, mail) around the domain's. */
export function buildApp(config: AppConfig, deps: Deps): App {
  const https = config.tlsCert && config.tlsKey ? { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) } : null;
  const app = Fastify({
    ...(https ? { https } : {}),
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel },
    rewriteUrl,
    frameworkErrors: frameworkErrors(deps.clock),
    logController: new QuietRequests(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: true, allowUnionTypes: true, removeAdditional: false, useDefaults: true } },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  }) as unknown as FastifyInstance;
  // Keep-alives coalesced and accounts/agents cached in memory (keep-alive-store.ts, cached-store.ts).
  const keepAlives = new KeepAliveStore(deps.store, {
    timerHost: deps.timerHost,
    ...(deps.store.shared ? { flushMs: SHARED_FLUSH_MS } : {}),
    onError: (err) => app.log.error({ err }, 'keep-alive flush failed'),
  });
  const store = new CachedStore(keepAlives, deps.clock);
  const mailer = deps.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl) : null);
  const domain = buildDomain({
    store,
    clock: deps.clock,
    ids: deps.ids,
    timerHost: deps.timerHost,
    mailer,
    settings: {
      typingTimeout: config.typingTimeout,
      ringTimeout: config.ringTimeout ?? defaults.ringTimeout,
      agentSessionTimeout: config.agentSessionTimeout ?? defaults.agentSessionTimeout,
      mailFrom: config.smtpFrom ?? defaults.smtpFrom,
      shared: SHARED_TIMING,
    },
    onBackgroundError: (err) => app.log.error({ err }, 'timer failed'),
    ...(deps.virtualClock ? { virtualClock: deps.virtualClock } : {}),
  });
  const ctx: AppContext = domain.services;
  installHttp(app, deps.clock);
  // The control plane (/_serverchat/), faults, journal and --strict checks: before the vendor routes.
  installControl(app, ctx, deps.clock, { control: config.control ?? false, controlToken: config.controlToken ?? null, strict: config.strict ?? false });
  registerRoutes(app, ctx);
  app.addHook('onClose', async () => {
    domain.stop();
    // Writes the pending keep-alives, then closes deps.store.
    await store.close();
    await mailer?.close();
  });
  return { app, ctx, store, domain };
}

export class ProvisioningError extends Error {
  readonly problems: string[];
  constructor(file: string, problems: string[]) {
    super(`provisioning file ${file} is not valid:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

export function readProvisioning(file: string): Provisioning {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ProvisioningError(file, [(err as Error).message]);
  }
  const parsed = parseProvisioning(raw);
  if (!parsed.ok) throw new ProvisioningError(file, parsed.problems);
  return parsed.value;
}

export interface Started extends App {
  url: string;
  /** What was provisioned at start, for the banner. */
  provisioning: Provisioning | null;
}

export async function start(config: Config, overrides: Partial<Deps> & { provisioning?: Provisioning } = {}): Promise<Started> {
  // Read and check the file before touching the store: a bad file changes nothing.
  const fromFile = overrides.provisioning ?? (config.provisionFile ? readProvisioning(config.provisionFile) : null);
  // With the control plane, the demo account gets a bot agent too (docs/testing.md).
  const demo = config.control ? demoBotProvisioning : demoProvisioning;
  const store = overrides.store ?? (await openStore(config));
  // Under the store's lock: N instances starting together on one empty PostgreSQL decide
  // and write the provisioning one after another (each apply is idempotent).
  const provisioning = await store.withLock('provisioning', async () => {
    const chosen = fromFile ?? ((await store.listAccounts()).length === 0 ? demo : null);
    if (chosen) await applyProvisioning(store, chosen);
    return chosen;
  });
  const clock = overrides.clock ?? (config.clock === 'manual' ? new ManualClock(config.clockStart ?? Date.now()) : systemClock);
  const virtualClock = config.clock === 'manual' && clock instanceof ManualClock ? { virtualClock: clock } : {};
  const built = buildApp(config, { store, clock, ids: overrides.ids ?? randomIds, timerHost: overrides.timerHost ?? realTimerHost, mailer: overrides.mailer, ...virtualClock });
  const { app } = built;
  await built.domain.start();
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const scheme = config.tlsCert ? 'https' : 'http';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
  return { ...built, url: `${scheme}://${host}:${port}`, provisioning };
}
