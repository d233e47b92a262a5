// An agent reaches a chat through its own session only, and only a chat it holds or that
// rings for it; any other chat of the account answers 403, of another account 404.
import type { Chat } from '../../chat/types.ts';
import type { AppContext, Req } from '../context.ts';

export async function agentChat(ctx: AppContext, req: Req, chatId: string): Promise<Chat> {
  const chat = await ctx.chats.getChat(req.agent.accountId, chatId);
  ctx.chats.requireOwner(chat, req.agent);
  return chat;
}
