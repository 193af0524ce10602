import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Autoscaler, TICK_INTERVAL_MS, type AutoscalerSpec, type ScaleResult } from '../../src/autoscaler/autoscaler.js';

// The cases of knative/serving pkg/autoscaler/scaling/autoscaler_test.go. Go's fake metric
// client and pod counter become the `stable`/`panic`/`readyPods` inputs of each decision.

const STABLE_WINDOW_MS = 60_000;
const TARGET_UTILIZATION = 0.75; // The Go tests presume 75% utilization: total = target / 0.75.
const T0 = 1_700_000_000_000; // "time.Now()" of the Go tests.
const S = 1_000;
const MIN = 60 * S;

/** newTestAutoscalerWithScalingMetric's spec. */
function testSpec(targetValue: number, targetBurstCapacity: number, over: Partial<AutoscalerSpec> = {}): AutoscalerSpec {
  return {
    scalingMetric: 'concurrency',
    targetValue,
    totalValue: targetValue / TARGET_UTILIZATION,
    targetBurstCapacity,
    panicThreshold: 2,
    maxScaleUpRate: 10,
    maxScaleDownRate: 10,
    stableWindowMs: STABLE_WINDOW_MS,
    scaleDownDelayMs: 0,
    activationScale: 0,
    reachable: true,
    ...over,
  };
}

/** A zero-valued Go DeciderSpec plus the fields a test sets. */
function goSpec(over: Partial<AutoscalerSpec>): AutoscalerSpec {
  return {
    scalingMetric: 'concurrency',
    targetValue: 0,
    totalValue: 0,
    targetBurstCapacity: 0,
    panicThreshold: 0,
    maxScaleUpRate: 0,
    maxScaleDownRate: 0,
    stableWindowMs: 0,
    scaleDownDelayMs: 0,
    activationScale: 0,
    reachable: false,
    ...over,
  };
}

/** The Go tests' fixture: an autoscaler plus the metric averages and ready count it will see. */
class Fixture {
  stable = 0;
  panic = 0;
  ready: number | undefined;
  readonly as: Autoscaler;
  constructor(spec: AutoscalerSpec, readyAtCreate: number | undefined, nowMs = T0) {
    this.ready = readyAtCreate;
    this.as = new Autoscaler(spec, { nowMs, readyPods: readyAtCreate });
  }
  set(stable: number, panic: number): void {
    this.stable = stable;
    this.panic = panic;
  }
  scale(nowMs: number): Omit<ScaleResult, 'panicking'> {
    const { desiredPodCount, excessBurstCapacity, scaleValid } = this.as.scale(nowMs, {
      stable: this.stable,
      panic: this.panic,
      readyPods: this.ready,
    });
    return { desiredPodCount, excessBurstCapacity, scaleValid };
  }
}

const newTestAutoscaler = (target: number, tbc: number, stable = 0, panic = 0) => {
  const f = new Fixture(testSpec(target, tbc), 1);
  f.set(stable, panic);
  return f;
};

const sr = (desiredPodCount: number, excessBurstCapacity: number, scaleValid = true) => ({
  desiredPodCount,
  excessBurstCapacity,
  scaleValid,
});

/** expectedEBC of the Go tests. */
const expectedEBC = (totCap: number, targetBC: number, recordedConcurrency: number, numPods: number) =>
  Math.floor((totCap / TARGET_UTILIZATION) * numPods - targetBC - recordedConcurrency);

