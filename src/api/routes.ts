// The route table: every resource module, visitor side then agent side.
import type { FastifyInstance } from 'fastify';
import { agentChatRoutes } from './agent/chat.ts';
import { agentEventsRoutes } from './agent/events.ts';
import { agentInfoRoutes } from './agent/info.ts';
import { agentSessionRoutes } from './agent/agent-session.ts';
import { availabilityRoutes } from './agent/availability.ts';
import { incomingRequestsRoutes } from './agent/incoming-requests.ts';
import { loginRoutes } from './agent/login.ts';
import type { AppContext } from './context.ts';
import { accountRoutes } from './visitor/account.ts';
import { chatRoutes } from './visitor/chat.ts';
import { eventsRoutes } from './visitor/events.ts';
import { infoRoutes } from './visitor/info.ts';
import { requestRoutes } from './visitor/request.ts';
import { typingRoutes } from './visitor/typing.ts';
import { visitorNameRoutes } from './visitor/visitor-name.ts';

export function registerRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Server Chat API (visitor side)
  accountRoutes(app, ctx);
  requestRoutes(app, ctx);
  chatRoutes(app, ctx);
  eventsRoutes(app, ctx);
  infoRoutes(app, ctx);
  visitorNameRoutes(app, ctx);
  typingRoutes(app, ctx);
  // Login Service API and Chat Agent API (agent side)
  loginRoutes(app, ctx);
  agentSessionRoutes(app, ctx);
  availabilityRoutes(app, ctx);
  incomingRequestsRoutes(app, ctx);
  agentChatRoutes(app, ctx);
  agentEventsRoutes(app, ctx);
  agentInfoRoutes(app, ctx);
}
