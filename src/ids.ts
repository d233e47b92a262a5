// Id sources are injected so that tests can predict them (see design.md, "time and ids").
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

export interface Ids {
  /** A chat key shaped like the vendor's: H<digits>-<32 hex>K<digits> (spec §1.8). */
  chatId(): string;
  /** A numeric visitor id (16 digits, below 2^53 so JSON numbers keep it exact). */
  visitorId(): number;
  /** An opaque token such as a shark (LETag) id or a bearer: url-safe base64. */
  token(bytes?: number): string;
  /** A GUID. */
  uuid(): string;
  /** A short numeric id for an agent session. */
  agentSessionId(): string;
}

function digits(n: number): string {
  let s = String(randomInt(1, 10));
  for (let i = 1; i < n; i++) s += String(randomInt(0, 10));
  return s;
}

export const randomIds: Ids = {
  chatId: () => `H${digits(19)}-${randomBytes(16).toString('hex')}K${digits(7)}`,
  visitorId: () => randomInt(1_000_000, 9_000_000) * 1_000_000_000 + randomInt(0, 1_000_000_000),
  token: (bytes = 16) => randomBytes(bytes).toString('base64url'),
  uuid: () => randomUUID(),
  agentSessionId: () => digits(10),
};

/** Deterministic ids for tests: every call yields the next number. */
export function sequentialIds(): Ids {
  let n = 0;
  const next = (): number => ++n;
  return {
    chatId: () => {
      const k = next();
      return `H7496712445225${String(k).padStart(6, "0")}-${k.toString(16).padStart(32, '0')}K${String(8388800 + k)}`;
    },
    visitorId: () => 1214701440734000 + next(),
    token: () => `tok${next()}`,
    uuid: () => `00000000-0000-4000-8000-${String(next()).padStart(12, '0')}`,
    agentSessionId: () => String(1000000000 + next()),
  };
}
