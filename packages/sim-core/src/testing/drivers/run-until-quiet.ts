import type { Cluster } from '../../cluster/cluster.js';
import type { KnsimTraceType } from '../../trace/events.js';
import { advanceTo } from '../_internals/advance.js';

/** Events that come on a timer whatever happens; they do not make a cluster busy. */
const PERIODIC: ReadonlySet<KnsimTraceType> = new Set(['autoscaler.decision', 'scrape', 'activator.stat']);

export interface QuietOptions {
  /** How long nothing must happen (default 10 s of simulated time). */
  quietMs?: number;
  /** Give up after this long (default 10 minutes). */
  maxMs?: number;
}

/**
 * Runs until the cluster is quiet: no request in flight and, for `quietMs`, nothing but the
 * timers' periodic events (autoscaler ticks, scrapes, activator stats) — no pod, object,
 * condition, routing or scaling change. Returns when the last change happened. Throws when the
 * cluster is still busy after `maxMs`.
 */
export function runUntilQuiet(cluster: Cluster, o: QuietOptions = {}): { lastChangeMs: number } {
  const quietMs = o.quietMs ?? 10_000;
  const deadline = cluster.now + (o.maxMs ?? 600_000);
  let last = cluster.now;
  let lastType = '(none)';
  // Requests started before the call are not counted in flight, but their answers are changes.
  const inflight = new Set<number>();
  const off = cluster.trace.on('*', (e) => {
    if (e.type === 'request.start') inflight.add(e.id);
    else if (e.type === 'request.end') inflight.delete(e.id);
    if (!PERIODIC.has(e.type)) {
      last = e.t;
      lastType = e.type;
    }
  });
  try {
    for (;;) {
      // The same sum as the target below: `now - last >= quietMs` can miss by an ulp (9505.155… − 4505.155… is 4999.999…) and never return.
      if (inflight.size === 0 && cluster.now >= last + quietMs) return { lastChangeMs: last };
      if (cluster.now >= deadline) throw new Error(`runUntilQuiet: still busy after ${o.maxMs ?? 600_000} ms (${inflight.size} request(s) in flight, last change ${lastType} at ${last} ms)`);
      const target = inflight.size > 0 ? cluster.now + quietMs : Math.max(cluster.now, last + quietMs);
      advanceTo(cluster, Math.min(deadline, Math.max(target, cluster.now)));
    }
  } finally {
    off();
  }
}
