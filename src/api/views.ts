// Gathers what a representation of a chat needs besides the chat: its skill and agent.
import type { Account, Chat } from '../chat/types.ts';
import type { AppContext } from './context.ts';
import type { InfoView } from './representations/info.ts';

export async function infoView(ctx: AppContext, account: Account | null, chat: Chat): Promise<InfoView> {
  const acc = account ?? (await ctx.chats.store.getAccount(chat.accountId));
  const skill = chat.skillId === null ? null : (acc?.skills.find((s) => s.id === chat.skillId) ?? null);
  const agent = chat.agentId === null ? null : await ctx.chats.store.getAgent(chat.accountId, chat.agentId);
  return { chat, skill, agent, now: ctx.chats.clock.now() };
}
