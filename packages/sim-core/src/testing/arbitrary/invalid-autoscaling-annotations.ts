import fc from 'fast-check';
import type { Invalid } from '../types.js';

const A = 'autoscaling.knative.dev/';
const P = `spec.template.metadata.annotations.${A}`;

/** Integers in [lo1, hi1] ∪ [lo2, hi2]: the two sides of a range. */
const outside = (lo1: number, hi1: number, lo2: number, hi2: number) => fc.oneof(fc.integer({ min: lo1, max: hi1 }), fc.integer({ min: lo2, max: hi2 }));

/**
 * One `autoscaling.knative.dev/*` template annotation out of Knative's range, and the message
 * its webhook prints inside a Service (annotation_validation.go): for example
 * `expected 1 <= 0 <= 100: spec.template.metadata.annotations.autoscaling.knative.dev/target-utilization-percentage`
 * or `max-scale=1 is less than min-scale=3: …max-scale, …min-scale`. The messages are written
 * here from Knative's source, independently of knsim's validator, so they can test it.
 */
export function invalidAutoscalingAnnotations(): fc.Arbitrary<Invalid<Record<string, string>>> {
  const one = (key: string, value: fc.Arbitrary<string>, message: (v: string) => string) =>
    value.map((v): Invalid<Record<string, string>> => ({ value: { [A + key]: v }, message: message(v) }));
  return fc.oneof(
    one('min-scale', fc.integer({ min: -1000, max: -1 }).map(String), (v) => `expected 0 <= ${v} <= 2147483647: ${P}min-scale`),
    one('max-scale', fc.integer({ min: -1000, max: -1 }).map(String), (v) => `expected 0 <= ${v} <= 2147483647: ${P}max-scale`),
    fc
      .tuple(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 19 }))
      .filter(([min, max]) => max < min)
      .map(([min, max]): Invalid<Record<string, string>> => ({
        value: { [`${A}min-scale`]: String(min), [`${A}max-scale`]: String(max) },
        message: `max-scale=${max} is less than min-scale=${min}: ${P}max-scale, ${P}min-scale`,
      })),
    one('target-utilization-percentage', outside(-100, 0, 101, 1000).map(String), (v) => `expected 1 <= ${v} <= 100: ${P}target-utilization-percentage`),
    one('panic-window-percentage', outside(-100, 0, 101, 1000).map(String), (v) => `expected 1 <= ${v} <= 100: ${P}panic-window-percentage`),
    one('panic-threshold-percentage', outside(0, 109, 1001, 5000).map(String), (v) => `expected 110 <= ${v} <= 1000: ${P}panic-threshold-percentage`),
    one('target', fc.integer({ min: -100, max: 0 }).map(String), (v) => `target ${v} should be at least 0.01: ${P}target`),
    one('target-burst-capacity', fc.integer({ min: -100, max: -2 }).map(String), (v) => `invalid value: ${v}: ${P}target-burst-capacity`),
    one('window', outside(1, 5, 3601, 7200).map((s) => `${s}s`), (v) => `expected 6s <= ${v} <= 1h0m0s: ${P}window`),
    one('scale-down-delay', fc.integer({ min: 3601, max: 7200 }).map((s) => `${s}s`), (v) => `expected 0s <= ${v} <= 1h0m0s: ${P}scale-down-delay`),
    one('initial-scale', fc.integer({ min: -100, max: -1 }).map(String), (v) => `invalid value: ${v}: ${P}initial-scale must be greater than 0`),
    one('initial-scale', fc.constant('0'), () => `invalid value: 0: ${P}initial-scale=0 not allowed by cluster`),
    // Knative compares with min-scale (0 when unset) first, then requires at least 2.
    one('activation-scale', fc.integer({ min: -5, max: -1 }).map(String), (v) => `min-scale=0 is greater than activation-scale=${v}: ${P}activation-scale`),
    one('activation-scale', fc.integer({ min: 0, max: 1 }).map(String), (v) => `activation-scale=${v} must be greater than 1: ${P}activation-scale`),
    one('metric', fc.constantFrom('cpu', 'memory', 'latency'), (v) => `invalid value: ${v}: ${P}metric`),
    one('class', fc.constantFrom('foo.knative.dev', 'kpa.knative.dev'), (v) => `invalid value: ${v}: ${P}class`),
  );
}
