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
  // maxWaitTime ran out before an agent took the chat (spec §4.7; line 2 "operators are busy").
  operatorsBusy: () => 'All our agents are busy at the moment. Please try again later.',
  transferredToAgent: (agentName: string) => `Please wait while we transfer you to ${agentName}.`,
  transferredToSkill: (skillName: string) => `Please wait while we transfer you to ${skillName}.`,
  // The agent left (logout, session expiry) and no other agent could take the chat (agent API §3).
  agentLeft: () => 'The chat was disconnected because the agent left and no other agent is available.',
  // A control-plane fault rule ended the chat "as if the service had" (docs/testing.md, faults).
  serviceEnded: () => 'The chat was disconnected by the service.',
} as const;
