import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RngStreams } from '@knsim/sim-core';
import { burstArrivals, constantArrivals, rampArrivals, stepArrivals, traceArrivals, type Arrival } from '../../src/run/arrivals.js';

const rng = (seed: number, label = 'load') => new RngStreams(seed).fork(label);
const arrival = fc.constantFrom<Arrival>('poisson', 'uniform');

/** A Poisson count of mean m stays within 6 standard deviations (+1 for small means). */
const poissonBound = (m: number) => 6 * Math.sqrt(m) + 1;

function expectOrderedInside(ts: readonly number[], start: number, end: number): void {
  // One expect for the first offender keeps the property fast on tens of thousands of times.
  const bad = ts.findIndex((t, i) => !Number.isFinite(t) || t < start || t >= end || (i > 0 && t < ts[i - 1]!));
  expect(bad === -1 ? null : { index: bad, t: ts[bad], previous: ts[bad - 1], start, end }).toBeNull();
}

describe('constant arrivals', () => {
  it('uniform arrivals are evenly spaced at 1/rps from the start, exactly rate × duration of them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 120 }), fc.integer({ min: 0, max: 1e6 }), (rps, secs, start) => {
        const ts = [...constantArrivals(rng(1), 'uniform', rps, start, secs * 1000)];
        expect(ts).toHaveLength(rps * secs);
        expect(ts[0]).toBe(start);
        const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
        expect(gaps.every((g) => Math.abs(g - 1000 / rps) < 1e-6)).toBe(true);
      }),
    );
  });

  it('a non-positive rate sends nothing', () => {
    expect([...constantArrivals(rng(1), 'poisson', 0, 0, 10_000)]).toEqual([]);
  });

  it('Poisson inter-arrival gaps average 1/rps', () => {
    const ts = [...constantArrivals(rng(9), 'poisson', 100, 0, 600_000)];
    const gaps = ts.slice(1).map((t, i) => t - ts[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    // 60,000 exponential gaps of mean 10 ms: the sample mean's sd is 10/√60000 ≈ 0.04 ms.
    expect(Math.abs(mean - 10)).toBeLessThan(0.25);
  });
});

describe('ramp arrivals', () => {
  it('a ramp sends about the integral of its rate, in order, inside the window', () => {
    fc.assert(
      fc.property(arrival, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 120 }), fc.integer(), (arr, a, b, secs, seed) => {
        const start = 5000;
        const ts = [...rampArrivals(rng(seed), arr, a, b, start, secs * 1000)];
        const integral = ((a + b) / 2) * secs;
        expect(Math.abs(ts.length - integral)).toBeLessThanOrEqual(arr === 'uniform' ? 1 : poissonBound(integral));
        expectOrderedInside(ts, start, start + secs * 1000);
      }),
    );
  });

  it('a ramp down to zero never yields a time outside its window (the rate vanishes at the end)', () => {
    fc.assert(
      fc.property(arrival, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 60 }), fc.integer(), (arr, a, secs, seed) => {
        const ts = [...rampArrivals(rng(seed), arr, a, 0, 0, secs * 1000)];
        expectOrderedInside(ts, 0, secs * 1000);
      }),
    );
  });

  it('puts more requests in the second half of a rising ramp, as the rate says (1:3 for 0 → R)', () => {
    const ts = [...rampArrivals(rng(3), 'uniform', 0, 100, 0, 60_000)];
    const firstHalf = ts.filter((t) => t < 30_000).length;
    // ∫₀^½ 2x dx = ¼ of the total.
    expect(firstHalf).toBeGreaterThanOrEqual(Math.floor(ts.length / 4) - 1);
    expect(firstHalf).toBeLessThanOrEqual(Math.ceil(ts.length / 4) + 1);
  });

  it('equals a constant load when from = to (uniform)', () => {
    const ramp = [...rampArrivals(rng(1), 'uniform', 20, 20, 0, 10_000)];
    expect(ramp).toHaveLength(200);
    for (let i = 1; i < ramp.length; i++) expect(ramp[i]! - ramp[i - 1]!).toBeCloseTo(50, 6);
  });
});

