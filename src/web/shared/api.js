// The little HTTP client both pages share: vendor conventions (?v=1&NC=true, PUT sent as
// POST + X-HTTP-Method-Override, JSON), errors turned into readable messages, and the
// helpers for the vendor's shapes (one-element lists arrive as objects, links by rel).

export class ApiError extends Error {
  /**
   * @param {string} message
   * @param {number} status HTTP status, 0 when the server could not be reached
   * @param {string} reason the error body's reason, e.g. "UNAUTHORIZED"
   * @param {number} [code] the error body's internalCode (docs/errors.md), 0 when absent
   */
  constructor(message, status, reason, code = 0) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.reason = reason;
    this.code = code;
  }

  /** The agent session is gone: logged out elsewhere, expired, or the login was revoked. */
  get sessionEnded() {
    return this.status === 401 || (this.status === 404 && this.code === 406);
  }
}

/**
 * The element with this id, checked to be of the expected kind: markup and script drifting
 * apart fails loudly at load instead of quietly later.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{ new (): T, name: string }} type
 * @returns {T}
 */
export function byId(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return el;
}

/** @param {string} url */
export function withVersion(url) {
  const u = new URL(url, location.href);
  if (!u.searchParams.has('v')) u.searchParams.set('v', '1');
  if (!u.searchParams.has('NC')) u.searchParams.set('NC', 'true');
  return u.toString();
}

/**
 * One API call. Returns { status, location, body } for 2xx; throws ApiError otherwise.
 * @param {string} method GET, POST or PUT (PUT goes out as POST + override, as the vendor's clients send it)
 * @param {string} url absolute or same-origin URL
 * @param {{ auth?: string, body?: unknown, timeoutMs?: number, raw?: boolean }} [opts]
 */
export async function call(method, url, opts = {}) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  if (opts.auth) headers.authorization = opts.auth;
  let httpMethod = method;
  if (method === 'PUT') {
    httpMethod = 'POST';
    headers['x-http-method-override'] = 'PUT';
  }
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(opts.raw ? url : withVersion(url), {
      method: httpMethod,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      cache: 'no-store',
    });
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'did not answer in time' : 'could not be reached';
    throw new ApiError(`The server ${why}. Is serverchat still running?`, 0, 'NETWORK');
  }
  const text = await res.text();
  let body = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) {
    const e = body && typeof body === 'object' ? body.error : null;
    const message = e && typeof e.message === 'string' ? e.message : `HTTP ${res.status}`;
    const code = e && (typeof e.internalCode === 'number' || typeof e.internalCode === 'string') ? Number(e.internalCode) : 0;
    throw new ApiError(message, res.status, e && typeof e.reason === 'string' ? e.reason : String(res.status), code);
  }
  return { status: res.status, location: res.headers.get('location'), body };
}

/**
 * The vendor collapses one-element lists to the element and drops empty ones.
 * @template T
 * @param {T | T[] | undefined | null} x
 * @returns {T[]}
 */
export function asArray(x) {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

/**
 * The href of the link with this rel, from a `link` that may be one object or a list.
 * @param {unknown} links
 * @param {string} rel
 * @returns {string | null}
 */
export function hrefOf(links, rel) {
  for (const l of asArray(/** @type {unknown} */ (links))) {
    if (l && typeof l === 'object' && /** @type {Record<string, unknown>} */ (l)['@rel'] === rel) {
      const href = /** @type {Record<string, unknown>} */ (l)['@href'];
      if (typeof href === 'string') return href;
    }
  }
  return null;
}

/** The server's hints for the demo account (GET /web-config.json), or {} when it is not provisioned. */
export async function webConfig() {
  try {
    const { body } = await call('GET', '/web-config.json', { raw: true });
    return (body && body.webConfig) || {};
  } catch {
    return {};
  }
}

/**
 * Sends "typing" while the user types (renewed before the server's 6 s expiry) and
 * "not-typing" after a pause or when the line goes out.
 * @param {(value: 'typing' | 'not-typing') => Promise<unknown>} put
 * @param {{ renewMs?: number, idleMs?: number }} [opts]
 */
export function typingReporter(put, opts = {}) {
  const renewMs = opts.renewMs ?? 3000;
  const idleMs = opts.idleMs ?? 3000;
  let lastSent = 0;
  let typing = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let idle;
  const send = (/** @type {'typing' | 'not-typing'} */ v) => put(v).catch(() => {
    // A lost typing flag is harmless: it expires on the server by itself.
  });
  return {
    /** Call on every keystroke. */
    input(/** @type {boolean} */ hasText) {
      clearTimeout(idle);
      if (!hasText) return this.stop();
      const now = Date.now();
      if (!typing || now - lastSent >= renewMs) {
        typing = true;
        lastSent = now;
        void send('typing');
      }
      idle = setTimeout(() => this.stop(), idleMs);
    },
    /** Call when the line is sent or the chat closes. */
    stop() {
      clearTimeout(idle);
      if (!typing) return;
      typing = false;
      void send('not-typing');
    },
  };
}
