// The Domain API (spec §1.1, "CSDS"): where a client finds an account's chat domain. Every
// service of every provisioned account is on this server, so each lookup names serverchat's
// own public address (public-address.ts). The forms the known clients call:
//   /api/account/{id}/service/{service}/baseURI.json?version=1.0   the documented one
//   /api/account/{id}/service/baseURI.json                         every service
//   /csdr/account/{id}/service/{service}/baseURI.json              the IBM harness
//   /csdr/account/{id}/service/baseURI.json                        the Postman collection
//   /csdr/account/{id}/service/{service}/baseURI.lpCsds?cb=NAME    the JS SDK (JSONP)
// No credentials: the vendor's lookup takes none. An account that is not provisioned is
// 401 ("invalid site", as the doc page lists), and an empty lpData for the JSONP form, which
// the SDK reports as "unable to resolve site domain" at once instead of timing out.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../errors.ts';
import { encodeJsonp, isCallbackName, JSONP_CONTENT_TYPE } from '../codecs/jsonp.ts';
import type { AppContext } from '../context.ts';
import { publicHost } from '../public-address.ts';
import { send } from '../reply.ts';
import { allServices, lpCsds, oneService } from './representation.ts';

interface ServiceParams {
  accountId: string;
  service: string;
}

const accountOnly = {
  type: 'object',
  required: ['accountId'],
  properties: { accountId: { type: 'string', maxLength: 64 } },
} as const;
const withService = {
  type: 'object',
  required: ['accountId', 'service'],
  properties: { accountId: { type: 'string', maxLength: 64 }, service: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' } },
} as const;
/** version=1.0 is what clients send; like v=1 elsewhere it is not checked (design.md). */
const lookupQuery = { type: 'object', properties: { version: { type: 'string', maxLength: 16 } } } as const;
const jsonpQuery = {
  type: 'object',
  required: ['cb'],
  properties: { version: { type: 'string', maxLength: 16 }, cb: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export function domainRoutes(app: FastifyInstance, ctx: AppContext): void {
  const provisioned = async (accountId: string): Promise<void> => {
    if (!(await ctx.access.known(accountId))) throw new ApiError('unauthorized', `account ${accountId} is not served here`);
  };
  const one = async (req: FastifyRequest<{ Params: ServiceParams }>, reply: FastifyReply) => {
    await provisioned(req.params.accountId);
    return send(req, reply, 200, oneService(req.params.accountId, req.params.service, publicHost(req)), { unwrapJson: true });
  };
  const all = async (req: FastifyRequest<{ Params: { accountId: string } }>, reply: FastifyReply) => {
    await provisioned(req.params.accountId);
    return send(req, reply, 200, allServices(req.params.accountId, publicHost(req)), { unwrapJson: true, collapse: false });
  };

  app.get<{ Params: ServiceParams }>('/api/account/:accountId/service/:service/baseURI', { schema: { params: withService, querystring: lookupQuery } }, one);
  app.get<{ Params: { accountId: string } }>('/api/account/:accountId/service/baseURI', { schema: { params: accountOnly, querystring: lookupQuery } }, all);
  app.get<{ Params: ServiceParams }>('/csdr/account/:accountId/service/:service/baseURI', { schema: { params: withService, querystring: lookupQuery, hide: true } }, one);
  app.get<{ Params: { accountId: string } }>('/csdr/account/:accountId/service/baseURI', { schema: { params: accountOnly, querystring: lookupQuery, hide: true } }, all);

  app.get<{ Params: ServiceParams; Querystring: { cb: string } }>(
    '/csdr/account/:accountId/service/:service/baseURI.lpCsds',
    { schema: { params: withService, querystring: jsonpQuery, hide: true } },
    async (req, reply) => {
      const { cb } = req.query;
      if (!isCallbackName(cb)) throw new ApiError('bad-query', 'cb must be a JavaScript identifier (letters, digits, _, $ and dots)');
      const known = await ctx.access.known(req.params.accountId);
      // A script tag sees no status: the answer is always a call of the callback.
      return reply.code(200).header('content-type', JSONP_CONTENT_TYPE).header('cache-control', 'no-store').send(encodeJsonp(cb, lpCsds(known ? publicHost(req) : null)));
    },
  );
}
