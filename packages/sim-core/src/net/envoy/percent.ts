import type { Percent } from '../../apis/istio/v1alpha3.js';
import type { Rng } from '../../engine/rng.js';

/**
 * Fault and mirror percentages: Istio's Percent (or a deprecated integer field) as Envoy's
 * runtime fractional percent (istio/istio pilot/pkg/networking/core/route/route.go
 * translatePercentToFractionalPercent; envoy source/common/runtime featureEnabled).
 */

/** The percentage, 0–100; `absent` when the field is not set. */
export function percentOf(p: Percent | undefined, legacy: number | undefined, absent: number): number {
  if (p?.value !== undefined) return p.value;
  if (legacy !== undefined) return legacy;
  return absent;
}

/** Whether this request is in the percentage. Draws only when the outcome is uncertain (0 < pct < 100). */
export function sampled(pct: number, rng: Rng): boolean {
  if (pct <= 0) return false;
  if (pct >= 100) return true;
  return rng.next() * 100 < pct;
}
