// Links (spec §1.6): absolute, with the scheme, host and port the request came in on, no
// v/NC parameters, `@href`/`@rel` as the XML-to-JSON mapping gives them.
import type { Tree } from '../codecs/tree.ts';

export function link(href: string, rel: string): Tree {
  return { '@href': href, '@rel': rel };
}

/** URL builders for one request's origin and account. */
export class Urls {
  readonly origin: string;
  readonly account: string;
  constructor(origin: string, accountId: string) {
    this.origin = origin;
    this.account = `${origin}/api/account/${encodeURIComponent(accountId)}`;
  }
  chat(chatId: string): string {
    return `${this.account}/chat/${chatId}`;
  }
  agentSession(sessionId: string): string {
    return `${this.account}/agentSession/${sessionId}`;
  }
  agentChat(sessionId: string, chatId: string): string {
    return `${this.agentSession(sessionId)}/chat/${chatId}`;
  }
  /** The visit of a chat (agent spec §4.10 `visit-id`), by visit id. */
  agentVisit(sessionId: string, visitId: string): string {
    return `${this.agentSession(sessionId)}/visits/visit/${visitId}`;
  }
}
