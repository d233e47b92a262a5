// Send a Transcript (spec §4.19) and its undocumented twin with a subject (the chat's
// `transcript-with-subject-request` link). Documented as PUT, sent as POST + override.
// 200 with no body once the mail server has the message; 503 without SMTP, 502 when it fails.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_TIMEZONE_OFFSET_MS, type TranscriptRequest } from '../../chat/conversation/transcripts.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { ok } from '../reply.ts';
import { chatParams, text } from '../schemas.ts';

const fields = {
  email: text(254),
  subject: text(200),
  // JS SDK: the host's UTC offset in ms, typed string; coerced to a number by the validator.
  timezoneOffset: { type: 'integer', minimum: -MAX_TIMEZONE_OFFSET_MS, maximum: MAX_TIMEZONE_OFFSET_MS },
} as const;

const transcriptBody = { type: 'object', required: ['email'], properties: fields } as const;
const withSubjectBody = { type: 'object', required: ['email', 'subject'], properties: fields } as const;

/**
 * The JSON body has two top-level keys, which XML cannot have: an XML client sends them
 * inside a root element (<transcriptRequest><email>…</email></transcriptRequest>), or sends
 * just <email>…</email>. The wrapped form is accepted in JSON too.
 */
const WRAPPERS = ['transcriptRequest', 'transcriptWithSubjectRequest', 'transcript', 'request'] as const;

function unwrap(req: FastifyRequest): void {
  const b = req.body;
  if (b === null || typeof b !== 'object' || Array.isArray(b) || 'email' in b) return;
  for (const w of WRAPPERS) {
    const inner = (b as Record<string, unknown>)[w];
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      req.body = inner;
      return;
    }
  }
}

export function transcriptRequestRoutes(app: FastifyInstance, ctx: AppContext): void {
  const chat = '/api/account/:accountId/chat/:chatId';
  for (const [path, body] of [
    [`${chat}/transcriptRequest`, transcriptBody],
    [`${chat}/transcriptWithSubjectRequest`, withSubjectBody],
  ] as const) {
    app.route<{ Params: ChatParams; Body: TranscriptRequest }>({
      method: ['PUT', 'POST'],
      url: path,
      schema: { params: chatParams, body },
      preValidation: async (req) => unwrap(req),
      handler: async (req, reply) => {
        await ctx.transcripts.send(req.account.id, req.params.chatId, req.body);
        return ok(reply);
      },
    });
  }
}
