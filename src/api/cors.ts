// CORS for browser clients on other origins (a site's own widget using fetch; the agent
// console of another host): docs/compatibility.md "Cross-origin browsers". Origins are
// allowed per account and per side (provisioning "allowedOrigins"): by default any origin
// on the visitor API and the Domain API, none on the agent API (login included). Never
// Access-Control-Allow-Credentials: cookies (the login's Session_id) do not cross origins;
// the app key and the bearer travel in the Authorization header, which a preflight allows.
// The JS SDK's postmessage relay page (src/web/hcp/relay.js) runs its requests same-origin
// and names the framing page's origin in RELAY_HEADER: such a request is held to the same
// per-account, per-side rule, and refused (403) when that origin is not allowed, since no
// browser would refuse it for us. A page of another origin cannot set the header itself:
// it is not among the headers a preflight allows.
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError } from '../errors.ts';
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
/** Set by the postmessage relay page: the origin of the page that framed it, as the browser reported it. */
export const RELAY_HEADER = 'x-serverchat-relay-origin';

const permits = (allowed: readonly string[], origin: string): boolean => allowed.includes('*') || allowed.includes(normalOrigin(origin));

export function installCors(app: FastifyInstance, ctx: AppContext): void {
  // Most requests (every native client's) carry neither Origin nor the relay's header: those
  // pass without a promise.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (req.headers.origin === undefined && req.headers[RELAY_HEADER] === undefined) return done();
    cors(req, reply).then((answered) => {
      if (!answered) done();
    }, done);
  });

  /** True when it answered the request (a preflight). */
  async function cors(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const origin = req.headers.origin;
    const relayed = req.headers[RELAY_HEADER];
    const m = ACCOUNT_PATH.exec(req.raw.url ?? '');
    if (relayed !== undefined && !m) throw new ApiError('origin-not-allowed', 'the postmessage relay serves the chat APIs only');
    if (!m) return false;
    const side = AGENT_PATH.test(m[2] ?? '') ? 'agent' : 'visitor';
    const allowed = (await ctx.access.allowedOrigins(m[1] as string))[side];
    if (relayed !== undefined && (typeof relayed !== 'string' || !permits(allowed, relayed))) {
      throw new ApiError('origin-not-allowed', `pages of ${String(relayed)} may not use the ${side} API of account ${m[1] as string} (allowedOrigins)`);
    }
    if (typeof origin !== 'string') return false;
    const ok = permits(allowed, origin);
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
