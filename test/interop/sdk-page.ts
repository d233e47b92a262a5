// LivePerson's own browser SDK (npm `liveperson-chat-api`, loaded from node_modules, never
// copied or changed) running in a jsdom page whose origin is the server's, as
// docs/compatibility.md "Interop" describes. Everything the SDK raises and every XHR it
// makes is recorded, so a failing step can say what the SDK last saw.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { Dispatcher } from 'undici';

/** A value as JSON sees it: what the SDK hands its callbacks, copied into this realm. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The parts of the jsdom window's XMLHttpRequest the harness wraps (no DOM lib in tsconfig). */
interface Xhr {
  open(method: string, url: string, ...rest: unknown[]): void;
  setRequestHeader(name: string, value: string): void;
  send(body?: unknown): void;
  getAllResponseHeaders(): string;
  getResponseHeader(name: string): string | null;
  addEventListener(type: string, listener: () => void): void;
  readonly status: number;
  readonly responseText: string;
}

type SdkOptions = Record<string, unknown>;
/** The SDK's methods take one options object (with success/error callbacks) and answer
 *  `true` (or nothing) once a request is queued, an `{error}` object when they refuse to send. */
type SdkMethod = (opts: SdkOptions) => unknown;
export type SdkCall =
  | 'getAvailability'
  | 'getEstimatedWaitTime'
  | 'getPreChatSurvey'
  | 'getOfflineSurvey'
  | 'submitOfflineSurvey'
  | 'requestChat'
  | 'setVisitorName'
  | 'setVisitorTyping'
  | 'addLine'
  | 'setCustomVariable'
  | 'requestTranscript'
  | 'getExitSurvey'
  | 'submitExitSurvey'
  | 'endChat';
type ChatSdk = Record<SdkCall, SdkMethod>;

interface PageWindow {
  XMLHttpRequest: { prototype: Xhr };
  Array: ArrayConstructor;
  eval(source: string): unknown;
  lpTag: { taglets: { ChatOverRestAPI: new (opts: SdkOptions) => ChatSdk } };
  sessionStorage: { readonly length: number; key(i: number): string | null; getItem(key: string): string | null; setItem(key: string, value: string): void };
  close(): void;
}

/** The SDK events the harness listens to (each is an `on…` option of ChatOverRestAPI). */
export const SDK_EVENTS = [
  'onLoad', 'onInit', 'onState', 'onStart', 'onStop', 'onInfo', 'onLine', 'onEvents', 'onAgentTyping',
  'onRequestChat', 'onAvailability', 'onEstimatedWaitTime', 'onPreChatSurvey', 'onOfflineSurvey', 'onSubmitOfflineSurvey', 'onVisitorName',
  'onSetVisitorTyping', 'onAddLine', 'onTranscript', 'onExitSurvey', 'onError', 'onLog',
] as const;
export type SdkEvent = (typeof SDK_EVENTS)[number];

export interface Recorded {
  name: SdkEvent;
  data: Json;
}

export interface XhrRecord {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
  status?: number;
  contentType?: string | null;
  response?: string;
}

const SDK_FILE = createRequire(import.meta.url).resolve('liveperson-chat-api/src/lpChat.js');
const DEFAULT_WAIT = 8_000;

/** A copy in this realm: jsdom's objects have another Object.prototype, which deepEqual rejects. */
const plain = (v: unknown): Json => {
  if (v === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(v)) as Json;
  } catch {
    return String(v);
  }
};
const short = (v: unknown, n = 300): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > n ? `${s.slice(0, n)}…` : s;
};

export interface PageOptions {
  /** Host name -> "host:port" it resolves to, e.g. the vendor's lookup host -> this server. */
  hosts?: Record<string, string>;
}

/** An undici interceptor that sends requests for a mapped host to its address (port included). */
function hostsInterceptor(hosts: Record<string, string>) {
  return (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
    (opts, handler) => {
      const origin = new URL(String(opts.origin));
      const to = hosts[origin.hostname];
      return dispatch(to ? { ...opts, origin: `${origin.protocol}//${to}` } : opts, handler);
    };
}

/** "content-type" -> "Content-Type": the exact case this SDK looks headers up by. */
const titleCase = (name: string): string => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());

export class SdkPage {
  readonly events: Recorded[] = [];
  readonly xhrs: XhrRecord[] = [];
  /** Uncaught errors in the page (jsdom reports them on its virtual console). */
  readonly pageErrors: string[] = [];
  private readonly dom: JSDOM;
  private readonly win: PageWindow;
  private sdk: ChatSdk | null = null;

