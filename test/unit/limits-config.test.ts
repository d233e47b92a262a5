// The settings of issue 11 (docs/security.md): defaults, parsing and their problems.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, defaults, loadConfig } from '../../src/config.ts';

function problemsOf(argv: string[]): string[] {
  try {
    loadConfig(argv, {});
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

test('limits: defaults, flags and environment', () => {
  assert.deepEqual([defaults.headerTimeout, defaults.requestTimeout, defaults.idleTimeout, defaults.keepAliveTimeout, defaults.maxConnections], [10, 30, 60, 5, 1000]);
  const c = loadConfig(['--public-url', 'https://chat.example.com/lp/', '--trust-proxy', '--header-timeout', '2', '--request-timeout', '3', '--idle-timeout', '4', '--keep-alive-timeout', '6', '--max-connections', '7'], {});
  assert.deepEqual([c.publicUrl, c.trustProxy, c.headerTimeout, c.requestTimeout, c.idleTimeout, c.keepAliveTimeout, c.maxConnections], ['https://chat.example.com/lp', true, 2, 3, 4, 6, 7]);
  assert.equal(loadConfig([], { SERVERCHAT_PUBLIC_URL: 'http://h:8080' }).publicUrl, 'http://h:8080');
});

test('limits: bad values are reported', () => {
  assert.deepEqual(problemsOf(['--public-url', 'ftp://x', '--max-connections', '0', '--header-timeout', '40']), [
    'public-url: "ftp://x" is not an http:// or https:// URL with a host and no query (e.g. https://chat.example.com)',
    'max-connections: "0" is not a whole number from 1 to 1000000',
    'header-timeout: must not be longer than request-timeout (the headers are part of the request)',
  ]);
  assert.equal(problemsOf(['--public-url', 'https://u:p@h/']).length, 1);
  assert.equal(problemsOf(['--public-url', 'https://h/?a=1']).length, 1);
});
