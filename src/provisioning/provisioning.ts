// The provisioning file (issue "A real chat end to end" §3; docs/configuration.md): accounts,
// their app keys, skills and agents. Checked whole first, every problem listed; applied
// idempotently (applying the same file twice changes nothing).
import type { ChatStore } from '../store/store.ts';
import { parseProfile, PROFILE_KEYS, storedProfile, type AgentProfile } from './agent-profile.ts';
import { demoSurveys } from './demo-surveys.ts';
import { parseAllowedOrigins, parseCompatibility, type AllowedOrigins, type Compatibility } from './client-settings.ts';
import { hashPassword, verifyPassword } from '../chat/agents/passwords.ts';
import { newSurveyScope, parseSurveySet } from './survey-provisioning.ts';
import { parseBotScript } from './bot-script.ts';
import { parseCannedResponses, type CannedResponse } from './canned-responses.ts';
import { IDENTITY_KEYS, parseIdentityProvider, parseVisitorTokens } from './visitor-identity.ts';
import type { Account, BotScript, IdentityProvider, SurveySet } from '../chat/core/types.ts';

export interface ProvisionedAgent {
  id: number;
  name: string;
  loginName: string;
  password: string;
  skills: number[];
  maxChats: number;
  /** Optional details and application login (agent-profile.ts). */
  profile?: AgentProfile;
  /** A scripted agent run inside the server (bot-script.ts). */
  bot?: BotScript;
}

export interface ProvisionedAccount {
  id: string;
  appKeys: string[];
  chatTimeout: number;
  language: string;
  /** A skill's own surveys win over the account's of the same kind. */
  skills: ProvisionedSkill[];
  agents: ProvisionedAgent[];
  /** The account's surveys (survey-provisioning.ts, docs/provisioning.md). */
  surveys?: SurveySet;
  /** Origins allowed cross-origin, per side (client-settings.ts). */
  allowedOrigins?: AllowedOrigins;
  /** JSON/XML compatibility modes (client-settings.ts). */
  compatibility?: Compatibility;
  /** Ready-made agent replies (canned-responses.ts). */
  cannedResponses?: CannedResponse[];
  /** Who signs the visitors' tokens (visitor-identity.ts); the JWKS file already read. */
  identityProvider?: IdentityProvider;
  /** sha256 of the visitor bearer tokens the account accepts (visitor-identity.ts). */
  visitorTokenHashes?: string[];
}

export interface ProvisionedSkill {
  id: number;
  name: string;
  surveys?: SurveySet;
}

export interface Provisioning {
  accounts: ProvisionedAccount[];
}

export const DEFAULT_CHAT_TIMEOUT = 40;
export const DEFAULT_LANGUAGE = 'en-US';