describe('Autoscaler (autoscaler_test.go)', () => {
  describe('TestAutoscalerScaleDownDelay', () => {
    // One autoscaler for both subtests, as in Go; the Go test starts from the zero time.
    const f = new Fixture(
      goSpec({ targetValue: 10, maxScaleDownRate: 10, maxScaleUpRate: 10, panicThreshold: 100, scaleDownDelayMs: 5 * MIN, reachable: true }),
      0,
      0,
    );
    it('simple', () => {
      f.set(40, 40);
      expect(f.scale(2 * S)).toEqual(sr(4, 0));
      // Five minutes at reduced concurrency: still within the delay.
      f.set(0, 0);
      expect(f.scale(5 * MIN)).toEqual(sr(4, 0));
      // Five minutes and two seconds: the 4 has left the window.
      expect(f.scale(5 * MIN + 2 * S)).toEqual(sr(0, 0));
    });
    it('gradual', () => {
      f.set(40, 40);
      expect(f.scale(9 * MIN)).toEqual(sr(4, 0));
      f.set(30, 30);
      expect(f.scale(10 * MIN)).toEqual(sr(4, 0)); // 4 still dominates
      f.set(0, 0);
      expect(f.scale(11 * MIN)).toEqual(sr(4, 0));
      expect(f.scale(14 * MIN)).toEqual(sr(3, 0)); // 4 scrolls out
      expect(f.scale(15 * MIN)).toEqual(sr(0, 0)); // everything scrolled out
    });
  });

  it('TestAutoscalerScaleDownDelayNotReachable', () => {
    const spec = goSpec({ targetValue: 10, maxScaleDownRate: 10, maxScaleUpRate: 10, panicThreshold: 100, scaleDownDelayMs: 5 * MIN, reachable: true });
    const f = new Fixture(spec, 0, 0);
    f.set(40, 40);
    expect(f.scale(2 * S)).toEqual(sr(4, 0));
    f.set(0, 0);
    expect(f.scale(1 * MIN)).toEqual(sr(4, 0));
    // Another revision takes the traffic: unreachable skips the delay and may drop to 0.
    f.as.update({ ...spec, reachable: false });
    expect(f.scale(2 * S)).toEqual(sr(0, 0));
  });

  it('TestAutoscalerScaleDownDelayZero', () => {
    const f = new Fixture(goSpec({ targetValue: 10, maxScaleDownRate: 10, maxScaleUpRate: 10, panicThreshold: 100 }), 0, 0);
    f.set(40, 40);
    expect(f.scale(0)).toEqual(sr(4, 0));
    // No delay window: the drop applies at once, even within the same 2s bucket.
    f.set(20, 20);
    expect(f.scale(500)).toEqual(sr(2, 0));
  });

  it('TestAutoscalerNoDataNoAutoscale', () => {
    const as = new Autoscaler(testSpec(10, 100), { nowMs: T0, readyPods: 1 });
    expect(as.scale(T0, { stable: undefined, panic: undefined, readyPods: 1 })).toEqual({
      desiredPodCount: 0,
      excessBurstCapacity: 0,
      scaleValid: false,
      panicking: false,
    });
  });

  it('TestAutoscalerStartMetrics (panic gauge only: created with 2 ready pods, it panics)', () => {
    const as = new Autoscaler(testSpec(10, 100), { nowMs: T0, readyPods: 2 });
    expect(as.panicking).toBe(true);
  });

  it('TestAutoscalerMetrics (the decision and the panic gauge)', () => {
    const f = newTestAutoscaler(10, 100, 50, 50);
    expect(f.as.panicking).toBe(false);
    const r = f.as.scale(T0, { stable: 50, panic: 50, readyPods: 1 });
    expect(r).toEqual({ desiredPodCount: 5, excessBurstCapacity: expectedEBC(10, 100, 50, 1), scaleValid: true, panicking: true });
  });

  it('TestAutoscalerMetricsWithRPS (the decision and the panic gauge)', () => {
    const as = new Autoscaler(testSpec(10, 100, { scalingMetric: 'rps' }), { nowMs: T0, readyPods: 1 });
    const r = as.scale(T0 + 61 * S, { stable: 100, panic: 99, readyPods: 1 });
    expect(r).toEqual({ desiredPodCount: 10, excessBurstCapacity: expectedEBC(10, 100, 99, 1), scaleValid: true, panicking: true });
  });

  it('TestAutoscalerStableModeIncreaseWithConcurrencyDefault', () => {
    const f = newTestAutoscaler(10, 101, 50, 10);
    expect(f.scale(T0)).toEqual(sr(5, expectedEBC(10, 101, 10, 1)));
    f.stable = 100;
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 101, 10, 1)));
  });

  it('TestAutoscalerStableModeIncreaseWithRPS', () => {
    const f = new Fixture(testSpec(10, 101, { scalingMetric: 'rps' }), 1);
    f.set(50, 50);
    expect(f.scale(T0)).toEqual(sr(5, expectedEBC(10, 101, 50, 1)));
    f.set(100, 99);
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 101, 99, 1)));
  });

  it('TestAutoscalerUnpanicAfterSlowIncrease', () => {
    // Initial jump from 10 to 25 pods.
    const f = newTestAutoscaler(1, 98, 11, 25);
    f.ready = 10;
    const start = T0;
    let tm = start;
    expect(f.scale(tm)).toEqual(sr(25, expectedEBC(1, 98, 25, 10)));
    expect(f.as.panicTimeMs).toBe(tm);
    // Half a stable window later, +1 pod per tick: +15 pods. Below threshold: panic does not move.
    f.ready = 25 + 15;
    f.set(30, 41);
    tm += STABLE_WINDOW_MS / 2;
    expect(f.scale(tm)).toEqual(sr(41, expectedEBC(1, 98, 41, 40)));
    expect(f.as.panicTimeMs).toBe(start);
    // Past the stable window: panic ends, +30 pods.
    f.ready = 25 + 30;
    f.set(50, 56);
    tm += STABLE_WINDOW_MS / 2 + TICK_INTERVAL_MS;
    expect(f.scale(tm)).toEqual(sr(50, expectedEBC(1, 98, 56, 55)));
    expect(f.as.panicTimeMs).toBeUndefined();
  });

  it('TestAutoscalerExtendPanicWindow', () => {
    const f = newTestAutoscaler(1, 98, 11, 25);
    f.ready = 10;
    let tm = T0;
    expect(f.scale(tm)).toEqual(sr(25, expectedEBC(1, 98, 25, 10)));
    expect(f.as.panicTimeMs).toBe(tm);
    // Half a stable window later and still surging: the panic is extended.
    f.ready = 25 + 15;
    f.set(30, 80);
    tm += STABLE_WINDOW_MS / 2;
    expect(f.scale(tm)).toEqual(sr(80, expectedEBC(1, 98, 80, 40)));
    expect(f.as.panicTimeMs).toBe(tm);
  });

  it('TestAutoscalerStableModeDecrease', () => {
    const f = newTestAutoscaler(10, 98, 100, 100);
    f.ready = 8;
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 98, 100, 8)));
    f.set(50, 50);
    expect(f.scale(T0)).toEqual(sr(5, expectedEBC(10, 98, 50, 8)));
  });

  it('TestAutoscalerStableModeNoTrafficScaleToZero', () => {
    const f = newTestAutoscaler(10, 75, 1, 0);
    expect(f.scale(T0)).toEqual(sr(1, expectedEBC(10, 75, 0, 1)));
    f.stable = 0;
    expect(f.scale(T0)).toEqual(sr(0, expectedEBC(10, 75, 0, 1)));
  });

  it('TestAutoscalerActivationScale', () => {
    const f = new Fixture(testSpec(10, 75, { activationScale: 2 }), 1);
    expect(f.scale(T0)).toEqual(sr(0, expectedEBC(10, 75, 0, 1)));
    f.stable = 1;
    expect(f.scale(T0)).toEqual(sr(2, expectedEBC(10, 75, 0, 1)));
  });

  it('TestAutoscalerPanicModeExponentialTrackAndStabilize', () => {
    // Traffic grows 6× per step; every step brings concurrency back to the target (1), then stabilizes at 1296.
    const f = newTestAutoscaler(1, 101, 6, 6);
    expect(f.scale(T0)).toEqual(sr(6, expectedEBC(1, 101, 6, 1)));
    let tm = T0;
    f.ready = 6;
    f.set(36, 36);
    expect(f.scale(tm)).toEqual(sr(36, expectedEBC(1, 101, 36, 6)));
    expect(f.as.panicTimeMs).toBe(tm);
    f.ready = 36;
    f.set(216, 216);
    tm += S;
    expect(f.scale(tm)).toEqual(sr(216, expectedEBC(1, 101, 216, 36)));
    expect(f.as.panicTimeMs).toBe(tm);
    f.ready = 216;
    f.set(1296, 1296);
    expect(f.scale(tm)).toEqual(sr(1296, expectedEBC(1, 101, 1296, 216)));
    expect(f.as.panicTimeMs).toBe(tm);
    f.ready = 1296;
    tm += S;
    expect(f.scale(tm)).toEqual(sr(1296, expectedEBC(1, 101, 1296, 1296)));
  });

  describe('TestAutoscalerScale', () => {
    interface Case {
      label: string;
      target: number;
      tbc: number;
      stable: number;
      panic: number;
      baseScale: number;
      over?: Partial<AutoscalerSpec>;
      /** Go's prepFunc `panicTime = now − 5s; maxPanicPods = 5`: created with 5 ready pods 5s earlier. */
      panickedFiveSecondsAgo?: boolean;
      want: [number, number];
    }
    const cases: Case[] = [
      { label: 'AutoscalerNoDataAtZeroNoAutoscale', target: 10, tbc: 100, stable: 0, panic: 0, baseScale: 1, want: [0, expectedEBC(10, 100, 0, 1)] },
      { label: 'AutoscalerNoDataAtZeroNoAutoscaleWithExplicitEPs', target: 10, tbc: 100, stable: 0, panic: 0, baseScale: 1, want: [0, expectedEBC(10, 100, 0, 1)] },
      { label: 'AutoscalerStableModeUnlimitedTBC', target: 181, tbc: -1, stable: 21, panic: 26, baseScale: 1, want: [1, -1] },
      { label: 'Autoscaler0TBC', target: 10, tbc: 0, stable: 50, panic: 49, baseScale: 1, want: [5, 0] },
      { label: 'AutoscalerStableModeNoChange', target: 10, tbc: 100, stable: 50, panic: 50, baseScale: 1, want: [5, expectedEBC(10, 100, 50, 1)] },
      {
        label: 'AutoscalerPanicStableLargerThanPanic',
        target: 1, tbc: 100, stable: 50, panic: 30, baseScale: 5, panickedFiveSecondsAgo: true,
        want: [50, expectedEBC(1, 100, 30, 5)], // the stable value decides
      },
      {
        label: 'AutoscalerPanicStableLessThanPanic',
        target: 1, tbc: 100, stable: 20, panic: 30, baseScale: 5, panickedFiveSecondsAgo: true,
        want: [30, expectedEBC(1, 100, 30, 5)], // the panic value, being larger
      },
      { label: 'AutoscalerStableModeNoChangeAlreadyScaled', target: 10, tbc: 100, stable: 50, panic: 50, baseScale: 5, want: [5, expectedEBC(10, 100, 50, 5)] },
      {
        label: 'AutoscalerStableModeIncreaseWithSmallScaleUpRate',
        target: 1, tbc: 1982, stable: 3, panic: 3.1, baseScale: 2, over: { maxScaleUpRate: 1.1 },
        want: [3, expectedEBC(1, 1982, 3.1, 2)],
      },
      {
        label: 'AutoscalerStableModeDecreaseWithSmallScaleDownRate',
        target: 10, tbc: 1982, stable: 1, panic: 1, baseScale: 100, over: { maxScaleDownRate: 1.1 },
        want: [90, expectedEBC(10, 1982, 1, 100)],
      },
      {
        label: 'AutoscalerStableModeDecreaseNonReachable',
        target: 10, tbc: 1982, stable: 1, panic: 1, baseScale: 100, over: { maxScaleDownRate: 1.1, reachable: false },
        want: [1, expectedEBC(10, 1982, 1, 100)],
      },
      {
        label: 'AutoscalerPanicModeDoublePodCount',
        target: 10, tbc: 84, stable: 50, panic: 100, baseScale: 1,
        want: [10, expectedEBC(10, 84, 100, 1)], // the panic value takes precedence
      },
    ];
    for (const c of cases) {
      it(c.label, () => {
        const spec = testSpec(c.target, c.tbc, c.over);
        const f = c.panickedFiveSecondsAgo ? new Fixture(spec, 5, T0 - 5 * S) : new Fixture(spec, 1);
        if (c.panickedFiveSecondsAgo) {
          expect(f.as.panicTimeMs).toBe(T0 - 5 * S);
          expect(f.as.maxPanicPods).toBe(5);
        }
        f.ready = c.baseScale;
        f.set(c.stable, c.panic);
        expect(f.scale(T0)).toEqual(sr(c.want[0], c.want[1]));
      });
    }
  });

  it('TestAutoscalerPanicThenUnPanicScaleDown', () => {
    const f = newTestAutoscaler(10, 93, 100, 100);
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 93, 100, 1)));
    f.ready = 10;
    const panicTime = T0 + 1;
    f.panic = 1000;
    expect(f.scale(panicTime)).toEqual(sr(100, expectedEBC(10, 93, 1000, 10)));
    // Traffic dropped off; still panicking, so the scale stays.
    f.set(1, 1);
    expect(f.scale(panicTime + 30 * S)).toEqual(sr(100, expectedEBC(10, 93, 1, 10)));
    // After the stable window, scale down.
    expect(f.scale(panicTime + 61 * S)).toEqual(sr(1, expectedEBC(10, 93, 1, 10)));
  });

  it('TestAutoscalerRateLimitScaleUp', () => {
    const f = newTestAutoscaler(10, 61, 1000, 1001);
    // Needs 100 pods, but may only grow ×10.
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 61, 1001, 1)));
    f.ready = 10;
    expect(f.scale(T0)).toEqual(sr(100, expectedEBC(10, 61, 1001, 10)));
  });

  it('TestAutoscalerRateLimitScaleDown', () => {
    const f = newTestAutoscaler(10, 61, 1, 1);
    // Needs 1 pod, but may only shrink ÷10.
    f.ready = 100;
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 61, 1, 100)));
    f.ready = 10;
    expect(f.scale(T0)).toEqual(sr(1, expectedEBC(10, 61, 1, 10)));
  });

  it('TestCantCountPods', () => {
    const f = newTestAutoscaler(10, 81, 1000, 888);
    f.ready = undefined; // the lister failed
    expect(f.scale(T0)).toEqual(sr(0, 0, false));
  });

  it('TestAutoscalerUseOnePodAsMinimumIfEndpointsNotFound', () => {
    const f = newTestAutoscaler(10, 81, 1000, 888);
    f.ready = 0;
    // Rate-limited from one pod (×10), while EBC counts the real zero pods.
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 81, 888, 0)));
  });

  it('TestAutoscalerUpdateTarget', () => {
    const f = newTestAutoscaler(10, 77, 100, 101);
    expect(f.scale(T0)).toEqual(sr(10, expectedEBC(10, 77, 101, 1)));
    f.ready = 10;
    f.as.update(
      goSpec({
        targetValue: 1,
        totalValue: 1 / TARGET_UTILIZATION,
        targetBurstCapacity: 71,
        panicThreshold: 2,
        maxScaleDownRate: 10,
        maxScaleUpRate: 10,
        stableWindowMs: STABLE_WINDOW_MS,
      }),
    );
    expect(f.scale(T0)).toEqual(sr(100, expectedEBC(1, 71, 101, 10)));
  });

  it('TestStartInPanicMode', () => {
    const spec = goSpec({ targetValue: 100, totalValue: 120, targetBurstCapacity: 11, panicThreshold: 220, maxScaleUpRate: 10, maxScaleDownRate: 10, stableWindowMs: STABLE_WINDOW_MS });
    for (const i of [0, 1]) {
      const as = new Autoscaler(spec, { nowMs: T0, readyPods: i });
      expect(as.panicTimeMs, `created at scale ${i}`).toBeUndefined();
      expect(as.maxPanicPods).toBe(i);
    }
    const as = new Autoscaler(spec, { nowMs: T0, readyPods: 2 });
    expect(as.panicTimeMs).toBe(T0);
    expect(as.maxPanicPods).toBe(2);
  });

  it('TestNewFail', () => {
    const spec = goSpec({ targetValue: 100, totalValue: 120, targetBurstCapacity: 11, panicThreshold: 220, maxScaleUpRate: 10, maxScaleDownRate: 10, stableWindowMs: STABLE_WINDOW_MS });
    const as = new Autoscaler(spec, { nowMs: T0, readyPods: undefined });
    expect(as.maxPanicPods).toBe(0);
    expect(as.panicking).toBe(false);
  });
});

