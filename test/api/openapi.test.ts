// The OpenAPI document (issue 12 §1): valid for a real OpenAPI validator, every vendor route
// in it with its section, credentials and responses, the reference page served from here.
// That every response matches it is checked by test/helpers/conformance.ts in every API test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import swagger from '@fastify/swagger';
import Fastify, { type FastifySchema, type RouteOptions } from 'fastify';
import { ManualClock } from '../../src/clock.ts';
import { manualTimerHost } from '../../src/chat/core/timers.ts';
import { sequentialIds } from '../../src/ids.ts';
import { operations } from '../../src/api/openapi/operations.ts';
import { buildApp } from '../../src/server.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { checkConformance } from '../helpers/conformance.ts';
import { withApp } from '../helpers/app.ts';

interface Operation {
  tags?: string[];
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  'x-vendor-section'?: string;
}
type Paths = Record<string, Record<string, Operation>>;

test('/openapi.json is an OpenAPI 3.1 document a validator accepts', async () => {
  await withApp({}, async (t) => {
    const res = await t.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string; paths: Paths; components: { securitySchemes: Record<string, unknown> } };
    assert.equal(doc.openapi, '3.1.0');
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['appKeyHeader', 'appKeyQuery', 'bearer', 'sessionCookie']);
  });
});

test('every vendor route is in the document, with its section, credentials and a schema for each response; nothing else of the API is', async () => {
  const store = new SqliteStore(':memory:');
  const { app } = buildApp({ logLevel: 'silent', typingTimeout: 6, tlsCert: null, tlsKey: null }, { store, clock: new ManualClock(), ids: sequentialIds(), timerHost: manualTimerHost });
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (r) => void routes.push(r));
  try {
    await app.ready();
    const doc = app.swagger() as unknown as { paths: Paths };
    const vendor = routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    assert.ok(vendor.length >= 50, `${vendor.length} vendor routes`);
    const keys = new Set<string>();
    for (const r of vendor) {
      const method = String(Array.isArray(r.method) ? r.method[0] : r.method);
      const key = `${method} ${r.url}`;
      keys.add(key);
      assert.ok(operations[key], `${key} is in src/api/openapi/operations.ts`);
      const op = doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      assert.ok(op, `${key} is in the document`);
      assert.ok(op['x-vendor-section'], `${key} names its vendor section`);
      assert.ok(op.tags?.length === 1, `${key} has a tag`);
      assert.ok(Array.isArray(op.security), `${key} says what credentials it takes`);
      for (const status of ['400', '401', '404', '500', '503']) assert.ok(op.responses[status]?.content?.['application/json']?.schema, `${key} documents ${status}`);
      const ok = Object.keys(op.responses).filter((s) => s < '300');
      assert.ok(ok.length > 0, `${key} documents a success`);
      for (const s of ok) {
        const content = op.responses[s]?.content;
        if (content) {
          assert.ok(content['application/json']?.schema, `${key} ${s} has a JSON schema`);
          if (!r.url.match(/\/(login|refresh|logout)$/)) assert.ok(content['application/xml'], `${key} ${s} names the XML form`);
        }
      }
    }
    for (const key of Object.keys(operations)) assert.ok(keys.has(key), `${key} in operations.ts is a route`);
    // The pages and assets of the console are not API operations.
    assert.equal(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && p !== '/healthz' && p !== '/readyz').length, 0);
  } finally {
    await app.close();
  }
});

test('/docs is an API reference page whose script is served by this server (no CDN)', async () => {
  await withApp({}, async (t) => {
    const page = await t.inject({ method: 'GET', url: '/docs/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const scripts = [...page.body.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] as string);
    assert.ok(scripts.length > 0, page.body.slice(0, 500));
    for (const src of scripts) {
      assert.ok(!/^(https?:)?\/\//.test(src), `${src} is served from here`);
      const js = await t.inject({ method: 'GET', url: new URL(src, 'http://x/docs/').pathname });
      assert.equal(js.statusCode, 200, src);
    }
    assert.ok(page.body.includes('/openapi.json'), 'the page reads this server’s document');
  });
});

test('the conformance check reports a body that does not match its documented schema, and an undocumented status', async () => {
  const app = Fastify();
  await app.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 't', version: '1' } } });
  const schema: FastifySchema = { response: { 200: { type: 'object', required: ['a'], properties: { a: { type: 'string' } } } } };
  app.get('/a', { schema }, async (req, reply) => {
    const bad = (req.query as { bad?: string }).bad;
    if (bad === 'status') return reply.code(418).send({ a: 'x' });
    return reply.serializer((v: unknown) => JSON.stringify(v)).type('application/json').send(bad ? { a: 1 } : { a: 'ok' });
  });
  const c = checkConformance(app);
  try {
    await app.ready();
    assert.equal((await app.inject({ method: 'GET', url: '/a' })).statusCode, 200);
    const seen = (): string[] => [...c.mismatches];
    assert.deepEqual(seen(), []);
    await app.inject({ method: 'GET', url: '/a?bad=body' });
    await app.inject({ method: 'GET', url: '/a?bad=status' });
    const [body, status, ...rest] = seen();
    assert.match(body ?? '', /GET \/a → 200: \/a must be string/);
    assert.match(status ?? '', /GET \/a → 418: status not documented/);
    assert.deepEqual(rest, []);
    assert.equal(c.checked, 3);
  } finally {
    await app.close();
  }
});
