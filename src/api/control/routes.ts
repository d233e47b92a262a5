// The control plane's routes under /_serverchat/ (issue 13; docs/testing.md): JSON only,
// never in the vendor's URL space. Each handler calls one operation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Domain } from '../../chat/domain.ts';
import type { ChatState } from '../../chat/core/types.ts';
import { ApiError } from '../../errors.ts';
import type { Conformance } from './conformance.ts';
import type { FaultInput, FaultRules } from './faults.ts';
import type { Journal } from './journal.ts';
import { agentSummary, chatRecord, chatSummary, faultRule, iso, journalEntry } from './present.ts';

export interface ControlState {
  faults: FaultRules;
  journal: Journal;
  conformance: Conformance;
}

/** A control-plane error: JSON saying what was wrong. */
export class ControlError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: string[] | undefined;
  constructor(status: number, code: string, message: string, problems?: string[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

const id = { type: 'string', minLength: 1, maxLength: 200 } as const;
const accountQuery = { type: 'object', properties: { accountId: id }, additionalProperties: false } as const;
const STATES = ['waiting', 'chatting', 'ended'];

const faultBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    method: { type: 'string', minLength: 1, maxLength: 100 },
    side: { enum: ['visitor', 'agent'] },
    httpMethod: { enum: ['GET', 'POST', 'PUT', 'DELETE', 'get', 'post', 'put', 'delete'] },
    path: { type: 'string', minLength: 1, maxLength: 1000 },
    accountId: id,
    chatId: id,
    appKey: id,
    status: { type: 'integer', minimum: 400, maximum: 599 },
    delayMs: { type: 'integer', minimum: 0, maximum: 600_000 },
    drop: { type: 'boolean' },
    endChat: { type: 'boolean' },
    times: { type: 'integer', minimum: 1, maximum: 1_000_000 },
    probability: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
  },
} as const;

function checkFault(f: FaultInput): string[] {
  const problems: string[] = [];
  const actions = [f.status !== undefined, f.drop === true, f.endChat === true].filter(Boolean).length;
  if (actions === 0 && f.delayMs === undefined) problems.push('give what happens: status, delayMs, drop or endChat');
  if (actions > 1) problems.push('status, drop and endChat exclude each other (delayMs goes with any)');
  if (f.endChat && f.method === undefined && f.chatId === undefined && f.path === undefined) problems.push('endChat needs a method, path or chatId that names chat requests');
  if (f.path !== undefined) {
    try {
      new RegExp(f.path);
    } catch (err) {
      problems.push(`path: not a valid regular expression (${(err as Error).message})`);
    }
  }
  if (f.method === undefined && f.path === undefined && f.httpMethod === undefined && f.accountId === undefined && f.chatId === undefined && f.appKey === undefined) {
    problems.push('say which requests: method, httpMethod, path, accountId, chatId or appKey');
  }
  return problems;
}

