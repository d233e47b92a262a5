// Transfer a chat (agent API §4.20, §4.21; spec §3): the agent holding a chat hands it to a
// skill (system line 15) or to one agent (line 13). Either way the chat goes back to
// `waiting` with its history, the transferring agent loses it, and it rings for the target
// agent at once or is routed to the skill's agents; the visitor sees `chatting` again, with
// the new agent's name, when someone accepts. A note (`text`) reaches agents only.
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { ChatStore } from '../../store/store.ts';
import type { ChatService } from '../conversation/chat-service.ts';
import type { ChatWriter } from '../core/chat-writer.ts';
import type { Router } from './router.ts';
import { freeCapacity } from './routing.ts';
import { isOpen, move } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import type { Agent, Chat, Skill } from '../core/types.ts';

export interface TransferSkill {
  skill: Skill;
  /** Agents who could take the chat there: Online or Occupied, with the skill, not the holder. */
  onlineAgents: number;
}

/** Where to: `agentId` wins when both are given (agent API §4.21). */
export interface TransferTarget {
  skillId?: number;
  agentId?: number;
  /** A note for the receiving agent only. */
  text?: string;
}

const takesTransfers = (a: Agent): boolean => a.availability === 'Online' || a.availability === 'Occupied';

/** Only the agent holding an open chat may transfer it (or ask where to). */
function requireHolder(chat: Chat, agent: Agent): void {
  if (chat.agentId !== agent.id) {
    if (chat.ringingAgentId === agent.id) throw new ApiError('not-chatting', `accept chat ${chat.id} before transferring it`);
    throw new ApiError('forbidden', `chat ${chat.id} is not this agent's`);
  }
  if (!isOpen(chat.state)) throw new ApiError('chat-ended');
  if (chat.state !== 'chatting') throw new ApiError('not-chatting', `chat ${chat.id} is ${chat.state}`);
}

export interface TransfersDeps {
  store: ChatStore;
  clock: Clock;
  writer: ChatWriter;
  router: Router;
  chats: ChatService;
}

export class Transfers {
  private readonly store: ChatStore;
  private readonly clock: Clock;
  private readonly writer: ChatWriter;
  private readonly router: Router;
  private readonly chats: ChatService;

  constructor(deps: TransfersDeps) {
    this.store = deps.store;
    this.clock = deps.clock;
    this.writer = deps.writer;
    this.router = deps.router;
    this.chats = deps.chats;
  }

  /** Skills with at least one agent, other than the holder, who could take the chat (§4.20). */
  async availableSkills(accountId: string, chatId: string, agent: Agent): Promise<TransferSkill[]> {
    const chat = await this.chats.getChat(accountId, chatId);
    requireHolder(chat, agent);
    const account = await this.store.getAccount(accountId);
    const others = (await this.store.listAgents(accountId)).filter((a) => a.id !== agent.id && takesTransfers(a));
    const out: TransferSkill[] = [];
    for (const skill of account?.skills ?? []) {
      const onlineAgents = others.filter((a) => a.skills.includes(skill.id)).length;
      if (onlineAgents > 0) out.push({ skill, onlineAgents });
    }
    return out;
  }

  /** Transfers the chat (§4.21); nothing changes when the target cannot take it. */
  async transfer(accountId: string, chatId: string, agent: Agent, target: TransferTarget): Promise<Chat> {
    const { store, writer, router } = this;
    requireHolder(await this.chats.getChat(accountId, chatId), agent);
    let toAgent: Agent | null = null;
    let toSkill: Skill | null = null;
    if (target.agentId !== undefined) {
      toAgent = await store.getAgent(accountId, target.agentId);
      if (!toAgent) throw new ApiError('unknown-agent', `id ${target.agentId}`);
      if (toAgent.id === agent.id) throw new ApiError('transfer-unavailable', 'a chat cannot be transferred to the agent holding it');
      if (!takesTransfers(toAgent)) throw new ApiError('transfer-unavailable', `agent ${toAgent.id} is ${toAgent.availability}`);
      const load = (await store.listAgentChats(accountId, toAgent.id)).length;
      if (freeCapacity(toAgent, load) <= 0) throw new ApiError('transfer-unavailable', `agent ${toAgent.id} has no free slot`);
    } else if (target.skillId !== undefined) {
      const account = await store.getAccount(accountId);
      toSkill = account?.skills.find((s) => s.id === target.skillId) ?? null;
      if (!toSkill) throw new ApiError('unknown-skill', `id ${target.skillId}`);
      const available = await this.availableSkills(accountId, chatId, agent);
      if (!available.some((s) => s.skill.id === target.skillId)) throw new ApiError('transfer-unavailable', `no other agent with skill ${toSkill.id} is online`);
    } else {
      throw new ApiError('bad-body', 'transfer needs skill.id or agent.id');
    }
    const chat = await writer.mutate(accountId, chatId, (c, w) => {
      requireHolder(c, agent);
      if (toAgent) w.system(SystemMessage.transferredToAgent, systemTexts.transferredToAgent(toAgent.name));
      else if (toSkill) w.system(SystemMessage.transferredToSkill, systemTexts.transferredToSkill(toSkill.name));
      c.state = move(c.state, 'requeue', 'agent');
      w.state('waiting');
      if (target.text !== undefined && target.text.trim() !== '') {
        w.line({ text: target.text, textType: 'plain', by: agent.name, source: 'agent', subType: 'ONLY_TO_REP' });
      }
      c.agentId = null;
      c.agentTypingUntil = null;
      c.transferredFromAgentId = agent.id;
      // The agent's choice replaces the visitor's Start Chat `agent`.
      c.requestedAgentId = null;
      if (toSkill) c.skillId = toSkill.id;
      if (toAgent) {
        c.ringingAgentId = toAgent.id;
        c.ringingSince = this.clock.now();
      }
      return c;
    });
    router.arm(chat);
    await router.route(accountId);
    return chat;
  }
}
