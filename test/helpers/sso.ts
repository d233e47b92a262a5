// An identity provider the test owns (spec §4.7b): a key pair generated per run, tokens signed
// with it, and the provisioning that trusts it. Nothing is fetched; nothing is fixed in the repo.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type { IdentityProvider, SsoAlgorithm } from '../../src/chat/core/types.ts';
import type { Provisioning } from '../../src/provisioning/provisioning.ts';
import { BASE, KEY_HEADER, type TestApp } from './app.ts';

export const ISSUER = 'https://idp.brand.example';
export const AUDIENCE = 'serverchat-visitors';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface Idp {
  alg: SsoAlgorithm;
  /** As provisioning stores it (publicKey form). */
  provider: IdentityProvider;
  publicPem: string;
  publicJwk: Record<string, unknown>;
  /** A token signed by this provider; `exp` in seconds from the clock's `now` (ms). */
  token(now: number, claims?: JWTPayload, opts?: { expiresIn?: number; audience?: string; issuer?: string; noExp?: boolean }): Promise<string>;
}

export async function makeIdp(alg: SsoAlgorithm = 'RS256'): Promise<Idp> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicPem = await exportSPKI(publicKey);
  const publicJwk = { ...(await exportJWK(publicKey)), alg, kid: `test-${alg}` };
  return {
    alg,
    publicPem,
    publicJwk,
    provider: { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg], publicKey: publicPem },
    token: (now, claims = {}, opts = {}) => sign(privateKey, alg, now, claims, opts),
  };
}

async function sign(key: PrivateKey, alg: SsoAlgorithm, now: number, claims: JWTPayload, opts: { expiresIn?: number; audience?: string; issuer?: string; noExp?: boolean }): Promise<string> {
  const iat = Math.floor(now / 1000);
  const jwt = new SignJWT({ sub: 'visitor-1', ...claims })
    .setProtectedHeader({ alg, kid: `test-${alg}` })
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt(iat);
  if (!opts.noExp) jwt.setExpirationTime(iat + (opts.expiresIn ?? 600));
  return jwt.sign(key);
}

/** Every account of `p` trusts `idp`. */
export function trusting(p: Provisioning, idp: Idp): Provisioning {
  return { accounts: p.accounts.map((a) => ({ ...a, identityProvider: idp.provider })) };
}

/** The vendor's SDE claim (lp_sdes): customer info and personal info. */
export const SDES = {
  lp_sdes: [
    {
      type: 'ctmrinfo',
      info: { cstatus: 'gold', ctype: 'vip', customerId: 'cust-138766AC', balance: -400.99, socialId: '11256324780', imei: '3543546543545688', userName: 'user000', companySize: 500, accountName: 'bank corp', role: 'broker', lastPaymentDate: { day: 15, month: 10, year: 2014 }, registrationDate: { day: 23, month: 5, year: 2013 } },
    },
    { type: 'personal', personal: { firstname: 'John', lastname: 'Doe', contacts: [{ email: 'john@example.com', phone: '+1 212-788-8877' }] } },
  ],
};

export interface VisitorIds {
  participantId: string;
  conversationId: string;
}

/** Visitor Authentication with a fresh valid token; the ids it answers. */
export async function authenticated(t: TestApp, idp: Idp, claims: JWTPayload = SDES, opts: { base?: string; headers?: Record<string, string> } = {}): Promise<VisitorIds> {
  const ssoKey = await idp.token(t.clock.now(), claims);
  const res = await t.inject({ method: 'POST', url: `${opts.base ?? BASE}/conversation.json?v=1&NC=true`, headers: opts.headers ?? KEY_HEADER, payload: { ssoKey, engagementId: 567609310 } });
  if (res.statusCode !== 200) throw new Error(`visitor authentication failed: ${res.statusCode} ${res.body}`);
  return res.json() as VisitorIds;
}
