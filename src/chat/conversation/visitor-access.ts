// Who the visitor side is talking to (spec §1.2, §4.7b): the account an app key opens, and
// Visitor Authentication's fresh ids. Accounts are read through the store's cache.
import { ApiError } from '../../errors.ts';
import type { Ids } from '../../ids.ts';
import type { ChatStore } from '../../store/store.ts';
import { DEFAULT_ALLOWED_ORIGINS, type AllowedOrigins } from '../core/client-settings.ts';
import type { Account, Agent } from '../core/types.ts';
import { authenticateVisitor, type VisitorAuthentication, type VisitorAuthRequest } from './visitor-auth.ts';

export class VisitorAccess {
  private readonly store: ChatStore;
  private readonly ids: Ids;

  constructor(deps: { store: ChatStore; ids: Ids }) {
    this.store = deps.store;
    this.ids = deps.ids;
  }

  /** The account in the path, when the key is one of its app keys (spec §1.2). */
  async account(accountId: string, appKey: string): Promise<Account> {
    const account = await this.store.getAccount(accountId);
    if (!account || !account.appKeys.includes(appKey)) throw new ApiError('unauthorized', `the app key is not valid for account ${accountId}`);
    return account;
  }

  /** The account in the path, when the bearer is one it accepts from visitors (spec §1.2). */
  async accountByBearer(accountId: string, bearer: string): Promise<Account> {
    const account = await this.store.getAccount(accountId);
    if (!account) throw new ApiError('unauthorized', `the bearer is not valid for account ${accountId}`);
    throw new ApiError('unauthorized', `the bearer is not valid for account ${accountId}`);
  }

  /** Whether the account exists (the Domain API answers for provisioned accounts only). */
  async known(accountId: string): Promise<boolean> {
    return (await this.store.getAccount(accountId)) !== null;
  }

  /** Which origins may call the account cross-origin (CORS); the defaults for an unknown account. */
  async allowedOrigins(accountId: string): Promise<AllowedOrigins> {
    return (await this.store.getAccount(accountId))?.allowedOrigins ?? DEFAULT_ALLOWED_ORIGINS;
  }

  /** Visitor Authentication (spec §4.7b). */
  authenticate(request: VisitorAuthRequest): VisitorAuthentication {
    return authenticateVisitor(this.ids, request);
  }

  /**
   * The demo account and agent as stored now (the demo page's /web-config.json): null when
   * the account is gone or no longer has the demo key, so nothing is offered that fails.
   */
  async demo(accountId: string, appKey: string, agentId: number | null): Promise<{ account: Account; agent: Agent | null } | null> {
    const account = await this.store.getAccount(accountId);
    if (!account || !account.appKeys.includes(appKey)) return null;
    return { account, agent: agentId === null ? null : await this.store.getAgent(accountId, agentId) };
  }
}
