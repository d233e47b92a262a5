// Open chats in memory (src/store/open-chat-store.ts): a poll of an open chat reads no store,
// every write goes to the store first and the map holds what was written, a write that lost
// its version check is not remembered, ended chats leave, and a shared store's notices drop
// entries (or, while notices may be missed, switch the map off).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelegatingStore } from '../../src/store/delegating-store.ts';
import { OpenChatStore } from '../../src/store/open-chat-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Chat } from '../../src/chat/core/types.ts';
import type { ChatKey, StoreChange } from '../../src/store/store.ts';
import { chat, stateEvent } from '../contract/store.contract.ts';
import { ACCOUNT, KEY_HEADER, startChat, testApp } from '../helpers/app.ts';

/** Counts the chat reads that reach the store; can pretend to be shared and send notices. */
class Counting extends DelegatingStore {
  reads = 0;
  sharedStore = false;
  private listener: ((c: StoreChange) => void) | null = null;
  override get shared(): boolean {
    return this.sharedStore;
  }
  override watch(listener: (change: StoreChange) => void): () => void {
    this.listener = listener;
    return () => undefined;
  }
  tell(change: StoreChange): void {
    this.listener?.(change);
  }
  /** While set, a chat read waits for it after reading (a read in flight, as on a network store). */
  hold: Promise<void> | null = null;
  override async getChat(accountId: string, chatId: string): Promise<Chat | null> {
    this.reads++;
    const chat = await super.getChat(accountId, chatId);
    if (this.hold) await this.hold;
    return chat;
  }
  override getChats(keys: ChatKey[]): Promise<Array<Chat | null>> {
    this.reads += keys.length;
    return super.getChats(keys);
  }
}

function setup(shared = false) {
  const raw = new SqliteStore(':memory:');
  const inner = new Counting(raw);
  inner.sharedStore = shared;
  return { raw, inner, store: new OpenChatStore(inner) };
}

