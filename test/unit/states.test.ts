// The chat state machine (src/chat/states.ts; spec §3): every allowed move, who may make it,
// and the error values for everything else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/errors.ts';
import { canMove, isOpen, move, transitions, type Actor, type Move } from '../../src/chat/core/states.ts';
import type { ChatState } from '../../src/chat/core/types.ts';

const STATES: ChatState[] = ['waiting', 'chatting', 'ended'];
const MOVES: Move[] = ['accept', 'requeue', 'end'];
const ACTORS: Actor[] = ['visitor', 'agent', 'system'];

/** The table written out by hand: "from move actor" -> to. Everything not here is illegal. */
const ALLOWED: Record<string, ChatState> = {
  'waiting accept agent': 'chatting',
  'waiting end visitor': 'ended',
  'waiting end agent': 'ended',
  'waiting end system': 'ended',
  'chatting requeue agent': 'waiting',
  'chatting requeue system': 'waiting',
  'chatting end visitor': 'ended',
  'chatting end agent': 'ended',
  'chatting end system': 'ended',
};

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, 'throws an ApiError');
    return err.code;
  }
  assert.fail('expected the move to throw');
}

describe('state machine', () => {
  it('allows exactly the moves in the table, to the listed state', () => {
    let allowed = 0;
    for (const from of STATES)
      for (const m of MOVES)
        for (const actor of ACTORS) {
          const key = `${from} ${m} ${actor}`;
          const to = ALLOWED[key];
          assert.equal(canMove(from, m, actor), to !== undefined, key);
          if (to !== undefined) {
            assert.equal(move(from, m, actor), to, key);
            allowed++;
          }
        }
    assert.equal(allowed, Object.keys(ALLOWED).length);
  });

  it('only an agent accepts a waiting chat', () => {
    assert.equal(move('waiting', 'accept', 'agent'), 'chatting');
    assert.equal(errorCode(() => move('waiting', 'accept', 'visitor')), 'illegal-state-move');
    assert.equal(errorCode(() => move('waiting', 'accept', 'system')), 'illegal-state-move');
  });

  it('a visitor cannot requeue; a waiting chat cannot be requeued or a chatting one accepted', () => {
    assert.equal(errorCode(() => move('chatting', 'requeue', 'visitor')), 'illegal-state-move');
    for (const actor of ACTORS) {
      assert.equal(errorCode(() => move('waiting', 'requeue', actor)), 'illegal-state-move');
      assert.equal(errorCode(() => move('chatting', 'accept', actor)), 'illegal-state-move');
    }
  });

  it('the illegal-move error says who tried what on which state', () => {
    try {
      move('waiting', 'requeue', 'visitor');
      assert.fail('expected a throw');
    } catch (err) {
      assert.ok(err instanceof ApiError);
      assert.equal(err.spec.status, 409);
      assert.match(err.detail ?? '', /visitor.*requeue.*waiting/);
    }
  });

  it('nothing moves an ended chat: every move throws chat-ended', () => {
    assert.deepEqual(transitions.ended, {});
    for (const m of MOVES)
      for (const actor of ACTORS) {
        assert.equal(canMove('ended', m, actor), false);
        assert.equal(errorCode(() => move('ended', m, actor)), 'chat-ended', `${m} by ${actor}`);
      }
  });

  it('waiting and chatting are open, ended is not', () => {
    assert.equal(isOpen('waiting'), true);
    assert.equal(isOpen('chatting'), true);
    assert.equal(isOpen('ended'), false);
  });
});