describe('Autoscaler edge cases beyond the Go tests', () => {
  it('leaves panic mode only strictly after a stable window without a surge', () => {
    const f = new Fixture(testSpec(10, 100), 1);
    f.set(50, 50);
    expect(f.as.scale(T0, { stable: 50, panic: 50, readyPods: 1 }).panicking).toBe(true);
    f.set(0, 0);
    f.ready = 5;
    expect(f.as.scale(T0 + STABLE_WINDOW_MS, { stable: 0, panic: 0, readyPods: 5 })).toMatchObject({ panicking: true, desiredPodCount: 5 });
    expect(f.as.scale(T0 + STABLE_WINDOW_MS + 1, { stable: 0, panic: 0, readyPods: 5 })).toMatchObject({ panicking: false, desiredPodCount: 0 });
    expect(f.as.maxPanicPods).toBe(0);
  });

  it('compares the unclamped panic demand with the threshold', () => {
    // 2 ready pods, up-rate 1.1: at most 3 pods, but the panic window asks for 4 = 2 × 2 pods.
    const as = new Autoscaler(testSpec(1, 0, { maxScaleUpRate: 1.1 }), { nowMs: T0, readyPods: 1 });
    const r = as.scale(T0, { stable: 1, panic: 4, readyPods: 2 });
    expect(r).toMatchObject({ panicking: true, desiredPodCount: 3 });
  });

  it('a zero time is an ordinary time: panic entered at t = 0 is panic', () => {
    const as = new Autoscaler(testSpec(1, 0), { nowMs: 0, readyPods: 3 });
    expect(as.panicking).toBe(true);
    expect(as.panicTimeMs).toBe(0);
  });

  it('fails loudly on a NaN average (a bug upstream, not "no data")', () => {
    const as = new Autoscaler(testSpec(1, 0), { nowMs: T0, readyPods: 1 });
    expect(() => as.scale(T0, { stable: Number.NaN, panic: 0, readyPods: 1 })).toThrow(/metric averages/);
  });
});

