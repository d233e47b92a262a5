// Request counts and latency, counted per request in plain objects and handed to prom-client
// only when scraped (a metric object of the registry's own form: name, help, type, get()).
// prom-client's Counter.inc and Histogram.observe hash their label object on every call:
// on the keep-alive poll that was ~4% of the request's CPU (issue 14). Here one string key
// per (method, route, status, format) finds the series; label values stay bounded as before
// (route templates, never a chat id).
import type { Registry } from 'prom-client';

interface Series {
  method: string;
  route: string;
  format: string;
  /** Requests by status. */
  statuses: Map<string, number>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

interface Value {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

export interface RequestStatsNames {
  requests: { name: string; help: string };
  latency: { name: string; help: string; buckets: readonly number[] };
}

/** prom-client formats any registered object that has a name, help, type and get(). */
function register(registry: Registry, metric: { name: string; help: string }, type: 'counter' | 'histogram', values: () => Value[]): void {
  const { name, help } = metric;
  registry.registerMetric({ name, help, type, get: async () => ({ name, help, type, aggregator: 'sum', values: values() }) } as never);
}

export class RequestStats {
  private readonly series = new Map<string, Series>();
  private readonly bounds: readonly number[];

  constructor(registry: Registry, names: RequestStatsNames) {
    this.bounds = names.latency.buckets;
    register(registry, names.requests, 'counter', () => this.requestValues());
    register(registry, names.latency, 'histogram', () => this.latencyValues(names.latency.name));
  }

  /** One finished request: its status and how long it took, in seconds. */
  observe(method: string, route: string, format: string, status: number, seconds: number): void {
    const key = `${method} ${format} ${route}`;
    let s = this.series.get(key);
    if (!s) {
      s = { method, route, format, statuses: new Map(), buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const st = String(status);
    s.statuses.set(st, (s.statuses.get(st) ?? 0) + 1);
    let b = 0;
    while (b < this.bounds.length && seconds > (this.bounds[b] as number)) b++;
    s.buckets[b] = (s.buckets[b] ?? 0) + 1;
    s.sum += seconds;
    s.count += 1;
  }

  private requestValues(): Value[] {
    const out: Value[] = [];
    for (const s of this.series.values()) {
      for (const [status, n] of s.statuses) out.push({ labels: { method: s.method, route: s.route, status, format: s.format }, value: n });
    }
    return out;
  }

  private latencyValues(name: string): Value[] {
    const out: Value[] = [];
    for (const s of this.series.values()) {
      const labels = { method: s.method, route: s.route, format: s.format };
      let acc = 0;
      this.bounds.forEach((le, i) => {
        acc += s.buckets[i] as number;
        out.push({ labels: { le, ...labels }, value: acc, metricName: `${name}_bucket` });
      });
      out.push({ labels: { le: '+Inf', ...labels }, value: s.count, metricName: `${name}_bucket` });
      out.push({ labels, value: s.sum, metricName: `${name}_sum` });
      out.push({ labels, value: s.count, metricName: `${name}_count` });
    }
    return out;
  }
}
