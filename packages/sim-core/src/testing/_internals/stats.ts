/**
 * Exact binomial tail bounds, so the split law's bound is a probability statement rather than a
 * normal approximation that is too tight in the tails when n·p is small (a 1% canary).
 */

/**
 * The central interval [lo, hi] of Binomial(n, p) leaving at most `alpha / 2` in each tail:
 * P(X < lo) ≤ alpha/2 and P(X > hi) ≤ alpha/2.
 */
export function binomialInterval(n: number, p: number, alpha: number): [number, number] {
  if (p <= 0) return [0, 0];
  if (p >= 1) return [n, n];
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  const half = alpha / 2;
  // Walk each tail inward with the pmf's ratio, in logs: ln f(k+1) = ln f(k) + ln((n-k)/(k+1)) + ln(p/q).
  let lo = 0;
  for (let acc = 0, lf = n * lq; lo <= n; lo++) {
    acc += Math.exp(lf);
    if (acc > half) break;
    lf += Math.log((n - lo) / (lo + 1)) + lp - lq;
  }
  let hi = n;
  for (let acc = 0, lf = n * lp; hi >= 0; hi--) {
    acc += Math.exp(lf);
    if (acc > half) break;
    lf += Math.log(hi / (n - hi + 1)) + lq - lp;
  }
  return [lo, hi];
}
