// buildApp() makes an app without listening (tests inject into it); start() opens the
// store, provisions, re-arms timers and listens.
import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AgentDesk } from './chat/agents/agent-desk.ts';
import { ChatService } from './chat/conversation/chat-service.ts';
import { applyProvisioning, demoProvisioning, parseProvisioning, type Provisioning } from './provisioning/provisioning.ts';
import { realTimerHost, type TimerHost } from './chat/core/timers.ts';
import { systemClock, type Clock } from './clock.ts';
import { defaults, type Config } from './config.ts';
import { Transcripts } from './chat/conversation/transcripts.ts';
import type { Mailer } from './mail/mailer.ts';
import { smtpMailer } from './mail/smtp.ts';
import { randomIds, type Ids } from './ids.ts';
import type { AppContext } from './api/context.ts';
import { frameworkErrors, installHttp, rewriteUrl } from './api/http.ts';
import { registerRoutes } from './api/routes.ts';
import { openStore } from './store/index.ts';
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
}

export interface App {
  app: FastifyInstance;
  ctx: AppContext;
}

type AppConfig = Pick<Config, 'logLevel' | 'typingTimeout' | 'tlsCert' | 'tlsKey'> & Partial<Pick<Config, 'smtpUrl' | 'smtpFrom' | 'ringTimeout' | 'agentSessionTimeout'>>;

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
  const keepAlives = new KeepAliveStore(deps.store, { timerHost: deps.timerHost, onError: (err) => app.log.error({ err }, 'keep-alive flush failed') });
  const store = new CachedStore(keepAlives, deps.clock);
  const chats = new ChatService({ ...deps, store, settings: { typingTimeout: config.typingTimeout, ringTimeout: config.ringTimeout ?? defaults.ringTimeout, agentSessionTimeout: config.agentSessionTimeout ?? defaults.agentSessionTimeout }, onBackgroundError: (err) => app.log.error({ err }, 'timer failed') });
  const mailer = deps.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl) : null);
  const transcripts = new Transcripts(chats, mailer, { from: config.smtpFrom ?? defaults.smtpFrom });
  const ctx: AppContext = { chats, desk: new AgentDesk(chats), transcripts };
  installHttp(app, deps.clock);
  registerRoutes(app, ctx);
  app.addHook('onClose', async () => {
    chats.stop();
    // Writes the pending keep-alives, then closes deps.store.
    await store.close();
    await mailer?.close();
  });
  return { app, ctx };
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

export async function start(config: Config, overrides: Partial<Deps> = {}): Promise<Started> {
  // Read and check the file before touching the store: a bad file changes nothing.
  const fromFile = config.provisionFile ? readProvisioning(config.provisionFile) : null;
  const store = overrides.store ?? (await openStore(config));
  let provisioning = fromFile;
  if (!provisioning && (await store.listAccounts()).length === 0) provisioning = demoProvisioning;
  if (provisioning) await applyProvisioning(store, provisioning);
  const { app, ctx } = buildApp(config, { store, clock: overrides.clock ?? systemClock, ids: overrides.ids ?? randomIds, timerHost: overrides.timerHost ?? realTimerHost, mailer: overrides.mailer });
  await ctx.chats.start();
  await app.listen({ port: config.port, host: config.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const scheme = config.tlsCert ? 'https' : 'http';
  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? 'localhost' : config.host;
  return { app, ctx, url: `${scheme}://${host}:${port}`, provisioning };
}
