// Per-account visitor authentication (docs/provisioning.md "Authenticated visitors"): the
// identity provider whose JWTs Visitor Authentication verifies (spec §4.7b) — a PEM public key
// or a JWKS read from a local file (never fetched), its issuer, audience and algorithms — and
// visitor bearer tokens the account accepts besides (spec §1.2). Every problem is listed.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { hashVisitorToken } from '../chat/conversation/visitor-access.ts';
import type { IdentityProvider, SsoAlgorithm } from '../chat/core/types.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= max;

export const IDENTITY_KEYS = ['identityProvider', 'visitorTokens'];
const ALGORITHMS: SsoAlgorithm[] = ['RS256', 'ES256'];

/** The algorithm a public key verifies: RSA → RS256, EC P-256 → ES256; null for any other key. */
function algorithmOf(key: KeyObject): SsoAlgorithm | null {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return null;
}

function pemKey(v: unknown, at: string, problems: string[]): SsoAlgorithm | null {
  if (!isText(v, 20_000) || !v.includes('-----BEGIN PUBLIC KEY-----')) {
    problems.push(`${at}: must be a PEM public key ("-----BEGIN PUBLIC KEY-----…"), never a private key`);
    return null;
  }
  try {
    const alg = algorithmOf(createPublicKey(v));
    if (!alg) problems.push(`${at}: must be an RSA or an EC P-256 key (RS256 or ES256)`);
    return alg;
  } catch {
    problems.push(`${at}: is not a readable PEM public key`);
    return null;
  }
}

function jwksFrom(file: unknown, baseDir: string, at: string, problems: string[]): { jwks: IdentityProvider['jwks']; algs: Set<SsoAlgorithm> } | null {
  if (!isText(file, 4096)) return void problems.push(`${at}: must be the path of a local JWKS file`), null;
  let raw: unknown;
  // The file's text never reaches the message (the control plane provisions too).
  try {
    raw = JSON.parse(readFileSync(resolve(baseDir, file), 'utf8'));
  } catch (err) {
    problems.push(`${at}: ${(err as NodeJS.ErrnoException).code ? `cannot be read (${(err as NodeJS.ErrnoException).code})` : 'is not a JSON file'}`);
    return null;
  }
  if (!isObj(raw) || !Array.isArray(raw.keys) || raw.keys.length === 0) return void problems.push(`${at}: must hold a JWKS, {"keys": [ … ]} with at least one key`), null;
  const algs = new Set<SsoAlgorithm>();
  const keys: Obj[] = [];
  raw.keys.forEach((k: unknown, i: number) => {
    const kat = `${at} key ${i}`;
    if (!isObj(k)) return void problems.push(`${kat}: must be an object`);
    if ('d' in k) return void problems.push(`${kat}: is a private key; the JWKS must hold public keys only`);
    try {
      const alg = algorithmOf(createPublicKey({ key: k as never, format: 'jwk' }));
      if (!alg) return void problems.push(`${kat}: must be an RSA or an EC P-256 key (RS256 or ES256)`);
      if (k.alg !== undefined && k.alg !== alg) return void problems.push(`${kat}: "alg" ${JSON.stringify(k.alg)} does not fit the key (${alg})`);
      algs.add(alg);
      keys.push(k);
    } catch {
      problems.push(`${kat}: is not a valid JWK`);
    }
  });
  return { jwks: { keys }, algs };
}

export function parseIdentityProvider(v: unknown, at: string, baseDir: string, problems: string[]): IdentityProvider | undefined {
  if (v === undefined) return undefined;
  if (!isObj(v)) return void problems.push(`${at}: must be an object with "issuer", "audience" and "publicKey" or "jwksFile"`);
  for (const k of Object.keys(v)) if (!['issuer', 'audience', 'algorithms', 'publicKey', 'jwksFile'].includes(k)) problems.push(`${at}.${k}: unknown field`);
  const before = problems.length;
  if (!isText(v.issuer, 2000)) problems.push(`${at}.issuer: must be the issuer ("iss") the tokens carry`);
  if (!isText(v.audience, 2000)) problems.push(`${at}.audience: must be the audience ("aud") the tokens carry`);
  let keyAlgs = new Set<SsoAlgorithm>();
  let material: Pick<IdentityProvider, 'publicKey' | 'jwks'> = {};
  if ((v.publicKey === undefined) === (v.jwksFile === undefined)) {
    problems.push(`${at}: give exactly one of "publicKey" (PEM) and "jwksFile" (a local JWKS file)`);
  } else if (v.publicKey !== undefined) {
    const alg = pemKey(v.publicKey, `${at}.publicKey`, problems);
    if (alg) keyAlgs = new Set([alg]);
    material = { publicKey: v.publicKey as string };
  } else {
    const read = jwksFrom(v.jwksFile, baseDir, `${at}.jwksFile`, problems);
    if (read) {
      keyAlgs = read.algs;
      material = { jwks: read.jwks };
    }
  }
  let algorithms = [...keyAlgs];
  if (v.algorithms !== undefined) {
    if (!Array.isArray(v.algorithms) || v.algorithms.length === 0 || !v.algorithms.every((a) => ALGORITHMS.includes(a as SsoAlgorithm))) {
      problems.push(`${at}.algorithms: must be a non-empty array of "RS256" and/or "ES256"`);
    } else {
      algorithms = [...new Set(v.algorithms as SsoAlgorithm[])];
      for (const a of algorithms) if (keyAlgs.size > 0 && !keyAlgs.has(a)) problems.push(`${at}.algorithms: no key given verifies ${a}`);
    }
  }
  if (problems.length > before) return undefined;
  return { issuer: v.issuer as string, audience: v.audience as string, algorithms, ...material };
}

/** Visitor bearer tokens (spec §1.2): kept only as their sha256. */
export function parseVisitorTokens(v: unknown, at: string, problems: string[]): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || !v.every((t) => typeof t === 'string' && /^[\x21-\x7e]{16,512}$/.test(t))) {
    return void problems.push(`${at}: must be a non-empty array of printable strings without spaces, 16 to 512 characters each`);
  }
  if (new Set(v).size !== v.length) return void problems.push(`${at}: a token appears twice`);
  return (v as string[]).map(hashVisitorToken);
}
