import fc from 'fast-check';

export interface AutoscalerConfigOptions {
  /** Longest stable window and scale-down delay, in whole seconds (default 600). */
  maxWindowSeconds?: number;
  /** Largest min-, max- and initial-scale (default 5). */
  maxScale?: number;
}

/**
 * `config-autoscaler` data Knative loads (pkg/autoscaler/config/config.go `validate`): windows
 * in whole seconds within [6s, 1h], rates above 1, a concurrency target percentage in (0, 100],
 * a positive scale-to-zero grace period, min-scale ≤ max-scale (or 0), initial-scale ≥ 1 unless
 * allow-zero-initial-scale. Any subset of keys; shrinks toward Knative's defaults (no keys).
 * Use it as `new Cluster({ config: { 'config-autoscaler': data } })`.
 */
export function autoscalerConfig(o: AutoscalerConfigOptions = {}): fc.Arbitrary<Record<string, string>> {
  const maxWin = Math.max(6, o.maxWindowSeconds ?? 600);
  const maxScale = o.maxScale ?? 5;
  return fc
    .record(
      {
        'stable-window': fc.integer({ min: 6, max: maxWin }).map((s) => `${s}s`),
        'panic-window-percentage': fc.integer({ min: 1, max: 100 }).map(String),
        'panic-threshold-percentage': fc.integer({ min: 110, max: 1000 }).map(String),
        'max-scale-up-rate': fc.integer({ min: 2, max: 1000 }).map(String),
        'max-scale-down-rate': fc.integer({ min: 2, max: 10 }).map(String),
        'container-concurrency-target-percentage': fc.integer({ min: 1, max: 100 }).map(String),
        'container-concurrency-target-default': fc.integer({ min: 1, max: 1000 }).map(String),
        'requests-per-second-target-default': fc.integer({ min: 1, max: 1000 }).map(String),
        'target-burst-capacity': fc.integer({ min: -1, max: 500 }).map(String),
        'activator-capacity': fc.integer({ min: 1, max: 1000 }).map(String),
        'scale-to-zero-grace-period': fc.integer({ min: 6, max: 120 }).map((s) => `${s}s`),
        'scale-down-delay': fc.integer({ min: 0, max: maxWin }).map((s) => `${s}s`),
        'enable-scale-to-zero': fc.boolean().map(String),
        'allow-zero-initial-scale': fc.boolean(),
        'initial-scale': fc.integer({ min: 0, max: maxScale }),
        'min-scale': fc.integer({ min: 0, max: maxScale }),
        'max-scale': fc.integer({ min: 0, max: maxScale }),
      },
      { requiredKeys: [] },
    )
    .map((r) => {
      const out: Record<string, string> = {};
      for (const k of Object.keys(r).sort()) {
        let v = r[k as keyof typeof r];
        // initial-scale 0 needs allow-zero-initial-scale; max-scale (unless 0) is at least min-scale.
        if (k === 'initial-scale' && v === 0 && r['allow-zero-initial-scale'] !== true) v = 1;
        if (k === 'max-scale' && v !== 0) v = Math.max(r['min-scale'] ?? 0, v as number);
        out[k] = String(v);
      }
      return out;
    });
}
