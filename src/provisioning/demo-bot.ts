// The demo account with a bot agent beside the person (issue 13 §7): what the testing kit
// and `--control` start with, so a widget test has an agent that answers without a console.
import type { BotScript } from '../chat/core/types.ts';
import { demoProvisioning, type ProvisionedAgent, type Provisioning } from './provisioning.ts';

export const DEMO_BOT_SCRIPT: BotScript = {
  acceptAfterMs: 1000,
  greeting: 'Hi, I am Max, a bot. How can I help?',
  replies: [
    { match: '\\b(hello|hi|hey)\\b', reply: 'Hello! Ask me about prices or opening hours.', afterMs: 500, typingMs: 1000 },
    { match: 'price|cost|how much', reply: 'Our plans start at 10 EUR a month.', afterMs: 500, typingMs: 1500 },
    { match: 'hours|open', reply: 'We are open 9:00 to 17:00, Monday to Friday.', afterMs: 500, typingMs: 1500 },
  ],
  default: 'Thanks, noted. Anything else?',
  endOn: '^(bye|goodbye)\\b',
};

export const DEMO_BOT: ProvisionedAgent = {
  id: 25025499,
  name: 'Max',
  loginName: 'max-bot',
  password: 'max-bot-secret',
  skills: [25975313],
  maxChats: -1,
  bot: DEMO_BOT_SCRIPT,
};

export const demoBotProvisioning: Provisioning = {
  accounts: demoProvisioning.accounts.map((a) => ({ ...a, agents: [...a.agents, DEMO_BOT] })),
};