describe('OpenChatStore', () => {
  it('a created chat is read from memory, as written, and each caller gets its own copy', async () => {
    const { inner, store } = setup();
    await store.createChat(chat('A', 'c1'), [stateEvent(0, 'waiting')]);
    const a = await store.getChat('A', 'c1');
    const b = await store.getChat('A', 'c1');
    assert.equal(inner.reads, 0, 'no store read');
    assert.deepEqual(a, chat('A', 'c1'));
    assert.ok(a && b && a !== b);
    if (a) a.lastUpdate = 1;
    assert.deepEqual(await store.getChat('A', 'c1'), chat('A', 'c1'), 'a caller changing its copy changes nothing held');
    assert.deepEqual(await store.getChats([{ accountId: 'A', chatId: 'c1' }, { accountId: 'A', chatId: 'nope' }]), [chat('A', 'c1'), null]);
    assert.equal(inner.reads, 1, 'only the unknown chat went to the store');
  });

  it('a chat read once from the store is held; a write replaces it; an ended chat leaves', async () => {
    const { raw, inner, store } = setup();
    await raw.createChat(chat('A', 'c1', { state: 'chatting', agentId: 5 }), []);
    await store.getChat('A', 'c1');
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 1);
    assert.equal(await store.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, nextEventId: 2, version: 2 }), [stateEvent(1, 'chatting')]), true);
    assert.equal((await store.getChat('A', 'c1'))?.nextEventId, 2);
    assert.equal(inner.reads, 1, 'the written chat came from memory');
    await store.updateChat(chat('A', 'c1', { state: 'ended', version: 3, nextEventId: 3 }), [stateEvent(2, 'ended')]);
    assert.equal(store.size, 0);
    assert.equal((await store.getChat('A', 'c1'))?.state, 'ended');
    assert.equal(inner.reads, 2, 'an ended chat is read from the store');
  });

  it('a write that lost its version check drops the entry, so the retry reads the store', async () => {
    const { raw, inner, store } = setup();
    await store.createChat(chat('A', 'c1'), []);
    // Written behind the map's back (as another process would): the held copy is stale.
    await raw.updateChat(chat('A', 'c1', { version: 2, visitorName: 'Ann' }), []);
    assert.equal(await store.updateChat(chat('A', 'c1', { version: 2 }), []), false);
    assert.equal((await store.getChat('A', 'c1'))?.visitorName, 'Ann');
    assert.equal(inner.reads, 1);
  });

  it('keep-alives written to the store move the held lastUpdate forward only', async () => {
    const { store } = setup();
    await store.createChat(chat('A', 'c1', { lastUpdate: 1000 }), []);
    await store.touchChats([{ accountId: 'A', chatId: 'c1', lastUpdate: 5000 }]);
    await store.touchChat('A', 'c1', 3000);
    assert.equal((await store.getChat('A', 'c1'))?.lastUpdate, 5000);
    // A guarded write with an older lastUpdate keeps the later one, as the store does.
    await store.updateChat(chat('A', 'c1', { lastUpdate: 2000, version: 2 }), []);
    assert.equal((await store.getChat('A', 'c1'))?.lastUpdate, 5000);
  });

  it('on a shared store: nothing is held until notices arrive; a notice drops its chat; a lost listener empties the map', async () => {
    const { inner, store } = setup(true);
    await store.createChat(chat('A', 'c1'), []);
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 1, 'not listening yet: read from the store');
    inner.tell({ kind: 'listening', live: true });
    await store.getChat('A', 'c1');
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 2);
    inner.tell({ kind: 'chat', accountId: 'A', chatId: 'c1' });
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 3, 'another process wrote it: read again');
    inner.tell({ kind: 'listening', live: false });
    assert.equal(store.size, 0);
    await store.getChat('A', 'c1');
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 5, 'while notices may be missed, every read goes to the store');
  });

  it('a read that a write or notice of its own chat overlapped fills nothing; one overlapped by other chats\' writes fills', async () => {
    const { raw, inner, store } = setup(true);
    inner.tell({ kind: 'listening', live: true });
    for (const id of ['c1', 'c2', 'c3']) await raw.createChat(chat('A', id), []);
    await store.createChat(chat('A', 'w'), []);
    let release = (): void => undefined;
    inner.hold = new Promise((r) => (release = r));
    // Three reads in flight; meanwhile another chat is written, c2 is written and c3's notice arrives.
    const reads = ['c1', 'c2', 'c3'].map((id) => store.getChat('A', id));
    assert.equal(await store.updateChat(chat('A', 'w', { version: 2 }), []), true);
    assert.equal(await raw.updateChat(chat('A', 'c2', { version: 2 }), []), true);
    await store.updateChat(chat('A', 'c2', { version: 3 }), []); // through the map: it knows c2 changed
    inner.tell({ kind: 'chat', accountId: 'A', chatId: 'c3' });
    inner.hold = null;
    release();
    await Promise.all(reads);
    assert.equal(inner.reads, 3);
    await store.getChat('A', 'c1');
    assert.equal(inner.reads, 3, 'c1: only other chats were written meanwhile, so the read was held');
    await store.getChat('A', 'c2');
    await store.getChat('A', 'c3');
    assert.equal(inner.reads, 5, 'c2 (written) and c3 (told of) were read again');
  });

  it('in the app, info and chat polls of an open chat read no chat from the store', async () => {
    const inner = new Counting(new SqliteStore(':memory:'));
    const t = await testApp({ store: inner });
    try {
      const chatUrl = await startChat(t);
      assert.match(chatUrl, new RegExp(`/api/account/${ACCOUNT}/chat/`));
      const before = inner.reads;
      for (let i = 0; i < 3; i++) {
        const res = await t.inject({ method: 'GET', url: `${chatUrl}/info.json`, headers: KEY_HEADER });
        assert.equal(res.statusCode, 200);
        assert.equal(res.json().info.state, 'waiting');
        const next = await t.inject({ method: 'GET', url: `${chatUrl}.json?from=1000`, headers: KEY_HEADER });
        assert.equal(next.statusCode, 200);
      }
      assert.equal(inner.reads, before, 'polls served from memory');
    } finally {
      await t.close();
    }
  });
});

