// Health probes for orchestrators (Kubernetes' liveness and readiness, Docker's
// HEALTHCHECK): outside the vendor's URL space, no key, always JSON (compatibility.md).
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ChatStore } from '../store/store.ts';

/** A probe waits this long for the store before it calls it unreachable. */
const STORE_PROBE_MS = 2000;

export interface ReadinessSources {
  store: ChatStore;
  /** The domain's timers fire (DomainRuntime.running). */
  timersRunning: () => boolean;
}

const probeReply = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { type: 'string', enum: ['ok', 'ready', 'not ready'] },
    reason: { type: 'string', description: 'Why the server is not ready (503 only)' },
  },
} as const;

async function storeReady(store: ChatStore, log: FastifyBaseLogger): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((res) => (timer = setTimeout(() => res(`store: no answer within ${STORE_PROBE_MS} ms`), STORE_PROBE_MS)));
  try {
    return await Promise.race([store.ping().then(() => null), late]);
  } catch (err) {
    // The cause (a database address, a driver error) goes to the log, not to the prober.
    log.warn({ err: (err as Error).message }, 'readiness: store check failed');
    return 'store: unreachable or not migrated';
  } finally {
    clearTimeout(timer);
  }
}

export function probeRoutes(app: FastifyInstance, sources: ReadinessSources): void {
  const tags = ['Operations'];
  app.get('/healthz', { schema: { tags, summary: 'Liveness: the process answers', response: { 200: probeReply } } }, async (_req, reply) => {
    return reply.code(200).send({ status: 'ok' });
  });
  app.get(
    '/readyz',
    { schema: { tags, summary: 'Readiness: the store answers and is migrated, the timers run', response: { 200: probeReply, 503: probeReply } } },
    async (req, reply) => {
      const reasons: string[] = [];
      const store = await storeReady(sources.store, req.log);
      if (store) reasons.push(store);
      if (!sources.timersRunning()) reasons.push('timers: not running');
      if (reasons.length === 0) return reply.code(200).send({ status: 'ready' });
      req.log.warn({ reasons }, 'not ready');
      return reply.code(503).send({ status: 'not ready', reason: reasons.join('; ') });
    },
  );
}
