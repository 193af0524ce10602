import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countBy, latencySummary } from '../src/index.js';

describe('latencySummary', () => {
  it('gives R-7 percentiles, max and mean', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    const s = latencySummary(xs);
    expect(s.p50).toBe(50.5);
    expect(s.p90).toBe(90.1);
    expect(s.p99).toBe(99.01);
    expect(s.max).toBe(100);
    expect(s.mean).toBe(50.5);
  });

  it('is zero for no samples', () => {
    expect(latencySummary([])).toEqual({ p50: 0, p90: 0, p99: 0, max: 0, mean: 0 });
  });

  it('orders its percentiles and bounds them by the sample (law)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }), (xs) => {
        const s = latencySummary(xs);
        const lo = Math.min(...xs);
        const hi = Math.max(...xs);
        expect(s.p50).toBeLessThanOrEqual(s.p90 + 1e-9);
        expect(s.p90).toBeLessThanOrEqual(s.p99 + 1e-9);
        expect(s.p99).toBeLessThanOrEqual(s.max + 1e-9);
        expect(s.p50).toBeGreaterThanOrEqual(Math.round(lo * 1000) / 1000 - 1e-3);
        expect(s.max).toBeLessThanOrEqual(Math.round(hi * 1000) / 1000 + 1e-3);
      }),
    );
  });
});

describe('countBy', () => {
  it('counts keys, skips null keys, and sorts keys for stable output', () => {
    const c = countBy(['b', 'a', 'b', null, 'c'], (x) => x);
    expect(Object.keys(c)).toEqual(['a', 'b', 'c']);
    expect(c).toEqual({ a: 1, b: 2, c: 1 });
  });
});
