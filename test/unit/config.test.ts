// loadConfig (src/config.ts): defaults < environment < flags, and every problem at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, defaults, loadConfig, settings, type Config } from '../../src/config.ts';

/** The settings of issue 11 (docs/security.md) at their defaults; tested in limits-config.test.ts. */
const LIMITS = { publicUrl: null, trustProxy: false, headerTimeout: 10, requestTimeout: 30, idleTimeout: 60, keepAliveTimeout: 5, maxConnections: 1000,
  maxLineLength: 8000, maxChatEvents: 5000, maxChatChars: 1_000_000, chatLinesPerSecond: 10, transcriptsPerChat: 3, transcriptsPerAccount: 100, maxSubjectLength: 200,
  loginFreeFailures: 5, loginAddressFreeFailures: 20, loginMaxBackoff: 60,
  requestsPerAddress: 1000, requestsPerAppKey: 5000, maxWaitingChats: 1000, maxBody: 16384, maxTextBody: 65536, eventsPageSize: 500, keepAliveFlush: 30 };

function problemsOf(argv: string[], env: Record<string, string | undefined> = {}): string[] {
  try {
    loadConfig(argv, env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.ok(err.problems.length > 0);
    for (const p of err.problems) assert.ok(err.message.includes(p), 'the message lists every problem');
    return err.problems;
  }
  assert.fail('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives the defaults with no flags and no environment', () => {
    const c = loadConfig([], {});
    assert.deepEqual(c, defaults);
    assert.deepEqual(c, {
      port: 8080, host: '127.0.0.1', dataDir: './data', memory: false, provisionFile: null,
      tlsCert: null, tlsKey: null, logLevel: 'info', typingTimeout: 6, ringTimeout: 20, agentSessionTimeout: 300,
      smtpUrl: null, smtpFrom: 'serverchat <no-reply@serverchat.invalid>',
      store: null, storePoolSize: 10, storeStatementTimeout: 5000,
      control: false, controlToken: null, clock: 'system', clockStart: null, strict: false,
      shutdownGrace: 10, metrics: true, logFormat: 'auto',
      ...LIMITS,
    } satisfies Config);
  });

  it('ignores unrelated environment variables', () => {
    assert.deepEqual(loadConfig([], { PORT: '1', HOME: '/root', SERVERCHAT_UNKNOWN: 'x' }), defaults);
  });

  it('reads every setting from its environment twin', () => {
    const c = loadConfig([], {
      SERVERCHAT_PORT: '9000', SERVERCHAT_HOST: '0.0.0.0', SERVERCHAT_DATA: '/var/lib/sc', SERVERCHAT_MEMORY: 'false',
      SERVERCHAT_PROVISION: 'p.json', SERVERCHAT_TLS_CERT: 'c.pem', SERVERCHAT_TLS_KEY: 'k.pem', SERVERCHAT_LOG_LEVEL: 'debug',
      SERVERCHAT_TYPING_TIMEOUT: '12', SERVERCHAT_RING_TIMEOUT: '30', SERVERCHAT_AGENT_SESSION_TIMEOUT: '600', SERVERCHAT_SMTP_URL: 'smtps://u:p@mail.example.com:465', SERVERCHAT_SMTP_FROM: 'Chat <chat@example.com>',
      SERVERCHAT_STORE: 'postgres://sc:pw@127.0.0.1:5432/sc', SERVERCHAT_STORE_POOL_SIZE: '20', SERVERCHAT_STORE_STATEMENT_TIMEOUT: '2000',
      SERVERCHAT_SHUTDOWN_GRACE: '3', SERVERCHAT_METRICS: 'false', SERVERCHAT_LOG_FORMAT: 'json',
    });
    assert.deepEqual(c, {
      port: 9000, host: '0.0.0.0', dataDir: '/var/lib/sc', memory: false, provisionFile: 'p.json',
      tlsCert: 'c.pem', tlsKey: 'k.pem', logLevel: 'debug', typingTimeout: 12, ringTimeout: 30, agentSessionTimeout: 600,
      smtpUrl: 'smtps://u:p@mail.example.com:465', smtpFrom: 'Chat <chat@example.com>',
      store: 'postgres://sc:pw@127.0.0.1:5432/sc', storePoolSize: 20, storeStatementTimeout: 2000,
      control: false, controlToken: null, clock: 'system', clockStart: null, strict: false,
      shutdownGrace: 3, metrics: false, logFormat: 'json',
      ...LIMITS,
    } satisfies Config);
  });

  it('has one environment variable per flag, named SERVERCHAT_ + the flag', () => {
    for (const s of settings) assert.equal(s.env, `SERVERCHAT_${s.flag.toUpperCase().replaceAll('-', '_')}`);
  });

  it('reads every setting from its flag', () => {
    const c = loadConfig(
      ['--port', '0', '--host', '::', '--data=/tmp/x', '--memory', '--provision', 'a.json', '--tls-cert', 'c', '--tls-key', 'k', '--log-level', 'silent', '--typing-timeout', '3600',
        '--ring-timeout', '1', '--agent-session-timeout', '86400',
        '--smtp-url', 'smtp://127.0.0.1:2525', '--smtp-from', 'chat@example.com', '--shutdown-grace', '0', '--metrics=false', '--log-format', 'pretty'],
      {},
    );
    assert.deepEqual(c, {
      port: 0, host: '::', dataDir: '/tmp/x', memory: true, provisionFile: 'a.json',
      tlsCert: 'c', tlsKey: 'k', logLevel: 'silent', typingTimeout: 3600, ringTimeout: 1, agentSessionTimeout: 86400,
      smtpUrl: 'smtp://127.0.0.1:2525', smtpFrom: 'chat@example.com',
      store: null, storePoolSize: 10, storeStatementTimeout: 5000,
      control: false, controlToken: null, clock: 'system', clockStart: null, strict: false,
      shutdownGrace: 0, metrics: false, logFormat: 'pretty',
      ...LIMITS,
    } satisfies Config);
    const pg = loadConfig(['--store', 'postgresql://u@db.internal/sc', '--store-pool-size', '1', '--store-statement-timeout', '100'], {});
    assert.deepEqual([pg.store, pg.storePoolSize, pg.storeStatementTimeout], ['postgresql://u@db.internal/sc', 1, 100]);
  });

  it('checks the shutdown grace, the metrics switch and the log format', () => {
    assert.deepEqual(problemsOf(['--shutdown-grace', '-1', '--metrics=maybe', '--log-format', 'xml'], {}), [
      'shutdown-grace: "-1" is not a whole number from 0 to 3600',
      'metrics: "maybe" is not true or false',
      'log-format: "xml" is not one of auto, json, pretty',
    ]);
  });

  it('checks the store URL and its pool settings, and never echoes a password', () => {
    assert.deepEqual(problemsOf(['--store', 'mysql://u:hunter2@h/db', '--store-pool-size', '0', '--store-statement-timeout', 'soon'], {}), [
      'store: not a postgres:// URL with a host (e.g. postgres://serverchat:secret@127.0.0.1:5432/serverchat)',
      'store-pool-size: "0" is not a whole number from 1 to 1000',
      'store-statement-timeout: "soon" is not a whole number from 100 to 600000',
    ]);
    assert.deepEqual(problemsOf(['--store', 'postgres://h/db', '--memory'], {}), [
      'store and memory: --memory is the embedded store in memory; give one or the other',
    ]);
  });

  it('flags override the environment', () => {
    const env = { SERVERCHAT_PORT: '9000', SERVERCHAT_LOG_LEVEL: 'warn', SERVERCHAT_HOST: 'env-host' };
    const c = loadConfig(['--port', '9001', '--log-level', 'trace'], env);
    assert.equal(c.port, 9001);
    assert.equal(c.logLevel, 'trace');
    assert.equal(c.host, 'env-host', 'the environment still beats the default');
  });

  it('--memory turns on the in-memory store; the env twin accepts true/false words', () => {
    assert.equal(loadConfig(['--memory'], {}).memory, true);
    assert.equal(loadConfig([], { SERVERCHAT_MEMORY: '1' }).memory, true);
    assert.equal(loadConfig([], { SERVERCHAT_MEMORY: 'off' }).memory, false);
    assert.equal(loadConfig(['--memory'], { SERVERCHAT_MEMORY: 'false' }).memory, true);
    assert.deepEqual(problemsOf([], { SERVERCHAT_MEMORY: 'maybe' }), ['memory: "maybe" is not true or false']);
  });

  it('rejects a TLS certificate without its key, and a key without its certificate', () => {
    assert.deepEqual(problemsOf(['--tls-cert', 'cert.pem']), ['tls-cert and tls-key: give both, or neither']);
    assert.deepEqual(problemsOf([], { SERVERCHAT_TLS_KEY: 'key.pem' }), ['tls-cert and tls-key: give both, or neither']);
  });

  it('rejects bad ports', () => {
    for (const port of ['65536', '-1', 'http', '80.5', ' ', '']) {
      const problems = problemsOf(['--port', port]);
      assert.equal(problems.length, 1, port);
      assert.match(problems[0] ?? '', /^port: /);
    }
    assert.equal(loadConfig(['--port', '65535'], {}).port, 65535);
  });

  it('checks --smtp-url and --smtp-from, never echoing the URL (it may hold a password)', () => {
    assert.equal(loadConfig(['--smtp-url', ''], {}).smtpUrl, null, 'empty means none');
    assert.equal(loadConfig([], { SERVERCHAT_SMTP_URL: 'smtp://localhost' }).smtpUrl, 'smtp://localhost');
    for (const bad of ['http://mail.example.com', 'mail.example.com:25', 'smtp://', 'smtps://u:secret@:465', 'smtp://h:0']) {
      const problems = problemsOf(['--smtp-url', bad]);
      assert.equal(problems.length, 1, bad);
      assert.match(problems[0] ?? '', /^smtp-url: /);
      assert.ok(!(problems[0] ?? '').includes('secret'));
    }
    assert.equal(loadConfig(['--smtp-from', ' Chat Bot <bot@example.com> '], {}).smtpFrom, 'Chat Bot <bot@example.com>');
    for (const bad of ['nobody', 'a@b', 'x <y>', 'a@b.com, c@d.com', '']) {
      assert.deepEqual(problemsOf(['--smtp-from', bad]), [`smtp-from: "${bad}" is not an e-mail address or "Name <address>"`], bad);
    }
    assert.equal(problemsOf(['--smtp-url', 'ftp://x', '--smtp-from', 'nope']).length, 2, 'both problems at once');
  });

  it('checks --ring-timeout (1–3600) and --agent-session-timeout (10–86400)', () => {
    assert.equal(loadConfig([], { SERVERCHAT_RING_TIMEOUT: '45' }).ringTimeout, 45);
    assert.equal(loadConfig(['--agent-session-timeout', '10'], {}).agentSessionTimeout, 10);
    for (const bad of ['0', '3601', 'soon', '1.5']) assert.deepEqual(problemsOf(['--ring-timeout', bad]), [`ring-timeout: "${bad}" is not a whole number from 1 to 3600`], bad);
    for (const bad of ['9', '86401', '-5']) {
      assert.deepEqual(problemsOf([], { SERVERCHAT_AGENT_SESSION_TIMEOUT: bad }), [`agent-session-timeout: "${bad}" is not a whole number from 10 to 86400`], bad);
    }
  });

  it('rejects a bad log level, naming the allowed ones', () => {
    const [p] = problemsOf([], { SERVERCHAT_LOG_LEVEL: 'verbose' });
    assert.match(p ?? '', /^log-level: "verbose" is not one of fatal, error, warn, info, debug, trace, silent$/);
  });

  it('rejects unknown flags, positional arguments, a missing value and a value on a switch', () => {
    assert.deepEqual(problemsOf(['--prot', '80']), ["Unknown option '--prot'", "Unexpected argument '80'. This command does not take positional arguments"]);
    assert.deepEqual(problemsOf(['--port']), ["Option '--port <value>' argument missing"]);
    assert.deepEqual(problemsOf(['--memory=yes']), ["Option '--memory' does not take an argument"]);
    assert.equal(problemsOf(['-p', '80']).length, 2);
  });

  it('lists every problem at once: an unknown flag does not hide the other flags\' problems', () => {
    const problems = problemsOf(['--port', '99999', '--log-level', 'loud', '--bogus', '--tls-key', 'k.pem', '--other'], {
      SERVERCHAT_TYPING_TIMEOUT: '0',
      SERVERCHAT_HOST: ' ',
    });
    assert.deepEqual([...problems].sort(), [
      "Unknown option '--bogus'",
      "Unknown option '--other'",
      'host: must not be empty',
      'log-level: "loud" is not one of fatal, error, warn, info, debug, trace, silent',
      'port: "99999" is not a whole number from 0 to 65535',
      'tls-cert and tls-key: give both, or neither',
      'typing-timeout: "0" is not a whole number from 1 to 3600',
    ]);
  });
});