export function controlRoutes(app: FastifyInstance, ctx: Domain, state: ControlState): void {
  const { administration, inspection } = ctx;

  app.post<{ Body: { accountId?: string } | undefined }>(
    '/reset',
    { schema: { body: { type: ['object', 'null'], properties: { accountId: id }, additionalProperties: false } } },
    async (req) => {
      const accountId = req.body?.accountId ?? null;
      const started = performance.now();
      await administration.reset(accountId);
      // Faults and the journal are this plane's own; the domain's state is reset above.
      if (accountId === null) {
        state.faults.clear();
        state.journal.clear();
        state.conformance.clear();
      }
      return { reset: accountId ?? 'all', ms: Math.round((performance.now() - started) * 10) / 10 };
    },
  );

  app.get('/provisioning', async () => administration.provisioning());

  app.put('/provisioning', { schema: { body: { type: 'object' } } }, async (req) => {
    const result = await administration.provision(req.body);
    if (!result.ok) throw new ControlError(400, 'bad-provisioning', 'the provisioning document is not valid; nothing was applied', result.problems);
    return result.value;
  });

  app.get<{ Querystring: { accountId?: string; state?: ChatState; limit?: number } }>(
    '/chats',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { accountId: id, state: { enum: STATES }, limit: { type: 'integer', minimum: 1, maximum: 1000 } } } } },
    async (req) => ({ chats: (await inspection.chats(req.query.accountId ?? null, req.query.state ?? null, req.query.limit)).map(chatSummary) }),
  );

  app.get<{ Params: { accountId: string; chatId: string } }>('/chats/:accountId/:chatId', async (req) =>
    chatRecord(await inspection.chat(req.params.accountId, req.params.chatId)),
  );

  app.get<{ Querystring: { accountId?: string } }>('/agents', { schema: { querystring: accountQuery } }, async (req) => ({
    agents: (await inspection.agents(req.query.accountId ?? null)).map(agentSummary),
  }));

  // ---- the virtual clock ----
  const time = (): NonNullable<Domain['time']> => {
    if (!ctx.time) throw new ControlError(409, 'system-clock', 'the server runs on the system clock; start it with --clock manual to move time');
    return ctx.time;
  };
  const clockDoc = (now: number): Record<string, string> => ({ now: iso(now), mode: ctx.time ? 'manual' : 'system' });
  app.get('/clock', async () => clockDoc(ctx.time ? ctx.time.now() : Date.now()));
  app.post<{ Body: { ms: number } }>(
    '/clock/advance',
    { schema: { body: { type: 'object', required: ['ms'], additionalProperties: false, properties: { ms: { type: 'integer', minimum: 0, maximum: 10 * 365 * 86_400_000 } } } } },
    async (req) => clockDoc(await time().advance(req.body.ms)),
  );
  app.put<{ Body: { now: string } }>(
    '/clock',
    { schema: { body: { type: 'object', required: ['now'], additionalProperties: false, properties: { now: { type: 'string', minLength: 10, maxLength: 40 } } } } },
    async (req) => {
      const at = Date.parse(req.body.now);
      if (Number.isNaN(at)) throw new ControlError(400, 'bad-body', `now: "${req.body.now}" is not an ISO 8601 instant`);
      return clockDoc(await time().jumpTo(at));
    },
  );

  // ---- faults ----
  app.post<{ Body: FaultInput }>('/faults', { schema: { body: faultBody } }, async (req, reply) => {
    const problems = checkFault(req.body);
    if (problems.length > 0) throw new ControlError(400, 'bad-fault', 'the fault rule is not valid', problems);
    return reply.code(201).send(faultRule(state.faults.add(req.body)));
  });
  app.get('/faults', async () => ({ faults: state.faults.list().map(faultRule) }));
  app.delete('/faults', async () => {
    state.faults.clear();
    return { faults: [] };
  });
  app.delete<{ Params: { id: string } }>('/faults/:id', async (req, reply) => {
    if (!state.faults.remove(req.params.id)) throw new ControlError(404, 'not-found', `no fault rule ${req.params.id}`);
    return reply.code(204).send();
  });

  // ---- journal and conformance ----
  app.get<{ Querystring: { limit?: number; chatId?: string } }>(
    '/requests',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 2000 }, chatId: id } } } },
    async (req) => ({ requests: state.journal.recent(req.query.limit ?? 100, req.query.chatId ?? null).map(journalEntry) }),
  );
  app.get('/conformance', async () => ({ clients: state.conformance.report() }));
}

/** Errors of the control plane as JSON: a code, what was wrong, and every problem when several. */
export function controlErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: Error & { validation?: unknown; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ControlError) return reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.problems ? { problems: err.problems } : {}) } });
    if (err instanceof ApiError) return reply.code(err.spec.status).send({ error: { code: err.code, message: err.message } });
    if (err.validation) return reply.code(400).send({ error: { code: 'bad-request', message: err.message } });
    if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: { code: 'bad-request', message: err.message } });
    req.log.error({ err }, 'control request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) =>
    reply.code(404).send({ error: { code: 'not-found', message: `no control resource at ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