describe('Autoscaler laws', () => {
  const specArb = fc.record({
    scalingMetric: fc.constantFrom('concurrency' as const, 'rps' as const),
    targetValue: fc.double({ min: 0.01, max: 500, noNaN: true }),
    totalValue: fc.double({ min: 0.01, max: 1000, noNaN: true }),
    targetBurstCapacity: fc.oneof(fc.constant(-1), fc.constant(0), fc.double({ min: 0, max: 1000, noNaN: true })),
    panicThreshold: fc.double({ min: 1.1, max: 10, noNaN: true }),
    maxScaleUpRate: fc.double({ min: 1.01, max: 1000, noNaN: true }),
    maxScaleDownRate: fc.double({ min: 1.01, max: 10, noNaN: true }),
    stableWindowMs: fc.integer({ min: 6, max: 3600 }).map((s) => s * S),
    scaleDownDelayMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 }).map((s) => s * S)),
    activationScale: fc.constant(0),
    reachable: fc.boolean(),
  });
  const tickArb = fc.record({
    dtMs: fc.integer({ min: 0, max: 30_000 }),
    stable: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10_000, noNaN: true })),
    panic: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10_000, noNaN: true })),
    ready: fc.integer({ min: 0, max: 500 }),
  });
  const runArb = fc.record({ spec: specArb, initialReady: fc.integer({ min: 0, max: 500 }), ticks: fc.array(tickArb, { minLength: 1, maxLength: 40 }) });

  it('a fresh autoscaler without panic history stays within ceil(up·R) and, when reachable, floor(R/down), R = max(1, ready)', () => {
    fc.assert(
      fc.property(specArb, tickArb, (spec0, t) => {
        const spec = { ...spec0, scaleDownDelayMs: 0 };
        const as = new Autoscaler(spec, { nowMs: T0, readyPods: 1 });
        const r = as.scale(T0 + t.dtMs, { stable: t.stable, panic: t.panic, readyPods: t.ready });
        const R = Math.max(1, t.ready);
        expect(r.desiredPodCount).toBeLessThanOrEqual(Math.ceil(spec.maxScaleUpRate * R));
        expect(r.desiredPodCount).toBeGreaterThanOrEqual(spec.reachable ? Math.floor(R / spec.maxScaleDownRate) : 0);
      }),
    );
  });

  it('when reachable, no decision goes below floor(max(1, ready)/maxScaleDownRate), whatever the history', () => {
    fc.assert(
      fc.property(runArb, ({ spec, initialReady, ticks }) => {
        const as = new Autoscaler({ ...spec, reachable: true }, { nowMs: T0, readyPods: initialReady });
        let now = T0;
        for (const t of ticks) {
          now += t.dtMs;
          const r = as.scale(now, { stable: t.stable, panic: t.panic, readyPods: t.ready });
          expect(r.desiredPodCount).toBeGreaterThanOrEqual(Math.floor(Math.max(1, t.ready) / spec.maxScaleDownRate));
        }
      }),
    );
  });

  it('outside panic mode and without a scale-down delay, no decision exceeds ceil(maxScaleUpRate·max(1, ready))', () => {
    fc.assert(
      fc.property(runArb, ({ spec, initialReady, ticks }) => {
        const as = new Autoscaler({ ...spec, scaleDownDelayMs: 0 }, { nowMs: T0, readyPods: initialReady });
        let now = T0;
        for (const t of ticks) {
          now += t.dtMs;
          const r = as.scale(now, { stable: t.stable, panic: t.panic, readyPods: t.ready });
          if (!r.panicking) expect(r.desiredPodCount).toBeLessThanOrEqual(Math.ceil(spec.maxScaleUpRate * Math.max(1, t.ready)));
        }
      }),
    );
  });

  it('never scales down while panicking', () => {
    fc.assert(
      fc.property(runArb, ({ spec, initialReady, ticks }) => {
        const as = new Autoscaler({ ...spec, scaleDownDelayMs: 0 }, { nowMs: T0, readyPods: initialReady });
        let now = T0;
        let prev: ScaleResult | undefined;
        for (const t of ticks) {
          now += t.dtMs;
          const wasPanicking = as.panicking;
          const r = as.scale(now, { stable: t.stable, panic: t.panic, readyPods: t.ready });
          if (wasPanicking && r.panicking && prev !== undefined && prev.panicking) {
            expect(r.desiredPodCount).toBeGreaterThanOrEqual(prev.desiredPodCount);
          }
          if (r.panicking) expect(r.desiredPodCount).toBe(as.maxPanicPods);
          prev = r;
        }
      }),
    );
  });

  it('with a scale-down delay, a decision is never below any decision of the last delay (reachable)', () => {
    fc.assert(
      fc.property(runArb, ({ spec, initialReady, ticks }) => {
        const delay = Math.max(spec.scaleDownDelayMs, 2 * S);
        const plain = new Autoscaler({ ...spec, reachable: true, scaleDownDelayMs: 0 }, { nowMs: T0, readyPods: initialReady });
        const delayed = new Autoscaler({ ...spec, reachable: true, scaleDownDelayMs: delay }, { nowMs: T0, readyPods: initialReady });
        let now = T0;
        const history: Array<{ now: number; want: number }> = [];
        for (const t of ticks) {
          now += t.dtMs;
          const input = { stable: t.stable, panic: t.panic, readyPods: t.ready };
          const want = plain.scale(now, input).desiredPodCount;
          const got = delayed.scale(now, input).desiredPodCount;
          history.push({ now, want });
          // Entries recorded in 2s buckets less than ceil(delay/2s) buckets back are still in the window.
          const buckets = Math.ceil(delay / TICK_INTERVAL_MS);
          const idx = (ms: number) => Math.trunc(Math.floor(ms / 1000) / 2);
          const live = history.filter((h) => idx(now) - idx(h.now) < buckets).map((h) => h.want);
          expect(got).toBe(Math.max(...live));
        }
      }),
    );
  });

  it('no data, or an uncountable pod set, is an invalid tick that leaves the state alone', () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 0, max: 50 }), fc.constantFrom('stable', 'panic', 'ready'), (spec, ready, missing) => {
        const as = new Autoscaler(spec, { nowMs: T0, readyPods: ready });
        const before = [as.panicTimeMs, as.maxPanicPods];
        const r = as.scale(T0 + S, {
          stable: missing === 'stable' ? undefined : 5,
          panic: missing === 'panic' ? undefined : 5,
          readyPods: missing === 'ready' ? undefined : ready,
        });
        expect(r.scaleValid).toBe(false);
        expect([r.desiredPodCount, r.excessBurstCapacity]).toEqual([0, 0]);
        expect([as.panicTimeMs, as.maxPanicPods]).toEqual(before);
      }),
    );
  });
});
