// Optional agent details a provisioning file may give (agent API §1.2, §4.4, §4.6): the
// names and e-mail the agents list shows, and a bot user's application-login credentials.
// provisioning.ts calls these two hooks; the secrets are stored hashed, like passwords.
import { appSecrets } from '../chat/agents/agent-desk.ts';
import { hashPassword, verifyPassword } from '../chat/agents/passwords.ts';
import type { Agent, AgentAppLogin } from '../chat/core/types.ts';

export const PROFILE_KEYS = ['displayName', 'email', 'privilegeGroup', 'appLogin'] as const;
const APP_FIELDS = ['appKey', 'secret', 'accessToken', 'accessTokenSecret'] as const;

export interface AgentProfile {
  displayName?: string;
  email?: string;
  privilegeGroup?: string;
  /** In clear in the file only; hashed when applied. */
  appLogin?: Record<(typeof APP_FIELDS)[number], string>;
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

/** Checks the optional fields of one provisioned agent; each problem goes to `bad`. */
export function parseProfile(g: Record<string, unknown>, bad: (msg: string) => void): AgentProfile {
  const out: AgentProfile = {};
  for (const k of ['displayName', 'email', 'privilegeGroup'] as const) {
    const v = g[k];
    if (v === undefined) continue;
    if (!isText(v, 200)) bad(`${k}: must be a non-empty string`);
    else out[k] = v;
  }
  const a = g.appLogin;
  if (a !== undefined) {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) bad('appLogin: must be an object with appKey, secret, accessToken, accessTokenSecret');
    else {
      const o = a as Record<string, unknown>;
      const missing = APP_FIELDS.filter((f) => !isText(o[f], 200));
      const unknown = Object.keys(o).filter((k) => !(APP_FIELDS as readonly string[]).includes(k));
      if (missing.length > 0) bad(`appLogin: ${missing.join(', ')} must be non-empty strings`);
      if (unknown.length > 0) bad(`appLogin.${unknown.join(', ')}: unknown field`);
      if (missing.length === 0 && unknown.length === 0) {
        out.appLogin = { appKey: o.appKey as string, secret: o.secret as string, accessToken: o.accessToken as string, accessTokenSecret: o.accessTokenSecret as string };
      }
    }
  }
  return out;
}

/** The stored form of a profile; an unchanged secret keeps its hash, so re-applying changes nothing. */
export async function storedProfile(p: AgentProfile, existing: Agent | null): Promise<Pick<Agent, 'displayName' | 'email' | 'privilegeGroup' | 'appLogin'>> {
  const out: Pick<Agent, 'displayName' | 'email' | 'privilegeGroup' | 'appLogin'> = {};
  if (p.displayName !== undefined) out.displayName = p.displayName;
  if (p.email !== undefined) out.email = p.email;
  if (p.privilegeGroup !== undefined) out.privilegeGroup = p.privilegeGroup;
  if (p.appLogin) {
    const secrets = appSecrets(p.appLogin);
    const old = existing?.appLogin;
    const keep = old !== undefined && old.appKey === p.appLogin.appKey && (await verifyPassword(secrets, old.secretsHash));
    const appLogin: AgentAppLogin = { appKey: p.appLogin.appKey, secretsHash: keep && old ? old.secretsHash : await hashPassword(secrets) };
    out.appLogin = appLogin;
  }
  return out;
}
