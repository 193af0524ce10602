import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MIN_EXPONENT,
  TimedFloat64Buckets,
  WeightedFloat64Buckets,
  computeSmoothingCoeff,
  roundToNDigits,
} from '../../src/autoscaler/buckets.js';

// The cases of knative/serving pkg/autoscaler/aggregation/bucketing_test.go. The Go tests start
// at time.Now(), which is not bucket-aligned; they run here from several sub-second offsets.
const S = 1_000;
const BASE = 1_700_000_000_000;
const STARTS = [BASE, BASE + 300, BASE + 999];
const trunc = (ms: number, g: number) => Math.floor(ms / g) * g;

const sumBuckets = (b: TimedFloat64Buckets, nowMs: number) => {
  let sum = 0;
  b.forEachBucket(nowMs, (_t, v) => (sum += v));
  return sum;
};

describe('TimedFloat64Buckets / WeightedFloat64Buckets (bucketing_test.go)', () => {
  describe('TestComputeDecayMultiplier', () => {
    for (const [nb, want] of [
      [100, MIN_EXPONENT],
      [60, MIN_EXPONENT],
      [40, 0.20567],
      [6, 0.78456],
    ] as const) {
      it(`nb=${nb}`, () => expect(computeSmoothingCoeff(nb)).toBeCloseTo(want, 5));
    }
  });

  describe('TestTimedFloat64BucketsSimple', () => {
    const trunc1 = trunc(BASE + 123, S);
    const trunc5 = trunc(BASE + 123, 5 * S);
    const cases: Array<{ name: string; granularity: number; stats: Array<[number, number]>; want: Array<[number, number]> }> = [
      {
        name: 'granularity = 1s',
        granularity: S,
        stats: [
          [trunc1, 1], // activator scale from 0
          [trunc1 + 100, 10], // scraped, same second
          [trunc1 + S, 1], // next bucket
          [trunc1 + 3 * S, 1], // three buckets on
        ],
        want: [
          [trunc1 + 3 * S, 1],
          [trunc1 + S, 1],
          [trunc1, 11],
        ],
      },
      {
        name: 'granularity = 5s',
        granularity: 5 * S,
        stats: [
          [trunc5, 1],
          [trunc5 + 3 * S, 11], // same bucket
          [trunc5 + 6 * S, 1], // next bucket
        ],
        want: [
          [trunc5 + 5 * S, 1],
          [trunc5, 12],
        ],
      },
      { name: 'empty', granularity: S, stats: [], want: [] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const b = new TimedFloat64Buckets(2 * 60 * S, c.granularity);
        expect(b.isEmpty(trunc1)).toBe(true);
        for (const [t, v] of c.stats) b.record(t, v);
        const got: Array<[number, number]> = [];
        // Less than the 2-minute window after the writes.
        b.forEachBucket(trunc1 + 60 * S, (t, v) => {
          if (v > 0) got.push([t, v]);
        });
        expect(got).toEqual(c.want);
      });
    }
  });

  it('TestTimedFloat64BucketsManyReps', () => {
    let t = trunc(BASE, S);
    const b = new TimedFloat64Buckets(60 * S, S);
    for (let p = 0; p < 5; p++) {
      t += S;
      for (let k = 0; k < 5; k++) b.record(t, p + k);
    }
    // 10 + 15 + 20 + 25 + 30
    expect(sumBuckets(b, t)).toBe(100);
    expect(sumBuckets(b, t)).toBe(100);
  });

  it('TestTimedFloat64BucketsManyRepsWithNonMonotonicalOrder', () => {
    const start = trunc(BASE, S);
    let end = start;
    const b = new TimedFloat64Buckets(60 * S, S);
    const d = [0, 3, 2, 1, 4];
    for (let p = 0; p < 5; p++) {
      end = start + d[p]! * S;
      for (let k = 0; k < 5; k++) b.record(end, p + k);
    }
    expect(sumBuckets(b, end)).toBe(100);
    expect(sumBuckets(b, end)).toBe(100);
  });

  describe('TestTimedFloat64BucketsWeightedAverage', () => {
    for (const now of STARTS) {
      it(`from ${now}`, () => {
        const b = new WeightedFloat64Buckets(5 * S, S);
        const m = b.smoothingCoeff;
        b.record(now, 2);
        let want = 2 * m;
        expect(b.windowAverage(now)).toBe(want);
        // A second later, no writes: one step of decay.
        want *= 1 - m;
        expect(b.windowAverage(now + S)).toBe(want);
        b.record(now + S, 2);
        want += 2 * m;
        expect(b.windowAverage(now + S)).toBe(want);
        // Fill the window with [2, 3, 4, 5, 6].
        for (let i = 0; i < 5; i++) b.record(now + (2 + i) * S, i + 2);
        want = 6 * m + 5 * m * (1 - m) + 4 * m * (1 - m) * (1 - m) + 3 * m * (1 - m) * (1 - m) * (1 - m) + 2 * m * (1 - m) * (1 - m) * (1 - m) * (1 - m);
        expect(b.windowAverage(now + 6 * S)).toBe(want);
        // An empty window.
        expect(b.windowAverage(now + 16 * S)).toBe(0);
      });
    }
  });

  describe('TestTimedFloat64BucketsWindowAverage', () => {
    for (const start of STARTS) {
      it(`from ${start}`, () => {
        let now = start;
        const b = new TimedFloat64Buckets(5 * S, S);
        // firstWrite at work: without it this would be 1/5.
        b.record(now, 1);
        expect(b.windowAverage(now)).toBe(1);
        for (let i = 1; i < 5; i++) b.record(now + i * S, i + 1);
        expect(b.windowAverage(now + 4 * S)).toBe(15 / 5);
        // `now` lagging behind the last write.
        expect(b.windowAverage(now + 3600)).toBe(15 / 5);
        // A short hole.
        expect(b.windowAverage(now + 6 * S)).toBe((15 - 1 - 2) / (5 - 2));
        // A long hole.
        expect(b.windowAverage(now + 10 * S)).toBe(0);
        // A write after a hole.
        b.record(now + 6 * S, 91);
        expect(b.windowAverage(now + 6 * S)).toBe((15 - 1 - 2 + 91) / 5);
        // Much farther on.
        now += 60 * S;
        b.record(now, 1984);
        expect(b.windowAverage(now)).toBe(1984);
        // An earlier time.
        b.record(now - 3 * S, 4);
        expect(b.windowAverage(now)).toBe((4 + 1984) / 4);
        // One more second.
        now += S;
        b.record(now, 5);
        expect(b.windowAverage(now)).toBe((4 + 1984 + 5) / 5);
        // An earlier time again.
        b.record(now - 3 * S, 10);
        expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
        // Too early: ignored.
        b.record(now - 6 * S, 10);
        expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
        // Exactly a window early: ignored too.
        b.record(now - 5 * S, 10);
        expect(b.windowAverage(now)).toBe((4 + 10 + 1984 + 5) / 5);
        // No data for exactly a window: everything is cleared.
        b.record(now + 5 * S, 10);
        expect(b.windowAverage(now + 5 * S)).toBe(10);
      });
    }
  });

  describe('TestDescendingRecord', () => {
    for (const now of STARTS) {
      it(`from ${now}`, () => {
        const b = new TimedFloat64Buckets(5 * S, S);
        for (let i = 8; i >= 0; i--) b.record(now + i * S, 5);
        // A 5 every second, never twice in one second.
        expect(b.windowAverage(now + 5 * S)).toBe(5);
      });
    }
  });

  describe('TestTimedFloat64BucketsHoles', () => {
    for (const now of STARTS) {
      it(`from ${now}`, () => {
        const b = new TimedFloat64Buckets(5 * S, S);
        for (let i = 0; i < 5; i++) b.record(now + i * S, i + 1);
        expect(sumBuckets(b, now + 4 * S)).toBe(15);
        expect(b.windowAverage(now + 4 * S)).toBe(15 / 5);
        // A write at +8s zeroes +5s..+7s; [3] = 2 and [4] = 5 remain.
        b.record(now + 8 * S, 2);
        expect(sumBuckets(b, now + 8 * S)).toBe(7);
      });
    }
  });

  it('TestWeightedFloat64BucketsResizeWindow', () => {
    const startTime = BASE + 300;
    const b = new WeightedFloat64Buckets(5 * S, S);
    expect(b.smoothingCoeff).toBe(computeSmoothingCoeff(5));
    for (let i = 0; i <= 5; i++) b.record(startTime + i * S, i + 1); // rolls over
    const now = startTime + 5 * S;
    expect(sumBuckets(b, now)).toBe(2 + 3 + 4 + 5 + 6);
    expect(roundToNDigits(3, b.windowAverage(now))).toBe(5.812);
    // Knative resizes at the wall clock, i.e. about startTime.
    b.resizeWindow(10 * S, startTime);
    expect(b.bucketCount).toBe(10);
    expect(b.windowMs).toBe(10 * S);
    expect(b.smoothingCoeff).toBe(computeSmoothingCoeff(10));
  });

  it('TestTimedFloat64BucketsResizeWindow', () => {
    const startTime = BASE + 300;
    const b = new TimedFloat64Buckets(5 * S, S);
    for (let i = 0; i <= 5; i++) b.record(startTime + i * S, i + 1);
    let now = startTime + 5 * S;
    const wantInitial = 2 + 3 + 4 + 5 + 6;
    expect(sumBuckets(b, now)).toBe(wantInitial);
    expect(b.windowAverage(now)).toBe(wantInitial / 5);

    b.resizeWindow(10 * S, startTime);
    expect(b.bucketCount).toBe(10);
    expect(b.windowMs).toBe(10 * S);
    expect(sumBuckets(b, now)).toBe(wantInitial);
    // Still an average over 5: at most 5 buckets were ever written.
    expect(b.windowAverage(now)).toBe(wantInitial / 5);

    // One more; the longer window keeps everything.
    now += S;
    b.record(now, 7);
    const wantWithUpdate = wantInitial + 7;
    expect(sumBuckets(b, now)).toBe(wantWithUpdate);
    expect(b.windowAverage(now)).toBe(roundToNDigits(6, wantWithUpdate / 6));

    // Shrink: only the newest 4 buckets remain.
    b.resizeWindow(4 * S, startTime);
    expect(b.bucketCount).toBe(4);
    const wantWithShrink = wantWithUpdate - 2 - 3;
    expect(sumBuckets(b, now)).toBe(wantWithShrink);
    expect(b.windowAverage(now)).toBe(wantWithShrink / 4);

    // The same window again is a no-op (a real resize would move firstWrite to lastWrite − 3s).
    const firstWrite = b.firstWriteMs;
    b.resizeWindow(4 * S, startTime);
    expect(b.firstWriteMs).toBe(firstWrite);
    expect(b.firstWriteMs).toBe(b.lastWriteMs - 9 * S);
  });

  it('TestTimedFloat64BucketsWindowUpdate3sGranularity', () => {
    const g = 3 * S;
    const trunc1 = trunc(BASE, g);
    // ceil(5/3) = 2 buckets.
    const b = new TimedFloat64Buckets(5 * S, g);
    expect(b.bucketCount).toBe(2);
    b.record(trunc1, 10);
    b.record(trunc1 + 1 * S, 2);
    b.record(trunc1 + 2 * S, 3);
    b.record(trunc1 + 3 * S, 4);
    b.record(trunc1 + 4 * S, 5);
    b.record(trunc1 + 5 * S, 6);
    b.record(trunc1 + 6 * S, 7); // overrides the first bucket's 15 (10+2+3)
    let want = 4 + 5 + 6 + 7;
    expect(sumBuckets(b, trunc1 + 6 * S)).toBe(want);

    b.resizeWindow(10 * S, trunc1);
    expect(b.bucketCount).toBe(4);
    expect(b.windowMs).toBe(10 * S);
    expect(sumBuckets(b, trunc1 + 6 * S)).toBe(want);

    b.record(trunc1 + 9 * S + 300, 42);
    want += 42;
    expect(sumBuckets(b, trunc1 + 9 * S)).toBe(want);

    b.resizeWindow(4 * S, trunc1);
    expect(b.bucketCount).toBe(2);
    // The oldest bucket, and the one not yet used, are dropped.
    expect(sumBuckets(b, trunc1 + 9 * S)).toBe(42 + 7);

    const firstWrite = b.firstWriteMs;
    b.resizeWindow(4 * S, trunc1);
    expect(b.firstWriteMs).toBe(firstWrite);
  });

  it('TestTimedFloat64BucketsWindowUpdateNoOp', () => {
    const now = BASE + 300;
    const startTime = now - 60 * S;
    const b = new TimedFloat64Buckets(5 * S, S);
    b.record(startTime, 19.82);
    expect(b.firstWriteMs).toBe(b.lastWriteMs);
    // The data is a minute old at resize time: nothing is copied, firstWrite is reset.
    b.resizeWindow(10 * S, now);
    expect(b.firstWriteMs).toBeUndefined();
  });

  it('TestRoundToNDigits', () => {
    expect(roundToNDigits(6, 3.6e-17)).toBe(0);
    expect(roundToNDigits(3, -3.6e-17)).toBe(-0);
    expect(roundToNDigits(3, 0.0004)).toBe(0);
    expect(roundToNDigits(3, 1.2345)).toBe(1.235);
    expect(roundToNDigits(4, 1.2345)).toBe(1.2345);
    expect(roundToNDigits(6, 12345)).toBe(12345);
  });
});

