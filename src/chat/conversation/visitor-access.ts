// Who the visitor side is talking to (spec §1.2, §4.7b): the account an app key or a visitor
// bearer opens, and Visitor Authentication, which verifies the ssoKey and records the identity
// Start Chat may then claim. Accounts are read through the store's cache.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { ApiError } from '../../errors.ts';
import type { Ids } from '../../ids.ts';
import type { ChatStore } from '../../store/store.ts';
import { DEFAULT_ALLOWED_ORIGINS, type AllowedOrigins } from '../core/client-settings.ts';
import type { Account, Agent } from '../core/types.ts';
import { verifyVisitorToken, type VisitorAuthentication, type VisitorAuthRequest } from './visitor-auth.ts';

/** sha256 hex of a visitor bearer: provisioning stores only this (provisioning.ts). */
export function hashVisitorToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function knownHash(hashes: string[], token: string): boolean {
  const h = Buffer.from(hashVisitorToken(token), 'hex');
  return hashes.some((x) => {
    const b = Buffer.from(x, 'hex');
    return b.length === h.length && timingSafeEqual(b, h);
  });
}

export class VisitorAccess {
  private readonly store: ChatStore;
  private readonly ids: Ids;
  private readonly clock: Clock;

  constructor(deps: { store: ChatStore; ids: Ids; clock: Clock }) {
    this.store = deps.store;
    this.ids = deps.ids;
    this.clock = deps.clock;
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
    // The same answer for an unknown account, so account ids cannot be probed.
    if (!account) throw new ApiError('unauthorized', `the bearer is not valid for account ${accountId}`);
    if (account.visitorTokenHashes && knownHash(account.visitorTokenHashes, bearer)) return account;
    // Otherwise a visitor JWT its identity provider signed, as Visitor Authentication verifies it.
    if (account.identityProvider && bearer.split('.').length === 3) {
      await verifyVisitorToken(account.identityProvider, bearer, this.clock.now()).catch((err: unknown) => {
        throw new ApiError('unauthorized', `the bearer is not valid for account ${accountId}: ${err instanceof ApiError ? (err.detail ?? err.message) : 'not verified'}`);
      });
      return account;
    }
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

  /**
   * Visitor Authentication (spec §4.7b): verifies the ssoKey (401 `bad-sso-key` saying why) and
   * records a fresh participantId bound to what it said, for Start Chat, until the token expires.
   */
  async authenticate(account: Account, request: VisitorAuthRequest): Promise<VisitorAuthentication> {
    const now = this.clock.now();
    const { visitor, expiresAt } = await verifyVisitorToken(account.identityProvider, request.ssoKey, now);
    const identity = { accountId: account.id, participantId: this.ids.uuid(), conversationId: this.ids.uuid(), expiresAt, visitor };
    // Identities past their token's expiry go here: authentications are rare next to polls.
    await this.store.deleteExpiredVisitorIdentities(now);
    await this.store.putVisitorIdentity(identity);
    return { participantId: identity.participantId, conversationId: identity.conversationId };
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
