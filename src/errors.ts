// The error catalogue: every error the server emits, by code (docs/errors.md lists the same;
// test/unit/errors-doc.test.ts keeps the two in step). Rendered by the codecs like any resource.

export interface ErrorSpec {
  status: number;
  /** Stable numeric code carried as `internalCode` (spec §1.7, Login Service error body). */
  internalCode: number;
  /** Upper-case status name carried as `responseStatus` / `reason`. */
  reason: string;
  message: string;
  /**
   * 'login-service': the body the Login Service's pages print (agent spec §1.2): no `reason`,
   * `time` as "Sep 22, 2016 4:10:15 PM", the message then a space and the detail.
   */
  form?: 'login-service';
}

export const catalogue = {
  'bad-request': { status: 400, internalCode: 400, reason: 'BAD_REQUEST', message: 'The request is not valid' },
  'bad-body': { status: 400, internalCode: 401, reason: 'BAD_REQUEST', message: 'The request body is not valid' },
  'bad-query': { status: 400, internalCode: 402, reason: 'BAD_REQUEST', message: 'A query parameter is not valid' },
  'unknown-skill': { status: 400, internalCode: 403, reason: 'BAD_REQUEST', message: 'The skill does not exist in this account' },
  'unknown-agent': { status: 400, internalCode: 440, reason: 'BAD_REQUEST', message: 'The agent does not exist in this account' },
  'unknown-survey': { status: 400, internalCode: 430, reason: 'BAD_REQUEST', message: 'The survey does not exist in this account' },
  'bad-survey': { status: 400, internalCode: 431, reason: 'BAD_REQUEST', message: 'The survey answers are not valid' },
  'unauthorized': { status: 401, internalCode: 10, reason: 'UNAUTHORIZED', message: 'A valid app key for this account is required' },
  'bad-credentials': { status: 401, internalCode: 11, reason: 'UNAUTHORIZED', message: 'User name or password is wrong' },
  'bad-token': { status: 401, internalCode: 12, reason: 'UNAUTHORIZED', message: 'A valid bearer token for this account is required' },
  'bad-sso-key': { status: 401, internalCode: 14, reason: 'UNAUTHORIZED', message: 'The visitor token is not valid' },
  'unknown-participant': { status: 401, internalCode: 15, reason: 'UNAUTHORIZED', message: 'The participantId was not issued by a verified Visitor Authentication' },
  // internalCode 10, as the vendor's example prints it (shared with `unauthorized`; errors.md).
  'bad-csrf': { status: 401, internalCode: 10, reason: 'UNAUTHORIZED', message: 'CSRF token invalid!', form: 'login-service' },
  'forbidden': { status: 403, internalCode: 13, reason: 'FORBIDDEN', message: 'This agent may not access this resource' },
  'origin-not-allowed': { status: 403, internalCode: 16, reason: 'FORBIDDEN', message: 'This page\'s origin may not use this API of the account' },
  'not-found': { status: 404, internalCode: 404, reason: 'NOT_FOUND', message: 'No such resource' },
  'chat-not-found': { status: 404, internalCode: 405, reason: 'NOT_FOUND', message: 'No such chat in this account' },
  'method-not-allowed': { status: 405, internalCode: 407, reason: 'METHOD_NOT_ALLOWED', message: 'The resource does not take this method' },
  'agent-session-not-found': { status: 404, internalCode: 406, reason: 'NOT_FOUND', message: 'No such agent session' },
  'nothing-ringing': { status: 409, internalCode: 409, reason: 'CONFLICT', message: 'No chat is ringing for this agent' },
  'chat-ended': { status: 409, internalCode: 410, reason: 'CONFLICT', message: 'The chat has ended' },
  'illegal-state-move': { status: 409, internalCode: 411, reason: 'CONFLICT', message: 'The chat cannot make this state change now' },
  'not-chatting': { status: 409, internalCode: 412, reason: 'CONFLICT', message: 'The chat is not in the chatting state' },
  'transfer-unavailable': { status: 409, internalCode: 441, reason: 'CONFLICT', message: 'No agent can take the chat there now' },
  'request-timeout': { status: 408, internalCode: 601, reason: 'REQUEST_TIMEOUT', message: 'The request was not received in time' },
  'line-too-long': { status: 413, internalCode: 610, reason: 'PAYLOAD_TOO_LARGE', message: 'The line is too long' },
  'chat-full': { status: 409, internalCode: 611, reason: 'CONFLICT', message: 'The chat holds as much as it may' },
  'payload-too-large': { status: 413, internalCode: 413, reason: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'rate-limited': { status: 429, internalCode: 612, reason: 'TOO_MANY_REQUESTS', message: 'Too many requests; try again later' },
  'headers-too-large': { status: 431, internalCode: 602, reason: 'REQUEST_HEADER_FIELDS_TOO_LARGE', message: 'The request headers are too large' },
  'internal': { status: 500, internalCode: 500, reason: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' },
  'mail-failed': { status: 502, internalCode: 530, reason: 'BAD_GATEWAY', message: 'The mail server did not accept the transcript' },
  'mail-not-configured': { status: 503, internalCode: 531, reason: 'SERVICE_UNAVAILABLE', message: 'Sending transcripts is not configured on this server' },
  'too-many-connections': { status: 503, internalCode: 603, reason: 'SERVICE_UNAVAILABLE', message: 'The server has too many connections open' },
  'store-unavailable': { status: 503, internalCode: 532, reason: 'SERVICE_UNAVAILABLE', message: 'The chat store cannot be reached; try again shortly' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof catalogue;

/** An error as a value: a catalogue code plus what exactly was wrong. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  constructor(code: ErrorCode, detail?: string) {
    const spec: ErrorSpec = catalogue[code];
    super(detail ? `${spec.message}${spec.form === 'login-service' ? ' ' : ': '}${detail}` : spec.message);
    this.code = code;
    this.detail = detail;
  }
  get spec(): ErrorSpec {
    return catalogue[this.code];
  }
}

/** A 429: the answer carries `Retry-After` (whole seconds, at least 1). */
export class RateLimitedError extends ApiError {
  readonly retryAfterMs: number;
  constructor(detail: string, retryAfterMs: number) {
    super('rate-limited', detail);
    this.retryAfterMs = retryAfterMs;
  }
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}
