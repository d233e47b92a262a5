// The known paths of the route table and the methods each takes, so that a request for a known
// path with a method it does not take is 405 with `Allow` rather than 404 (spec §1.7's
// inferred codes; compatibility.md, "Errors"). Filled by an onRoute hook as routes register.
import type { FastifyInstance, RouteOptions } from 'fastify';

interface Known {
  segments: string[];
  methods: Set<string>;
}

/** `/a//b/` and `/a/b` are one path, as the router has it (ignoreDuplicateSlashes, ignoreTrailingSlash). */
function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matches(pattern: string[], path: string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    if (p === '*') return true;
    const s = path[i];
    if (s === undefined) return false;
    if (!p.startsWith(':') && p !== s) return false;
  }
  return pattern.length === path.length;
}

export class RouteTable {
  private readonly known = new Map<string, Known>();

  add(method: string | string[], url: string): void {
    let k = this.known.get(url);
    if (!k) {
      k = { segments: segmentsOf(url), methods: new Set() };
      this.known.set(url, k);
    }
    for (const m of Array.isArray(method) ? method : [method]) k.methods.add(m.toUpperCase());
  }

  /** Every route as registered (tests iterate the table). */
  routes(): Array<{ url: string; methods: string[] }> {
    return [...this.known].map(([url, k]) => ({ url, methods: [...k.methods].sort() }));
  }

  /** The methods the path takes (any route matching it), sorted; empty for an unknown path. */
  allowed(path: string): string[] {
    const segs = segmentsOf(decodeSafe(path.split('?')[0] ?? ''));
    const out = new Set<string>();
    for (const k of this.known.values()) if (matches(k.segments, segs)) for (const m of k.methods) out.add(m);
    return [...out].sort();
  }
}

function decodeSafe(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Records every route registered after it (call before the routes). */
export function trackRoutes(app: FastifyInstance): RouteTable {
  const table = new RouteTable();
  app.addHook('onRoute', (route: RouteOptions) => table.add(route.method, route.url));
  return table;
}
