import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DurationError, RngStreams, alea, constant, empirical, exponential, formatDuration, lognormal, mulberry32, normal, standardNormal, parseDistribution, parseDuration, uniform } from '../../src/engine/index.js';

describe('Go durations (time.ParseDuration)', () => {
  // Cases from Go's own table (src/time/time_test.go parseDurationTests), in milliseconds.
  const ok: Array<[string, number]> = [
    ['0', 0], ['5s', 5000], ['30s', 30000], ['1478s', 1478000], ['-5s', -5000], ['+5s', 5000], ['-0', 0], ['+0', 0],
    ['5.0s', 5000], ['5.6s', 5600], ['5.s', 5000], ['.5s', 500], ['1.0s', 1000], ['1.00s', 1000], ['1.004s', 1004],
    ['1.0040s', 1004], ['100.00100s', 100001], ['10ns', 0.00001], ['11us', 0.011], ['12µs', 0.012], ['12μs', 0.012],
    ['13ms', 13], ['14s', 14000], ['15m', 900000], ['16h', 57600000], ['3h30m', 12600000], ['10.5s4m', 250500],
    ['-2m3.4s', -123400], ['1h2m3s4ms5us6ns', 3723004.005006], ['39h9m14.425s', 141_0_0 * 0 + 140954425],
    ['52763797000ns', 52763.797], ['0.3333333333333333333h', 1200000],
  ];
  for (const [s, ms] of ok) it(`parses ${JSON.stringify(s)}`, () => expect(parseDuration(s)).toBeCloseTo(ms, 6));

  it('rejects what Go rejects, with Go\'s messages', () => {
    expect(() => parseDuration('')).toThrow(new DurationError('time: invalid duration ""'));
    expect(() => parseDuration('3')).toThrow('time: missing unit in duration "3"');
    expect(() => parseDuration('-')).toThrow('time: invalid duration "-"');
    expect(() => parseDuration('s')).toThrow('time: invalid duration "s"');
    expect(() => parseDuration('.')).toThrow('time: invalid duration "."');
    expect(() => parseDuration('.s')).toThrow('time: invalid duration ".s"');
    expect(() => parseDuration('1d')).toThrow('time: unknown unit "d" in duration "1d"');
  });

  it('formats like Duration.String()', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(3_723_000)).toBe('1h2m3s');
  });
});

describe('seeded randomness', () => {
  it('mulberry32 matches the reference generator (shared/tools/simpy_mmc.py) for seed 42', () => {
    const r = mulberry32(42);
    // computed with the Python Mulberry32 class of the SimPy cross-check script
    expect([r.next(), r.next(), r.next()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('gives each named stream its own draws, unchanged when other streams are added', () => {
    const a1 = new RngStreams(7).fork('activator');
    const s2 = new RngStreams(7);
    s2.fork('a-new-component').next();
    const a2 = s2.fork('activator');
    const xs = Array.from({ length: 5 }, () => a1.next());
    expect(Array.from({ length: 5 }, () => a2.next())).toEqual(xs);
    expect(new RngStreams(8).fork('activator').next()).not.toBe(xs[0]);
    expect(alea('x').next()).toBe(alea('x').next());
  });

  it("alea draws exactly seedrandom's Alea stream", () => {
    for (const seed of ['1\u0000bench/arrivals', 'x', '', '20261122/gateway/0']) {
      const ours = alea(seed);
      const theirs = seedrandom.alea(seed);
      for (let i = 0; i < 10_000; i++) expect(ours.next()).toBe(theirs());
    }
  });

  it('draws standard normals (ziggurat) that pass a Kolmogorov–Smirnov test, tails included', () => {
    const rng = alea('normal-ks');
    const n = 200_000;
    const xs = Float64Array.from({ length: n }, () => standardNormal(rng)).sort();
    // Φ by erfc's Chebyshev fit (Numerical Recipes' erfcc, relative error < 1.2e-7).
    const erfc = (x: number) => {
      const z = Math.abs(x);
      const t = 1 / (1 + 0.5 * z);
      const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
      return x >= 0 ? r : 2 - r;
    };
    const phi = (x: number) => 0.5 * erfc(-x / Math.SQRT2);
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = phi(xs[i]!);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // The 1% critical value of the KS statistic.
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
    // Beyond the ziggurat's base layer (R = 3.4426): both tails, at the normal's rate.
    const beyond = xs.filter((x) => Math.abs(x) > 3.442619855899).length / n;
    expect(beyond).toBeGreaterThan(0.0004);
    expect(beyond).toBeLessThan(0.00076);
    expect(xs.filter((x) => x < -3.442619855899).length).toBeGreaterThan(20);
    expect(xs.filter((x) => x > 3.442619855899).length).toBeGreaterThan(20);
  });

  it('draws distributions with the right means', () => {
    const rng = new RngStreams(3).fork('d');
    const mean = (d: { sample(r: typeof rng): number }, n = 20000) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += d.sample(rng);
      return s / n;
    };
    expect(mean(constant(4))).toBe(4);
    expect(mean(uniform(2, 4))).toBeCloseTo(3, 1);
    expect(mean(exponential(10))).toBeCloseTo(10, 0);
    expect(mean(normal(5, 1))).toBeCloseTo(5, 1);
    expect(mean(lognormal(10, 0.5))).toBeCloseTo(10 * Math.exp(0.125), 0);
    const emp = empirical([1, 2, 3]);
    for (let i = 0; i < 100; i++) {
      const x = emp.sample(rng);
      expect(x >= 1 && x <= 3).toBe(true);
    }
  });

  it('parses distribution specs in milliseconds, with clear errors', () => {
    expect(parseDistribution('20ms').mean).toBe(20);
    expect(parseDistribution('exp(1s)').mean).toBe(1000);
    expect(parseDistribution('lognormal(20ms,0.5)').kind).toBe('lognormal');
    expect(() => parseDistribution('gamma(1,2)')).toThrow(/unknown distribution "gamma"/);
    expect(() => parseDistribution('uniform(1ms)')).toThrow(/uniform takes 2 arguments/);
  });
});
