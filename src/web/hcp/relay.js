// The chat domain's side of the JS SDK's `postmessage` transport (lpTag.taglets.postmessage
// in liveperson-chat-api): the SDK, on a customer's page of another origin, loads this page
// in a hidden iframe and posts each request to it as a JSON string; the page runs it
// same-origin with fetch and posts the answer back. docs/compatibility.md "The JS SDK's
// postmessage relay" describes the protocol and the rules; written from the SDK's parent
// side, not from any vendor page.
//
// Messages in: {callId, url, method, headers, data, timeout, returnDomain, ...}; the first is
// {callId, validation: true}, which the SDK sends once the iframe has loaded and which must
// come back without `error` within its 3 s, else it marks the frame failed.
// Messages out: {callId, responseType: "completeLoad" | "errorLoad", responseCode, body,
// headers: {"Content-Type", "Location"}} — the shape of the SDK's own xhr transport:
// status above 399 is an error; `body` is parsed JSON when the answer is JSON.

export {}; // a module (the page loads it with type="module"): nothing here is global

/** The request headers passed on (any case in the message); everything else (LP-URL…) is dropped. */
const PASSED = new Map([
  ['authorization', 'Authorization'],
  ['x-http-method-override', 'X-HTTP-Method-Override'],
  ['content-type', 'Content-Type'],
]);
/** The parent page's origin as the browser reported it, for the server's allowedOrigins check. */
const RELAY_HEADER = 'X-Serverchat-Relay-Origin';
const METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);
/** Only the chat APIs: never the console, the operations endpoints or the control plane. */
const API_PATH = /^\/(api|csdr)\/account\/[^/?#]+([/.?#]|$)/;
const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 120_000;

/**
 * @typedef {{ callId: string, validation?: boolean, url?: unknown, method?: unknown,
 *   headers?: unknown, data?: unknown, timeout?: unknown }} RelayRequest
 * @typedef {{ callId: string, responseType: 'completeLoad' | 'errorLoad', responseCode: number,
 *   body?: unknown, headers?: Record<string, string>, error?: unknown }} RelayAnswer
 */

/**
 * The message as an object with a callId, or null for anything else (other scripts post
 * messages too).
 * @param {unknown} data
 * @returns {RelayRequest | null}
 */
function parse(data) {
  let v = data;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (typeof v !== 'object' || v === null) return null;
  const callId = /** @type {{ callId?: unknown }} */ (v).callId;
  return typeof callId === 'string' && callId !== '' ? /** @type {RelayRequest} */ (v) : null;
}

/**
 * GET data goes in the query as the SDK's xhr transport puts it (objects as JSON).
 * @param {unknown} data
 */
function queryOf(data) {
  if (typeof data === 'string') return data;
  if (typeof data !== 'object' || data === null) return '';
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(data)) {
    if (v === undefined || typeof v === 'function') continue;
    out.append(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return out.toString();
}

/**
 * An error answer in the shape the SDK's callbacks read (`body.error`).
 * @param {string} callId
 * @param {number} code
 * @param {string} message
 * @returns {RelayAnswer}
 */
function failure(callId, code, message) {
  return { callId, responseType: 'errorLoad', responseCode: code, body: { error: { message, time: new Date().toISOString() } }, headers: {} };
}

/**
 * Runs one request of the SDK same-origin and describes the answer.
 * @param {RelayRequest} req
 * @param {string} parentOrigin
 * @returns {Promise<RelayAnswer>}
 */
async function run(req, parentOrigin) {
  const { callId } = req;
  if (typeof req.url !== 'string') return failure(callId, 400, 'the relay needs a url');
  let url;
  try {
    url = new URL(req.url, location.href);
  } catch {
    return failure(callId, 400, 'the url cannot be read');
  }
  // Same origin only, the chat APIs only: this page must not become a door into the rest.
  if (url.origin !== location.origin || !API_PATH.test(url.pathname)) return failure(callId, 403, `the relay serves this server's chat API only, not ${url.origin}${url.pathname}`);
  const method = typeof req.method === 'string' ? req.method.toUpperCase() : 'GET';
  if (!METHODS.has(method)) return failure(callId, 400, `method ${method} is not relayed`);

  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json', [RELAY_HEADER]: parentOrigin };
  if (typeof req.headers === 'object' && req.headers !== null) {
    for (const [k, v] of Object.entries(req.headers)) {
      const name = PASSED.get(k.toLowerCase());
      if (name && typeof v === 'string') headers[name] = v;
    }
  }
  /** @type {string | undefined} */
  let body;
  if (method === 'GET') {
    const q = queryOf(req.data);
    if (q !== '') url.search += (url.search === '' ? '?' : '&') + q;
  } else if (req.data !== undefined && req.data !== null && req.data !== '') {
    body = typeof req.data === 'string' ? req.data : JSON.stringify(req.data);
    headers['Content-Type'] ??= 'application/json; charset=UTF-8';
  }

  const ms = typeof req.timeout === 'number' && req.timeout > 0 ? Math.min(req.timeout, MAX_TIMEOUT_MS) : DEFAULT_TIMEOUT_MS;
  let res;
  try {
    // No cookies: a page of another origin must never act with this domain's logins.
    res = await fetch(url, { method, headers, body, credentials: 'omit', cache: 'no-store', redirect: 'error', signal: AbortSignal.timeout(ms) });
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    return failure(callId, timedOut ? 408 : 600, timedOut ? 'Request timed out' : 'the server could not be reached');
  }
  /** @type {Record<string, string>} */
  const out = {};
  const type = res.headers.get('content-type');
  const where = res.headers.get('location');
  if (type !== null) out['Content-Type'] = type;
  if (where !== null) out.Location = where;
  const text = await res.text().catch(() => '');
  /** @type {unknown} */
  let parsed = text;
  if (text !== '' && type !== null && type.startsWith('application/json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return {
    callId,
    responseType: res.status > 399 ? 'errorLoad' : 'completeLoad',
    responseCode: res.status,
    ...(text === '' ? {} : { body: parsed }),
    headers: out,
  };
}

window.addEventListener('message', (event) => {
  // Only the page that framed this one speaks to it; answers go back to its origin only.
  if (event.source !== window.parent || window.parent === window) return;
  const req = parse(event.data);
  if (!req) return;
  const parent = /** @type {Window} */ (event.source);
  const origin = event.origin;
  if (origin === 'null') return; // an opaque origin can be answered by no targetOrigin
  /** @param {RelayAnswer} answer */
  const reply = (answer) => parent.postMessage(JSON.stringify(answer), origin);
  if (req.validation === true) {
    reply({ callId: req.callId, responseType: 'completeLoad', responseCode: 200 });
    return;
  }
  void run(req, origin).then(reply, () => reply(failure(req.callId, 600, 'the relay failed')));
});
