// Retrieve Chat Events, Send Lines, End Chat — agent side (agent API §4.12–4.14).
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../errors.ts';
import type { AppContext, SessionChatParams } from '../context.ts';
import { eventsTree, eventTree } from '../representations/events.ts';
import { link } from '../representations/links.ts';
import { created, send } from '../reply.ts';
import { eventBody, fromQuery, sessionChatParams, sessionEventParams, type EventBody, type FromQuery } from '../schemas.ts';

/**
 * The structured-content template (agent API §4.13). XML has no form for a JSON object, so an
 * XML client sends its JSON text: a string that is a JSON object or array is kept as that
 * value, and every client reads the same template back (compatibility.md).
 */
function templateOf(json: unknown): unknown {
  if (typeof json !== 'string' || !/^\s*[[{]/.test(json)) return json;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

export function agentEventsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const url = '/api/account/:accountId/agentSession/:sessionId/chat/:chatId/events';

  app.get<{ Params: SessionChatParams; Querystring: FromQuery }>(url, { schema: { params: sessionChatParams, querystring: fromQuery } }, async (req, reply) => {
    const { chat, events, next } = await ctx.views.agentEvents(req.agent, req.params.chatId, req.query.from ?? 0);
    return send(req, reply, 200, { events: eventsTree(`${req.urls.agentChat(req.agentSession.id, chat.id)}/events`, events, next, 'agent') });
  });

  // The Location of a line or of the end (chatEventLocation / chatLocation) answers with that event.
  app.get<{ Params: SessionChatParams & { eventId: number } }>(`${url}/:eventId`, { schema: { params: sessionEventParams } }, async (req, reply) => {
    return send(req, reply, 200, { event: eventTree(await ctx.views.agentEvent(req.agent, req.params.chatId, req.params.eventId), 'agent') });
  });

  app.post<{ Params: SessionChatParams; Body: EventBody }>(url, { schema: { params: sessionChatParams, body: eventBody }, config: { carriesText: true } }, async (req, reply) => {
    const { chatId } = req.params;
    const e = req.body.event;
    const eventsUrl = `${req.urls.agentChat(req.agentSession.id, chatId)}/events`;
    if (e['@type'] === 'state') {
      if (e.state !== 'ended') throw new ApiError('bad-body', 'a state event must have "state": "ended"');
      const ended = await ctx.chats.endByAgent(req.agent.accountId, chatId, req.agent);
      const href = `${eventsUrl}/${ended.id}`;
      // Named chatLocation for End Chat, chatEventLocation for lines (agent API §5 #6).
      return created(req, reply, href, { chatLocation: { link: link(href, 'location') } });
    }
    if (e['@type'] === 'url') {
      // The agent pushes a page to the visitor (spec §4.9 `url`; JS SDK onUrlPush).
      if (e.url === undefined) throw new ApiError('bad-body', 'a url event needs a "url"');
      const pushed = await ctx.urlEvents.byAgent(req.agent.accountId, chatId, req.agent, e.url);
      const href = `${eventsUrl}/${pushed.id}`;
      return created(req, reply, href, { chatEventLocation: { link: link(href, 'location') } });
    }
    const textType = e.textType ?? 'plain';
    const hasJson = e.json !== undefined && e.json !== null && e.json !== '';
    if (textType === 'rich-content' ? !hasJson : e.text === undefined || e.text.trim() === '') {
      throw new ApiError('bad-body', textType === 'rich-content' ? 'a rich-content line needs "json"' : 'a line event needs a non-empty "text"');
    }
    const line = await ctx.chats.addAgentLine(req.agent.accountId, chatId, req.agent, {
      text: e.text ?? '',
      textType,
      onlyToRep: e.subType === 'ONLY_TO_REP',
      ...(hasJson ? { json: templateOf(e.json) } : {}),
    });
    const href = `${eventsUrl}/${line.id}`;
    return created(req, reply, href, { chatEventLocation: { link: link(href, 'location') } });
  });
}