describe('OpenChatStore: the last events', () => {
  it('the poll finding the newest events reads no store; an older from does', async () => {
    const { raw, store } = setup();
    let eventReads = 0;
    const listEvents = raw.listEvents.bind(raw);
    raw.listEvents = async (a, c, from) => {
      eventReads++;
      return listEvents(a, c, from);
    };
    await store.createChat(chat('A', 'c1', { nextEventId: 2 }), [stateEvent(0, 'waiting'), stateEvent(1, 'waiting')]);
    assert.deepEqual((await store.listEvents('A', 'c1', 1)).map((e) => e.id), [1]);
    assert.deepEqual((await store.listEvents('A', 'c1', 0)).map((e) => e.id), [0, 1]);
    assert.equal(eventReads, 0);
    await store.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 2, nextEventId: 5 }), [stateEvent(2, 'chatting'), stateEvent(3, 'chatting'), stateEvent(4, 'chatting')]);
    assert.deepEqual((await store.listEvents('A', 'c1', 3)).map((e) => e.id), [3, 4]);
    assert.equal(eventReads, 0);
    assert.deepEqual((await store.listEvents('A', 'c1', 1)).map((e) => e.id), [1, 2, 3, 4]);
    assert.equal(eventReads, 1, 'older than the tail: read from the store');
  });

  it('a chat read from the store learns its tail from a read that reaches its last event; a lost write forgets it', async () => {
    const { raw, store } = setup();
    await raw.createChat(chat('A', 'c1', { state: 'chatting', agentId: 5, nextEventId: 3 }), [stateEvent(0, 'waiting'), stateEvent(1, 'chatting'), stateEvent(2, 'chatting')]);
    let eventReads = 0;
    const listEvents = raw.listEvents.bind(raw);
    raw.listEvents = async (a, c, from) => {
      eventReads++;
      return listEvents(a, c, from);
    };
    await store.getChat('A', 'c1');
    await store.listEvents('A', 'c1', 2);
    await store.listEvents('A', 'c1', 2);
    assert.equal(eventReads, 1);
    // Written behind the map's back: the next write through it loses, and the tail goes.
    await raw.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 2, nextEventId: 4 }), [stateEvent(3, 'chatting')]);
    assert.equal(await store.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 2, nextEventId: 4 }), [stateEvent(3, 'chatting')]), false);
    const chatNow = await store.getChat('A', 'c1');
    assert.equal(chatNow?.nextEventId, 4);
    assert.deepEqual((await store.listEvents('A', 'c1', 3)).map((e) => e.id), [3]);
    assert.equal(eventReads, 2);
  });
  it('the paged read a poll makes (listEventsPage) is served from the tail too, and learns it (a page cut short does not)', async () => {
    const { raw, store } = setup();
    await raw.createChat(chat('A', 'c1', { state: 'chatting', agentId: 5, nextEventId: 4 }), [stateEvent(0, 'waiting'), stateEvent(1, 'chatting'), stateEvent(2, 'chatting'), stateEvent(3, 'chatting')]);
    let pageReads = 0;
    const listEventsPage = raw.listEventsPage.bind(raw);
    raw.listEventsPage = async (a, c, from, limit) => {
      pageReads++;
      return listEventsPage(a, c, from, limit);
    };
    await store.getChat('A', 'c1');
    // Cut short at 1 of 2: not known to end at the last event, so nothing is learnt.
    assert.deepEqual((await store.listEventsPage('A', 'c1', 2, 1)).map((e) => e.id), [2]);
    assert.deepEqual((await store.listEventsPage('A', 'c1', 3, 10)).map((e) => e.id), [3]);
    assert.equal(pageReads, 2);
    // The last read reached the last event: the next polls read nothing.
    assert.deepEqual((await store.listEventsPage('A', 'c1', 3, 10)).map((e) => e.id), [3]);
    assert.deepEqual((await store.listEventsPage('A', 'c1', 4, 10)).map((e) => e.id), []);
    await store.updateChat(chat('A', 'c1', { state: 'chatting', agentId: 5, version: 2, nextEventId: 6 }), [stateEvent(4, 'chatting'), stateEvent(5, 'chatting')]);
    assert.deepEqual((await store.listEventsPage('A', 'c1', 4, 10)).map((e) => e.id), [4, 5]);
    assert.equal(pageReads, 2);
    // More from the tail than the page holds: the store answers the page.
    assert.deepEqual((await store.listEventsPage('A', 'c1', 4, 1)).map((e) => e.id), [4]);
    assert.equal(pageReads, 3);
  });
});
