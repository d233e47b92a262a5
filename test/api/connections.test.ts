// Issue 11, finding 2: a connection that sends nothing, or stalls in its headers or body, is
// answered 408 and closed within the configured timeouts; past --max-connections a new
// connection's request gets 503 in the vendor format. Real sockets on 127.0.0.1, bounded waits.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { limitsApp } from '../helpers/limits-app.ts';
import { rawExchange } from '../helpers/raw-http.ts';

const GET = (accept = 'application/json') => `GET /api/account/12345678?appKey=721c180b09eb463d9f3191c41762bb68 HTTP/1.1\r\nHost: localhost\r\nAccept: ${accept}\r\n\r\n`;

test('stalled headers and a stalled body are answered 408 (vendor format) and closed', async () => {
  const a = await limitsApp({ headerTimeout: 1, requestTimeout: 2, idleTimeout: 30 });
  try {
    const port = await a.listen();
    // Headers that never ended say nothing for sure about the format: JSON.
    const head = await rawExchange(port, 'GET /api/account/12345678.xml HTTP/1.1\r\nHost: localhost\r\n', 8000);
    assert.equal(head.status, 408, JSON.stringify(head));
    assert.equal((JSON.parse(head.body) as { error: { internalCode: number } }).error.internalCode, 601);
    assert.ok(head.ms < 4000, `${head.ms} ms`);
    // With a valid key: credentials are checked before the body is read (docs/errors.md).
    const body = await rawExchange(port, 'POST /api/account/12345678/chat/request.json HTTP/1.1\r\nHost: localhost\r\nAuthorization: LivePerson appKey=721c180b09eb463d9f3191c41762bb68\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"re', 8000);
    assert.equal(body.status, 408, JSON.stringify(body));
    assert.equal((JSON.parse(body.body) as { error: { internalCode: number } }).error.internalCode, 601);
    assert.ok(body.ms < 5000, `${body.ms} ms`);
  } finally {
    await a.close();
  }
});

test('a silent connection is closed after --idle-timeout; a normal request is unaffected', async () => {
  const a = await limitsApp({ idleTimeout: 1, headerTimeout: 10, requestTimeout: 10 });
  try {
    const port = await a.listen();
    const ok = await rawExchange(port, GET().replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n'));
    assert.equal(ok.status, 200, ok.body);
    const silent = await rawExchange(port, '', 8000);
    assert.ok(silent.closed && silent.ms < 5000, JSON.stringify(silent));
  } finally {
    await a.close();
  }
});

test('past --max-connections a request gets 503 too-many-connections with Retry-After, then service resumes', async () => {
  const a = await limitsApp({ maxConnections: 2 });
  const idle: Socket[] = [];
  try {
    const port = await a.listen();
    for (let i = 0; i < 2; i++) {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('error', () => undefined);
      await new Promise((r) => s.once('connect', r));
      idle.push(s);
    }
    await sleep(100);
    const over = await rawExchange(port, GET('application/xml'));
    assert.equal(over.status, 503, JSON.stringify(over));
    assert.equal(over.headers['retry-after'], '1');
    assert.match(over.body, /<internalCode>603<\/internalCode>/);
    for (const s of idle) s.destroy();
    // The server sees the closes shortly; bounded wait.
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      await sleep(50);
      status = (await rawExchange(port, GET().replace('HTTP/1.1\r\n', 'HTTP/1.1\r\nConnection: close\r\n'))).status;
    }
    assert.equal(status, 200);
  } finally {
    for (const s of idle) s.destroy();
    await a.close();
  }
});

test('HTTP/1.0 without Host: 400 in the vendor format (no http:/// links)', async () => {
  const a = await limitsApp();
  try {
    const port = await a.listen();
    const res = await rawExchange(port, 'POST /api/account/12345678/chat/request.json?appKey=721c180b09eb463d9f3191c41762bb68 HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n{"request":{"skill":"Sales"}} ');
    assert.equal(res.status, 400, JSON.stringify(res));
    assert.equal(res.headers.location, undefined);
    assert.match(res.body, /Host header is missing/);
  } finally {
    await a.close();
  }
});
