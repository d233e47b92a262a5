// Logging in (Login Service, agent API §1.2) and starting an agent session (§4.1); the
// demo login offered by /web-config.json while it is still the demo one.
import { ApiError, byId, call, webConfig } from '../shared/api.js';
import { messageOf } from '../shared/dom.js';

/** @typedef {{ accountId: string, username: string, bearer: string, sessionUrl: string, agentId: string, agentName: string, chats: string[] }} Session */

/**
 * Logs in and starts an agent session.
 * @param {string} accountId @param {string} username @param {string} password
 * @returns {Promise<Session>}
 */
export async function startSession(accountId, username, password) {
  const account = `${location.origin}/api/account/${encodeURIComponent(accountId)}`;
  // The Login Service wants v=1.3 (agent API §1.2), not the chat API's v=1.
  const { body } = await call('POST', `${account}/login?v=1.3`, { body: { username, password }, raw: true });
  const bearer = body.bearer;
  const started = await call('POST', `${account}/agentSession.json`, { auth: `Bearer ${bearer}`, body: { loginData: '' } });
  const sessionUrl = started.body?.agentSessionLocation?.link?.['@href'] ?? started.location;
  if (!sessionUrl) throw new Error('The server did not say where the agent session is.');
  return { accountId, username, bearer, sessionUrl, agentId: String(body.config?.userId ?? ''), agentName: String(body.config?.loginName ?? username), chats: [] };
}

/** @param {unknown} err */
export const loginMessage = (err) => (err instanceof ApiError && err.status === 401 ? 'Wrong username or password for this account.' : `Could not log in: ${messageOf(err)}`);

/** Fills the login form with the demo account (and agent, when offered) and focuses what is left. */
export async function fillDemoLogin() {
  const demo = (await webConfig()).demo;
  if (demo) {
    byId('login-account', HTMLInputElement).value = demo.accountId;
    if (demo.agent) {
      byId('login-username', HTMLInputElement).value = demo.agent.loginName;
      const hint = byId('login-hint', HTMLElement);
      hint.textContent = `Demo agent: ${demo.agent.loginName} / ${demo.agent.password}`;
      hint.hidden = false;
    }
  }
  byId(demo?.agent ? 'login-password' : 'login-account', HTMLInputElement).focus();
}
