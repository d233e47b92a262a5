// The PostgreSQL store against the store contract, on a real PostgreSQL that this file starts
// (test/helpers/postgres.ts): one server, each store in a fresh schema of its own.
import { after } from 'node:test';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { startPostgres } from '../helpers/postgres.ts';
import { storeContract } from './store.contract.ts';

const server = await startPostgres();
after(() => server.destroy());

let n = 0;
storeContract('postgres', () => PostgresStore.open({ url: server.url, poolSize: 4, statementTimeout: 5000, schema: `contract_${++n}` }));
