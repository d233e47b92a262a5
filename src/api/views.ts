// Gathers what a representation of a chat needs besides the chat: its skill and agent.
import type { Account, Chat, ChatEvent } from '../chat/core/types.ts';
import { ApiError } from '../errors.ts';
import type { AppContext } from './context.ts';
import type { InfoView } from './representations/info.ts';

export async function infoView(ctx: AppContext, account: Account | null, chat: Chat): Promise<InfoView> {
  const acc = account ?? (await ctx.chats.store.getAccount(chat.accountId));
  const skill = chat.skillId === null ? null : (acc?.skills.find((s) => s.id === chat.skillId) ?? null);
  const agent = chat.agentId === null ? null : await ctx.chats.store.getAgent(chat.accountId, chat.agentId);
  return { chat, skill, agent, now: ctx.chats.clock.now() };
}

/** One event of a chat, as the given side may see it (the target of a created event's Location). */
export async function eventOf(ctx: AppContext, chat: Chat, eventId: number, side: 'visitor' | 'agent'): Promise<ChatEvent> {
  const [event] = await ctx.chats.listEvents(chat, eventId, side);
  if (!event || event.id !== eventId) throw new ApiError('not-found', `event ${eventId}`);
  return event;
}
