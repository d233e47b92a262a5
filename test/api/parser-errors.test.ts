// Issue 11, finding 10: what Node's HTTP parser refuses is answered as the vendor error
// document in the format the request asked for, never as Fastify's default body.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { XMLValidator } from 'fast-xml-parser';
import { testApp } from '../helpers/app.ts';
import { rawExchange, type RawResponse } from '../helpers/raw-http.ts';

const PATH = '/api/account/12345678/chat/request';

function assertVendor(res: RawResponse, status: number, fmt: 'json' | 'xml', internalCode: number): void {
  assert.equal(res.status, status, JSON.stringify(res));
  if (fmt === 'json') {
    assert.equal(res.headers['content-type'], 'application/json');
    const doc = JSON.parse(res.body) as { error: Record<string, unknown> };
    assert.deepEqual(Object.keys(doc.error), ['time', 'reason', 'message', 'internalCode', 'responseStatus']);
    assert.equal(doc.error.internalCode, internalCode);
  } else {
    assert.match(res.headers['content-type'] ?? '', /^application\/xml/);
    assert.equal(XMLValidator.validate(res.body), true, res.body);
    assert.match(res.body, new RegExp(`<error><time>.*<internalCode>${internalCode}</internalCode>`));
  }
  assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.body));
}

test('431, 400 (bad method, CL+TE, NUL in the path) in the negotiated format', async () => {
  const t = await testApp();
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    for (const fmt of ['json', 'xml'] as const) {
      const accept = `Accept: application/${fmt}\r\n`;
      const big = `GET ${PATH}.${fmt} HTTP/1.1\r\nHost: localhost\r\n${accept}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
      assertVendor(await rawExchange(port, big), 431, fmt, 602);
      assertVendor(await rawExchange(port, `G@T ${PATH}.${fmt} HTTP/1.1\r\nHost: localhost\r\n${accept}\r\n`), 400, fmt, 400);
      assertVendor(await rawExchange(port, `POST ${PATH}.${fmt} HTTP/1.1\r\nHost: localhost\r\n${accept}Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`), 400, fmt, 400);
      assertVendor(await rawExchange(port, `GET /api/\u0000x HTTP/1.1\r\nHost: localhost\r\n${accept}\r\n`), 400, fmt, 400);
    }
    // Without a suffix or Accept, the body's type decides, then JSON.
    assertVendor(await rawExchange(port, `G@T ${PATH} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n\r\n`), 400, 'xml', 400);
    assertVendor(await rawExchange(port, `G@T ${PATH} HTTP/1.1\r\n\r\n`), 400, 'json', 400);
  } finally {
    await t.close();
  }
});
