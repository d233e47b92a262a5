// The one typed configuration: defaults < environment < flags, validated once, every
// problem reported together (docs/configuration.md lists the same settings).
import { parseArgs } from 'node:util';
import { isMailbox } from './mail/mailer.ts';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Directory of the embedded store; ignored with `memory`. */
  dataDir: string;
  memory: boolean;
  provisionFile: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  logLevel: LogLevel;
  /** Seconds a typing flag lasts unless renewed. */
  typingTimeout: number;
  /** Seconds a chat rings for an agent before the agent is set Away and the chat moves on (agent API §3). */
  ringTimeout: number;
  /** Seconds without a request after which an agent session expires and the agent's chats are requeued. */
  agentSessionTimeout: number;
  /** Where transcripts are mailed through (spec §4.19): smtp:// or smtps:// URL; null = transcripts answer 503. */
  smtpUrl: string | null;
  /** The From of transcript mails: an address or `Name <address>`. */
  smtpFrom: string;
  /** A postgres:// URL: the shared store several instances use; null = SQLite under dataDir. */
  store: string | null;
  /** Connections per instance in the PostgreSQL pool (docs/deployment.md, pool sizing). */
  storePoolSize: number;
  /** Milliseconds one PostgreSQL statement may run before it is cancelled. */
  storeStatementTimeout: number;
  /** Serve the control plane under /_serverchat/ (docs/testing.md). */
  control: boolean;
  /** With the control plane: the bearer token it requires; null = loopback clients only. */
  controlToken: string | null;
  /** `system`, or `manual`: a virtual clock moved only by the control plane. */
  clock: 'system' | 'manual';
  /** Where a manual clock starts (ms since the epoch); null = the real time at start. */
  clockStart: number | null;
  /** Answer requests that deviate from the spec (the conformance report's checks) with 400. */
  strict: boolean;
  /** Seconds requests in flight may take to finish after SIGTERM/SIGINT before their connections are cut. */
  shutdownGrace: number;
  /** Serve Prometheus metrics at /metrics. */
  metrics: boolean;
  /** `auto`: readable lines on a terminal, pino JSON otherwise; `json` or `pretty` force one. */
  logFormat: LogFormat;
  /** Limits (issue 11; docs/security.md): see `limitSettings` below. */
  /** The scheme, host, port (and path prefix) written in links and Location; null = the request's own. */
  publicUrl: string | null;
  /** Honour X-Forwarded-Proto/-Host/-For from the proxy in front. */
  trustProxy: boolean;
  /** Seconds the request headers may take to arrive. */
  headerTimeout: number;
  /** Seconds a whole request (headers and body) may take to arrive. */
  requestTimeout: number;
  /** Seconds a connection may stay silent (no bytes either way) before it is closed. */
  idleTimeout: number;
  /** Seconds an idle keep-alive connection is kept open between requests. */
  keepAliveTimeout: number;
  /** Connections open at once; past it new ones are answered 503 and closed. */
  maxConnections: number;
  /** Characters of one line (chat/core/chat-limits.ts). */
  maxLineLength: number;
  /** Events one chat may hold before lines are refused. */
  maxChatEvents: number;
  /** Characters of lines one chat may hold. */
  maxChatChars: number;
  /** Lines (and URLs) per second per chat. */
  chatLinesPerSecond: number;
  /** Transcripts mailed per chat per hour. */
  transcriptsPerChat: number;
  /** Transcripts mailed per account per hour (per instance). */
  transcriptsPerAccount: number;
  /** Characters of a transcript's subject. */
  maxSubjectLength: number;
  /** Failed logins per account + user before waits begin (chat/agents/login-throttle.ts). */
  loginFreeFailures: number;
  /** Failed logins per client address before waits begin. */
  loginAddressFreeFailures: number;
  /** The longest wait after failed logins, in seconds. */
  loginMaxBackoff: number;
  /** Requests per second from one client address to the vendor APIs (api/request-limits.ts); 0 = none. */
  requestsPerAddress: number;
  /** Requests per second with one app key; 0 = none. */
  requestsPerAppKey: number;
  /** Waiting chats per account; a chat request past it is refused. */
  maxWaitingChats: number;
  /** Bytes of a request body to the vendor APIs (api/pre-body.ts). */
  maxBody: number;
  /** Bytes of a request body that carries lines or free text (events, chat request, surveys). */
  maxTextBody: number;
  /** Events one answer holds at most; the `next` link continues (docs/compatibility.md). */
  eventsPageSize: number;
  /** Seconds keep-alives stay in memory before the embedded store is written (docs/configuration.md "Keep-alives"). */
  keepAliveFlush: number;
}

