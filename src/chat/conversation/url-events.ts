// `url` events (spec §4.9 lists the type; its fields are undocumented). Ours: the visitor
// reports the page it is on, the agent pushes a page to the visitor (the JS SDK's
// onUrlPush). Both sides see both. Decisions in docs/compatibility.md.
import { ApiError } from '../../errors.ts';
import type { Clock } from '../../clock.ts';
import type { ChatWriter, EventWriter } from '../core/chat-writer.ts';
import { isOpen } from '../core/states.ts';
import type { A2aTransferEvent, Agent, Chat, UrlEvent } from '../core/types.ts';

export const MAX_URL_LENGTH = 2048;

/** Appends a non-line event with the chat's next id (EventWriter makes only lines and states). */
export function appendEvent<E extends UrlEvent | A2aTransferEvent>(chat: Chat, w: EventWriter, time: number, fields: Omit<E, 'id' | 'time'>): E {
  const e = { ...fields, id: chat.nextEventId++, time } as E;
  w.events.push(e);
  return e;
}

/** An absolute http(s) URL without whitespace, at most MAX_URL_LENGTH characters; normalised by WHATWG URL. */
export function checkUrl(raw: string): string {
  if (raw.length > MAX_URL_LENGTH) throw new ApiError('bad-body', `"url" is longer than ${MAX_URL_LENGTH} characters`);
  let u: URL;
  try {
    if (/\s/.test(raw)) throw new Error('whitespace');
    u = new URL(raw);
  } catch {
    throw new ApiError('bad-body', `"url" is not an absolute URL: "${raw}"`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ApiError('bad-body', `"url" must be http or https, not ${u.protocol.replace(':', '')}`);
  return u.href;
}

/** An agent writes only to a chat it holds (the rule of ChatService's agent writes). */
export function requireHolder(chat: Chat, agent: Agent): void {
  if (chat.agentId === agent.id) return;
  if (chat.ringingAgentId === agent.id) throw new ApiError('not-chatting', `accept chat ${chat.id} before writing to it`);
  throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
}

export class UrlEvents {
  private readonly writer: ChatWriter;
  private readonly clock: Clock;
  constructor(deps: { writer: ChatWriter; clock: Clock }) {
    this.writer = deps.writer;
    this.clock = deps.clock;
  }

  async byVisitor(accountId: string, chatId: string, rawUrl: string): Promise<UrlEvent> {
    const url = checkUrl(rawUrl);
    return this.writer.mutate(accountId, chatId, (chat, w) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      return appendEvent<UrlEvent>(chat, w, this.clock.now(), {
        type: 'url',
        url,
        source: 'visitor',
        ...(chat.visitorName === null ? {} : { by: chat.visitorName }),
      });
    }, { visitor: true });
  }

  async byAgent(accountId: string, chatId: string, agent: Agent, rawUrl: string): Promise<UrlEvent> {
    const url = checkUrl(rawUrl);
    return this.writer.mutate(accountId, chatId, (chat, w) => {
      requireHolder(chat, agent);
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      return appendEvent<UrlEvent>(chat, w, this.clock.now(), { type: 'url', url, source: 'agent', by: agent.name });
    });
  }
}
