// The route table: every resource module, visitor side then agent side.
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors.ts';
import { authFor, installAuth } from './auth.ts';
import { agentChatRoutes } from './agent/chat.ts';
import { agentEventsRoutes } from './agent/events.ts';
import { agentInfoRoutes } from './agent/info.ts';
import { agentSessionRoutes } from './agent/agent-session.ts';
import { transferRoutes } from './agent/transfer.ts';
import { agentInformationRoutes } from './agent/agent-info.ts';
import { availableAgentsRoutes } from './agent/available-agents.ts';
import { chatSessionsRoutes } from './agent/chat-sessions.ts';
import { multipleChatsRoutes } from './agent/multiple-chats.ts';
import { participantInfoRoutes } from './agent/participant-info.ts';
import { availabilityRoutes } from './agent/availability.ts';
import { agentAvailableSlotsRoutes } from './agent/available-slots.ts';
import { incomingRequestsRoutes } from './agent/incoming-requests.ts';
import { loginRoutes } from './agent/login.ts';
import { agentSurveyRoutes } from './agent/survey.ts';
import { serverchatDeskRoutes } from './agent/serverchat-desk.ts';
import type { AppContext } from './context.ts';
import { accountRoutes } from './visitor/account.ts';
import { visitorAvailabilityRoutes } from './visitor/availability.ts';
import { visitorAvailableSlotsRoutes } from './visitor/available-slots.ts';
import { conversationRoutes } from './visitor/conversation.ts';
import { estimatedWaitTimeRoutes } from './visitor/estimated-wait-time.ts';
import { chatRoutes } from './visitor/chat.ts';
import { eventsRoutes } from './visitor/events.ts';
import { exitSurveyRoutes } from './visitor/exit-survey.ts';
import { offlineSurveyRoutes } from './visitor/offline-survey.ts';
import { preSurveyRoutes } from './visitor/pre-survey.ts';
import { infoRoutes } from './visitor/info.ts';
import { requestRoutes } from './visitor/request.ts';
import { typingRoutes } from './visitor/typing.ts';
import { visitorNameRoutes } from './visitor/visitor-name.ts';
import { transcriptRequestRoutes } from './visitor/transcript-request.ts';
import { customVariablesRoutes } from './visitor/custom-variables.ts';
import { visitCustomVariablesRoutes } from './agent/visit-custom-variables.ts';
import { visitRoutes } from './agent/visit.ts';
import { collaborationChannelsRoutes } from './agent/collaboration-channels.ts';
import { transferAccountRoutes } from './agent/transfer-account.ts';
import { webRoutes } from './web.ts';
import { domainRoutes } from './domain/routes.ts';
import { rest2jsonpRoutes } from './tunnel/rest2jsonp.ts';

/** A 400 of the request's own making: a body, query or path that does not parse or validate. */
function malformed(err: FastifyError | ApiError): boolean {
  if (err instanceof ApiError) return err.code === 'bad-body' || err.code === 'bad-query' || err.code === 'bad-request';
  return err.validation !== undefined;
}

/**
 * The order of checks (compatibility.md, "Errors"): credentials (auth.ts, onRequest), then the
 * resource, then the input. A malformed request to a chat that does not exist (or that this
 * agent may not see) answers as the chat does; only a chat that is there gets the 400.
 */
async function resourceBeforeInput(ctx: AppContext, err: FastifyError | ApiError, req: FastifyRequest): Promise<never> {
  const { chatId } = (req.params ?? {}) as { chatId?: string };
  const kind = authFor(req.method, req.routeOptions.url ?? '');
  if (malformed(err) && typeof chatId === 'string' && chatId !== '') {
    // Only once the credentials passed (a hook before them may refuse the request too).
    if (kind === 'agent' && req.agent) await ctx.views.requireChat({ agent: req.agent }, chatId);
    else if (kind === 'visitor' && req.account) await ctx.views.requireChat({ account: req.account }, chatId);
  }
  throw err;
}

export function registerRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Every route below gets the credentials check of its place in the URL space (auth.ts).
  installAuth(app, ctx);
  // A handler that throws hands the error to the app's handler (http.ts), which renders it.
  app.setErrorHandler((err: FastifyError | ApiError, req: FastifyRequest) => resourceBeforeInput(ctx, err, req));
  // The Domain API (spec §1.1): where clients find the chat domain
  domainRoutes(app, ctx);
  // The JS SDK's JSONP tunnel for pages on other origins (rest2jsonp)
  rest2jsonpRoutes(app);
  // Server Chat API (visitor side)
  accountRoutes(app, ctx);
  visitorAvailabilityRoutes(app, ctx);
  visitorAvailableSlotsRoutes(app, ctx);
  estimatedWaitTimeRoutes(app, ctx);
  conversationRoutes(app, ctx);
  requestRoutes(app, ctx);
  chatRoutes(app, ctx);
  eventsRoutes(app, ctx);
  infoRoutes(app, ctx);
  visitorNameRoutes(app, ctx);
  transcriptRequestRoutes(app, ctx);
  customVariablesRoutes(app, ctx);
  typingRoutes(app, ctx);
  preSurveyRoutes(app, ctx);
  offlineSurveyRoutes(app, ctx);
  exitSurveyRoutes(app, ctx);
  // Login Service API and Chat Agent API (agent side)
  loginRoutes(app, ctx);
  agentSessionRoutes(app, ctx);
  availabilityRoutes(app, ctx);
  agentAvailableSlotsRoutes(app, ctx);
  incomingRequestsRoutes(app, ctx);
  agentChatRoutes(app, ctx);
  agentEventsRoutes(app, ctx);
  visitCustomVariablesRoutes(app, ctx);
  visitRoutes(app, ctx);
  collaborationChannelsRoutes(app, ctx);
  transferAccountRoutes(app, ctx);
  agentInfoRoutes(app, ctx);
  transferRoutes(app, ctx);
  agentSurveyRoutes(app, ctx);
  availableAgentsRoutes(app, ctx);
  // serverchat extensions for the agent console (docs/compatibility.md)
  serverchatDeskRoutes(app, ctx);
  agentInformationRoutes(app, ctx);
  chatSessionsRoutes(app, ctx);
  multipleChatsRoutes(app, ctx);
  participantInfoRoutes(app, ctx);
  // The agent console (/agent), the visitor demo page (/) and their /web-config.json
  webRoutes(app, ctx);
}
