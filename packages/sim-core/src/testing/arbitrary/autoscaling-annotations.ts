import fc from 'fast-check';

const A = 'autoscaling.knative.dev/';

export interface AutoscalingAnnotationsOptions {
  /** Largest min-, max-, initial- and activation-scale (default 5), so simulations stay small. */
  maxScale?: number;
  /** Longest window, scale-down delay or retention period, in whole seconds (default 600). */
  maxWindowSeconds?: number;
  /** The annotations (without `autoscaling.knative.dev/`) that may appear (default all below). */
  keys?: readonly string[];
  /** config-autoscaler's allow-zero-initial-scale (default false, Knative's). */
  allowZeroInitialScale?: boolean;
}

/** Every annotation this arbitrary can set, without the `autoscaling.knative.dev/` group. */
export const AUTOSCALING_ANNOTATION_KEYS = [
  'class',
  'metric',
  'target',
  'target-utilization-percentage',
  'target-burst-capacity',
  'min-scale',
  'max-scale',
  'initial-scale',
  'activation-scale',
  'window',
  'panic-window-percentage',
  'panic-threshold-percentage',
  'scale-down-delay',
  'scale-to-zero-pod-retention-period',
  'metric-aggregation-algorithm',
] as const;

/**
 * `autoscaling.knative.dev/*` template annotations within the ranges Knative's webhook accepts
 * (pkg/apis/autoscaling/annotation_validation.go), for the KPA: min-scale ≤ max-scale (or 0,
 * unbounded), activation-scale in [max(2, min-scale), max-scale], initial-scale ≥ 1 (≥ 0 when
 * the cluster allows zero), target ≥ 0.01, utilization in [1, 100], burst capacity -1 or ≥ 0,
 * panic window in [1, 100] %, panic threshold in [110, 1000] %, window in [6s, …] and delays in
 * whole seconds. Any subset may appear; shrinks toward no annotations.
 */
export function autoscalingAnnotations(o: AutoscalingAnnotationsOptions = {}): fc.Arbitrary<Record<string, string>> {
  const maxScale = o.maxScale ?? 5;
  const maxWin = Math.max(6, o.maxWindowSeconds ?? 600);
  const keys = new Set<string>(o.keys ?? AUTOSCALING_ANNOTATION_KEYS);
  const gen = {
    class: fc.constant('kpa.autoscaling.knative.dev'),
    metric: fc.constantFrom('concurrency', 'rps'),
    target: fc.integer({ min: 1, max: 10_000 }).map((x) => String(x / 100)),
    'target-utilization-percentage': fc.integer({ min: 1, max: 100 }).map(String),
    'target-burst-capacity': fc.integer({ min: -1, max: 500 }).map(String),
    'min-scale': fc.integer({ min: 0, max: maxScale }),
    'max-scale': fc.integer({ min: 0, max: maxScale }),
    'initial-scale': fc.integer({ min: o.allowZeroInitialScale ? 0 : 1, max: Math.max(1, maxScale) }).map(String),
    'activation-scale': fc.integer({ min: 2, max: Math.max(2, maxScale) }),
    window: fc.integer({ min: 6, max: maxWin }).map((s) => `${s}s`),
    'panic-window-percentage': fc.integer({ min: 1, max: 100 }).map(String),
    'panic-threshold-percentage': fc.integer({ min: 110, max: 1000 }).map(String),
    'scale-down-delay': fc.integer({ min: 0, max: maxWin }).map((s) => `${s}s`),
    'scale-to-zero-pod-retention-period': fc.integer({ min: 0, max: maxWin }).map((s) => `${s}s`),
    'metric-aggregation-algorithm': fc.constantFrom('linear', 'weighted-exponential'),
  };
  const picked = Object.fromEntries(Object.entries(gen).filter(([k]) => keys.has(k))) as Partial<typeof gen>;
  return fc.record(picked as Record<string, fc.Arbitrary<string | number>>, { requiredKeys: [] }).map((r) => {
    const out: Record<string, string> = {};
    const min = r['min-scale'] as number | undefined;
    // max-scale 0 is unbounded; any other is lifted to min-scale, so it never sits below it.
    const max = r['max-scale'] === undefined ? undefined : (r['max-scale'] as number) === 0 ? 0 : Math.max(min ?? 0, r['max-scale'] as number);
    for (const k of Object.keys(r).sort()) {
      let v: string | number | undefined = r[k];
      if (k === 'max-scale') v = max;
      if (k === 'activation-scale') {
        const a = v as number;
        // Knative: min-scale ≤ activation-scale ≤ max-scale, and at least 2.
        if ((min !== undefined && a < min) || (max !== undefined && max > 0 && a > max)) v = undefined;
      }
      if (v !== undefined) out[A + k] = String(v);
    }
    return out;
  });
}
