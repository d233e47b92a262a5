// Retrieve / Set the Visitor's Name (spec §4.12, §4.13). Set answers 200, as CaféX requires.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { visitorNameOf } from '../representations/info.ts';
import { ok, send } from '../reply.ts';
import { chatParams, text } from '../schemas.ts';

const nameBody = { type: 'object', required: ['visitorName'], properties: { visitorName: text(200) } } as const;

export function visitorNameRoutes(app: FastifyInstance, ctx: AppContext): void {
  const url = '/api/account/:accountId/chat/:chatId/info/visitorName';

  app.get<{ Params: ChatParams }>(url, { schema: { params: chatParams } }, async (req, reply) => {
    const chat = await ctx.chats.visitorTouch(req.account.id, req.params.chatId);
    return send(req, reply, 200, { visitorName: visitorNameOf(chat, 'visitor') });
  });

  // Documented as PUT, sent as POST + X-HTTP-Method-Override (spec §1.5); a bare POST works too.
  app.route<{ Params: ChatParams; Body: { visitorName: string } }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: chatParams, body: nameBody },
    handler: async (req, reply) => {
      const name = req.body.visitorName.trim();
      // A blank name would render as "" in JSON and an empty element in XML.
      if (name === '') throw new ApiError('bad-body', '"visitorName" must not be blank');
      await ctx.chats.setVisitorName(req.account.id, req.params.chatId, name);
      return ok(reply);
    },
  });
}
