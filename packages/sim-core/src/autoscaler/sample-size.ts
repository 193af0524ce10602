/**
 * How many pods the scraper samples each second (knative/serving pkg/autoscaler/metrics/
 * sample_size.go populationMeanSampleSize): all of them up to 3, then
 * n = ⌈N·X / (N + X − 1)⌉ with X = C²·σ²/MOE² = 1.96²·100/5² — a 95%-confidence estimate of the
 * mean. The scraper scales the sample's sum up to N pods. knsim's simulator uses the exact sum
 * over ready pods instead (identical for N ≤ 3) so runs do not depend on which pods were drawn;
 * this is kept for documentation and tests.
 */

/**
 * X for an unbounded population. Go evaluates the constant expression exactly before rounding to
 * float64, so the literal is used rather than 1.96 * 1.96 * 100 / 25 in floating point.
 */
export const SAMPLE_SIZE = 15.3664;

export function populationMeanSampleSize(population: number): number {
  if (population <= 3) return Math.max(population, 0);
  return Math.ceil((population * SAMPLE_SIZE) / (population + SAMPLE_SIZE - 1));
}
