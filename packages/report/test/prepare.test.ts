import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialInterval, downsample, histogram, latencyOverTime, quantiles, sparkline, spans, stepSeries, type Point } from '../src/index.js';

describe('stepSeries', () => {
  it('reads every-tick and change-only samples as the same step function, held to the end', () => {
    const everyTick: Point[] = [[0, 0], [2000, 0], [4000, 1], [6000, 1], [8000, 1], [10_000, 0]];
    const changeOnly: Point[] = [[0, 0], [4000, 1], [10_000, 0]];
    expect(stepSeries(everyTick, 12_000)).toEqual([[0, 0], [4000, 1], [10_000, 0], [12_000, 0]]);
    expect(stepSeries(changeOnly, 12_000)).toEqual(stepSeries(everyTick, 12_000));
  });

  it('sorts its samples and keeps the last value of a time given twice', () => {
    expect(stepSeries([[5, 2], [1, 1], [5, 3]], 5)).toEqual([[1, 1], [5, 3]]);
  });
});

describe('downsample', () => {
  it('keeps at most max points, the first and the last, and every extreme', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 8, max: 400 }), (values, max) => {
        const pts: Point[] = values.map((v, i) => [i, v]);
        const d = downsample(pts, max);
        expect(d.length).toBeLessThanOrEqual(Math.max(max, pts.length <= max ? pts.length : 0));
        expect(d[0]).toEqual(pts[0]);
        expect(d.at(-1)).toEqual(pts.at(-1));
        expect(Math.max(...d.map((p) => p[1]))).toBe(Math.max(...values));
        expect(Math.min(...d.map((p) => p[1]))).toBe(Math.min(...values));
        // Time order is kept, so the path is still a function of time.
        for (let i = 1; i < d.length; i++) expect(d[i]![0]).toBeGreaterThan(d[i - 1]![0]);
      }),
    );
  });

  it('keeps a one-sample spike in a long flat series', () => {
    const pts: Point[] = Array.from({ length: 100_000 }, (_, i) => [i, i === 77_777 ? 50 : 1]);
    const d = downsample(pts, 1000);
    expect(d.length).toBeLessThanOrEqual(1000);
    expect(d).toContainEqual([77_777, 50]);
  });
});

describe('quantiles and histogram', () => {
  it('gives R-7 quantiles (the spreadsheet default) and nulls for no data', () => {
    expect(quantiles([1, 2, 3, 4], [0.5, 0.9])).toEqual([2.5, 3.7]);
    expect(quantiles([], [0.5])).toEqual([null]);
  });

  it('bins every value exactly once, in contiguous bins', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 500 }), (values) => {
        const bins = histogram(values, 30);
        expect(bins.reduce((a, b) => a + b.count, 0)).toBe(values.length);
        for (let i = 1; i < bins.length; i++) expect(bins[i]!.x0).toBe(bins[i - 1]!.x1);
      }),
    );
  });
});

describe('binomialInterval (Wilson score)', () => {
  it('matches the textbook value: 48 of 100 at 95% is [38.5%, 57.7%]', () => {
    const ci = binomialInterval(48, 100);
    expect(ci.p).toBe(0.48);
    expect(ci.lo).toBeCloseTo(0.3846, 3);
    expect(ci.hi).toBeCloseTo(0.5768, 3);
  });

  it('always contains the observed share and stays in [0, 1], narrowing as n grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, f) => {
        const k = Math.round(f * n);
        const ci = binomialInterval(k, n);
        expect(ci.lo).toBeGreaterThanOrEqual(0);
        expect(ci.hi).toBeLessThanOrEqual(1);
        expect(ci.lo).toBeLessThanOrEqual(ci.p + 1e-12);
        expect(ci.hi).toBeGreaterThanOrEqual(ci.p - 1e-12);
        const wider = binomialInterval(k, n);
        const narrower = binomialInterval(k * 4, n * 4);
        expect(narrower.hi - narrower.lo).toBeLessThanOrEqual(wider.hi - wider.lo + 1e-12);
      }),
    );
  });
});

describe('latencyOverTime, spans and sparkline', () => {
  it('puts each request in the window it started in, with the window p50, p99 and max', () => {
    const samples = [
      { tMs: 0, latencyMs: 1 },
      { tMs: 10, latencyMs: 3 },
      { tMs: 990, latencyMs: 100 },
    ];
    const w = latencyOverTime(samples, 0, 1000, 2);
    expect(w.map((b) => [b.tMs, b.n, b.max])).toEqual([[250, 2, 3], [750, 1, 100]]);
    expect(w[0]!.p50).toBe(2);
  });

  it('turns (t, flag) samples into closed spans, an open one ending at the end', () => {
    expect(spans([[0, false], [2, true], [4, true], [6, false], [8, true]], 10)).toEqual([[2, 6], [8, 10]]);
  });

  it('draws a count over the run, blank where it is zero', () => {
    expect(sparkline([[0, 0], [50, 4], [75, 2]], 100, 4)).toBe('  █▄');
  });
});
