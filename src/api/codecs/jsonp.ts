// The JSONP codec: a JSON document wrapped in a call of the client's callback, for the
// script-tag transports of LivePerson's JS SDK (the Domain API's baseURI.lpCsds lookup).
// Only a plain dotted identifier is accepted as the callback, so nothing but that call runs.
export const JSONP_CONTENT_TYPE = 'application/javascript; charset=utf-8';

const CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;
const MAX_CALLBACK = 128;

export function isCallbackName(name: unknown): name is string {
  return typeof name === 'string' && name.length <= MAX_CALLBACK && CALLBACK.test(name);
}

/** `NAME({...});` — U+2028/U+2029 escaped, as they end a line in older script parsers. */
export function encodeJsonp(callback: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `${callback}(${json});`;
}
