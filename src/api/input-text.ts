// Text that may come in (finding 5 of issue 11): every string of every request body, on
// either side and in either format, is checked once as the body is parsed, so that no
// field — a line, a visitor name, a subject, a survey answer — can carry a character that
// XML 1.0 forbids into the store and from there into every XML client's answers.
import { ApiError } from '../errors.ts';
import { XML_FORBIDDEN } from './codecs/xml.ts';

/** Bounded like the codec's writer: deeper than any vendor body. */
const MAX_DEPTH = 100;

function describe(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function check(s: string, where: string): void {
  const m = XML_FORBIDDEN.exec(s);
  if (m) throw new ApiError('bad-body', `${where || '/'} contains the control character ${describe(m[0])}, which is not allowed (tab, CR and LF are)`);
}

/** Throws `bad-body` naming the first field (as a JSON pointer) whose name or text holds a forbidden character. */
export function refuseForbiddenCharacters(value: unknown, where = '', depth = 0): void {
  if (typeof value === 'string') return check(value, where);
  if (value === null || typeof value !== 'object') return;
  if (depth > MAX_DEPTH) throw new ApiError('bad-body', `nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) {
    value.forEach((v, i) => refuseForbiddenCharacters(v, `${where}/${i}`, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    check(k, `${where}/${k}`);
    refuseForbiddenCharacters(v, `${where}/${k}`, depth + 1);
  }
}
