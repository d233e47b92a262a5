// What holding open chats in memory costs (issue 14: a served open chat stays within 2 KB):
// the V8 heap OpenChatStore (src/store/open-chat-store.ts) takes for N chats seeded as the
// bench seeds them, read from SQLite as a poll reads them — the chat, then the last event
// the `next` poll finds.   node --expose-gc bench/open-chats-memory.ts [N]
import { OpenChatStore } from '../src/store/open-chat-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { provision, seedChats } from './seed.ts';
const N = Number(process.argv[2] ?? 100000);
const raw = new SqliteStore(':memory:');
await provision(raw, N, 100);
const chats = await seedChats(raw, { chats: N, chatTimeout: 3600, lastUpdate: Date.now(), chatsPerAgent: 100 });
const gc = (globalThis as { gc?: () => void }).gc!;
const store = new OpenChatStore(raw);
gc(); gc();
const h0 = process.memoryUsage().heapUsed;
for (const c of chats) await store.getChat('bench01', c.id);
gc(); gc();
const h1 = process.memoryUsage().heapUsed;
for (const c of chats) await store.listEvents('bench01', c.id, c.nextEventId - 1);
gc(); gc();
const h2 = process.memoryUsage().heapUsed;
console.log(`${store.size} chats held: ${((h1 - h0) / N).toFixed(0)} B of heap per chat; with the last events a poll found: ${((h2 - h0) / N).toFixed(0)} B`);
