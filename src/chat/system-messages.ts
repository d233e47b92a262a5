// System lines and their systemMessageIds (spec §4.9 table). The wording is ours where the
// vendor's pages give only the meaning; docs/compatibility.md records each text.

export const SystemMessage = {
  preChatLine: 0,
  operatorsBusy: 2,
  accepted: 3,
  routing: 4,
  agentEnded: 5,
  disconnected: 6,
  transferredToAgent: 13,
  transferredToSkill: 15,
  requeued: 23,
} as const;

export const systemTexts = {
  routing: () => 'Thank you for choosing to chat with us.',
  accepted: (agentName: string) => `You are now chatting with ${agentName}.`,
  agentEnded: (agentName: string) => `${agentName} has ended the chat.`,
  disconnected: () => 'The chat was disconnected because no request reached it in time.',
  requeued: () => 'Please wait while we transfer you to another agent.',
} as const;
