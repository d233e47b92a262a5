// Which wire format a request gets (design.md, "Wire rules"): a .json/.xml suffix on the
// path wins, then Accept (with its q-values), then the format of the request body, then JSON.
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

const XML_TYPE = /^(application|text)\/([\w.+-]*\+)?xml$/i;
const JSON_TYPE = /^application\/([\w.+-]*\+)?json$/i;

function mentionsXml(h: string | undefined): boolean {
  return h !== undefined && /\b(application|text)\/([\w.+-]*\+)?xml\b/i.test(h);
}

/**
 * The best q-value Accept gives XML types and JSON types (RFC 9110 §12.5.1): null where it
 * names none of that kind. Only explicit types count: "*\/*" says nothing, so an XML
 * client's "application/xml, *\/*" still gets XML.
 */
export function acceptWeights(accept: string): { xml: number | null; json: number | null } {
  let xml: number | null = null;
  let json: number | null = null;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim());
    let q = 1;
    for (const p of params) {
      const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
      if (m) q = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    if (XML_TYPE.test(type)) xml = Math.max(xml ?? 0, q);
    else if (JSON_TYPE.test(type)) json = Math.max(json ?? 0, q);
  }
  return { xml, json };
}

/** Reads only the headers: a parsed request, or the head of one Node's parser refused (api/client-errors.ts). */
export function negotiate(suffix: Format | null, req: Pick<IncomingMessage, 'headers'>): Format {
  if (suffix) return suffix;
  const accept = req.headers.accept;
  if (accept !== undefined) {
    const { xml, json } = acceptWeights(accept);
    // The higher q wins; a tie is JSON (the vendor's documented default). q=0 excludes.
    if (xml !== null && xml > 0 && (json === null || xml > json)) return 'xml';
    if (json !== null && json > 0) return 'json';
    // JSON excluded (q=0) and XML not named: XML is what is left.
    if (json === 0 && xml === null) return 'xml';
  }
  if (mentionsXml(req.headers['content-type'])) return 'xml';
  return 'json';
}
