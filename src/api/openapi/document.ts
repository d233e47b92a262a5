// The OpenAPI 3.1 document (@fastify/swagger), generated from the routes' schemas with the
// operations table (operations.ts) for what a route schema does not say: the vendor section,
// the caller's credentials and every response. Served at /openapi.json, with an API
// reference page (Scalar, its script served from this server, no CDN) at /docs.
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { catalogue } from '../../errors.ts';
import { version } from '../../help.ts';
import { operations, type Operation } from './operations.ts';
import { components, ref } from './shapes.ts';

type Schema = Record<string, unknown>;

const TAGS = {
  visitor: 'Server Chat API (visitor)',
  login: 'Login Service API',
  agent: 'Chat Agent API',
  ops: 'Operations',
} as const;

/** Every status the error catalogue can answer (errors.ts, docs/errors.md). */
const ERROR_STATUSES = [...new Set(Object.values(catalogue).map((e) => e.status))].sort((a, b) => a - b);

const SECURITY: Record<Operation['caller'], Array<Record<string, string[]>>> = {
  visitor: [{ appKeyHeader: [] }, { appKeyQuery: [] }],
  agent: [{ bearer: [] }, { sessionCookie: [] }],
  anyone: [],
};

/** The key of an operation: method and Fastify route template. */
export function operationKey(method: string, url: string): string {
  return `${method} ${url}`;
}

function content(schema: Schema, jsonOnly: boolean): Schema {
  const json = { 'application/json': { schema } };
  if (jsonOnly) return json;
  // The same document in XML (spec §1.3): `.xml` on the path or Accept: application/xml.
  return { ...json, 'application/xml': { schema: { type: 'string', description: 'The same document in XML' } } };
}

function responses(op: Operation): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const [status, body] of Object.entries(op.ok)) {
    const description = status === '201' ? 'Created: the new resource in Location' : status === '204' ? 'None provisioned: no body' : 'OK';
    const headers = status === '201' ? { location: { type: 'string', format: 'uri', description: 'The new resource' } } : undefined;
    out[status] = body === null ? { type: 'null', description, ...(headers ? { headers } : {}) } : { description, ...(headers ? { headers } : {}), content: content(body, op.jsonOnly === true) };
  }
  for (const status of ERROR_STATUSES) {
    out[String(status)] = { description: 'An error from the catalogue (docs/errors.md), in the format asked for', content: content(ref('Error'), op.jsonOnly === true) };
  }
  return out;
}

function firstMethod(route: RouteOptions): string {
  return Array.isArray(route.method) ? String(route.method[0]) : String(route.method);
}

/** Merges the table into a route's schema; hides what is neither vendor API nor a probe. */
function transform({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }): { schema: FastifySchema; url: string } {
  const method = firstMethod(route);
  const op = operations[operationKey(method, url)];
  const own = (schema ?? {}) as Schema;
  if (!op) {
    const tags = own.tags as string[] | undefined;
    return { schema: tags?.includes(TAGS.ops) ? schema : ({ ...own, hide: true } as FastifySchema), url };
  }
  const tag = op.section.startsWith('spec') ? TAGS.visitor : url.endsWith('/login') || url.endsWith('/refresh') || url.endsWith('/logout') ? TAGS.login : TAGS.agent;
  const suffix = op.jsonOnly ? '' : ' Every path also answers with a `.json` or `.xml` suffix; otherwise Accept decides, then JSON.';
  const merged: Schema = {
    ...own,
    tags: [tag],
    summary: op.summary,
    description: `Follows ${op.section}.${suffix}`,
    'x-vendor-section': op.section,
    security: SECURITY[op.caller],
    response: responses(op),
  };
  return { schema: merged as FastifySchema, url };
}

export function installOpenApi(app: FastifyInstance): void {
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'serverchat',
        version: version(),
        description:
          "LivePerson's legacy Server Chat API (visitor side) and Chat Agent API (agent side), served by serverchat. Setters documented as PUT may also be sent as POST with `X-HTTP-Method-Override: PUT`.",
        license: { name: 'MIT', identifier: 'MIT' },
      },
      tags: [
        { name: TAGS.visitor, description: 'Server Chat API: the visitor side (spec/server-chat-api.md)' },
        { name: TAGS.login, description: 'Login Service API: the bearer for the agent side (agent API §1.2)' },
        { name: TAGS.agent, description: 'Chat Agent API: the agent side (spec/agent-chat-api.md)' },
        { name: TAGS.ops, description: 'Health probes (not part of the vendor API)' },
      ],
      components: {
        securitySchemes: {
          appKeyHeader: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'The header `Authorization: LivePerson appKey=KEY`' },
          appKeyQuery: { type: 'apiKey', in: 'query', name: 'appKey', description: 'The app key as the `appKey` query parameter' },
          bearer: { type: 'http', scheme: 'bearer', description: 'The `bearer` of a login (POST /api/account/{accountId}/login)' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'Session_id', description: 'The Session_id cookie a login sets' },
        },
        schemas: components,
      },
    },
    transform,
  });
  // `.json` is stripped before routing (http.ts rewriteUrl): /openapi.json lands here.
  app.get('/openapi', async (_req, reply) => reply.header('content-type', 'application/json; charset=utf-8').send(app.swagger()));
  void app.register(scalar, {
    routePrefix: '/docs',
    // Nothing that calls out to Scalar's services: no fonts, no AI agent, no MCP, no developer tools.
    configuration: { url: '/openapi.json', withDefaultFonts: false, hideClientButton: true, agent: { disabled: true }, mcp: { disabled: true }, showDeveloperTools: 'never' },
  });
}
