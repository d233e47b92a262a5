// Visitor Authentication (spec §4.7b): an authenticated (SSO) visitor trades the ssoKey — the
// implicit-flow JWT its identity provider issued — for the participantId and conversationId it
// then passes to Start Chat. The key is verified against the key material the account was
// provisioned with (a public key or a JWKS read from a local file; no network fetch), its
// issuer and its audience; its claims become the SDEs Retrieve Participant Info shows.
import { createPublicKey } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ApiError } from '../../errors.ts';
import type { AuthenticatedVisitor, IdentityProvider } from '../core/types.ts';

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

export interface VerifiedToken {
  visitor: AuthenticatedVisitor;
  /** The token's `exp`, in epoch milliseconds. */
  expiresAt: number;
}

type Key = Parameters<typeof jwtVerify>[1];

function keyOf(idp: IdentityProvider): Key | JWTVerifyGetKey {
  if (idp.jwks) return createLocalJWKSet(idp.jwks);
  // Provisioning checked the PEM; a KeyObject verifies with whichever listed algorithm fits it.
  return createPublicKey(idp.publicKey ?? '');
}

/** Why a token failed, in words a client's developer can act on (jose's codes). */
function why(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired ("exp" is past)';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'the token is not for this account ("aud" is not the provisioned audience)';
    if (err.claim === 'iss') return 'the token is from another issuer ("iss" is not the provisioned issuer)';
    if (err.claim === 'exp') return 'the token has no expiry ("exp" is required)';
    return `the token's "${err.claim}" claim is not valid (${err.reason})`;
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the signature does not verify with the identity provider\'s key';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm the account does not accept';
  if (err instanceof errors.JWKSNoMatchingKey) return 'no key of the identity provider\'s JWKS matches the token';
  if (err instanceof errors.JOSEError) return `the token is not a valid JWT (${err.message})`;
  return 'the token is not a valid JWT';
}

/** Verifies a visitor's JWT at `now` (ms); throws 401 `bad-sso-key` saying why. */
export async function verifyVisitorToken(idp: IdentityProvider | undefined, token: string, now: number): Promise<VerifiedToken> {
  if (!idp) throw new ApiError('bad-sso-key', 'this account has no identity provider provisioned');
  let payload: JWTPayload;
  try {
    const key = keyOf(idp);
    const options = { issuer: idp.issuer, audience: idp.audience, algorithms: idp.algorithms, currentDate: new Date(now), requiredClaims: ['exp'] };
    payload = (typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options)).payload;
  } catch (err) {
    throw new ApiError('bad-sso-key', why(err));
  }
  return { visitor: sdesOf(payload), expiresAt: (payload.exp as number) * 1000 };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function date(v: unknown): Obj | undefined {
  if (!isObj(v)) return undefined;
  const out: Obj = {};
  for (const k of ['year', 'month', 'day']) if (typeof v[k] === 'number') out[k] = v[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The vendor's customer-info SDE (`ctmrinfo`) keys → Retrieve Participant Info's (agent API §4.24). */
const CUSTOMER_INFO: Array<[string, string]> = [
  ['balance', 'balance'],
  ['customerId', 'customerId'],
  ['cstatus', 'customerStatus'],
  ['ctype', 'customerType'],
  ['socialId', 'socialId'],
  ['imei', 'imei'],
  ['userName', 'userName'],
  ['companySize', 'companySize'],
  ['accountName', 'accountName'],
  ['role', 'role'],
];

/**
 * The token's SDEs: the vendor's `lp_sdes` claim, a list of `{type: "ctmrinfo", info: {…}}`
 * and `{type: "personal", personal: {…}}`. `customerId` defaults to the token's `sub`.
 * Anything else in the token is not shown (compatibility.md).
 */
export function sdesOf(payload: JWTPayload): AuthenticatedVisitor {
  const sdes = Array.isArray(payload.lp_sdes) ? (payload.lp_sdes as unknown[]).filter(isObj) : [];
  const ctmr = sdes.find((s) => s.type === 'ctmrinfo')?.info;
  const personal = sdes.find((s) => s.type === 'personal')?.personal;
  const participantInfo: Obj = {};
  if (isObj(ctmr)) {
    for (const [from, to] of CUSTOMER_INFO) if (scalar(ctmr[from])) participantInfo[to] = ctmr[from];
    for (const k of ['registrationDate', 'lastPaymentDate']) {
      const d = date(ctmr[k]);
      if (d) participantInfo[k] = d;
    }
  }
  if (participantInfo.customerId === undefined && typeof payload.sub === 'string') participantInfo.customerId = payload.sub;
  const out: AuthenticatedVisitor = { participantInfo };
  if (isObj(personal)) {
    const info: Obj = {};
    if (scalar(personal.firstname)) info.name = personal.firstname;
    if (scalar(personal.lastname)) info.surname = personal.lastname;
    const contacts = Array.isArray(personal.contacts)
      ? (personal.contacts as unknown[]).filter(isObj).map((c) => Object.fromEntries(['email', 'phone'].filter((k) => scalar(c[k])).map((k) => [k, c[k]])))
      : [];
    if (contacts.length > 0) info.contacts = contacts;
    if (Object.keys(info).length > 0) out.personalInfo = info;
  }
  return out;
}