describe('bucket laws', () => {
  it('the window average of a constant signal is that constant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }), // window, seconds
        fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000), // the constant
        fc.integer({ min: 0, max: 10 ** 9 }), // start, ms
        fc.integer({ min: 1, max: 300 }), // seconds of data
        fc.integer({ min: 0, max: 119 }), // read this many seconds after the last write
        (windowS, c, start, n, lag) => {
          const b = new TimedFloat64Buckets(windowS * S);
          for (let i = 0; i < n; i++) b.record(start + i * S, c);
          const last = start + (n - 1) * S;
          expect(b.windowAverage(last)).toBe(c);
          if (lag < windowS) expect(b.windowAverage(last + lag * S)).toBe(c);
          else expect(b.windowAverage(last + lag * S)).toBe(0);
        },
      ),
    );
  });

  it('the window average is the mean of the live buckets since the first write', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.record({ dt: fc.integer({ min: 0, max: 4 * S }), v: fc.integer({ min: 0, max: 1000 }) }), { minLength: 1, maxLength: 60 }),
        (windowS, writes) => {
          const b = new TimedFloat64Buckets(windowS * S);
          let t = BASE;
          const byBucket = new Map<number, number>();
          let first = Number.NaN;
          let last = Number.NEGATIVE_INFINITY;
          for (const w of writes) {
            t += w.dt;
            b.record(t, w.v);
            const bt = trunc(t, S);
            // The model: a silence of a whole window restarts the run.
            if (bt - last >= windowS * S) {
              byBucket.clear();
              first = bt;
            }
            last = bt;
            byBucket.set(bt, (byBucket.get(bt) ?? 0) + w.v);
          }
          let sum = 0;
          for (const [bt, v] of byBucket) if (bt > last - windowS * S) sum += v;
          const n = Math.min((last - first) / S + 1, windowS);
          expect(b.windowAverage(t)).toBe(roundToNDigits(6, sum / n));
        },
      ),
    );
  });
});
