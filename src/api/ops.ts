// What operators point their tools at, outside the vendor's URL space: health probes,
// Prometheus metrics and the OpenAPI document with its reference page.
import type { FastifyInstance } from 'fastify';
import type { DomainRuntime } from '../chat/domain.ts';
import type { Clock } from '../clock.ts';
import type { ChatStore } from '../store/store.ts';
import type { Metrics } from './metrics.ts';
import { installOpenApi } from './openapi/document.ts';
import { probeRoutes } from './probes.ts';

export interface OpsSources {
  store: ChatStore;
  domain: DomainRuntime;
  clock: Clock;
  /** Null with --metrics=false: no /metrics route, no counting. */
  metrics: Metrics | null;
}

/**
 * Call before the API's routes are registered, and register those in a plugin
 * (app.register), so that the document generator, loaded first, sees every one of them.
 */
export function installOps(app: FastifyInstance, sources: OpsSources): void {
  installOpenApi(app);
  void app.register(async (scope) => probeRoutes(scope, { store: sources.store, timersRunning: () => sources.domain.running }));
  sources.metrics?.install(app, sources.store, sources.clock);
}