  /**
   * A page at `origin` (the server's https origin: the SDK uses XHR only on the same origin).
   * `session` seeds sessionStorage, as a reload of the page keeps it (see sessionEntries).
   */
  constructor(origin: string, session: Record<string, string> = {}, opts: PageOptions = {}) {
    const virtualConsole = new VirtualConsole();
    virtualConsole.on('jsdomError', (err: Error) => void this.pageErrors.push(err.message));
    // With `hosts`, the page loads the script tags the SDK adds (its JSONP transport), and
    // requests to a mapped host go to the mapped address, as an /etc/hosts entry would send them.
    const hosts = opts.hosts;
    this.dom = hosts
      ? new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: `${origin}/`, runScripts: 'dangerously', virtualConsole, resources: { interceptors: [hostsInterceptor(hosts)] } } as never)
      : new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: `${origin}/`, runScripts: 'outside-only', virtualConsole });
    this.win = this.dom.window as unknown as PageWindow;
    this.instrumentXhr();
    for (const [k, v] of Object.entries(session)) this.win.sessionStorage.setItem(k, v);
    this.win.eval(readFileSync(SDK_FILE, 'utf8'));
  }

  /** The page's sessionStorage, where the SDK keeps what it needs to resume a chat after a reload. */
  sessionEntries(): Record<string, string> {
    const out: Record<string, string> = {};
    const store = this.win.sessionStorage;
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      const v = k === null ? null : store.getItem(k);
      if (k !== null && v !== null) out[k] = v;
    }
    return out;
  }

  /**
   * Harness-side adaptation 1 (real-clients.md): jsdom hands response header names back in
   * lower case, while the SDK reads `Content-Type` and `Location` by exact name.
   * The rest only records what goes over the wire.
   */
  private instrumentXhr(): void {
    const proto = this.win.XMLHttpRequest.prototype;
    const { open, setRequestHeader, send, getAllResponseHeaders } = proto;
    const records = new WeakMap<Xhr, XhrRecord>();
    const xhrs = this.xhrs;
    proto.getAllResponseHeaders = function (this: Xhr): string {
      return getAllResponseHeaders.call(this).replace(/^([^:\r\n]+):/gm, (_m, name: string) => `${titleCase(name)}:`);
    };
    proto.open = function (this: Xhr, method: string, url: string, ...rest: unknown[]): void {
      const rec: XhrRecord = { method, url, headers: {}, body: null };
      records.set(this, rec);
      xhrs.push(rec);
      open.call(this, method, url, ...rest);
    };
    proto.setRequestHeader = function (this: Xhr, name: string, value: string): void {
      const rec = records.get(this);
      if (rec) rec.headers[name] = value;
      setRequestHeader.call(this, name, value);
    };
    proto.send = function (this: Xhr, body?: unknown): void {
      const rec = records.get(this);
      if (rec) {
        rec.body = typeof body === 'string' ? body : null;
        this.addEventListener('loadend', () => {
          rec.status = this.status;
          rec.contentType = this.getResponseHeader('content-type');
          rec.response = this.responseText;
        });
      }
      send.call(this, body);
    };
  }

  /** Harness-side adaptation 2: an array the SDK accepts (it tests `x.constructor === Array` in its own realm). */
  array<T>(items: T[]): T[] {
    return this.win.Array.from(items);
  }

  /** `new lpTag.taglets.ChatOverRestAPI(options)` with a recorder on every event; it starts at once. */
  start(options: SdkOptions): void {
    const listeners: SdkOptions = {};
    for (const name of SDK_EVENTS) listeners[name] = (data: unknown) => void this.events.push({ name, data: plain(data) });
    this.sdk = new this.win.lpTag.taglets.ChatOverRestAPI({ ...options, ...listeners });
  }

  /** The position after the last recorded event, to wait only for later ones. */
  mark(): number {
    return this.events.length;
  }

  /** What the SDK last saw, for failure messages. */
  describe(): string {
    const ev = this.events.slice(-8).map((e) => `  ${e.name} ${short(e.data)}`);
    const xhr = this.xhrs.slice(-6).map((x) => `  ${x.method} ${x.url} -> ${x.status ?? 'pending'} ${short(x.response ?? '', 200)}`);
    return `last SDK events:\n${ev.join('\n') || '  (none)'}\nlast SDK requests:\n${xhr.join('\n') || '  (none)'}`;
  }

  fail(step: string, why: string): Error {
    return new Error(`step "${step}" failed: ${why}\n${this.describe()}`);
  }

  /**
   * Calls an SDK method and settles with what it passes its success callback. Rejects,
   * naming the step, when the SDK refuses to send, reports an error, or stays silent.
   */
  call(step: string, method: SdkCall, args: SdkOptions = {}, timeoutMs = DEFAULT_WAIT): Promise<Json> {
    const sdk = this.sdk;
    if (!sdk) return Promise.reject(this.fail(step, 'the SDK was not started'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.fail(step, `${method}: no answer within ${timeoutMs} ms`)), timeoutMs);
      const failWith = (why: string) => {
        clearTimeout(timer);
        reject(this.fail(step, `${method}: ${why}`));
      };
      const opts: SdkOptions = {
        ...args,
        success: (data: unknown) => {
          clearTimeout(timer);
          resolve(plain(data));
        },
        error: (data: unknown) => failWith(`error callback with ${short(plain(data), 600)}`),
      };
      const queued = sdk[method](opts);
      if (queued !== true && queued !== undefined) failWith(`the SDK refused to send (${short(plain(queued))})`);
    });
  }

  /** Waits for an event `name` recorded after `since` whose data satisfies `match`. */
  async waitFor(step: string, name: SdkEvent, match: (data: Json) => boolean, since = 0, timeoutMs = DEFAULT_WAIT): Promise<Json> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.slice(since).find((e) => e.name === name && match(e.data));
      if (hit) return hit.data;
      if (Date.now() > deadline) throw this.fail(step, `no ${name} as expected within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the SDK's polling timers and the page. */
  close(): void {
    this.win.close();
  }
}
