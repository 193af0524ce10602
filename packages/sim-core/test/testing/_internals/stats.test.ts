import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialInterval } from '../../../src/testing/_internals/stats.js';

describe('binomialInterval', () => {
  it('worked example: Binomial(1000, 0.3) at alpha 1e-6 is about 300 ± 5 standard deviations', () => {
    const [lo, hi] = binomialInterval(1000, 0.3, 1e-6);
    expect(lo).toBeGreaterThan(300 - 5.5 * Math.sqrt(210));
    expect(hi).toBeLessThan(300 + 5.5 * Math.sqrt(210));
    expect(binomialInterval(1000, 0, 1e-6)).toEqual([0, 0]);
    expect(binomialInterval(1000, 1, 1e-6)).toEqual([1000, 1000]);
  });

  it('law: each tail outside the interval holds at most alpha/2 (summed exactly), and the interval is the tightest such', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 99 }), fc.constantFrom(0.05, 1e-3, 1e-6), (n, pct, alpha) => {
        const p = pct / 100;
        const pmf: number[] = [];
        let c = 1;
        // exact pmf by the recurrence, in doubles
        for (let k = 0; k <= n; k++) {
          pmf.push(Math.exp(Math.log(c) + k * Math.log(p) + (n - k) * Math.log1p(-p)));
          c = (c * (n - k)) / (k + 1);
        }
        const [lo, hi] = binomialInterval(n, p, alpha);
        const below = pmf.slice(0, lo).reduce((a, b) => a + b, 0);
        const above = pmf.slice(hi + 1).reduce((a, b) => a + b, 0);
        expect(below).toBeLessThanOrEqual(alpha / 2 + 1e-9);
        expect(above).toBeLessThanOrEqual(alpha / 2 + 1e-9);
        expect(below + pmf[lo]!).toBeGreaterThan(alpha / 2 - 1e-9);
        expect(above + pmf[hi]!).toBeGreaterThan(alpha / 2 - 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
