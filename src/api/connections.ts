// The HTTP server's own limits (issue 11, finding 2): how long a request may take to arrive,
// how long a connection may idle, and how many may be open at once. Past the cap a new
// connection's request is answered 503 in the vendor format and the connection closed; a
// margin past that, Node refuses connections outright (the file descriptors stay bounded).
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Clock } from '../clock.ts';
import { defaults, type Config } from '../config.ts';
import { errorDoc, send } from './reply.ts';

export type ConnectionLimits = Pick<Config, 'headerTimeout' | 'requestTimeout' | 'idleTimeout' | 'keepAliveTimeout' | 'maxConnections'>;

/** How often Node looks for requests past their header or request timeout. */
const CHECK_INTERVAL_MS = 1000;

export function limitsOf(config: Partial<ConnectionLimits>): ConnectionLimits {
  return {
    headerTimeout: config.headerTimeout ?? defaults.headerTimeout,
    requestTimeout: config.requestTimeout ?? defaults.requestTimeout,
    idleTimeout: config.idleTimeout ?? defaults.idleTimeout,
    keepAliveTimeout: config.keepAliveTimeout ?? defaults.keepAliveTimeout,
    maxConnections: config.maxConnections ?? defaults.maxConnections,
  };
}

/** Fastify's options for the timeouts (the server is created with them). */
export function serverTimeouts(l: ConnectionLimits) {
  return {
    connectionTimeout: l.idleTimeout * 1000,
    keepAliveTimeout: l.keepAliveTimeout * 1000,
    requestTimeout: l.requestTimeout * 1000,
    http: { headersTimeout: l.headerTimeout * 1000, requestTimeout: l.requestTimeout * 1000, connectionsCheckingInterval: CHECK_INTERVAL_MS },
  };
}

const OVER_CAP = Symbol('serverchat.overCap');
type Marked = Socket & { [OVER_CAP]?: true };

/** Connections answered 503 before Node refuses any more: a tenth of the cap, at least 16. */
export const overflowOf = (max: number): number => Math.max(16, Math.ceil(max / 10));

export function installConnectionCap(app: FastifyInstance, maxConnections: number, clock: Clock, tls: boolean): void {
  const server = app.server as Server;
  let open = 0;
  // Behind TLS the request's socket is the TLS one: count those (handshakes in progress are
  // bounded by Node's maxConnections below).
  server.on(tls ? 'secureConnection' : 'connection', (socket: Marked) => {
    open += 1;
    socket.once('close', () => {
      open -= 1;
    });
    if (open > maxConnections) socket[OVER_CAP] = true;
  });
  server.maxConnections = maxConnections + overflowOf(maxConnections);
  // A callback hook, not an async one: every request passes it, and a promise each is not free.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if ((req.raw.socket as Marked)[OVER_CAP] !== true) return done();
    reply.header('connection', 'close').header('retry-after', '1');
    // Answered here: the request goes no further (done is not called).
    send(req, reply, 503, errorDoc('too-many-connections', `the server has ${maxConnections} connections open (--max-connections); try again shortly`, clock.now()));
  });
}
