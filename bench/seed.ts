// Provisions the bench account and opens many chats straight through the ChatStore (not over
// HTTP), each with the history a real accepted chat has: the Start Chat events (waiting, the
// routing system line, a pre-chat line), the accept (chatting, the accepted system line) and
// a few visitor and agent lines (see ChatService.requestChat and Router.acceptNext).
import { rtSessionIdOf } from '../src/chat/core/rt-session.ts';
import { EventWriter } from '../src/chat/core/chat-writer.ts';
import { hashPassword } from '../src/chat/agents/passwords.ts';
import { SystemMessage, systemTexts } from '../src/chat/core/system-messages.ts';
import type { Account, Chat } from '../src/chat/core/types.ts';
import { randomIds } from '../src/ids.ts';
import type { ChatStore } from '../src/store/store.ts';

export const BENCH_ACCOUNT = 'bench01';
export const BENCH_APP_KEY = 'b3nchb3nchb3nchb3nchb3nchb3nch00';
export const BENCH_SKILL = { id: 5001, name: 'Support' };
/**
 * Chats each agent holds (its maxChats too). A person holds a handful; a bot on the agent
 * API many. The default is bot-like because a routing pass currently costs
 * O(agents × open chats) (Router.routeNow lists each agent's chats; see README).
 */
export const DEFAULT_CHATS_PER_AGENT = 100;
export const AGENT_PASSWORD = 'bench-secret';
const FIRST_AGENT_ID = 7_000_001;

export interface SeededChat {
  id: string;
  agentId: number;
  /** The chat's next event id: polling `from` this finds nothing new. */
  nextEventId: number;
}

export interface SeedOptions {
  chats: number;
  /** Seconds; long for the load phases so nothing times out mid-run. */
  chatTimeout: number;
  /** lastUpdate of every chat (ms); the timeouts phase sets it so deadlines coincide. */
  lastUpdate: number;
  chatsPerAgent: number;
}

export function agentIdOf(index: number, chatsPerAgent: number): number {
  return FIRST_AGENT_ID + Math.floor(index / chatsPerAgent);
}

export function agentLogin(agentId: number): string {
  return `agent${agentId}`;
}

/** The account and one Online agent per `chatsPerAgent` chats (one shared password hash: hashing is slow by design). */
export async function provision(store: ChatStore, chats: number, chatsPerAgent: number): Promise<void> {
  const account: Account = { id: BENCH_ACCOUNT, appKeys: [BENCH_APP_KEY], chatTimeout: 40, language: 'en-US', skills: [BENCH_SKILL] };
  await store.putAccount(account);
  const passwordHash = await hashPassword(AGENT_PASSWORD);
  const agents = Math.max(1, Math.ceil(chats / chatsPerAgent));
  for (let i = 0; i < agents; i++) {
    const id = FIRST_AGENT_ID + i;
    await store.putAgent({
      accountId: BENCH_ACCOUNT,
      id,
      name: `Agent ${i + 1}`,
      loginName: agentLogin(id),
      passwordHash,
      skills: [BENCH_SKILL.id],
      maxChats: chatsPerAgent,
      availability: 'Online',
    });
    await store.setAgentAvailability(BENCH_ACCOUNT, id, 'Online');
  }
}

/** Opens `opts.chats` accepted chats; returns what the load generator needs to address them. */
export async function seedChats(store: ChatStore, opts: SeedOptions): Promise<SeededChat[]> {
  const out: SeededChat[] = [];
  const t0 = opts.lastUpdate;
  for (let i = 0; i < opts.chats; i++) {
    const agentId = agentIdOf(i, opts.chatsPerAgent);
    const startTime = t0 - 120_000;
    const chat: Chat = {
      accountId: BENCH_ACCOUNT,
      id: randomIds.chatId(),
      state: 'chatting',
      skillId: BENCH_SKILL.id,
      agentId,
      ringingAgentId: null,
      queuedAt: startTime,
      startTime,
      acceptedAt: startTime + 8_000,
      endTime: null,
      lastUpdate: t0,
      chatTimeout: opts.chatTimeout,
      visitorId: randomIds.visitorId(),
      visitorName: `Visitor ${i + 1}`,
      visitorTypingUntil: null,
      agentTypingUntil: null,
      rtSessionId: rtSessionIdOf(await store.nextAccountSequence(BENCH_ACCOUNT)),
      origin: {
        sharkVisitorId: randomIds.token(),
        sharkSessionId: randomIds.token(),
        sharkContextId: '1',
        engagementId: '43224021',
        campaignId: '92887331',
        language: 'en-US',
        visitorIp: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      },
      nextEventId: 0,
      version: 1,
    };
    const w = new EventWriter(chat, startTime);
    w.state('waiting');
    w.system(SystemMessage.routing, systemTexts.routing());
    w.system(SystemMessage.preChatLine, 'Order number: 100-2231');
    w.state('chatting', startTime + 8_000);
    w.system(SystemMessage.accepted, systemTexts.accepted(`Agent ${agentId - FIRST_AGENT_ID + 1}`), startTime + 8_000);
    w.line({ text: 'Hi, my parcel has not arrived yet.', textType: 'plain', by: chat.visitorName ?? undefined, source: 'visitor' }, startTime + 20_000);
    w.line({ text: 'Sorry to hear that. Let me check the tracking for you.', textType: 'plain', by: `Agent ${agentId - FIRST_AGENT_ID + 1}`, source: 'agent' }, startTime + 45_000);
    w.line({ text: 'Thanks!', textType: 'plain', by: chat.visitorName ?? undefined, source: 'visitor' }, startTime + 60_000);
    await store.createChat(chat, w.events);
    out.push({ id: chat.id, agentId, nextEventId: chat.nextEventId });
  }
  return out;
}
