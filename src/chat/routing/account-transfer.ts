// Account-to-account (a2a) transfer (spec §4.21; agent spec: the chat's `transfer-account`
// link, undocumented). The agent names a target account of this server and a skill there;
// the visitor's next poll gets an `a2a-transfer` event whose chatRequestParameters it posts
// as Start Chat to the target, and this chat ends (the visitor continues over there).
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { ChatWriter } from '../core/chat-writer.ts';
import type { Router } from './router.ts';
import { isOpen } from '../core/states.ts';
import type { A2aTransferEvent, Agent } from '../core/types.ts';
import { appendEvent, requireHolder } from '../conversation/url-events.ts';

export interface AccountTransferRequest {
  /** Target account id (the event's remoteSiteId). */
  accountId: string;
  /** Target skill, by name (any case) or id. */
  skill: string;
}

/** Where the target account's API is reached: this server, as the request came in. */
export interface ApiOrigin {
  scheme: 'http' | 'https';
  /** host[:port] */
  domain: string;
}

export class AccountTransfers {
  private readonly deps: { store: ChatStore; clock: Clock; writer: ChatWriter; router: Router };
  constructor(deps: { store: ChatStore; clock: Clock; writer: ChatWriter; router: Router }) {
    this.deps = deps;
  }

  async transfer(accountId: string, chatId: string, agent: Agent, req: AccountTransferRequest, origin: ApiOrigin): Promise<A2aTransferEvent> {
    const targetId = req.accountId.trim();
    if (targetId === accountId) throw new ApiError('bad-body', 'an account-to-account transfer needs another account than the chat\'s');
    const target = await this.deps.store.getAccount(targetId);
    if (!target) throw new ApiError('bad-body', `no account "${targetId}" on this server`);
    const want = req.skill.trim();
    const skill = target.skills.find((s) => s.name === want) ?? target.skills.find((s) => s.name.toLowerCase() === want.toLowerCase() || String(s.id) === want);
    if (!skill) throw new ApiError('unknown-skill', `"${want}" in account ${targetId}`);
    const event = await this.deps.writer.mutate(accountId, chatId, (chat, w) => {
      requireHolder(chat, agent);
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      if (chat.state !== 'chatting') throw new ApiError('not-chatting', `chat ${chat.id} is ${chat.state}`);
      const now = this.deps.clock.now();
      const id = chat.nextEventId;
      const e = appendEvent<A2aTransferEvent>(chat, w, now, {
        type: 'a2a-transfer',
        domain: origin.domain,
        scheme: origin.scheme,
        remoteSiteId: target.id,
        skill: skill.name,
        // Unique together with the source site and session, which is how the target links the chats.
        a2aEventId: id,
        a2aSourceSessionId: chat.rtSessionId,
        a2aSourceSiteId: accountId,
      });
      this.deps.writer.end(chat, w, 'agent', now);
      return e;
    });
    await this.deps.router.route(accountId);
    return event;
  }
}