/** The account an empty store gets when no file is given (the seed's example values). */
export const demoProvisioning: Provisioning = {
  accounts: [
    {
      id: '12345678',
      appKeys: ['721c180b09eb463d9f3191c41762bb68'],
      chatTimeout: DEFAULT_CHAT_TIMEOUT,
      language: DEFAULT_LANGUAGE,
      skills: [{ id: 25975313, name: 'Sales' }],
      agents: [{ id: 25025413, name: 'Natalie', loginName: 'natalie', password: 'secret', skills: [25975313], maxChats: 4 }],
      surveys: demoSurveys,
      cannedResponses: [
        { shortcut: 'hello', text: 'Hello, thank you for contacting us. How can I help you today?' },
        { shortcut: 'moment', text: 'Thank you, one moment while I look into this for you.' },
        { shortcut: 'order', text: 'Could you give me your order number, please?' },
        { shortcut: 'bye', text: 'Thank you for chatting with us. Have a nice day!' },
      ],
    },
  ],
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max;

function checkKeys(o: Obj, allowed: string[], at: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${at}.${k}: unknown field`);
}

/** Returns the typed provisioning, or the list of every problem found. */
export function parseProvisioning(input: unknown, opts: { baseDir?: string } = {}): { ok: true; value: Provisioning } | { ok: false; problems: string[] } {
  // A relative jwksFile is read from beside the provisioning file (or the working directory).
  const baseDir = opts.baseDir ?? process.cwd();
  const problems: string[] = [];
  const accounts: ProvisionedAccount[] = [];
  if (!isObj(input) || !Array.isArray(input.accounts)) {
    return { ok: false, problems: ['the file must be a JSON object with an "accounts" array'] };
  }
  checkKeys(input, ['accounts'], '$', problems);
  const accountIds = new Set<string>();
  input.accounts.forEach((a: unknown, i: number) => {
    const at = `accounts[${i}]`;
    if (!isObj(a)) return void problems.push(`${at}: must be an object`);
    checkKeys(a, ['id', 'appKeys', 'chatTimeout', 'language', 'skills', 'agents', 'surveys', 'allowedOrigins', 'compatibility', 'cannedResponses', ...IDENTITY_KEYS], at, problems);
    const identityProvider = parseIdentityProvider(a.identityProvider, `${at}.identityProvider`, baseDir, problems);
    const visitorTokenHashes = parseVisitorTokens(a.visitorTokens, `${at}.visitorTokens`, problems);
    const cannedResponses = parseCannedResponses(a.cannedResponses, `${at}.cannedResponses`, problems);
    const allowedOrigins = parseAllowedOrigins(a.allowedOrigins, `${at}.allowedOrigins`, problems);
    const compatibility = parseCompatibility(a.compatibility, `${at}.compatibility`, problems);
    const id = a.id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) problems.push(`${at}.id: must be a string of letters, digits, "-" or "_" (e.g. "12345678")`);
    else if (accountIds.has(id)) problems.push(`${at}.id: account "${id}" appears twice`);
    else accountIds.add(id);
    const appKeys = a.appKeys;
    if (!Array.isArray(appKeys) || appKeys.length === 0 || !appKeys.every((k) => isText(k, 128) && /^[\x21-\x7e]+$/.test(k))) {
      problems.push(`${at}.appKeys: must be a non-empty array of printable strings without spaces`);
    }
    const chatTimeout = a.chatTimeout ?? DEFAULT_CHAT_TIMEOUT;
    if (!isInt(chatTimeout) || chatTimeout < 1 || chatTimeout > 86_400) problems.push(`${at}.chatTimeout: must be a whole number of seconds from 1 to 86400`);
    const language = a.language ?? DEFAULT_LANGUAGE;
    if (!isText(language, 35)) problems.push(`${at}.language: must be a language tag such as "en-US"`);
    const skills: ProvisionedSkill[] = [];
    const skillIds = new Set<number>();
    const surveyScope = newSurveyScope();
    if (!Array.isArray(a.skills ?? [])) problems.push(`${at}.skills: must be an array`);
    else
      ((a.skills ?? []) as unknown[]).forEach((s, j) => {
        const sat = `${at}.skills[${j}]`;
        if (!isObj(s)) return void problems.push(`${sat}: must be an object`);
        checkKeys(s, ['id', 'name', 'surveys'], sat, problems);
        const own = parseSurveySet(s.surveys, `${sat}.surveys`, surveyScope, problems);
        if (!isInt(s.id) || s.id <= 0) problems.push(`${sat}.id: must be a positive whole number`);
        else if (skillIds.has(s.id)) problems.push(`${sat}.id: skill ${s.id} appears twice`);
        if (!isText(s.name, 100)) problems.push(`${sat}.name: must be a non-empty string`);
        if (isInt(s.id) && isText(s.name, 100)) {
          skillIds.add(s.id);
          skills.push({ id: s.id, name: s.name, ...(Object.keys(own).length > 0 ? { surveys: own } : {}) });
        }
      });
    const agents: ProvisionedAgent[] = [];
    const agentIds = new Set<number>();
    const logins = new Set<string>();
    if (!Array.isArray(a.agents ?? [])) problems.push(`${at}.agents: must be an array`);
    else
      ((a.agents ?? []) as unknown[]).forEach((g, j) => {
        const gat = `${at}.agents[${j}]`;
        if (!isObj(g)) return void problems.push(`${gat}: must be an object`);
        checkKeys(g, ['id', 'name', 'loginName', 'password', 'skills', 'maxChats', 'bot', ...PROFILE_KEYS], gat, problems);
        let ok = true;
        const bad = (msg: string): void => {
          ok = false;
          problems.push(`${gat}.${msg}`);
        };
        if (!isInt(g.id) || g.id <= 0) bad('id: must be a positive whole number');
        else if (agentIds.has(g.id)) bad(`id: agent ${g.id} appears twice`);
        if (!isText(g.name, 100)) bad('name: must be a non-empty string');
        if (!isText(g.loginName, 100)) bad('loginName: must be a non-empty string');
        else if (logins.has(g.loginName)) bad(`loginName: "${g.loginName}" appears twice`);
        if (!isText(g.password, 200)) bad('password: must be a non-empty string');
        const gSkills = g.skills ?? [];
        if (!Array.isArray(gSkills) || !gSkills.every(isInt)) bad('skills: must be an array of skill ids');
        else for (const s of gSkills) if (!skillIds.has(s)) bad(`skills: ${s} is not a skill of this account`);
        const maxChats = g.maxChats ?? 4;
        if (!isInt(maxChats) || maxChats < -1 || maxChats === 0) bad('maxChats: must be a positive whole number, or -1 for unlimited');
        const profile = parseProfile(g, bad);
        const bot = g.bot === undefined ? null : parseBotScript(g.bot, skillIds, bad);
        if (ok) {
          agentIds.add(g.id as number);
          logins.add(g.loginName as string);
          agents.push({ id: g.id as number, name: g.name as string, loginName: g.loginName as string, password: g.password as string, skills: gSkills as number[], maxChats: maxChats as number, ...(Object.keys(profile).length > 0 ? { profile } : {}), ...(bot ? { bot } : {}) });
        }
      });
    const ownSurveys = parseSurveySet(a.surveys, `${at}.surveys`, surveyScope, problems);
    if (typeof id === 'string' && Array.isArray(appKeys)) {
      accounts.push({ id, appKeys: appKeys as string[], chatTimeout: chatTimeout as number, language: language as string, skills, agents, ...(Object.keys(ownSurveys).length > 0 ? { surveys: ownSurveys } : {}), ...(allowedOrigins ? { allowedOrigins } : {}), ...(compatibility ? { compatibility } : {}), ...(cannedResponses ? { cannedResponses } : {}), ...(identityProvider ? { identityProvider } : {}), ...(visitorTokenHashes ? { visitorTokenHashes } : {}) });
    }
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: { accounts } };
}

/** Writes the provisioning into the store; a second run with the same file changes nothing. */
export async function applyProvisioning(store: ChatStore, p: Provisioning): Promise<void> {
  for (const a of p.accounts) {
    const account: Account = { id: a.id, appKeys: a.appKeys, chatTimeout: a.chatTimeout, language: a.language, skills: a.skills.map(({ id, name }) => ({ id, name })), ...accountSurveys(a), ...(a.allowedOrigins ? { allowedOrigins: a.allowedOrigins } : {}), ...(a.compatibility ? { compatibility: a.compatibility } : {}), ...(a.cannedResponses ? { cannedResponses: a.cannedResponses } : {}), ...(a.identityProvider ? { identityProvider: a.identityProvider } : {}), ...(a.visitorTokenHashes ? { visitorTokenHashes: a.visitorTokenHashes } : {}) };
    await store.putAccount(account);
    for (const g of a.agents) {
      const existing = await store.getAgent(a.id, g.id);
      const keep = existing !== null && (await verifyPassword(g.password, existing.passwordHash));
      await store.putAgent({
        accountId: a.id,
        id: g.id,
        name: g.name,
        loginName: g.loginName,
        passwordHash: keep && existing ? existing.passwordHash : await hashPassword(g.password),
        skills: g.skills,
        maxChats: g.maxChats,
        // A bot is Online from the start (chat/agents/bots.ts); a person keeps what it had.
        availability: g.bot ? 'Online' : (existing?.availability ?? 'Offline'),
        ...(await storedProfile(g.profile ?? {}, existing)),
        ...(g.bot ? { bot: g.bot } : {}),
      });
    }
  }
}

/** The surveys an account record keeps: its own and its skills' (none: no field at all). */
function accountSurveys(a: ProvisionedAccount): Pick<Account, 'surveys'> {
  const skills = Object.fromEntries(a.skills.filter((s) => s.surveys).map((s) => [String(s.id), s.surveys as SurveySet]));
  if (!a.surveys && Object.keys(skills).length === 0) return {};
  return { surveys: { account: a.surveys ?? {}, skills } };
}
