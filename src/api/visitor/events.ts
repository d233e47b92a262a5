// Retrieve Chat Events (spec §4.9) and Add Lines / End Chat (spec §4.10).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { eventsTree, eventTree } from '../representations/events.ts';
import { created, send } from '../reply.ts';
import { chatParams, eventBody, eventParams, fromQuery, type EventBody, type FromQuery } from '../schemas.ts';


export function eventsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const urls = ctx.urlEvents;

  app.get<{ Params: ChatParams; Querystring: FromQuery }>(
    '/api/account/:accountId/chat/:chatId/events',
    { schema: { params: chatParams, querystring: fromQuery } },
    async (req, reply) => {
      const { chat, events, next } = await ctx.views.visitorEvents(req.account, req.params.chatId, req.query.from ?? 0);
      return send(req, reply, 200, { events: eventsTree(`${req.urls.chat(chat.id)}/events`, events, next, 'visitor') });
    },
  );

  // The Location of a posted event (spec §4.10) answers with that event.
  app.get<{ Params: ChatParams & { eventId: number } }>(
    '/api/account/:accountId/chat/:chatId/events/:eventId',
    { schema: { params: eventParams } },
    async (req, reply) => {
      const event = await ctx.views.visitorEvent(req.account, req.params.chatId, req.params.eventId);
      return send(req, reply, 200, { event: eventTree(event, 'visitor') });
    },
  );

  app.post<{ Params: ChatParams; Body: EventBody }>(
    '/api/account/:accountId/chat/:chatId/events',
    { schema: { params: chatParams, body: eventBody }, config: { carriesText: true } },
    async (req, reply) => {
      const { chatId } = req.params;
      const e = req.body.event;
      let id: number;
      if (e['@type'] === 'line') {
        if (e.text === undefined || e.text.trim() === '') throw new ApiError('bad-body', 'a line event needs a non-empty "text"');
        id = (await ctx.chats.addVisitorLine(req.account.id, chatId, e.text)).id;
      } else if (e['@type'] === 'url') {
        if (e.url === undefined) throw new ApiError('bad-body', 'a url event needs a "url"');
        id = (await urls.byVisitor(req.account.id, chatId, e.url)).id;
      } else {
        if (e.state !== 'ended') throw new ApiError('bad-body', 'a state event must have "state": "ended"');
        id = (await ctx.chats.endByVisitor(req.account.id, chatId)).id;
      }
      return created(req, reply, `${req.urls.chat(chatId)}/events/${id}`);
    },
  );
}