export type LogFormat = 'auto' | 'json' | 'pretty';
const LOG_FORMATS: LogFormat[] = ['auto', 'json', 'pretty'];

export const defaults: Config = {
  port: 8080,
  host: '127.0.0.1',
  dataDir: './data',
  memory: false,
  provisionFile: null,
  tlsCert: null,
  tlsKey: null,
  logLevel: 'info',
  typingTimeout: 6,
  ringTimeout: 20,
  agentSessionTimeout: 300,
  smtpUrl: null,
  smtpFrom: 'serverchat <no-reply@serverchat.invalid>',
  store: null,
  storePoolSize: 10,
  storeStatementTimeout: 5000,
  control: false,
  controlToken: null,
  clock: 'system',
  clockStart: null,
  strict: false,
  shutdownGrace: 10,
  metrics: true,
  logFormat: 'auto',
  publicUrl: null,
  trustProxy: false,
  headerTimeout: 10,
  requestTimeout: 30,
  idleTimeout: 60,
  keepAliveTimeout: 5,
  maxConnections: 1000,
  maxLineLength: 8000,
  maxChatEvents: 5000,
  maxChatChars: 1_000_000,
  chatLinesPerSecond: 10,
  transcriptsPerChat: 3,
  transcriptsPerAccount: 100,
  maxSubjectLength: 200,
  loginFreeFailures: 5,
  loginAddressFreeFailures: 20,
  loginMaxBackoff: 60,
  requestsPerAddress: 1000,
  requestsPerAppKey: 5000,
  maxWaitingChats: 1000,
  maxBody: 16 * 1024,
  maxTextBody: 64 * 1024,
  eventsPageSize: 500,
  keepAliveFlush: 30,
};

interface Setting {
  flag: string;
  env: string;
  type: 'string' | 'boolean';
  apply: (c: Config, raw: string, problems: string[]) => void;
}

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function intIn(name: string, raw: string, min: number, max: number, problems: string[]): number | null {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    problems.push(`${name}: "${raw}" is not a whole number from ${min} to ${max}`);
    return null;
  }
  return n;
}

function bool(name: string, raw: string, problems: string[]): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off|)$/i.test(raw)) return false;
  problems.push(`${name}: "${raw}" is not true or false`);
  return false;
}

function urlOrNull(v: string): URL | null {
  try {
    return new URL(v);
  } catch {
    return null;
  }
}

/**
 * A URL of one of `protocols` with a host, or null when empty; `kind` names them in the
 * problem ("an smtp:// or smtps://"). The password is never echoed.
 */
function serviceUrl(name: string, raw: string, protocols: string[], kind: string, example: string, problems: string[]): string | null {
  const v = raw.trim();
  if (v === '') return null;
  const u = urlOrNull(v);
  if (!u || !protocols.includes(u.protocol) || u.hostname === '') {
    problems.push(`${name}: not ${kind} URL with a host (e.g. ${example})`);
    return null;
  }
  if (u.port !== '' && Number(u.port) === 0) problems.push(`${name}: the port must be from 1 to 65535`);
  return v;
}

