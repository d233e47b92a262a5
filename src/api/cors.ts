// CORS for browser clients on other origins (a site's own widget using fetch; the agent
// console of another host): docs/compatibility.md "Cross-origin browsers". Origins are
// allowed per account and per side (provisioning "allowedOrigins"): by default any origin
// on the visitor API and the Domain API, none on the agent API (login included). Never
// Access-Control-Allow-Credentials: cookies (the login's Session_id) do not cross origins;
// the app key and the bearer travel in the Authorization header, which a preflight allows.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AppContext } from './context.ts';
import { normalOrigin } from '../provisioning/client-settings.ts';

const ACCOUNT_PATH = /^\/(?:api|csdr)\/account\/([^/?.]+)(\/[^?]*)?/;
/** The agent API and the Login Service: everything under agentSession, and login/refresh/logout. */
const AGENT_PATH = /^\/(agentSession|login|refresh|logout)(\/|\.|$)/;

export const ALLOW_HEADERS = 'Authorization, Content-Type, X-HTTP-Method-Override, X-Requested-With, X-Serverchat-Compat';
export const ALLOW_METHODS = 'GET, POST, PUT, DELETE';
export const EXPOSE_HEADERS = 'Location';
/** Seconds a browser may keep a preflight's answer. */
const MAX_AGE = '600';

export function installCors(app: FastifyInstance, ctx: AppContext): void {
  // Most requests (every native client's) carry no Origin: those pass without a promise.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string') return done();
    cors(req, reply, origin).then((answered) => {
      if (!answered) done();
    }, done);
  });

  /** True when it answered the request (a preflight). */
  async function cors(req: FastifyRequest, reply: FastifyReply, origin: string): Promise<boolean> {
    const m = ACCOUNT_PATH.exec(req.raw.url ?? '');
    if (!m) return false;
    const side = AGENT_PATH.test(m[2] ?? '') ? 'agent' : 'visitor';
    const allowed = (await ctx.access.allowedOrigins(m[1] as string))[side];
    const ok = allowed.includes('*') || allowed.includes(normalOrigin(origin));
    reply.header('vary', 'Origin');
    if (ok) {
      // "*" where any origin is allowed: a browser then never sends cookies with it.
      reply.header('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
      reply.header('access-control-expose-headers', EXPOSE_HEADERS);
    }
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      // A preflight: answered here, before routing's 404 and any credential check.
      if (ok) {
        reply.header('access-control-allow-methods', ALLOW_METHODS);
        reply.header('access-control-allow-headers', ALLOW_HEADERS);
        reply.header('access-control-max-age', MAX_AGE);
      }
      reply.code(204).send();
      return true;
    }
    return false;
  }
}
