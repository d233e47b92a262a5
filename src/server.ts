// buildApp() makes an app without listening (tests inject into it); start() opens the
// store, provisions, re-arms timers and listens.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
import { notFoundBeforeBody, preBodyRoutes } from './api/pre-body.ts';
import { CasedResponse } from './api/wire-headers.ts';
import { clientErrorHandler } from './api/client-errors.ts';
import { installRequestLimits } from './api/request-limits.ts';
import { installConnectionCap, limitsOf, serverTimeouts, type ConnectionLimits } from './api/connections.ts';
import { registerRoutes } from './api/routes.ts';
import { installCors } from './api/cors.ts';
import { loggerOptions, resolveLogFormat } from './logging.ts';
import { installOps } from './api/ops.ts';
import { Metrics } from './api/metrics.ts';
import { listenError, preflight, readTls } from './preflight.ts';
import { openStore } from './store/index.ts';
import { demoBotProvisioning } from './provisioning/demo-bot.ts';
import { CACHE_TTL_MS, CachedStore, EMBEDDED_CACHE_TTL_MS } from './store/cached-store.ts';
import { KeepAliveStore } from './store/keep-alive-store.ts';
import { OpenChatStore } from './store/open-chat-store.ts';
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
  /**
   * Settles once the onClose hook has written the keep-alives and closed the store: a process
   * exits only after it (shutdown.ts), whatever order Fastify settles close() in.
   */
  closed: Promise<void>;
}

