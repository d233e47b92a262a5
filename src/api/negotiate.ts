// Which wire format a request gets (design.md, "Wire rules"): a .json/.xml suffix on the
// path wins, then Accept, then the format of the request body, then JSON.
import type { IncomingMessage } from 'node:http';

export type Format = 'json' | 'xml';

const SUFFIX = /\.(json|xml)(?=$|\?)/i;

/** Strips a trailing .json/.xml from the path (before the query string). */
export function stripSuffix(url: string): { url: string; format: Format | null } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const m = SUFFIX.exec(path);
  if (!m || m.index + m[0].length !== path.length) return { url, format: null };
  return { url: path.slice(0, m.index) + (q < 0 ? '' : url.slice(q)), format: (m[1] as string).toLowerCase() as Format };
}

function mentionsXml(h: string | undefined): boolean {
  return h !== undefined && /\b(application|text)\/([\w.+-]*\+)?xml\b/i.test(h);
}
// Only an explicit JSON type counts: "*/*" says nothing, so an XML client's
// "application/xml, */*" still gets XML.
function mentionsJson(h: string | undefined): boolean {
  return h !== undefined && /\bapplication\/([\w.+-]*\+)?json\b/i.test(h);
}

/** Reads only the headers: a parsed request, or the head of one Node's parser refused (api/client-errors.ts). */
export function negotiate(suffix: Format | null, req: Pick<IncomingMessage, 'headers'>): Format {
  if (suffix) return suffix;
  const accept = req.headers.accept;
  if (mentionsXml(accept) && !mentionsJson(accept)) return 'xml';
  if (mentionsJson(accept)) return 'json';
  if (mentionsXml(req.headers['content-type'])) return 'xml';
  return 'json';
}
