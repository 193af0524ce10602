/**
 * Exact binomial tail bounds, so the split law's bound is a probability statement rather than a
 * normal approximation that is too tight in the tails when n·p is small (a 1% canary).
 */

// Lanczos approximation (g = 7, n = 9), as in Numerical Recipes; ~15 significant digits.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The central interval [lo, hi] of Binomial(n, p) leaving at most `alpha / 2` in each tail:
 * P(X < lo) ≤ alpha/2 and P(X > hi) ≤ alpha/2.
 */
export function binomialInterval(n: number, p: number, alpha: number): [number, number] {
  if (p <= 0) return [0, 0];
  if (p >= 1) return [n, n];
  const lnN = logGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const pmf = (k: number) => Math.exp(lnN - logGamma(k + 1) - logGamma(n - k + 1) + k * lp + (n - k) * lq);
  const half = alpha / 2;
  let lo = 0;
  for (let acc = 0; lo <= n; lo++) {
    acc += pmf(lo);
    if (acc > half) break;
  }
  let hi = n;
  for (let acc = 0; hi >= 0; hi--) {
    acc += pmf(hi);
    if (acc > half) break;
  }
  return [lo, hi];
}
