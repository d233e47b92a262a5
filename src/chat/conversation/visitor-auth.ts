// Visitor Authentication (spec §4.7b): an authenticated (SSO) visitor trades the ssoKey its
// identity provider issued for the participantId and conversationId it then passes to Start
// Chat. serverchat talks to no identity provider: the key is taken as proof (compatibility.md).
import type { Ids } from '../../ids.ts';

export interface VisitorAuthRequest {
  ssoKey: string;
  authChatConnId?: number;
  engagementId?: number;
  redirectUri?: string;
}

export interface VisitorAuthentication {
  participantId: string;
  conversationId: string;
}

/** Fresh GUIDs for the conversation about to start and the visitor taking part in it. */
export function authenticateVisitor(ids: Ids, _request: VisitorAuthRequest): VisitorAuthentication {
  return { participantId: ids.uuid(), conversationId: ids.uuid() };
}