const smtpUrl = (raw: string, problems: string[]): string | null =>
  serviceUrl('smtp-url', raw, ['smtp:', 'smtps:'], 'an smtp:// or smtps://', 'smtp://127.0.0.1:2525, smtps://user:pass@mail.example.com:465', problems);

/** postgres:// (or postgresql://, the same to the driver). */
const storeUrl = (raw: string, problems: string[]): string | null =>
  serviceUrl('store', raw, ['postgres:', 'postgresql:'], 'a postgres://', 'postgres://serverchat:secret@127.0.0.1:5432/serverchat', problems);

export const settings: Setting[] = [
  { flag: 'port', env: 'SERVERCHAT_PORT', type: 'string', apply: (c, r, p) => void (c.port = intIn('port', r, 0, 65535, p) ?? c.port) },
  { flag: 'host', env: 'SERVERCHAT_HOST', type: 'string', apply: (c, r, p) => (r.trim() ? void (c.host = r.trim()) : void p.push('host: must not be empty')) },
  { flag: 'data', env: 'SERVERCHAT_DATA', type: 'string', apply: (c, r, p) => (r.trim() ? void (c.dataDir = r) : void p.push('data: must not be empty')) },
  { flag: 'memory', env: 'SERVERCHAT_MEMORY', type: 'boolean', apply: (c, r, p) => void (c.memory = bool('memory', r, p)) },
  { flag: 'provision', env: 'SERVERCHAT_PROVISION', type: 'string', apply: (c, r) => void (c.provisionFile = r || null) },
  { flag: 'tls-cert', env: 'SERVERCHAT_TLS_CERT', type: 'string', apply: (c, r) => void (c.tlsCert = r || null) },
  { flag: 'tls-key', env: 'SERVERCHAT_TLS_KEY', type: 'string', apply: (c, r) => void (c.tlsKey = r || null) },
  {
    flag: 'log-level',
    env: 'SERVERCHAT_LOG_LEVEL',
    type: 'string',
    apply: (c, r, p) => (LEVELS.includes(r as LogLevel) ? void (c.logLevel = r as LogLevel) : void p.push(`log-level: "${r}" is not one of ${LEVELS.join(', ')}`)),
  },
  { flag: 'typing-timeout', env: 'SERVERCHAT_TYPING_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.typingTimeout = intIn('typing-timeout', r, 1, 3600, p) ?? c.typingTimeout) },
  { flag: 'ring-timeout', env: 'SERVERCHAT_RING_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.ringTimeout = intIn('ring-timeout', r, 1, 3600, p) ?? c.ringTimeout) },
  {
    flag: 'agent-session-timeout',
    env: 'SERVERCHAT_AGENT_SESSION_TIMEOUT',
    type: 'string',
    apply: (c, r, p) => void (c.agentSessionTimeout = intIn('agent-session-timeout', r, 10, 86400, p) ?? c.agentSessionTimeout),
  },
  { flag: 'smtp-url', env: 'SERVERCHAT_SMTP_URL', type: 'string', apply: (c, r, p) => void (c.smtpUrl = smtpUrl(r, p)) },
  {
    flag: 'smtp-from',
    env: 'SERVERCHAT_SMTP_FROM',
    type: 'string',
    apply: (c, r, p) => (isMailbox(r) ? void (c.smtpFrom = r.trim()) : void p.push(`smtp-from: "${r}" is not an e-mail address or "Name <address>"`)),
  },
  { flag: 'store', env: 'SERVERCHAT_STORE', type: 'string', apply: (c, r, p) => void (c.store = storeUrl(r, p)) },
  { flag: 'store-pool-size', env: 'SERVERCHAT_STORE_POOL_SIZE', type: 'string', apply: (c, r, p) => void (c.storePoolSize = intIn('store-pool-size', r, 1, 1000, p) ?? c.storePoolSize) },
  {
    flag: 'store-statement-timeout',
    env: 'SERVERCHAT_STORE_STATEMENT_TIMEOUT',
    type: 'string',
    apply: (c, r, p) => void (c.storeStatementTimeout = intIn('store-statement-timeout', r, 100, 600_000, p) ?? c.storeStatementTimeout),
  },
  { flag: 'shutdown-grace', env: 'SERVERCHAT_SHUTDOWN_GRACE', type: 'string', apply: (c, r, p) => void (c.shutdownGrace = intIn('shutdown-grace', r, 0, 3600, p) ?? c.shutdownGrace) },
  // A boolean flag that defaults to on: `--metrics=false` (or SERVERCHAT_METRICS=false) turns it off.
  { flag: 'metrics', env: 'SERVERCHAT_METRICS', type: 'string', apply: (c, r, p) => void (c.metrics = bool('metrics', r, p)) },
  {
    flag: 'log-format',
    env: 'SERVERCHAT_LOG_FORMAT',
    type: 'string',
    apply: (c, r, p) => (LOG_FORMATS.includes(r as LogFormat) ? void (c.logFormat = r as LogFormat) : void p.push(`log-format: "${r}" is not one of ${LOG_FORMATS.join(', ')}`)),
  },
];

/** `system`, `manual`, or an ISO 8601 instant a manual clock starts at (e.g. 2017-02-27T11:35:45Z). */
function clockSetting(c: Config, raw: string, problems: string[]): void {
  const v = raw.trim();
  if (v === 'system' || v === 'manual') {
    c.clock = v;
    c.clockStart = null;
    return;
  }
  const at = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
  if (Number.isNaN(at)) return void problems.push(`clock: "${raw}" is not system, manual or an ISO 8601 instant such as 2017-02-27T11:35:45Z`);
  c.clock = 'manual';
  c.clockStart = at;
}

// The control plane and testing settings (issue 13; docs/testing.md), after the others.
settings.push(
  { flag: 'control', env: 'SERVERCHAT_CONTROL', type: 'boolean', apply: (c, r, p) => void (c.control = bool('control', r, p)) },
  {
    flag: 'control-token',
    env: 'SERVERCHAT_CONTROL_TOKEN',
    type: 'string',
    apply: (c, r, p) => (r === '' ? void (c.controlToken = null) : /^[\x21-\x7e]{8,200}$/.test(r) ? void (c.controlToken = r) : void p.push('control-token: must be 8 to 200 printable characters without spaces')),
  },
  { flag: 'clock', env: 'SERVERCHAT_CLOCK', type: 'string', apply: (c, r, p) => clockSetting(c, r, p) },
  { flag: 'strict', env: 'SERVERCHAT_STRICT', type: 'boolean', apply: (c, r, p) => void (c.strict = bool('strict', r, p)) },
);

/** An http(s) URL without query, fragment or credentials, kept without its trailing slash. */
function publicUrl(raw: string, problems: string[]): string | null {
  const v = raw.trim();
  if (v === '') return null;
  const u = urlOrNull(v);
  if (!u || !['http:', 'https:'].includes(u.protocol) || u.hostname === '' || u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') {
    problems.push(`public-url: "${raw}" is not an http:// or https:// URL with a host and no query (e.g. https://chat.example.com)`);
    return null;
  }
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}

// Limits and the proxy in front (issue 11; docs/security.md), after the others.
settings.push(
  { flag: 'public-url', env: 'SERVERCHAT_PUBLIC_URL', type: 'string', apply: (c, r, p) => void (c.publicUrl = publicUrl(r, p)) },
  { flag: 'trust-proxy', env: 'SERVERCHAT_TRUST_PROXY', type: 'boolean', apply: (c, r, p) => void (c.trustProxy = bool('trust-proxy', r, p)) },
  { flag: 'header-timeout', env: 'SERVERCHAT_HEADER_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.headerTimeout = intIn('header-timeout', r, 1, 3600, p) ?? c.headerTimeout) },
  { flag: 'request-timeout', env: 'SERVERCHAT_REQUEST_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.requestTimeout = intIn('request-timeout', r, 1, 3600, p) ?? c.requestTimeout) },
  { flag: 'idle-timeout', env: 'SERVERCHAT_IDLE_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.idleTimeout = intIn('idle-timeout', r, 1, 3600, p) ?? c.idleTimeout) },
  { flag: 'keep-alive-timeout', env: 'SERVERCHAT_KEEP_ALIVE_TIMEOUT', type: 'string', apply: (c, r, p) => void (c.keepAliveTimeout = intIn('keep-alive-timeout', r, 1, 3600, p) ?? c.keepAliveTimeout) },
  { flag: 'max-connections', env: 'SERVERCHAT_MAX_CONNECTIONS', type: 'string', apply: (c, r, p) => void (c.maxConnections = intIn('max-connections', r, 1, 1_000_000, p) ?? c.maxConnections) },
  { flag: 'max-line-length', env: 'SERVERCHAT_MAX_LINE_LENGTH', type: 'string', apply: (c, r, p) => void (c.maxLineLength = intIn('max-line-length', r, 1, 1_000_000, p) ?? c.maxLineLength) },
  { flag: 'max-chat-events', env: 'SERVERCHAT_MAX_CHAT_EVENTS', type: 'string', apply: (c, r, p) => void (c.maxChatEvents = intIn('max-chat-events', r, 10, 1_000_000, p) ?? c.maxChatEvents) },
  { flag: 'max-chat-chars', env: 'SERVERCHAT_MAX_CHAT_CHARS', type: 'string', apply: (c, r, p) => void (c.maxChatChars = intIn('max-chat-chars', r, 1, 1_000_000_000, p) ?? c.maxChatChars) },
  { flag: 'chat-lines-per-second', env: 'SERVERCHAT_CHAT_LINES_PER_SECOND', type: 'string', apply: (c, r, p) => void (c.chatLinesPerSecond = intIn('chat-lines-per-second', r, 1, 100_000, p) ?? c.chatLinesPerSecond) },
  { flag: 'transcripts-per-chat', env: 'SERVERCHAT_TRANSCRIPTS_PER_CHAT', type: 'string', apply: (c, r, p) => void (c.transcriptsPerChat = intIn('transcripts-per-chat', r, 1, 1000, p) ?? c.transcriptsPerChat) },
  { flag: 'transcripts-per-account', env: 'SERVERCHAT_TRANSCRIPTS_PER_ACCOUNT', type: 'string', apply: (c, r, p) => void (c.transcriptsPerAccount = intIn('transcripts-per-account', r, 1, 1_000_000, p) ?? c.transcriptsPerAccount) },
  { flag: 'login-free-failures', env: 'SERVERCHAT_LOGIN_FREE_FAILURES', type: 'string', apply: (c, r, p) => void (c.loginFreeFailures = intIn('login-free-failures', r, 1, 1000, p) ?? c.loginFreeFailures) },
  { flag: 'login-address-free-failures', env: 'SERVERCHAT_LOGIN_ADDRESS_FREE_FAILURES', type: 'string', apply: (c, r, p) => void (c.loginAddressFreeFailures = intIn('login-address-free-failures', r, 1, 100_000, p) ?? c.loginAddressFreeFailures) },
  { flag: 'login-max-backoff', env: 'SERVERCHAT_LOGIN_MAX_BACKOFF', type: 'string', apply: (c, r, p) => void (c.loginMaxBackoff = intIn('login-max-backoff', r, 1, 3600, p) ?? c.loginMaxBackoff) },
  { flag: 'requests-per-address', env: 'SERVERCHAT_REQUESTS_PER_ADDRESS', type: 'string', apply: (c, r, p) => void (c.requestsPerAddress = intIn('requests-per-address', r, 0, 1_000_000, p) ?? c.requestsPerAddress) },
  { flag: 'requests-per-app-key', env: 'SERVERCHAT_REQUESTS_PER_APP_KEY', type: 'string', apply: (c, r, p) => void (c.requestsPerAppKey = intIn('requests-per-app-key', r, 0, 1_000_000, p) ?? c.requestsPerAppKey) },
  { flag: 'max-waiting-chats', env: 'SERVERCHAT_MAX_WAITING_CHATS', type: 'string', apply: (c, r, p) => void (c.maxWaitingChats = intIn('max-waiting-chats', r, 1, 1_000_000, p) ?? c.maxWaitingChats) },
  { flag: 'max-body', env: 'SERVERCHAT_MAX_BODY', type: 'string', apply: (c, r, p) => void (c.maxBody = intIn('max-body', r, 1024, 1024 * 1024 * 1024, p) ?? c.maxBody) },
  { flag: 'max-text-body', env: 'SERVERCHAT_MAX_TEXT_BODY', type: 'string', apply: (c, r, p) => void (c.maxTextBody = intIn('max-text-body', r, 1024, 1024 * 1024 * 1024, p) ?? c.maxTextBody) },
  { flag: 'events-page-size', env: 'SERVERCHAT_EVENTS_PAGE_SIZE', type: 'string', apply: (c, r, p) => void (c.eventsPageSize = intIn('events-page-size', r, 10, 1_000_000, p) ?? c.eventsPageSize) },
  { flag: 'keep-alive-flush', env: 'SERVERCHAT_KEEP_ALIVE_FLUSH', type: 'string', apply: (c, r, p) => void (c.keepAliveFlush = intIn('keep-alive-flush', r, 1, 3600, p) ?? c.keepAliveFlush) },
  { flag: 'max-subject-length', env: 'SERVERCHAT_MAX_SUBJECT_LENGTH', type: 'string', apply: (c, r, p) => void (c.maxSubjectLength = intIn('max-subject-length', r, 1, 998, p) ?? c.maxSubjectLength) },
);

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
  }
}

/** Builds the config from an environment and argv (both injected, for tests). */
export function loadConfig(argv: string[], env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const config: Config = { ...defaults };
  for (const s of settings) {
    const raw = env[s.env];
    if (raw !== undefined) s.apply(config, raw, problems);
  }
  // Parsed loosely and checked here, so that one unknown flag does not hide the others' problems.
  const options = Object.fromEntries(settings.map((s) => [s.flag, { type: s.type }]));
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'positional') problems.push(`Unexpected argument '${t.value}'. This command does not take positional arguments`);
    if (t.kind !== 'option') continue;
    const s = settings.find((x) => x.flag === t.name);
    if (!s) problems.push(`Unknown option '${t.rawName}'`);
    else if (s.type === 'string' && t.value === undefined) problems.push(`Option '${t.rawName} <value>' argument missing`);
    else if (s.type === 'boolean' && t.value !== undefined) problems.push(`Option '${t.rawName}' does not take an argument`);
  }
  for (const s of settings) {
    const v = values[s.flag];
    if (s.type === 'string' && typeof v === 'string') s.apply(config, v, problems);
    if (s.type === 'boolean' && v === true) s.apply(config, 'true', problems);
  }
  if ((config.tlsCert === null) !== (config.tlsKey === null)) problems.push('tls-cert and tls-key: give both, or neither');
  if (config.store !== null && config.memory) problems.push('store and memory: --memory is the embedded store in memory; give one or the other');
  if (config.controlToken !== null && !config.control) problems.push('control-token: give --control too (the token guards the control plane)');
  // One process's virtual clock cannot be shared: other instances keep the real time.
  if (config.clock === 'manual' && config.store !== null) problems.push('clock: a manual clock is one process\'s; use it with the embedded store, not --store');
  if (config.headerTimeout > config.requestTimeout) problems.push('header-timeout: must not be longer than request-timeout (the headers are part of the request)');
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
