// Start Agent Session (agent API §4.1) and the session resource that lists what it holds.
import type { FastifyInstance } from 'fastify';
import type { AccountParams, AppContext, SessionParams } from '../context.ts';
import { ApiError } from '../../errors.ts';
import { link } from '../representations/links.ts';
import { setSessionCookie } from '../session-cookie.ts';
import { created, send } from '../reply.ts';
import { accountParams, sessionParams } from '../schemas.ts';

/** <loginData><userName/><password/></loginData> (or its JSON): both needed for the legacy login. */
function loginDataOf(body: unknown): { userName: string; password: string } {
  const data = body !== null && typeof body === 'object' ? (body as { loginData?: unknown }).loginData : undefined;
  const d = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  const text = (v: unknown): string | null => (typeof v === 'string' || typeof v === 'number') && String(v).trim() !== '' && String(v).length <= 200 ? String(v) : null;
  const userName = text(d.userName);
  const password = text(d.password);
  if (userName === null || password === null) throw new ApiError('bad-body', 'with an app key, Start Agent Session needs loginData with userName and password (1–200 characters)');
  return { userName, password };
}

export function agentSessionRoutes(app: FastifyInstance, ctx: AppContext): void {

  // With a bearer the body ({"loginData": ""}, {} or {userName, password}) is only there for
  // backward compatibility (spec §5 #1): the bearer says who the agent is. With the app key
  // (the old XML client, agent spec §1.1) its loginData logs the agent in (auth.ts).
  app.post<{ Params: AccountParams; Body: unknown }>('/api/account/:accountId/agentSession', { schema: { params: accountParams } }, async (req, reply) => {
    if (req.legacyLogin) {
      const { userName, password } = loginDataOf(req.body);
      const { login, session } = await ctx.desk.legacySession(req.account.id, userName, password, req.ip);
      // Later calls send the app key and this cookie back (auth.ts legacyBearer).
      setSessionCookie(req, reply, req.account.id, login.bearer, login.expiresAt - login.issuedAt);
      const href = req.urls.agentSession(session.id);
      return created(req, reply, href, { agentSessionLocation: { link: link(href, 'location'), agentSessionId: session.id } });
    }
    const session = await ctx.desk.startSession(req.agent);
    const href = req.urls.agentSession(session.id);
    // The doc's table also lists `agentSessionId`, the href's last segment (agent API §4.1).
    return created(req, reply, href, { agentSessionLocation: { link: link(href, 'location'), agentSessionId: session.id } });
  });

  app.get<{ Params: SessionParams }>('/api/account/:accountId/agentSession/:sessionId', { schema: { params: sessionParams } }, async (req, reply) => {
    const href = req.urls.agentSession(req.agentSession.id);
    // Rooted at agentSessionId, the element the XML client saw (agent API §4.1).
    return send(req, reply, 200, {
      agentSessionId: {
        '@id': req.agentSession.id,
        link: [
          link(href, 'self'),
          link(`${href}/availability`, 'availability'),
          link(`${href}/incomingRequests`, 'incoming-requests'),
          // Rel names ours (the vendor's are unknown), after the ones clients are known to read.
          link(`${href}/availableAgents`, 'available-agents'),
          link(`${href}/info`, 'info'),
          link(`${href}/chatSessions`, 'chat-sessions'),
        ],
      },
    });
  });
}
