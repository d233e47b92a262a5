// Per-account settings for the clients an account serves (docs/provisioning.md "Clients"):
// which browser origins may call it cross-origin (CORS), and the compatibility modes of its
// JSON and XML (docs/compatibility.md "Compatibility modes").

import { DEFAULT_ALLOWED_ORIGINS, DEFAULT_COMPATIBILITY, type AllowedOrigins, type Compatibility } from '../chat/core/client-settings.ts';

export { DEFAULT_ALLOWED_ORIGINS, DEFAULT_COMPATIBILITY, type AllowedOrigins, type Compatibility };

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "HTTPS://Shop.Example:443" -> "https://shop.example:443": origins compare in lower case. */
export const normalOrigin = (o: string): string => o.toLowerCase();

function originList(v: unknown, at: string, problems: string[]): string[] | null {
  if (!Array.isArray(v) || !v.every((o) => typeof o === 'string' && (o === '*' || ORIGIN.test(o)))) {
    problems.push(`${at}: must be an array of origins ("https://shop.example.com", with a port when not the default) or "*" for any`);
    return null;
  }
  return (v as string[]).map(normalOrigin);
}

export function parseAllowedOrigins(v: unknown, at: string, problems: string[]): AllowedOrigins | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) return void problems.push(`${at}: must be an object with "visitor" and/or "agent" arrays`);
  for (const k of Object.keys(v)) if (k !== 'visitor' && k !== 'agent') problems.push(`${at}.${k}: unknown key (use "visitor" or "agent")`);
  const visitor = v.visitor === undefined ? DEFAULT_ALLOWED_ORIGINS.visitor : originList(v.visitor, `${at}.visitor`, problems);
  const agent = v.agent === undefined ? DEFAULT_ALLOWED_ORIGINS.agent : originList(v.agent, `${at}.agent`, problems);
  return visitor && agent ? { visitor, agent } : undefined;
}

const CHOICES: { [K in keyof Compatibility]: readonly Compatibility[K][] } = {
  linkKeys: ['@', 'plain'],
  lists: ['collapse', 'always'],
  systemMessageId: ['number', 'string'],
};

export function parseCompatibility(v: unknown, at: string, problems: string[]): Compatibility | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) return void problems.push(`${at}: must be an object`);
  const out: Compatibility = { ...DEFAULT_COMPATIBILITY };
  for (const [k, val] of Object.entries(v)) {
    const choices = (CHOICES as Record<string, readonly string[]>)[k];
    if (!choices) problems.push(`${at}.${k}: unknown key (use ${Object.keys(CHOICES).join(', ')})`);
    else if (typeof val !== 'string' || !choices.includes(val)) problems.push(`${at}.${k}: must be ${choices.map((c) => `"${c}"`).join(' or ')}`);
    else (out as unknown as Record<string, string>)[k] = val;
  }
  return out;
}
