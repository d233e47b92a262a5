// Every response the API tests produce is checked against the OpenAPI document the app serves
// (issue 12 §1): its status must be documented for that operation, and a JSON body must match
// the documented schema. testApp() installs it; close() fails the test on any mismatch, so the
// document cannot drift from the code.
import type { FastifyInstance } from 'fastify';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface Doc {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
}

/** One validator set per distinct document (every serverchat app serves the same one). */
interface Checker {
  doc: Doc;
  ajv: Ajv2020;
  validators: Map<string, ValidateFunction>;
}
const checkers = new Map<string, Checker>();

function checkerFor(app: FastifyInstance): Checker {
  const text = JSON.stringify(app.swagger());
  let c = checkers.get(text);
  if (!c) {
    const doc = JSON.parse(text) as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema(doc as object, 'openapi.json');
    c = { doc, ajv, validators: new Map() };
    checkers.set(text, c);
  }
  return c;
}

function pointer(...segments: string[]): string {
  return segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');
}

function validatorFor({ ajv, validators }: Checker, path: string, method: string, status: string): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile({ $ref: `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}` });
    validators.set(key, v);
  }
  return v;
}


export interface Conformance {
  /** Mismatches seen so far, one line each. */
  readonly mismatches: string[];
  /** Responses checked against the document. */
  readonly checked: number;
}

export function checkConformance(app: FastifyInstance): Conformance {
  const state = { mismatches: [] as string[], checked: 0 };
  let checker: Checker | null = null;
  app.addHook('onSend', async (req, reply, payload) => {
    const url = req.routeOptions.url;
    // An injected fault (the control plane's) answers off the document on purpose.
    if (!url || req.method === 'HEAD' || reply.hasHeader('x-serverchat-fault')) return payload;
    checker ??= checkerFor(app);
    const path = url.replace(/:(\w+)/g, '{$1}');
    const method = req.method.toLowerCase();
    const op = checker.doc.paths[path]?.[method];
    if (!op) return payload;
    state.checked++;
    const status = String(reply.statusCode);
    const where = `${req.method} ${url} → ${status}`;
    const documented = op.responses?.[status];
    if (!documented) {
      state.mismatches.push(`${where}: status not documented`);
      return payload;
    }
    const type = String(reply.getHeader('content-type') ?? '');
    if (!type.startsWith('application/json') || typeof payload !== 'string' || payload === '') return payload;
    if (!documented.content?.['application/json']) {
      state.mismatches.push(`${where}: a JSON body where the document says none`);
      return payload;
    }
    const validate = validatorFor(checker, path, method, status);
    if (!validate(JSON.parse(payload))) {
      state.mismatches.push(`${where}: ${validate.errors?.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')}\n  body: ${payload.slice(0, 500)}`);
    }
    return payload;
  });
  return state;
}
