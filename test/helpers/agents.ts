// Fixtures for the agent-directory tests (available agents, agent info, chat sessions,
// multiple chats, participant info): two agents in the demo account, one in another
// account, and requests in either wire format.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { demoProvisioning, type Provisioning } from '../../src/provisioning/provisioning.ts';
import { AGENT, BASE, locationPath, SKILL, TOM, type AgentHandle, type TestApp } from './app.ts';
import { read, type Fmt } from './wire.ts';

export const OTHER = '87654321';
export const OTHER_BASE = `/api/account/${OTHER}`;
export const BOB = { id: 7, name: 'Bob', loginName: 'bob', password: 'hunter2' };
export const BILLING = { id: 26060413, name: 'Billing' };

/** Demo account with Natalie (Sales) and Tom (Sales + Billing, profile), plus a second account with Bob. */
export const directoryProvisioning: Provisioning = {
  accounts: [
    ...demoProvisioning.accounts.map((a) => ({
      ...a,
      skills: [...a.skills, BILLING],
      agents: [
        ...a.agents,
        { ...TOM, skills: [SKILL.id, BILLING.id], maxChats: -1, profile: { displayName: 'Tom T.', email: 'tom@example.com', privilegeGroup: 'administrators' } },
      ],
    })),
    { id: OTHER, appKeys: ['0therAccountKey'], chatTimeout: 40, language: 'en-US', skills: [{ id: 1, name: 'Support' }], agents: [{ ...BOB, skills: [1], maxChats: 2 }] },
  ],
};

/** Logs an agent into `base`, opens a session and optionally goes Online. */
export async function agentIn(t: TestApp, who: { loginName: string; password: string }, opts: { base?: string; online?: boolean } = {}): Promise<AgentHandle> {
  const base = opts.base ?? BASE;
  const login = await t.inject({ method: 'POST', url: `${base}/login?v=1.3`, payload: { username: who.loginName, password: who.password } });
  assert.equal(login.statusCode, 200, login.body);
  const bearer = (login.json() as { bearer: string }).bearer;
  const auth = { authorization: `Bearer ${bearer}` };
  const s = await t.inject({ method: 'POST', url: `${base}/agentSession.json?v=1&NC=true`, headers: auth, payload: { loginData: '' } });
  assert.equal(s.statusCode, 201, s.body);
  const session = locationPath(s);
  if (opts.online ?? false) {
    const a = await t.inject({ method: 'PUT', url: `${session}/availability.json`, headers: auth, payload: { availability: { chat: 'Online' } } });
    assert.equal(a.statusCode, 200, a.body);
  }
  return { bearer, auth, session };
}

export const natalie = AGENT;
export const tom = TOM;

/** A path in the given format: `.json` before the query for JSON, `Accept: application/xml` for XML. */
export function fmtGet(t: TestApp, path: string, headers: Record<string, string>, fmt: Fmt): Promise<LightMyRequestResponse> {
  const [p, q] = path.split('?');
  const url = fmt === 'json' ? `${p}.json${q === undefined ? '' : `?${q}`}` : path;
  return t.inject({ method: 'GET', url, headers: fmt === 'xml' ? { ...headers, accept: 'application/xml' } : headers });
}

/** An error answer in the format asked for, with its status and catalogue internalCode. */
export function assertErr(res: LightMyRequestResponse, fmt: Fmt, status: number, internalCode: number): void {
  assert.equal(res.statusCode, status, res.body);
  const body = read<{ error: { internalCode: number | string; message: string } }>(res, fmt);
  assert.equal(Number(body.error.internalCode), internalCode, res.body);
  assert.ok(String(body.error.message).length > 0);
}
