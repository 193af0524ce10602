import { quantileSorted, mean as d3mean, max as d3max } from 'd3-array';

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Rounded to three decimals (a microsecond, for milliseconds), so summaries print stably. */
export const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** A response's hops with their times rounded as summaries print them. */
export function roundHops(
  hops: ReadonlyArray<{ component: string; name: string; startMs: number; endMs: number; flags?: string }>,
): Array<{ component: string; name: string; startMs: number; endMs: number; flags?: string }> {
  // A gateway's Envoy response flags go along when it set any.
  return hops.map((h) => ({ component: h.component, name: h.name, startMs: round3(h.startMs), endMs: round3(h.endMs), ...(h.flags !== undefined ? { flags: h.flags } : {}) }));
}

/**
 * Percentiles of a sample (d3's R-7 quantile, the spreadsheet default), rounded to a
 * microsecond when the values are milliseconds so summaries print stably. Empty → zeros.
 */
export function latencySummary(values: readonly number[]): LatencySummary {
  if (values.length === 0) return { p50: 0, p90: 0, p99: 0, max: 0, mean: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p50: round3(quantileSorted(sorted, 0.5)!),
    p90: round3(quantileSorted(sorted, 0.9)!),
    p99: round3(quantileSorted(sorted, 0.99)!),
    max: round3(d3max(sorted)!),
    mean: round3(d3mean(sorted)!),
  };
}

/** Counts of each key, with keys sorted so the object serialises the same on every run. */
export function countBy<T>(items: Iterable<T>, key: (item: T) => string | null | undefined): Record<string, number> {
  const m = new Map<string, number>();
  for (const it of items) {
    const k = key(it);
    if (k === null || k === undefined) continue;
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return sortedRecord(m);
}

export function sortedRecord<V>(m: ReadonlyMap<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}

/** Pods whose last watch line is `n/n Running`: the revision's ready pods when the run ended. */
export function readyAtEnd(pods: ReadonlyArray<{ pod: string; ready: string; status: string }>): number {
  const last = new Map<string, { ready: string; status: string }>();
  for (const p of pods) last.set(p.pod, p);
  return [...last.values()].filter((p) => {
    const [a, b] = p.ready.split('/');
    return p.status === 'Running' && a === b && a !== '0';
  }).length;
}