describe('step arrivals', () => {
  const stages = fc.array(fc.record({ rps: fc.integer({ min: 0, max: 200 }), durationMs: fc.integer({ min: 1, max: 30 }).map((s) => s * 1000) }), { minLength: 1, maxLength: 5 });

  it('each stage sends about its rps × duration inside its own window', () => {
    fc.assert(
      fc.property(arrival, stages, fc.integer(), (arr, st, seed) => {
        const start = 1000;
        const ts = [...stepArrivals(rng(seed), arr, st, start)];
        const total = st.reduce((a, s) => a + s.durationMs, 0);
        expectOrderedInside(ts, start, start + total);
        let t0 = start;
        for (const s of st) {
          const n = ts.filter((t) => t >= t0 && t < t0 + s.durationMs).length;
          const mean = (s.rps * s.durationMs) / 1000;
          if (arr === 'uniform') expect(n).toBe(mean);
          else expect(Math.abs(n - mean)).toBeLessThanOrEqual(poissonBound(mean));
          t0 += s.durationMs;
        }
      }),
    );
  });
});

describe('burst arrivals', () => {
  it('sends `requests` at the same instant every `every`, from `at`, on top of the baseline', () => {
    fc.assert(
      fc.property(
        arrival,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer(),
        (arr, rps, requests, everyS, atS, secs, seed) => {
          const start = 2000;
          const durationMs = secs * 1000;
          const ts = [...burstArrivals(rng(seed), arr, rps, { requests, everyMs: everyS * 1000, atMs: atS * 1000 }, start, durationMs)];
          expectOrderedInside(ts, start, start + durationMs);
          const instants = [];
          for (let t = atS * 1000; t < durationMs; t += everyS * 1000) instants.push(start + t);
          for (const b of instants) expect(ts.filter((t) => t === b).length).toBeGreaterThanOrEqual(requests);
          const baseline = ts.length - instants.length * requests;
          const mean = rps * secs;
          expect(Math.abs(baseline - mean)).toBeLessThanOrEqual(arr === 'uniform' ? 1 : poissonBound(mean));
        },
      ),
    );
  });

  it('the baseline is the same stream as a constant load of that rate (same seed, same times)', () => {
    const base = [...constantArrivals(rng(4), 'poisson', 10, 0, 30_000)];
    const withBursts = [...burstArrivals(rng(4), 'poisson', 10, { requests: 5, everyMs: 10_000, atMs: 0 }, 0, 30_000)];
    expect(withBursts).toHaveLength(base.length + 15);
    expect(withBursts.filter((t) => t !== 0 && t !== 10_000 && t !== 20_000)).toEqual(base);
  });
});

describe('trace replay', () => {
  const counts = fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 1, maxLength: 10 });

  it("sends exactly each minute's count inside that minute, in order", () => {
    fc.assert(
      fc.property(arrival, counts, fc.integer(), (spread, cs, seed) => {
        const start = 7000;
        const ts = [...traceArrivals(rng(seed), spread, cs, start)];
        expect(ts).toHaveLength(cs.reduce((a, b) => a + b, 0));
        expectOrderedInside(ts, start, start + cs.length * 60_000);
        cs.forEach((n, m) => {
          expect(ts.filter((t) => t >= start + m * 60_000 && t < start + (m + 1) * 60_000)).toHaveLength(n);
        });
      }),
    );
  });

  it('uniform spread centres each request in its slot of the minute', () => {
    expect([...traceArrivals(rng(1), 'uniform', [0, 2], 0)]).toEqual([75_000, 105_000]);
  });
});

describe('determinism', () => {
  const all = (seed: number, label: string) => [
    ...constantArrivals(rng(seed, label), 'poisson', 40, 0, 20_000),
    ...rampArrivals(rng(seed, label), 'poisson', 5, 80, 0, 20_000),
    ...stepArrivals(rng(seed, label), 'poisson', [{ rps: 10, durationMs: 5000 }, { rps: 60, durationMs: 5000 }], 0),
    ...burstArrivals(rng(seed, label), 'poisson', 10, { requests: 20, everyMs: 4000, atMs: 1000 }, 0, 20_000),
    ...traceArrivals(rng(seed, label), 'poisson', [30, 0, 12], 0),
  ];

  it('every shape gives the same times for the same stream, and different ones for another', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        expect(all(a, 'x')).toEqual(all(a, 'x'));
        if (a !== b) expect(all(a, 'x')).not.toEqual(all(b, 'x'));
      }),
      { numRuns: 20 },
    );
  });

  it('is lazy: the first arrival of a load of 10¹² requests comes at once', () => {
    const first = constantArrivals(rng(2), 'poisson', 1e6, 0, 1e9).next();
    expect(first.done).toBe(false);
    expect(first.value).toBeGreaterThanOrEqual(0);
  });
});
