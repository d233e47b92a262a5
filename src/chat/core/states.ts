// The chat state machine as data (spec §3): which move takes which state where, and who
// may make it. Everything that changes a chat's state asks `move` first.
import { ApiError } from '../../errors.ts';
import type { ChatState } from './types.ts';

export type Move = 'accept' | 'requeue' | 'end';
export type Actor = 'visitor' | 'agent' | 'system';

interface Transition {
  to: ChatState;
  by: readonly Actor[];
}

export const transitions: Readonly<Record<ChatState, Partial<Record<Move, Transition>>>> = {
  waiting: {
    accept: { to: 'chatting', by: ['agent'] },
    end: { to: 'ended', by: ['visitor', 'agent', 'system'] },
  },
  chatting: {
    // Back to the queue (system message 23, or a transfer to a skill: 15).
    requeue: { to: 'waiting', by: ['agent', 'system'] },
    end: { to: 'ended', by: ['visitor', 'agent', 'system'] },
  },
  ended: {},
};

export function canMove(from: ChatState, move: Move, actor: Actor): boolean {
  const t = transitions[from][move];
  return t !== undefined && t.by.includes(actor);
}

/** The state `move` leads to, or an error value saying why it is not allowed. */
export function move(from: ChatState, m: Move, actor: Actor): ChatState {
  const t = transitions[from][m];
  if (!t || !t.by.includes(actor)) {
    if (from === 'ended') throw new ApiError('chat-ended');
    throw new ApiError('illegal-state-move', `a ${actor} cannot ${m} a chat that is ${from}`);
  }
  return t.to;
}

export function isOpen(state: ChatState): boolean {
  return state !== 'ended';
}
