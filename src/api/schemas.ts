// JSON schemas shared by routes. Bodies of both formats arrive as the same tree (XML values
// are text), so numbers are coerced by the validator; unknown fields are ignored.

export const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
/** Ids travel as numbers in some examples and strings in others (spec §6 #7). */
export const idLike = { type: ['string', 'number'], maxLength: 200 } as const;

export const accountParams = {
  type: 'object',
  required: ['accountId'],
  properties: { accountId: { type: 'string', maxLength: 64 } },
} as const;

export const chatParams = {
  type: 'object',
  required: ['accountId', 'chatId'],
  properties: { accountId: { type: 'string', maxLength: 64 }, chatId: { type: 'string', maxLength: 128 } },
} as const;

export const sessionParams = {
  type: 'object',
  required: ['accountId', 'sessionId'],
  properties: { accountId: { type: 'string', maxLength: 64 }, sessionId: { type: 'string', maxLength: 64 } },
} as const;

export const sessionChatParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'chatId'],
  properties: {
    accountId: { type: 'string', maxLength: 64 },
    sessionId: { type: 'string', maxLength: 64 },
    chatId: { type: 'string', maxLength: 128 },
  },
} as const;

/** The address of one event: …/chat/{chatId}/events/{eventId} (spec §4.10 Location). */
export const eventParams = {
  type: 'object',
  required: ['accountId', 'chatId', 'eventId'],
  properties: { accountId: { type: 'string', maxLength: 64 }, chatId: { type: 'string', maxLength: 128 }, eventId: { type: 'integer', minimum: 0 } },
} as const;

export const sessionEventParams = {
  type: 'object',
  required: ['accountId', 'sessionId', 'chatId', 'eventId'],
  properties: { ...eventParams.properties, sessionId: { type: 'string', maxLength: 64 } },
} as const;

/** `?from=N` on the chat and events resources (spec §4.8, §4.9). */
export const fromQuery = {
  type: 'object',
  properties: { from: { type: 'integer', minimum: 0, maximum: 2147483647 } },
} as const;

export interface FromQuery {
  from?: number;
}

export const typingValue = { type: 'string', enum: ['typing', 'not-typing'] } as const;

/** One event per POST (spec §4.10; agent API §4.13, §4.14). */
export const eventBody = {
  type: 'object',
  required: ['event'],
  properties: {
    event: {
      type: 'object',
      required: ['@type'],
      properties: {
        // `url`: a page the visitor is on, or one the agent pushes (spec §4.9; compatibility.md).
        '@type': { type: 'string', enum: ['line', 'state', 'url'] },
        url: { type: 'string', maxLength: 2048 },
        text: { type: 'string', maxLength: 20000 },
        state: { type: 'string', enum: ['ended'] },
        textType: { type: 'string', enum: ['plain', 'html', 'rich-content'] },
        subType: { type: 'string', enum: ['REGULAR', 'ONLY_TO_REP'] },
      },
    },
  },
} as const;

export interface EventBody {
  event: { '@type': 'line' | 'state' | 'url'; url?: string; text?: string; state?: 'ended'; textType?: 'plain' | 'html' | 'rich-content'; subType?: 'REGULAR' | 'ONLY_TO_REP'; json?: unknown };
}