type AppConfig = Pick<Config, 'logLevel' | 'typingTimeout' | 'tlsCert' | 'tlsKey'> &
  Partial<Pick<Config, 'smtpUrl' | 'smtpFrom' | 'ringTimeout' | 'agentSessionTimeout' | 'metrics'>> &
  Partial<Pick<Config, 'control' | 'controlToken' | 'strict'>> & { logFormat?: 'json' | 'pretty' } &
  Partial<Pick<Config, 'publicUrl' | 'trustProxy'> & ConnectionLimits> &
  Partial<Pick<Config, 'maxLineLength' | 'maxChatEvents' | 'maxChatChars' | 'chatLinesPerSecond' | 'transcriptsPerChat' | 'transcriptsPerAccount' | 'maxSubjectLength'>> &
  Partial<Pick<Config, 'loginFreeFailures' | 'loginAddressFreeFailures' | 'loginMaxBackoff' | 'requestsPerAddress' | 'requestsPerAppKey' | 'maxWaitingChats'>> &
  Partial<Pick<Config, 'maxBody' | 'maxTextBody' | 'eventsPageSize' | 'keepAliveFlush'>>;

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
  const https = readTls(config);
  // Timeouts and the connection cap (api/connections.ts; docs/security.md).
  const limits = limitsOf(config);
  const timeouts = serverTimeouts(limits);
  // Header names in the vendor's case on the wire (api/wire-headers.ts).
  const http = { ...timeouts.http, ServerResponse: CasedResponse };
  const app = Fastify({
    ...(https ? { https: { ...https, ...http } } : {}),
    ...timeouts,
    http,
    trustProxy: config.trustProxy ?? false,
    logger: loggerOptions(config.logLevel, config.logFormat),
    rewriteUrl,
    frameworkErrors: frameworkErrors(deps.clock),
    clientErrorHandler: clientErrorHandler(deps.clock),
    logController: new QuietRequests(),
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { coerceTypes: 'array', allErrors: true, allowUnionTypes: true, removeAdditional: false, useDefaults: true } },
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
  }) as unknown as FastifyInstance;
  // Keep-alives coalesced and accounts/agents cached in memory (keep-alive-store.ts, cached-store.ts).
  // Timed store operations and timers unless --metrics=false (api/metrics.ts).
  const metrics = config.metrics === false ? null : new Metrics();
  // Open chats in memory (open-chat-store.ts) outside the timed store: a poll served from it is no store operation.
  const openChats = new OpenChatStore(metrics ? metrics.store(deps.store) : deps.store);
  const keepAlives = new KeepAliveStore(openChats, {
    timerHost: deps.timerHost,
    // SQLite: rarely. A keep-alive lost in a crash ends no chat early there (the restart counts
    // every open chat as kept alive: ChatTimeouts.armAll), and at 100k chats writing each
    // polled chat's row every second was a third of the server's time (issue 14).
    flushMs: deps.store.shared ? SHARED_FLUSH_MS : (config.keepAliveFlush ?? defaults.keepAliveFlush) * 1000,
    onError: (err) => app.log.error({ err }, 'keep-alive flush failed'),
  });
  const store = new CachedStore(keepAlives, deps.clock, deps.store.shared ? CACHE_TTL_MS : EMBEDDED_CACHE_TTL_MS);
  const mailer = deps.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl) : null);
  const domain = buildDomain({
    store,
    clock: deps.clock,
    ids: deps.ids,
    timerHost: metrics ? metrics.timers(deps.timerHost) : deps.timerHost,
    mailer,
    settings: {
      typingTimeout: config.typingTimeout,
      ringTimeout: config.ringTimeout ?? defaults.ringTimeout,
      agentSessionTimeout: config.agentSessionTimeout ?? defaults.agentSessionTimeout,
      mailFrom: config.smtpFrom ?? defaults.smtpFrom,
      shared: SHARED_TIMING,
      // What a chat may hold and take, and transcript mail limits (docs/security.md).
      chatLimits: {
        maxLineLength: config.maxLineLength ?? defaults.maxLineLength,
        maxChatEvents: config.maxChatEvents ?? defaults.maxChatEvents,
        maxChatChars: config.maxChatChars ?? defaults.maxChatChars,
        chatLinesPerSecond: config.chatLinesPerSecond ?? defaults.chatLinesPerSecond,
      },
      transcriptLimits: {
        perChatPerHour: config.transcriptsPerChat ?? defaults.transcriptsPerChat,
        perAccountPerHour: config.transcriptsPerAccount ?? defaults.transcriptsPerAccount,
        maxSubjectLength: config.maxSubjectLength ?? defaults.maxSubjectLength,
      },
      maxWaitingChats: config.maxWaitingChats ?? defaults.maxWaitingChats,
      eventsPageSize: config.eventsPageSize ?? defaults.eventsPageSize,
      loginThrottle: {
        userFreeFailures: config.loginFreeFailures ?? defaults.loginFreeFailures,
        addressFreeFailures: config.loginAddressFreeFailures ?? defaults.loginAddressFreeFailures,
        maxBackoff: config.loginMaxBackoff ?? defaults.loginMaxBackoff,
      },
    },
    onBackgroundError: (err) => app.log.error({ err }, 'timer failed'),
    ...(deps.virtualClock ? { virtualClock: deps.virtualClock } : {}),
  });
  const ctx: AppContext = domain.services;
  installHttp(app, deps.clock, { publicUrl: config.publicUrl ?? null });
  installConnectionCap(app, limits.maxConnections, deps.clock, https !== null);
  installRequestLimits(app, { perAddress: config.requestsPerAddress ?? defaults.requestsPerAddress, perAppKey: config.requestsPerAppKey ?? defaults.requestsPerAppKey });
  installCors(app, ctx);
  // Health probes, metrics and the API document, outside the vendor's URL space (api/ops.ts).
  installOps(app, { store, domain, clock: deps.clock, metrics });
  // The control plane (/_serverchat/), faults, journal and --strict checks: before the vendor routes.
  installControl(app, ctx, deps.clock, { control: config.control ?? false, controlToken: config.controlToken ?? null, strict: config.strict ?? false });
  // Unknown routes and refused credentials cost no read of the body; per-route body limits (api/pre-body.ts).
  notFoundBeforeBody(app);
  const bodyLimits = { maxBody: config.maxBody ?? defaults.maxBody, maxTextBody: config.maxTextBody ?? defaults.maxTextBody };
  // In a plugin, after the document generator (api/ops.ts): it sees every route.
  void app.register(async (scope) => {
    preBodyRoutes(scope, bodyLimits);
    registerRoutes(scope, ctx);
  });
  const { promise: closed, resolve: markClosed, reject: failClose } = Promise.withResolvers<void>();
  // Observed here so that an app closed without anyone awaiting `closed` raises nothing unhandled.
  closed.catch(() => undefined);
  app.addHook('onClose', async () => {
    try {
      await closeAll();
      markClosed();
    } catch (err) {
      failClose(err);
      throw err;
    }
  });
  const closeAll = async (): Promise<void> => {
    domain.stop();
    app.log.info('timers stopped');
    // The batched keep-alives reach the store before it closes (keep-alive-store.ts).
    const pending = keepAlives.pendingCount;
    await keepAlives.flush();
    app.log.info({ keepAlives: pending }, 'keep-alives written');
    await store.close();
    app.log.info('store closed');
    await mailer?.close();
  };
  return { app, ctx, store, domain, closed };
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
  const parsed = parseProvisioning(raw, { baseDir: dirname(file) });
  if (!parsed.ok) throw new ProvisioningError(file, parsed.problems);
  return parsed.value;
}

export interface Started extends App {
  url: string;
  /** What was provisioned at start, for the banner. */
  provisioning: Provisioning | null;
}

export async function start(config: Config, overrides: Partial<Deps> & { provisioning?: Provisioning } = {}): Promise<Started> {
  // Read and check the file, the TLS files and the port before touching the store: a bad
  // start changes nothing (the data directory's lock is taken as the store opens).
  const fromFile = overrides.provisioning ?? (config.provisionFile ? readProvisioning(config.provisionFile) : null);
  await preflight(config);
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
  const logFormat = resolveLogFormat(config.logFormat, process.stdout.isTTY === true);
  const built = buildApp({ ...config, logFormat }, { store, clock, ids: overrides.ids ?? randomIds, timerHost: overrides.timerHost ?? realTimerHost, mailer: overrides.mailer, ...virtualClock });
  const { app } = built;
  await built.domain.start();
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await app.close();
    throw listenError(err as NodeJS.ErrnoException);
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const scheme = config.tlsCert ? 'https' : 'http';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
  return { ...built, url: `${scheme}://${host}:${port}`, provisioning };
}
