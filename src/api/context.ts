// What every route module receives: the domain services and the request helpers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AgentDesk } from '../chat/agents/agent-desk.ts';
import type { ChatService } from '../chat/conversation/chat-service.ts';
import type { Transcripts } from '../chat/conversation/transcripts.ts';
import type { Account, Agent, AgentSession } from '../chat/core/types.ts';
import type { Format } from './negotiate.ts';
import type { Urls } from './representations/links.ts';

export interface AppContext {
  chats: ChatService;
  desk: AgentDesk;
  /** Send a Transcript (spec §4.19), with the configured mailer. */
  transcripts: Transcripts;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Wire format of the response (negotiate.ts). */
    format: Format;
    /** Set by the visitor app-key check. */
    account: Account;
    /** Set by the agent bearer check. */
    agent: Agent;
    agentSession: AgentSession;
    urls: Urls;
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
