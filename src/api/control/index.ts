// The control plane (issue 13; docs/testing.md): with `--control`, JSON routes under
// /_serverchat/ guarded by a bearer token or, without one, open to loopback clients only;
// and around the vendor routes, fault rules, the request journal and the conformance checks
// (which `--strict` enforces). buildApp calls installControl before the vendor routes.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';
import type { Domain } from '../../chat/domain.ts';
import { ApiError } from '../../errors.ts';
import { appKeyOf } from '../auth.ts';
import { errorDoc, send } from '../reply.ts';
import { Conformance, requestDeviations, type Deviation } from './conformance.ts';
import { drop, FAULT_HEADER, faultDoc, faultTarget, FaultRules, sleep } from './faults.ts';
import { Journal } from './journal.ts';
import { vendorMethod, type VendorMethod } from './methods.ts';
import { ControlError, controlErrors, controlRoutes, type ControlState } from './routes.ts';

export const CONTROL_PREFIX = '/_serverchat';

export interface ControlOptions {
  control: boolean;
  controlToken: string | null;
  strict: boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Who may use the control plane: the token's holder, or without a token loopback clients. */
function guard(token: string | null) {
  return async (req: FastifyRequest): Promise<void> => {
    if (token !== null) {
      const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m || !sameSecret(m[1] as string, token)) throw new ControlError(401, 'unauthorized', 'send "Authorization: Bearer <control token>" (the --control-token value)');
      return;
    }
    if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) throw new ControlError(403, 'forbidden', 'the control plane answers loopback clients only; give --control-token to use it from elsewhere');
  };
}

const isControl = (req: FastifyRequest): boolean => req.url.startsWith(`${CONTROL_PREFIX}/`) || req.url === CONTROL_PREFIX;
/** The path as the client sent it (suffix kept), without the query. */
const pathOf = (req: FastifyRequest): string => req.originalUrl.split('?')[0] ?? req.originalUrl;
const methodOf = new WeakMap<FastifyRequest, VendorMethod | null>();
const clientOf = (req: FastifyRequest): { appKey: string | null; userAgent: string | null } => ({ appKey: appKeyOf(req) ?? null, userAgent: req.headers['user-agent'] ?? null });
const POLLED = new Set(['chat', 'events']);

/** Installs the control plane when enabled (and the conformance checks with `--strict`); a no-op otherwise. */
export function installControl(app: FastifyInstance, ctx: Domain, clock: Clock, opts: ControlOptions): void {
  if (!opts.control && !opts.strict) return;
  const state: ControlState = { faults: new FaultRules(clock), journal: new Journal(), conformance: new Conformance() };

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (isControl(req)) return;
    const method = vendorMethod(req.method, req.routeOptions.url);
    methodOf.set(req, method);
    if (method === null) return;
    const at = { time: clock.now(), method: req.method, path: pathOf(req) };
    const found: Deviation[] = requestDeviations(req, method.name);
    const { chatId } = (req.params ?? {}) as { chatId?: string };
    if (chatId !== undefined && req.method === 'GET' && POLLED.has(method.name)) {
      found.push(...state.conformance.polled(clientOf(req), chatId, (req.query as { from?: unknown }).from !== undefined));
    }
    state.conformance.record(clientOf(req), at, found);
    if (opts.strict && found.length > 0) {
      return send(req, reply, 400, errorDoc('bad-request', `strict mode: ${found.map((d) => `${d.code}: ${d.detail}`).join('; ')}`, clock.now()));
    }
    if (!opts.control) return;
    const rule = state.faults.take(faultTarget(req, method));
    if (!rule) return;
    if (rule.delayMs) await sleep(rule.delayMs);
    if (rule.drop) return drop(req, reply);
    if (rule.status !== undefined) {
      // Says which rule answered: a test (and the API-document check) can tell it from a real answer.
      reply.header(FAULT_HEADER, rule.id);
      return send(req, reply, rule.status, faultDoc(rule.status, clock.now()));
    }
    if (rule.endChat && chatId !== undefined) {
      const { accountId } = req.params as { accountId: string };
      await ctx.administration.endChat(accountId, chatId).catch((err: unknown) => {
        if (!(err instanceof ApiError)) throw err;
      });
    }
  });

  app.addHook('onError', async (req: FastifyRequest, _reply: FastifyReply, err: Error) => {
    if (isControl(req) || !(err instanceof ApiError)) return;
    const at = { time: clock.now(), method: req.method, path: pathOf(req) };
    if (err.code === 'chat-ended' && req.method !== 'GET') state.conformance.record(clientOf(req), at, [{ code: 'write-to-ended-chat', detail: 'the chat had ended; stop writing once an "ended" state event arrives' }]);
    if (err.code === 'unauthorized' || err.code === 'bad-token' || err.code === 'bad-credentials') state.conformance.record(clientOf(req), at, [{ code: 'refused-credentials', detail: err.message }]);
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    if (isControl(req)) return;
    const method = methodOf.get(req) ?? null;
    const { accountId, chatId } = (req.params ?? {}) as { accountId?: string; chatId?: string };
    const now = clock.now();
    const client = clientOf(req);
    state.journal.add({
      time: now,
      method: req.method,
      path: pathOf(req),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      accountId: accountId ?? null,
      chatId: chatId ?? null,
      vendorMethod: method?.name ?? null,
      side: method?.side ?? null,
      client: { ...client, ip: req.ip },
    });
    // The visitor's silence counts against the account's chatTimeout (spec §3, KeepAlive).
    if (method?.side === 'visitor' && chatId !== undefined && req.account) {
      const at = { time: now, method: req.method, path: pathOf(req) };
      state.conformance.record(client, at, state.conformance.heard(client, chatId, now, req.account.chatTimeout * 1000));
    }
  });

  if (!opts.control) return;
  app.register(
    async (scope) => {
      controlErrors(scope);
      scope.addHook('onRequest', guard(opts.controlToken));
      controlRoutes(scope, ctx, state);
    },
    { prefix: CONTROL_PREFIX },
  );
}
