import { bin, quantileSorted } from 'd3-array';

/** A point of a series: simulated ms and a value. */
export type Point = readonly [number, number];

/**
 * A step function from (t, value) samples, whether the samples are taken every tick or only
 * when the value changes: sorted by time, runs of one value kept as their first sample, and the
 * last value held to `endMs` (so a chart draws it to the end of the run).
 */
export function stepSeries(samples: readonly Point[], endMs: number): Point[] {
  const out: Point[] = [];
  for (const p of [...samples].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last !== undefined && last[0] === p[0]) out[out.length - 1] = p;
    else if (last === undefined || last[1] !== p[1]) out.push(p);
  }
  const last = out.at(-1);
  if (last !== undefined && endMs > last[0]) out.push([endMs, last[1]]);
  return out;
}

/**
 * At most `max` points of a series with its shape kept: the series is cut into equal buckets
 * of points and each bucket gives its first, lowest, highest and last point in time order (so
 * a spike or a dip is never averaged away). The first and last points always stay.
 */
export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max || max < 8) return [...points];
  const buckets = Math.floor(max / 4);
  const size = points.length / buckets;
  const out: Point[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size);
    const hi = Math.min(points.length, Math.floor((b + 1) * size));
    if (hi <= lo) continue;
    let iMin = lo;
    let iMax = lo;
    for (let i = lo; i < hi; i++) {
      if (points[i]![1] < points[iMin]![1]) iMin = i;
      if (points[i]![1] > points[iMax]![1]) iMax = i;
    }
    for (const i of [...new Set([lo, iMin, iMax, hi - 1])].sort((a, c) => a - c)) out.push(points[i]!);
  }
  return out;
}

/** Quantiles of a sample (d3's R-7, as summary.json's percentiles); empty → nulls. */
export function quantiles(values: readonly number[], ps: readonly number[]): Array<number | null> {
  if (values.length === 0) return ps.map(() => null);
  const sorted = [...values].sort((a, b) => a - b);
  return ps.map((p) => quantileSorted(sorted, p)!);
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/** A histogram of the values in `count` bins of equal width over their range (d3-array's bin). */
export function histogram(values: readonly number[], count = 30): Bin[] {
  if (values.length === 0) return [];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  if (lo === hi) return [{ x0: lo, x1: hi, count: values.length }];
  const thresholds = Array.from({ length: count - 1 }, (_, i) => lo + ((i + 1) * (hi - lo)) / count).filter((t, i, a) => t > lo && t < hi && (i === 0 || t > a[i - 1]!));
  return bin<number, number>().domain([lo, hi]).thresholds(thresholds)([...values]).map((b) => ({ x0: b.x0!, x1: b.x1!, count: b.length }));
}

/**
 * The share k/n with its Wilson score interval at confidence z (1.96 ≈ 95%): where the true
 * share of a random split lies, given what was observed. n = 0 → the whole range.
 */
export function binomialInterval(k: number, n: number, z = 1.96): { p: number; lo: number; hi: number } {
  if (n === 0) return { p: 0, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Latency over time: the run's span cut into at most `buckets` windows, each with the p50,
 * p99 and max latency of the requests that started in it (empty windows are left out).
 */
export function latencyOverTime(samples: ReadonlyArray<{ tMs: number; latencyMs: number }>, fromMs: number, toMs: number, buckets = 120): Array<{ tMs: number; p50: number; p99: number; max: number; n: number }> {
  if (samples.length === 0) return [];
  const span = Math.max(toMs - fromMs, 1);
  const width = span / buckets;
  const groups = new Map<number, number[]>();
  for (const s of samples) {
    const b = Math.min(buckets - 1, Math.max(0, Math.floor((s.tMs - fromMs) / width)));
    const g = groups.get(b);
    if (g === undefined) groups.set(b, [s.latencyMs]);
    else g.push(s.latencyMs);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((b) => {
      const v = groups.get(b)!.sort((x, y) => x - y);
      return { tMs: fromMs + (b + 0.5) * width, p50: quantileSorted(v, 0.5)!, p99: quantileSorted(v, 0.99)!, max: v.at(-1)!, n: v.length };
    });
}

/** Spans where a flag holds, from (t, flag) samples read as a step function, closed at `endMs`. */
export function spans(samples: ReadonlyArray<readonly [number, boolean]>, endMs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let open: number | null = null;
  for (const [t, on] of [...samples].sort((a, b) => a[0] - b[0])) {
    if (on && open === null) open = t;
    else if (!on && open !== null) {
      out.push([open, t]);
      open = null;
    }
  }
  if (open !== null) out.push([open, Math.max(open, endMs)]);
  return out;
}
