// Reset and runtime provisioning for the control plane (issue 13 §1; docs/testing.md), and
// the one fault that is a domain action: ending a chat "as if the service had" (§5).
import type { ChatStore } from '../../store/store.ts';
import { ApiError } from '../../errors.ts';
import { applyProvisioning, parseProvisioning } from '../../provisioning/provisioning.ts';
import type { BotAgents } from '../agents/bots.ts';
import { NO_CHANGE, type ChatWriter } from '../core/chat-writer.ts';
import { isOpen } from '../core/states.ts';
import { SystemMessage, systemTexts } from '../core/system-messages.ts';
import { DeadlineScheduler } from '../core/timers.ts';
import type { Account, Agent, BotScript, SurveySet } from '../core/types.ts';
import type { Router } from '../routing/router.ts';

/** The provisioning in force, as a document of the `--provision` schema without secrets. */
export interface ProvisioningView {
  accounts: Array<{
    id: string;
    appKeys: string[];
    chatTimeout: number;
    language: string;
    skills: Array<{ id: number; name: string; surveys?: SurveySet }>;
    surveys?: SurveySet;
    agents: Array<{
      id: number;
      name: string;
      loginName: string;
      skills: number[];
      maxChats: number;
      displayName?: string;
      email?: string;
      privilegeGroup?: string;
      /** Only the app key of an application login: its secrets are not kept in clear. */
      appLogin?: { appKey: string };
      bot?: BotScript;
    }>;
  }>;
}

export type ProvisionResult = { ok: true; value: ProvisioningView } | { ok: false; problems: string[] };

export interface AdministrationDeps {
  store: ChatStore;
  timeouts: DeadlineScheduler;
  writer: ChatWriter;
  router: Router;
  bots: BotAgents;
}

export class Administration {
  private readonly d: AdministrationDeps;

  constructor(deps: AdministrationDeps) {
    this.d = deps;
  }

  /**
   * Back to the provisioned state: the account's (or every account's) chats, events,
   * sessions, tokens and offline surveys deleted, their timers cancelled, every person
   * Offline and every bot Online again.
   */
  async reset(accountId: string | null): Promise<void> {
    const { store, timeouts, bots } = this.d;
    if (accountId !== null && !(await store.getAccount(accountId))) throw new ApiError('not-found', `no account ${accountId}`);
    await store.withLock('provisioning', async () => {
      await store.deleteActivity(accountId);
      timeouts.cancelWhere((key) => accountId === null || DeadlineScheduler.idOf(key).startsWith(`${accountId}/`));
      bots.forget(accountId);
      const accounts = accountId === null ? (await store.listAccounts()).map((a) => a.id) : [accountId];
      for (const id of accounts) {
        for (const agent of await store.listAgents(id)) {
          const fresh = agent.bot ? 'Online' : 'Offline';
          if (agent.availability !== fresh || agent.chatReasonId !== undefined) await store.setAgentAvailability(id, agent.id, fresh, null);
        }
      }
    });
  }

  /** What is provisioned now, read from the store (no password or secret hashes). */
  async provisioning(): Promise<ProvisioningView> {
    const { store } = this.d;
    const accounts: ProvisioningView['accounts'] = [];
    for (const a of await store.listAccounts()) accounts.push(view(a, await store.listAgents(a.id)));
    return { accounts };
  }

  /** Checks the document whole and applies it only when it has no problem; bots wake, queues route. */
  async provision(input: unknown): Promise<ProvisionResult> {
    const parsed = parseProvisioning(input);
    if (!parsed.ok) return parsed;
    const { store, bots, router } = this.d;
    await store.withLock('provisioning', () => applyProvisioning(store, parsed.value));
    for (const a of parsed.value.accounts) {
      await bots.wake(a.id);
      await router.route(a.id);
    }
    return { ok: true, value: await this.provisioning() };
  }

  /** Ends an open chat with a system line, as the hosted service did on its own (a fault rule). */
  async endChat(accountId: string, chatId: string): Promise<void> {
    const { writer, router } = this.d;
    await writer.mutate(accountId, chatId, (chat, w) => {
      if (!isOpen(chat.state)) return NO_CHANGE;
      w.system(SystemMessage.disconnected, systemTexts.serviceEnded());
      writer.end(chat, w, 'system');
      return chat;
    });
    await router.route(accountId);
  }
}

function view(a: Account, agents: Agent[]): ProvisioningView['accounts'][number] {
  const skillSurveys = a.surveys?.skills ?? {};
  const accountSurveys = a.surveys?.account;
  return {
    id: a.id,
    appKeys: a.appKeys,
    chatTimeout: a.chatTimeout,
    language: a.language,
    skills: a.skills.map((s) => ({ ...s, ...(skillSurveys[String(s.id)] ? { surveys: skillSurveys[String(s.id)] } : {}) })),
    ...(accountSurveys && Object.keys(accountSurveys).length > 0 ? { surveys: accountSurveys } : {}),
    agents: agents.map((g) => ({
      id: g.id,
      name: g.name,
      loginName: g.loginName,
      skills: g.skills,
      maxChats: g.maxChats,
      ...(g.displayName !== undefined ? { displayName: g.displayName } : {}),
      ...(g.email !== undefined ? { email: g.email } : {}),
      ...(g.privilegeGroup !== undefined ? { privilegeGroup: g.privilegeGroup } : {}),
      ...(g.appLogin ? { appLogin: { appKey: g.appLogin.appKey } } : {}),
      ...(g.bot ? { bot: g.bot } : {}),
    })),
  };
}
