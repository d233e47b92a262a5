// Nothing is read or parsed for a request that will be refused anyway (issue 11, finding 1;
// docs/security.md "Bodies"). Fastify reads and parses a body after its preParsing hooks,
// so every route's credential check (auth.ts installAuth) runs at onRequest and a request no route
// takes is answered 404 at preParsing; a request refused there costs no read of its body
// and no parse. Each route also gets its own body limit: the
// few that carry lines or free text take --max-text-body, every other --max-body.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route's body carries chat lines or free text (events, a chat request, surveys): --max-text-body. */
    carriesText?: boolean;
  }
}

export interface BodyLimits {
  /** Bytes of a request body on any route but those below. */
  maxBody: number;
  /** Bytes of a request body on a route that carries lines or free text. */
  maxTextBody: number;
}

/**
 * For the vendor routes (call it in their scope, before they are registered): each route
 * gets its body limit. The control plane and the probes keep the server's own limit.
 * (Credential checks are onRequest hooks given by auth.ts installAuth.)
 */
export function preBodyRoutes(scope: FastifyInstance, limits: BodyLimits): void {
  scope.addHook('onRoute', (route: RouteOptions) => {
    route.bodyLimit ??= route.config?.carriesText === true ? limits.maxTextBody : limits.maxBody;
  });
}

/**
 * A request no route takes is answered before its body is read, by the not-found handler of
 * the scope it fell in (the vendor's, the control plane's). At preParsing: after every
 * onRequest hook (the format, CORS preflights, rate limits, the control plane's guard),
 * before Fastify reads the body.
 */
export function notFoundBeforeBody(app: FastifyInstance): void {
  // A callback hook: every request passes here, and only a 404 needs to wait for anything.
  app.addHook('preParsing', (req: FastifyRequest, reply: FastifyReply, payload, done) => {
    if (!req.is404) return done(null, payload);
    Promise.resolve(req.routeOptions.handler.call(app, req, reply)).then(
      () => done(null, payload),
      (err: Error) => done(err),
    );
  });
}
