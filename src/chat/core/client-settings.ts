// What an account says about the clients it serves (docs/provisioning.md "Clients"): the
// browser origins that may call it cross-origin, and the compatibility modes of its JSON.
// Domain types; reading them from a provisioning document is provisioning/client-settings.ts.

/** Origins allowed to call cross-origin, per side; "*" is any origin. */
export interface AllowedOrigins {
  visitor: string[];
  agent: string[];
}

/** Default: any origin on the visitor API (widgets run on customers' sites), none on the agent API. */
export const DEFAULT_ALLOWED_ORIGINS: AllowedOrigins = { visitor: ['*'], agent: [] };

export type LinkKeys = '@' | 'plain';
export type Lists = 'collapse' | 'always';
export type SystemMessageId = 'number' | 'string';

export interface Compatibility {
  /** `@href`/`@rel` in JSON (default) or `href`/`rel`. */
  linkKeys: LinkKeys;
  /** A one-item list as the item (default, the vendor's mapping) or always an array. */
  lists: Lists;
  /** A system line's `systemMessageId` as a number (default) or a string. */
  systemMessageId: SystemMessageId;
}

export const DEFAULT_COMPATIBILITY: Compatibility = { linkKeys: '@', lists: 'collapse', systemMessageId: 'number' };
