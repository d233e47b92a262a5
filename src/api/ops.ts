// What operators point their tools at, outside the vendor's URL space: health probes,
// Prometheus metrics and the OpenAPI document with its reference page.
import type { FastifyInstance } from 'fastify';
import type { DomainRuntime } from '../chat/domain.ts';
import type { Clock } from '../clock.ts';
import type { ChatStore } from '../store/store.ts';
import type { Metrics } from './metrics.ts';
import { probeRoutes } from './probes.ts';

export interface OpsSources {
  store: ChatStore;
  domain: DomainRuntime;
  clock: Clock;
  /** Null with --metrics=false: no /metrics route, no counting. */
  metrics: Metrics | null;
}

export function installOps(app: FastifyInstance, sources: OpsSources): void {
  probeRoutes(app, { store: sources.store, timersRunning: () => sources.domain.running });
  sources.metrics?.install(app, sources.store, sources.clock);
}
