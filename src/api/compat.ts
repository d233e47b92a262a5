// The compatibility modes a response is written in (docs/compatibility.md "Compatibility
// modes"): the account's (provisioning "compatibility"), then per request the header
// `X-Serverchat-Compat: linkKeys=plain, lists=always, systemMessageId=string` (any of the
// three; an unknown name or value is ignored). Only the JSON codec reads them: in XML links
// are attributes, lists repeated elements and every value text, whatever the mode.
import type { FastifyRequest } from 'fastify';
import { DEFAULT_COMPATIBILITY, type Compatibility } from '../provisioning/client-settings.ts';

export const COMPAT_HEADER = 'x-serverchat-compat';

const VALUES: Record<string, readonly string[]> = {
  linkKeys: ['@', 'plain'],
  lists: ['collapse', 'always'],
  systemMessageId: ['number', 'string'],
};

export function compatOf(req: FastifyRequest): Compatibility {
  const base = (req.account as FastifyRequest['account'] | null)?.compatibility ?? DEFAULT_COMPATIBILITY;
  const header = req.headers[COMPAT_HEADER];
  if (typeof header !== 'string' || header === '') return base;
  const out: Record<string, string> = { ...base };
  for (const part of header.split(/[,;]/)) {
    const [name, value] = part.split('=').map((x) => x.trim());
    if (name && value && VALUES[name]?.includes(value)) out[name] = value;
  }
  return out as unknown as Compatibility;
}
