// Custom variables (spec §4.20, the chat's `custom-variables` link). The JS SDK sets them with
// POST + X-HTTP-Method-Override: PUT and {"customVariables":{"customVariable":[{name,value}]}};
// GET answers the same shape. Setting is by name and answers 200 with no body.
import type { FastifyInstance } from 'fastify';
import { customVariableLimits } from '../../chat/conversation/custom-variables.ts';
import type { CustomVariable } from '../../chat/core/types.ts';
import { ApiError } from '../../errors.ts';
import type { AppContext, ChatParams } from '../context.ts';
import { ok, send } from '../reply.ts';
import { customVariablesDoc } from '../representations/custom-variables.ts';
import { chatParams } from '../schemas.ts';

/** One variable; values the SDK sends as numbers or booleans are coerced to text. */
export const customVariableSchema = {
  type: 'object',
  required: ['name', 'value'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: customVariableLimits.maxNameLength },
    value: { type: 'string', maxLength: customVariableLimits.maxValueLength },
  },
} as const;

/** `{"customVariable":[…]}`; one XML element (or one JSON object) is a list of one. */
export const customVariablesSchema = {
  type: 'object',
  required: ['customVariable'],
  properties: {
    customVariable: { anyOf: [{ type: 'array', minItems: 1, maxItems: customVariableLimits.maxCount, items: customVariableSchema }, customVariableSchema] },
  },
} as const;

export interface CustomVariablesBody {
  customVariable: CustomVariable | CustomVariable[];
}

export const customVariableList = (b: CustomVariablesBody): CustomVariable[] => (Array.isArray(b.customVariable) ? b.customVariable : [b.customVariable]);

const body = { type: 'object', required: ['customVariables'], properties: { customVariables: customVariablesSchema } } as const;

export function customVariablesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const vars = ctx.customVariables;
  const url = '/api/account/:accountId/chat/:chatId/customVariables';

  app.get<{ Params: ChatParams }>(url, { schema: { params: chatParams } }, async (req, reply) => {
    return send(req, reply, 200, customVariablesDoc(await vars.list(req.account.id, req.params.chatId)));
  });

  app.route<{ Params: ChatParams; Body: { customVariables: CustomVariablesBody } }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: chatParams, body },
    handler: async (req, reply) => {
      await vars.set(req.account.id, req.params.chatId, customVariableList(req.body.customVariables));
      return ok(reply);
    },
  });

  // The Android XML client's form (spec §4.20 table): POST …/customVariables/{name} with one
  // element holding the value (`<value>blue</value>`; in JSON `{"value":"blue"}`). Any one
  // element name is taken, as the client's is not recorded; the value is its text.
  app.route<{ Params: ChatParams & { name: string }; Body: unknown }>({
    method: ['PUT', 'POST'],
    url: `${url}/:name`,
    schema: { params: { ...chatParams, required: [...chatParams.required, 'name'], properties: { ...chatParams.properties, name: customVariableSchema.properties.name } } },
    handler: async (req, reply) => {
      await vars.set(req.account.id, req.params.chatId, [{ name: req.params.name, value: singleValue(req.body) }]);
      return ok(reply);
    },
  });
}

/** The text of a body of one element: `<x>v</x>`, `{"x":"v"}`, `{"x":{"#text":"v"}}`, or a bare JSON string. */
function singleValue(body: unknown): string {
  if (typeof body === 'string' || typeof body === 'number' || typeof body === 'boolean') return String(body);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const values = Object.values(body as Record<string, unknown>);
    if (values.length === 1) {
      const v = values[0];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
      if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) return '';
      const text = (v as Record<string, unknown> | null)?.['#text'];
      if (typeof text === 'string' || typeof text === 'number') return String(text);
    }
  }
  if (body === undefined) return '';
  throw new ApiError('bad-body', 'send one element holding the value, e.g. <value>blue</value> or {"value":"blue"}');
}
