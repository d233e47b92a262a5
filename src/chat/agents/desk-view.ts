// What the agent console needs that the vendor's Chat Agent API does not offer (issue 15;
// docs/compatibility.md "Serverchat extensions"): a preview of each chat ringing for the
// agent (incomingRequests §4.7 gives only a count) and the account's canned responses.
// Read-only, and only what concerns this agent: chats ringing for it, its own account.
import type { ChatStore } from '../../store/store.ts';
import type { Clock } from '../../clock.ts';
import type { Agent, CannedResponse, Chat } from '../core/types.ts';
import { SystemMessage } from '../core/system-messages.ts';

export interface RingingPreview {
  chatId: string;
  visitorName: string | null;
  skillName: string | null;
  /** The visitor's first line (the pre-chat question), if any. */
  question: string | null;
  /** When the chat entered the queue (ms): the visitor's wait so far. */
  queuedAt: number;
  /** When this offer stops ringing for the agent (ms; agent API §3 ring timeout). */
  ringsUntil: number | null;
}

export interface DeskView {
  now: number;
  ringTimeout: number;
  ringing: RingingPreview[];
  cannedResponses: CannedResponse[];
}

/** An earlier chat of the same visitor (same visitorId: spec §4.7 `visitorId` links them). */
export interface PreviousChat {
  chatId: string;
  state: Chat['state'];
  startTime: number;
  endTime: number | null;
  skillName: string | null;
  agentName: string | null;
  visitorName: string | null;
}

/**
 * How many of the account's most recent chats are searched for the visitor's earlier ones:
 * a bound on the work of one request, not a setting — the console shows recent history only
 * (docs/compatibility.md "Serverchat extensions").
 */
export const PREVIOUS_CHATS_SCAN = 500;
/** At most this many earlier chats are answered. */
export const PREVIOUS_CHATS_MAX = 10;

export class DeskViews {
  private readonly d: {
    store: ChatStore;
    clock: Clock;
    ringTimeout: number;
    ringing: (accountId: string, agentId: number) => Promise<Chat[]>;
    /** The chat if the agent may read it (held or ringing), else the usual 403/404 (ChatViews.agentChat). */
    agentChat: (agent: Agent, chatId: string) => Promise<Chat>;
  };

  constructor(d: DeskViews['d']) {
    this.d = d;
  }

  async view(accountId: string, agentId: number): Promise<DeskView> {
    const { store, clock, ringTimeout } = this.d;
    const [account, ringing] = await Promise.all([store.getAccount(accountId), this.d.ringing(accountId, agentId)]);
    const skills = new Map((account?.skills ?? []).map((s) => [s.id, s.name]));
    const previews = await Promise.all(
      ringing.map(async (c): Promise<RingingPreview> => {
        // The question: the request's first pre-chat line (a system line, spec §4.9 id 0),
        // else the visitor's first own line.
        const events = await store.listEvents(accountId, c.id, 0);
        const first =
          events.find((e) => e.type === 'line' && e.source === 'system' && e.systemMessageId === SystemMessage.preChatLine) ??
          events.find((e) => e.type === 'line' && e.source === 'visitor');
        return {
          chatId: c.id,
          visitorName: c.visitorName,
          skillName: c.skillId === null ? null : (skills.get(c.skillId) ?? null),
          question: first && first.type === 'line' ? first.text.slice(0, 500) : null,
          queuedAt: c.queuedAt,
          ringsUntil: c.ringingSince ? c.ringingSince + ringTimeout * 1000 : null,
        };
      }),
    );
    return { now: clock.now(), ringTimeout, ringing: previews, cannedResponses: account?.cannedResponses ?? [] };
  }
  /** The visitor's earlier chats, newest first, for a chat the agent holds or has ringing. */
  async previousChats(agent: Agent, chatId: string): Promise<PreviousChat[]> {
    const { store } = this.d;
    const chat = await this.d.agentChat(agent, chatId);
    const [account, recent, agents] = await Promise.all([store.getAccount(agent.accountId), store.listChats(agent.accountId, null, PREVIOUS_CHATS_SCAN), store.listAgents(agent.accountId)]);
    const skills = new Map((account?.skills ?? []).map((s) => [s.id, s.name]));
    const names = new Map(agents.map((a) => [a.id, a.name]));
    return recent
      .filter((c) => c.id !== chat.id && c.visitorId === chat.visitorId && c.startTime <= chat.startTime)
      .slice(0, PREVIOUS_CHATS_MAX)
      .map((c) => ({
        chatId: c.id,
        state: c.state,
        startTime: c.startTime,
        endTime: c.endTime,
        skillName: c.skillId === null ? null : (skills.get(c.skillId) ?? null),
        agentName: c.agentId === null ? null : (names.get(c.agentId) ?? null),
        visitorName: c.visitorName,
      }));
  }
}
