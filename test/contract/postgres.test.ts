// The PostgreSQL store against the store contract, on a real PostgreSQL that this file starts
// (test/helpers/postgres.ts): one server, each store in a fresh schema of its own; bare, and
// wrapped as the app wraps it (server.ts), where the cache also listens for change notices.
import { after } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { manualTimerHost } from '../../src/chat/core/timers.ts';
import { CachedStore } from '../../src/store/cached-store.ts';
import { KeepAliveStore } from '../../src/store/keep-alive-store.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { storeContract } from './store.contract.ts';

const server = await startPostgres();
after(() => server.destroy());

let n = 0;
const open = (): Promise<PostgresStore> => PostgresStore.open({ url: server.url, poolSize: 4, statementTimeout: 5000, schema: `contract_${++n}` });

storeContract('postgres', open);
storeContract('postgres behind keep-alives and the cache', async () => new CachedStore(new KeepAliveStore(await open(), { timerHost: manualTimerHost }), new ManualClock()));
