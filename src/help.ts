// `serverchat --help`: every setting with its environment twin and default, from the one
// settings list in config.ts (a setting without a line here is still listed, flagged by a test).
import { readFileSync } from 'node:fs';
import { settings } from './config.ts';

interface Line {
  /** What the value looks like (`N`, `FILE`…); none for a switch. */
  arg?: string;
  default: string;
  text: string;
}

export const helpLines: Readonly<Record<string, Line>> = {
  port: { arg: 'N', default: '8080', text: 'TCP port (0 = any free port)' },
  host: { arg: 'H', default: '127.0.0.1', text: 'address to listen on (0.0.0.0 for every interface)' },
  data: { arg: 'DIR', default: './data', text: 'directory of the embedded store (serverchat.db); one process per directory' },
  memory: { default: 'off', text: 'keep nothing: an in-memory store' },
  provision: { arg: 'FILE', default: 'none', text: 'accounts, app keys, skills and agents to create or update at start' },
  'tls-cert': { arg: 'FILE', default: 'none', text: 'serve HTTPS with this PEM certificate (needs --tls-key)' },
  'tls-key': { arg: 'FILE', default: 'none', text: 'PEM private key for --tls-cert' },
  'log-level': { arg: 'L', default: 'info', text: 'fatal, error, warn, info, debug, trace or silent' },
  'typing-timeout': { arg: 'S', default: '6', text: 'seconds a "typing" flag lasts unless renewed' },
  'keep-alive-flush': { arg: 'S', default: '30', text: 'seconds visitor keep-alives stay in memory before SQLite is written (a crash restart counts every open chat as kept alive)' },
  'ring-timeout': { arg: 'S', default: '20', text: 'seconds a chat rings for an agent before the agent is set Away' },
  'agent-session-timeout': { arg: 'S', default: '300', text: "seconds an unused agent session lives; then its agent's chats are requeued" },
  'smtp-url': { arg: 'URL', default: 'none', text: 'SMTP server for transcript mails (smtp://host:port, smtps://user:pass@host:465)' },
  'smtp-from': { arg: 'ADDR', default: 'serverchat <no-reply@serverchat.invalid>', text: 'From of transcript mails' },
  store: { arg: 'URL', default: 'none', text: 'postgres://user:pass@host:port/db: the shared PostgreSQL store; without it, SQLite under --data' },
  'store-pool-size': { arg: 'N', default: '10', text: 'PostgreSQL connections per instance' },
  'store-statement-timeout': { arg: 'MS', default: '5000', text: 'how long one PostgreSQL statement may run' },
  'shutdown-grace': { arg: 'S', default: '10', text: 'seconds requests in flight may take to finish after SIGTERM or SIGINT' },
  metrics: { arg: 'BOOL', default: 'true', text: 'serve Prometheus metrics at /metrics (--metrics=false turns them off)' },
  'log-format': { arg: 'F', default: 'auto', text: 'auto (readable on a terminal, JSON otherwise), json or pretty' },
  control: { default: 'off', text: 'the control plane under /_serverchat/: reset, inspection, virtual clock, bot agents, faults' },
  'control-token': { arg: 'T', default: 'none', text: 'require Authorization: Bearer T on the control plane; without it, loopback clients only' },
  clock: { arg: 'C', default: 'system', text: 'manual (or an ISO instant to start at): time moves only when the control plane says' },
  strict: { default: 'off', text: 'answer requests that deviate from the spec with 400 and the reason' },
  'public-url': { arg: 'URL', default: 'none', text: 'scheme, host, port (and path) written in links and Location, e.g. https://chat.example.com; without it, the request\'s own' },
  'trust-proxy': { default: 'off', text: 'honour X-Forwarded-Proto, -Host and -For from the proxy in front' },
  'header-timeout': { arg: 'S', default: '10', text: 'seconds the request headers may take to arrive (then 408)' },
  'request-timeout': { arg: 'S', default: '30', text: 'seconds a whole request may take to arrive (then 408)' },
  'idle-timeout': { arg: 'S', default: '60', text: 'seconds a connection may stay silent before it is closed' },
  'keep-alive-timeout': { arg: 'S', default: '5', text: 'seconds an idle keep-alive connection stays open between requests' },
  'max-line-length': { arg: 'N', default: '8000', text: 'characters of one line (413 past it)' },
  'max-chat-events': { arg: 'N', default: '5000', text: 'events one chat may hold; then lines are refused (409); ending still works' },
  'max-chat-chars': { arg: 'N', default: '1000000', text: 'characters of lines one chat may hold (409 past it)' },
  'chat-lines-per-second': { arg: 'N', default: '10', text: 'lines per second to one chat (429 past it)' },
  'transcripts-per-chat': { arg: 'N', default: '3', text: 'transcript mails per chat per hour (429 past it)' },
  'transcripts-per-account': { arg: 'N', default: '100', text: 'transcript mails per account per hour, per instance (429 past it)' },
  'max-subject-length': { arg: 'N', default: '200', text: 'characters of a transcript subject (400 past it)' },
  'login-free-failures': { arg: 'N', default: '5', text: 'failed logins per account and user before each further one waits 1 s, 2 s, 4 s… (429)' },
  'login-address-free-failures': { arg: 'N', default: '20', text: 'failed logins per client address before waits begin (429)' },
  'login-max-backoff': { arg: 'S', default: '60', text: 'the longest wait after failed logins' },
  'requests-per-address': { arg: 'N', default: '1000', text: 'requests per second from one client address to /api/ (429 past it; 0 = no limit)' },
  'requests-per-app-key': { arg: 'N', default: '5000', text: 'requests per second with one app key (429 past it; 0 = no limit)' },
  'max-waiting-chats': { arg: 'N', default: '1000', text: 'chats waiting in one account\'s queue; a chat request past it gets 429' },
  'max-body': { arg: 'BYTES', default: '16384', text: 'bytes of a request body to /api/ (413 past it)' },
  'max-text-body': { arg: 'BYTES', default: '65536', text: 'bytes of a body that carries lines or free text: events, chat requests, surveys (413 past it)' },
  'events-page-size': { arg: 'N', default: '500', text: 'events one answer holds at most; its next link continues' },
  'max-connections': { arg: 'N', default: '1000', text: 'connections open at once; past it new ones get 503 and are closed' },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function helpText(): string {
  const rows = settings.map((s) => {
    const line = helpLines[s.flag];
    const flag = `--${s.flag}${line?.arg ? ` ${line.arg}` : ''}`;
    return { flag, env: s.env, text: `${line?.text ?? ''}${line ? ` (default: ${line.default})` : ''}` };
  });
  const w1 = Math.max(...rows.map((r) => r.flag.length));
  const w2 = Math.max(...rows.map((r) => r.env.length));
  const body = rows.map((r) => `  ${r.flag.padEnd(w1)}  ${r.env.padEnd(w2)}  ${r.text}`).join('\n');
  return [
    `serverchat ${version()}: LivePerson's Server Chat API and Chat Agent API, self-hosted`,
    '',
    'Usage: serverchat [options]',
    '',
    'Every option can also be set by its environment variable; options win.',
    '',
    body,
    `  ${'--help'.padEnd(w1)}  ${''.padEnd(w2)}  print this and exit`,
    `  ${'--version'.padEnd(w1)}  ${''.padEnd(w2)}  print the version and exit`,
    '',
    'Docs: README.md and docs/configuration.md in the package.',
    '',
  ].join('\n');
}
