// Custom variables (spec §4.20, the chat's `custom-variables` link). The JS SDK sets them with
// POST + X-HTTP-Method-Override: PUT and {"customVariables":{"customVariable":[{name,value}]}};
// GET answers the same shape. Setting is by name and answers 200 with no body.
import type { FastifyInstance } from 'fastify';
import { customVariableLimits } from '../../chat/conversation/custom-variables.ts';
import type { CustomVariable } from '../../chat/core/types.ts';
import { visitorAuth } from '../auth.ts';
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
  const auth = visitorAuth(ctx);
  const vars = ctx.customVariables;
  const url = '/api/account/:accountId/chat/:chatId/customVariables';

  app.get<{ Params: ChatParams }>(url, { schema: { params: chatParams }, preHandler: auth }, async (req, reply) => {
    return send(req, reply, 200, customVariablesDoc(await vars.list(req.account.id, req.params.chatId)));
  });

  app.route<{ Params: ChatParams; Body: { customVariables: CustomVariablesBody } }>({
    method: ['PUT', 'POST'],
    url,
    schema: { params: chatParams, body },
    preHandler: auth,
    handler: async (req, reply) => {
      await vars.set(req.account.id, req.params.chatId, customVariableList(req.body.customVariables));
      return ok(reply);
    },
  });
}
