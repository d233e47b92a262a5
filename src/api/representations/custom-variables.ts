// Custom variables (spec §4.20) as the agent XML client reads them:
// <customVariables><customVariable><name/><value/></customVariable>…</customVariables>.
import type { CustomVariable } from '../../chat/core/types.ts';
import type { Doc } from '../codecs/tree.ts';

export function customVariablesDoc(vars: readonly CustomVariable[]): Doc {
  // None set: an empty element (`{"customVariables":{}}`), like an empty events poll.
  return { customVariables: { customVariable: vars.map((v) => ({ name: v.name, value: v.value })) } };
}
