// What every route module receives: the domain services (built once, chat/domain.ts) and
// the request helpers. A handler calls one operation of one service.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Domain } from '../chat/domain.ts';
import type { Account, Agent, AgentSession } from '../chat/core/types.ts';
import type { Format } from './negotiate.ts';
import type { Urls } from './representations/links.ts';

export type AppContext = Domain;

declare module 'fastify' {
  interface FastifyRequest {
    /** Wire format of the response (negotiate.ts). */
    format: Format;
    /** Set by the visitor app-key check, and by the agent bearer check (the agent's account). */
    account: Account;
    /** Set by the agent bearer check. */
    agent: Agent;
    agentSession: AgentSession;
    urls: Urls;
    /** Start Agent Session called with an app key: the body's loginData names the agent (auth.ts). */
    legacyLogin: boolean;
  }
}

export type Req = FastifyRequest;
export type Rep = FastifyReply;

/** Route params shared by the resources under /api/account/{accountId}. */
export interface AccountParams {
  accountId: string;
}
export interface ChatParams extends AccountParams {
  chatId: string;
}
export interface SessionParams extends AccountParams {
  sessionId: string;
}
export interface SessionChatParams extends SessionParams {
  chatId: string;
}
