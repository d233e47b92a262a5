// Custom variables (spec §4.20): name/value pairs the visitor attaches to the chat — through
// the `custom-variables` link (JS SDK setCustomVariable) or inside Start Chat — kept with
// the chat and shown to the agent on the visit's customVariables resource.
import { ApiError } from '../../errors.ts';
import type { ChatService } from './chat-service.ts';
import type { ChatWriter } from '../core/chat-writer.ts';
import { isOpen } from '../core/states.ts';
import type { Chat, CustomVariable } from '../core/types.ts';

export const customVariableLimits = {
  /** Variables one chat may hold in all. */
  maxCount: 50,
  maxNameLength: 100,
  maxValueLength: 1000,
} as const;

// Control characters cannot travel in XML 1.0 and have no business in a name; values may
// carry tabs and line breaks.
const NAME_BAD = /[\u0000-\u001f\u007f]/;
const VALUE_BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Checks one request's variables (bad-body on the first problem) and returns them; names are kept as sent. */
export function checkCustomVariables(vars: CustomVariable[]): CustomVariable[] {
  const { maxCount, maxNameLength, maxValueLength } = customVariableLimits;
  if (vars.length > maxCount) throw new ApiError('bad-body', `at most ${maxCount} custom variables`);
  const seen = new Set<string>();
  for (const [i, v] of vars.entries()) {
    if (v.name.trim() === '') throw new ApiError('bad-body', `customVariable ${i}: "name" must not be blank`);
    if (v.name.length > maxNameLength) throw new ApiError('bad-body', `customVariable ${i}: "name" is longer than ${maxNameLength} characters`);
    if (NAME_BAD.test(v.name)) throw new ApiError('bad-body', `customVariable ${i}: "name" contains control characters`);
    if (v.value.length > maxValueLength) throw new ApiError('bad-body', `customVariable "${v.name}": "value" is longer than ${maxValueLength} characters`);
    if (VALUE_BAD.test(v.value)) throw new ApiError('bad-body', `customVariable "${v.name}": "value" contains control characters`);
    if (seen.has(v.name)) throw new ApiError('bad-body', `customVariable "${v.name}" is given twice`);
    seen.add(v.name);
  }
  return vars.map((v) => ({ name: v.name, value: v.value }));
}

/** Setting is by name: a new value replaces the old one, other variables stay, order of first setting is kept. */
export function mergeCustomVariables(current: readonly CustomVariable[], incoming: readonly CustomVariable[]): CustomVariable[] {
  const merged = current.map((v) => ({ ...v }));
  for (const v of incoming) {
    const old = merged.find((m) => m.name === v.name);
    if (old) old.value = v.value;
    else merged.push({ name: v.name, value: v.value });
  }
  if (merged.length > customVariableLimits.maxCount) {
    throw new ApiError('bad-body', `a chat holds at most ${customVariableLimits.maxCount} custom variables (this would make ${merged.length})`);
  }
  return merged;
}

export class CustomVariables {
  private readonly chats: ChatService;
  private readonly writer: ChatWriter;
  constructor(deps: { chats: ChatService; writer: ChatWriter }) {
    this.chats = deps.chats;
    this.writer = deps.writer;
  }

  /** The chat's variables (a visitor read: keeps the chat alive). */
  async list(accountId: string, chatId: string): Promise<CustomVariable[]> {
    const chat = await this.chats.visitorTouch(accountId, chatId);
    return chat.customVariables ?? [];
  }

  /** Sets `vars` on an open chat, all or nothing. */
  async set(accountId: string, chatId: string, vars: CustomVariable[]): Promise<Chat> {
    const checked = checkCustomVariables(vars);
    return this.writer.mutate(accountId, chatId, (chat) => {
      if (!isOpen(chat.state)) throw new ApiError('chat-ended');
      chat.customVariables = mergeCustomVariables(chat.customVariables ?? [], checked);
      return chat;
    }, { visitor: true });
  }
}

/** The visit id the agent side uses for a chat: the chat key without its hex middle (agent spec §4.10, `H…K…`). */
export function visitIdOf(chatId: string): string {
  const m = /^(H\d+)-[0-9a-f]+(K\d+)$/i.exec(chatId);
  return m ? `${m[1]}${m[2]}` : chatId;
}
