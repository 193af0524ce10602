import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTOSCALER_CONFIG, type AutoscalerConfig } from '../../src/autoscaler/config.js';
import { initialScale, stableWindowMs, type Reachability } from '../../src/autoscaler/decider.js';
import {
  MIN_ACTIVATORS,
  activationTimeoutMs,
  activeThreshold,
  computeActiveCondition,
  computeNumActivators,
  initialDeciderStatus,
  lastPodRetentionMs,
  nextDesiredScaleStatus,
  resolveScrapeTarget,
  resolveTBC,
  scaleBounds,
  scalerScale,
  shouldPoke,
  sksMode,
  updateLatestScale,
  type PAActiveState,
  type SKSMode,
} from '../../src/autoscaler/kpa.js';
import { populationMeanSampleSize } from '../../src/autoscaler/sample-size.js';

const G = 'autoscaling.knative.dev';
const S = 1_000;
const MIN = 60 * S;

// knative/serving pkg/reconciler/autoscaling/kpa/scaler_test.go TestScaler and TestDisableScaleToZero.
// Their config (kpa_test.go defaultConfigMapData): stable window 5m, grace 60s, TBC 200,
// progress deadline 121s; a PA with a custom window uses 45s.
const GRACE = 60 * S;
const STABLE_WINDOW = 5 * MIN;
const PA_STABLE_WINDOW = 45 * S;
const PROGRESS_DEADLINE = 121 * S;
const ACTIVATION_TIMEOUT = activationTimeoutMs(PROGRESS_DEADLINE);
const baseConfig: AutoscalerConfig = {
  ...DEFAULT_AUTOSCALER_CONFIG,
  maxScaleUpRate: 12,
  stableWindowMs: STABLE_WINDOW,
  scaleToZeroGracePeriodMs: GRACE,
  targetBurstCapacity: 200,
};

interface ScalerCase {
  label: string;
  startReplicas: number;
  scaleTo: number;
  minScale?: number;
  maxScale?: number;
  wantReplicas: number;
  wantScaling: boolean;
  /** The PA's Active state and for how long; a new PA is Activating since now. */
  pa?: [PAActiveState, number];
  anns?: Record<string, string>;
  initialized?: boolean;
  reach?: Reachability;
  /** SKS mode and how long it has proxied; the test SKS is Serve with no activator endpoints. */
  sks?: [SKSMode, number];
  prober?: boolean;
  progressDeadline?: number;
  cfg?: Partial<AutoscalerConfig>;
  wantCB?: boolean;
  wantAsyncProbe?: boolean;
}

function runScaler(c: ScalerCase) {
  const anns: Record<string, string> = { ...c.anns };
  if (c.minScale) anns[`${G}/min-scale`] = String(c.minScale);
  if (c.maxScale) anns[`${G}/max-scale`] = String(c.maxScale);
  const config = { ...baseConfig, ...c.cfg };
  const reachability = c.reach ?? 'Unknown';
  const [paState, stateForMs] = c.pa ?? ['Activating', 0];
  const [mode, proxyFor] = c.sks ?? ['Serve', 0];
  const { min, max } = scaleBounds(anns, config, reachability);
  return scalerScale({
    desiredScale: c.scaleTo,
    paState,
    stateForMs,
    min,
    max,
    initialScale: initialScale(config, anns),
    scaleTargetInitialized: c.initialized ?? false,
    reachability,
    enableScaleToZero: config.enableScaleToZero,
    stableWindowMs: stableWindowMs(anns, config),
    activationTimeoutMs: activationTimeoutMs(c.progressDeadline ?? PROGRESS_DEADLINE),
    sksMode: mode,
    sksProxyForMs: proxyFor,
    scaleToZeroGracePeriodMs: config.scaleToZeroGracePeriodMs,
    lastPodRetentionMs: lastPodRetentionMs(anns, config, reachability),
    targetBurstCapacity: resolveTBC(anns, config),
    activatorProbeSucceeded: c.prober ?? true,
    currentReplicas: c.startReplicas,
  });
}

const window45 = { [`${G}/window`]: '45s' };
const scalerCases: ScalerCase[] = [
  { label: 'waits to scale to zero (just before idle period)', startReplicas: 1, scaleTo: 0, wantReplicas: 1, wantScaling: false, pa: ['Active', STABLE_WINDOW - S], wantCB: true },
  {
    label: 'waits to scale to zero (just before idle period), custom PA window',
    startReplicas: 1, scaleTo: 0, wantReplicas: 1, wantScaling: false, anns: window45, pa: ['Active', PA_STABLE_WINDOW - S], wantCB: true,
  },
  { label: 'custom PA window, check for standard window, no probe', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, anns: window45, pa: ['Active', STABLE_WINDOW] },
  { label: 'scale to 1 waiting for idle expires', startReplicas: 10, scaleTo: 0, wantReplicas: 1, wantScaling: true, pa: ['Active', STABLE_WINDOW - S], wantCB: true },
  { label: 'waits to scale to zero after idle period', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Active', STABLE_WINDOW] },
  {
    label: 'waits to scale to zero after idle period; sks in proxy mode',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Active', STABLE_WINDOW], sks: ['Proxy', 0], wantCB: true,
  },
  { label: 'waits to scale to zero after idle period (custom PA window)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, anns: window45, pa: ['Active', PA_STABLE_WINDOW] },
  {
    label: 'can scale to zero after grace period, but 0 PA retention',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE],
    anns: { [`${G}/scale-to-zero-pod-retention-period`]: '0' }, cfg: { scaleToZeroPodRetentionPeriodMs: 2 * GRACE },
  },
  {
    label: "can't scale to zero after grace period, but before last pod retention",
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE], cfg: { scaleToZeroPodRetentionPeriodMs: 2 * GRACE }, wantCB: true,
  },
  {
    label: "can't scale to zero after grace period, but before last pod retention, pa defined",
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE],
    anns: { [`${G}/scale-to-zero-pod-retention-period`]: '2m0s' }, cfg: { scaleToZeroPodRetentionPeriodMs: 0 }, wantCB: true,
  },
  {
    label: 'scale to zero after grace period, and after last pod retention',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE], cfg: { scaleToZeroPodRetentionPeriodMs: GRACE },
  },
  { label: 'scale to zero after grace period', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE] },
  { label: 'waits to scale to zero (just before grace period)', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE - S], wantCB: true },
  {
    label: 'waits to scale to zero (just before grace period, sks short)',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE - S], sks: ['Serve', GRACE - S], wantCB: true,
  },
  {
    label: 'waits to scale to zero (just before grace period, sks in proxy long) and last pod timeout positive',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE - S], cfg: { scaleToZeroPodRetentionPeriodMs: 42 * S }, sks: ['Serve', GRACE],
  },
  {
    label: 'waits to scale to zero (just before grace period, sks in proxy long)',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE - S], sks: ['Serve', GRACE],
  },
  {
    label: 'scale to zero with TBC=-1',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE],
    anns: { [`${G}/target-burst-capacity`]: '-1' }, prober: false, // a failing probe would block: it must not be consulted
  },
  { label: 'scale to zero after grace period, but fail prober', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE], prober: false, wantAsyncProbe: true },
  {
    label: 'scale to zero after grace period, but wrong prober response',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE], prober: false, wantAsyncProbe: true,
  },
  {
    label: 'waits to scale to zero while activating until after deadline exceeded',
    startReplicas: 1, scaleTo: 0, wantReplicas: -1, wantScaling: false, pa: ['Activating', ACTIVATION_TIMEOUT / 2], wantCB: true,
  },
  { label: 'scale to zero while activating after deadline exceeded', startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Activating', ACTIVATION_TIMEOUT + S] },
  {
    label: 'scale to zero while activating after revision deadline exceeded',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, progressDeadline: 5 * S, pa: ['Activating', 5 * S + 30 * S + S],
  },
  { label: 'scale down to minScale before grace period', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, pa: ['Inactive', GRACE - S], reach: 'Reachable' },
  { label: 'scale down to minScale after grace period', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, pa: ['Inactive', GRACE], reach: 'Reachable' },
  {
    label: 'scale to zero ignore last pod retention if  revision is unreachable',
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE], reach: 'Unreachable', cfg: { scaleToZeroPodRetentionPeriodMs: 10 * GRACE },
  },
  {
    label: "can't scale to zero if revision is unreachable, but before deadline",
    startReplicas: 1, scaleTo: 0, wantReplicas: 0, wantScaling: false, pa: ['Inactive', GRACE - S], reach: 'Unreachable', cfg: { scaleToZeroPodRetentionPeriodMs: 10 * GRACE }, wantCB: true,
  },
  { label: 'ignore minScale if unreachable', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 0, wantScaling: true, pa: ['Inactive', GRACE], reach: 'Unreachable' },
  { label: 'observe minScale if reachability unknown', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true, pa: ['Inactive', GRACE], reach: 'Unknown' },
  { label: 'scales up', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'scales up to maxScale', startReplicas: 1, scaleTo: 10, maxScale: 8, wantReplicas: 8, wantScaling: true },
  { label: 'scale up inactive revision', startReplicas: 1, scaleTo: 10, wantReplicas: 10, wantScaling: true, pa: ['Inactive', GRACE / 2] },
  { label: 'does not scale up from zero with no metrics', startReplicas: 0, scaleTo: -1, wantReplicas: -1, wantScaling: false, pa: ['Inactive', 0] },
  { label: 'scales up from zero to desired one', startReplicas: 0, scaleTo: 1, wantReplicas: 1, wantScaling: true },
  { label: 'scales up from zero to desired high scale', startReplicas: 0, scaleTo: 10, wantReplicas: 10, wantScaling: true },
  { label: 'negative scale does not scale', startReplicas: 12, scaleTo: -1, wantReplicas: -1, wantScaling: false, pa: ['Active', 0] },
  {
    label: 'initial scale attained, but now time to scale down',
    startReplicas: 2, scaleTo: 0, wantReplicas: 1, wantScaling: true, wantCB: true, pa: ['Active', 2 * MIN], initialized: true, anns: { [`${G}/initial-scale`]: '2' },
  },
  {
    label: "haven't scaled to initial scale, override desired scale with initial scale",
    startReplicas: 0, scaleTo: 1, wantReplicas: 2, wantScaling: true, pa: ['Activating', 0], anns: { [`${G}/initial-scale`]: '2' },
  },
  {
    label: 'initial scale reached for the first time',
    startReplicas: 5, scaleTo: 1, wantReplicas: 5, wantScaling: false, pa: ['Activating', 0], anns: { [`${G}/initial-scale`]: '5' },
  },
  {
    label: 'reaching initial scale zero',
    startReplicas: 0, scaleTo: 0, wantReplicas: 0, wantScaling: false, wantCB: true, pa: ['Inactive', 0], anns: { [`${G}/initial-scale`]: '0' }, cfg: { allowZeroInitialScale: true },
  },
  {
    label: 'unreachable revision with initialScale > 1 can scale to 0',
    startReplicas: 2, scaleTo: 0, wantReplicas: 1, wantScaling: true, wantCB: true, pa: ['Active', 2 * MIN], anns: { [`${G}/initial-scale`]: '2' }, reach: 'Unreachable',
  },
];

describe('scalerScale (scaler_test.go TestScaler)', () => {
  for (const c of scalerCases) {
    it(c.label, () => {
      const r = runScaler(c);
      expect(r.desired).toBe(c.wantReplicas);
      expect(r.patch).toBe(c.wantScaling);
      expect(r.requeueAfterMs !== undefined).toBe(c.wantCB ?? false);
      expect(r.startAsyncProbe ?? false).toBe(c.wantAsyncProbe ?? false);
    });
  }

  it('requeues for exactly the time left', () => {
    expect(runScaler(scalerCases[0]!).requeueAfterMs).toBe(S); // 1s of the idle period left
    expect(runScaler(scalerCases[12]!).requeueAfterMs).toBe(GRACE); // no proxy time yet: the whole grace period
    expect(runScaler(scalerCases[13]!).requeueAfterMs).toBe(S); // proxied 59s of 60s
    expect(runScaler(scalerCases[8]!).requeueAfterMs).toBe(GRACE); // retention 120s, inactive 60s
    expect(runScaler(scalerCases[19]!).requeueAfterMs).toBe(ACTIVATION_TIMEOUT);
  });
});

describe('scalerScale (scaler_test.go TestDisableScaleToZero)', () => {
  const cases: Array<{ label: string; startReplicas: number; scaleTo: number; minScale?: number; wantReplicas: number; wantScaling: boolean }> = [
    { label: 'EnableScaleToZero == false and minScale == 0', startReplicas: 10, scaleTo: 0, wantReplicas: 1, wantScaling: true },
    { label: 'EnableScaleToZero == false and minScale == 2', startReplicas: 10, scaleTo: 0, minScale: 2, wantReplicas: 2, wantScaling: true },
    { label: 'EnableScaleToZero == false and desire pod is -1(initial value)', startReplicas: 10, scaleTo: -1, wantReplicas: -1, wantScaling: false },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const r = runScaler({ ...c, pa: ['Active', 0], reach: 'Reachable', cfg: { enableScaleToZero: false } });
      expect([r.desired, r.patch]).toEqual([c.wantReplicas, c.wantScaling]);
    });
  }
});

describe('computeNumActivators (kpa_test.go TestComputeActivatorNum)', () => {
  const cases: Array<[string, number, number, number]> = [
    // name, pods, TBC, want (total 100, activator capacity 100)
    ['default', 0, 200, MIN_ACTIVATORS],
    ['1 pod', 1, 200, 3],
    ['tbc = 0', 100, 0, MIN_ACTIVATORS],
    ['tbc = -1', 5, -1, 5],
    ['many pods', 15, 200, 17],
  ];
  for (const [name, pods, tbc, want] of cases) {
    it(name, () => expect(computeNumActivators(pods, { totalValue: 100, targetBurstCapacity: tbc, activatorCapacity: 100 })).toBe(want));
  }
});

describe('nextDesiredScaleStatus (kpa_test.go TestComputeStatus)', () => {
  const cases: Array<[string, number | undefined, number, number]> = [
    ['initial', undefined, 1, 1],
    ['ready', 1, 1, 1],
    ['stable', 1, 1, 1],
    ['no metrics', 2, -1, 2],
  ];
  for (const [name, have, want, expected] of cases) it(name, () => expect(nextDesiredScaleStatus(have, want)).toBe(expected));
  it('a −1 with no known scale is recorded', () => expect(nextDesiredScaleStatus(undefined, -1)).toBe(-1));
});

describe('computeActiveCondition (the table in kpa.go)', () => {
  // | Want | Got    | min   | Status     | New status |
  const rows: Array<[number, 'lt' | 'ge', number, PAActiveState, PAActiveState]> = [
    [0, 'ge', 1, 'Active', 'Inactive'],
    [0, 'lt', 1, 'Activating', 'Inactive'],
    [3, 'lt', 1, 'Inactive', 'Activating'],
    [3, 'ge', 1, 'Inactive', 'Active'],
    [-1, 'lt', 1, 'Inactive', 'Inactive'],
    [-1, 'lt', 1, 'Activating', 'Activating'],
    [-1, 'lt', 1, 'Active', 'Activating'],
    [-1, 'ge', 1, 'Inactive', 'Inactive'],
    [-1, 'ge', 0, 'Activating', 'Inactive'],
    [-1, 'ge', 0, 'Active', 'Inactive'],
    [-1, 'ge', 2, 'Activating', 'Active'],
    [-1, 'ge', 2, 'Active', 'Active'],
  ];
  for (const [want, got, minReady, status, next] of rows) {
    it(`want ${want}, ready ${got === 'lt' ? '<' : '>='} min (${minReady}), ${status} → ${next}`, () => {
      const ready = got === 'lt' ? minReady - 1 : minReady;
      const r = computeActiveCondition({ paState: status, want, ready, minReady, scaleTargetInitialized: true, hasServiceName: true });
      expect(r.state ?? status).toBe(next);
    });
  }

  it('reasons: TimedOut when activation toward a minimum gave up, NoTraffic otherwise, Queued while activating', () => {
    const base = { ready: 0, scaleTargetInitialized: false, hasServiceName: true };
    expect(computeActiveCondition({ ...base, paState: 'Activating', want: 0, minReady: 1 }).reason).toBe('TimedOut');
    expect(computeActiveCondition({ ...base, paState: 'Active', want: 0, minReady: 1 }).reason).toBe('NoTraffic');
    expect(computeActiveCondition({ ...base, paState: 'Active', want: 2, minReady: 1 }).reason).toBe('Queued');
  });

  it('marks the scale target initialized once ready reaches the threshold and the PA has a service', () => {
    const base = { paState: 'Activating' as const, want: 2, minReady: 2, scaleTargetInitialized: false };
    expect(computeActiveCondition({ ...base, ready: 1, hasServiceName: true }).scaleTargetInitialized).toBe(false);
    expect(computeActiveCondition({ ...base, ready: 2, hasServiceName: false }).scaleTargetInitialized).toBe(false);
    expect(computeActiveCondition({ ...base, ready: 2, hasServiceName: true }).scaleTargetInitialized).toBe(true);
  });

  it('activeThreshold: max(min, initial) before initialization, max(min, 1) after', () => {
    const c = DEFAULT_AUTOSCALER_CONFIG;
    const anns = { [`${G}/initial-scale`]: '3', [`${G}/min-scale`]: '2' };
    expect(activeThreshold(anns, c, 'Reachable', false)).toBe(3);
    expect(activeThreshold(anns, c, 'Reachable', true)).toBe(2);
    expect(activeThreshold(anns, c, 'Unreachable', true)).toBe(1);
    expect(activeThreshold({ [`${G}/initial-scale`]: '0' }, { ...c, allowZeroInitialScale: true }, 'Reachable', false)).toBe(0);
  });
});

describe('SKS mode, scrape target, multiscaler', () => {
  it('Serve only with pods wanted and non-negative EBC; an unknown want on an Inactive PA stays Proxy', () => {
    expect(sksMode(3, 0, 'Active')).toBe('Serve');
    expect(sksMode(3, -1, 'Active')).toBe('Proxy');
    expect(sksMode(0, 100, 'Active')).toBe('Proxy');
    expect(sksMode(-1, 100, 'Inactive')).toBe('Proxy');
  });

  it('kpa_test.go TestResolveScrapeTarget: TBC −1 means no scrape target', () => {
    expect(resolveScrapeTarget(-1, 'svc-private')).toBe('');
    expect(resolveScrapeTarget(0, 'svc-private')).toBe('svc-private');
    expect(resolveScrapeTarget(211, 'svc-private')).toBe('svc-private');
    expect(resolveTBC({ [`${G}/target-burst-capacity`]: '-1' }, DEFAULT_AUTOSCALER_CONFIG)).toBe(-1);
    expect(resolveTBC(undefined, DEFAULT_AUTOSCALER_CONFIG)).toBe(211);
  });

  it('the initial decider status: DesiredScale −1, EBC = TBC for −1/0, else InitialScale·Total − TBC', () => {
    expect(initialDeciderStatus({ targetBurstCapacity: 211, initialScale: 1, totalValue: 100 })).toEqual({ desiredScale: -1, excessBurstCapacity: -111 });
    expect(initialDeciderStatus({ targetBurstCapacity: -1, initialScale: 1, totalValue: 100 }).excessBurstCapacity).toBe(-1);
    expect(initialDeciderStatus({ targetBurstCapacity: 0, initialScale: 3, totalValue: 100 }).excessBurstCapacity).toBe(0);
    // int32() truncates toward zero: 1·(10/0.7) − 211 = −196.7… → −196.
    expect(initialDeciderStatus({ targetBurstCapacity: 211, initialScale: 1, totalValue: 10 / 0.7 }).excessBurstCapacity).toBe(-196);
  });

  it('notifies on a new desired scale or an EBC sign change only', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 50 }), fc.integer({ min: -500, max: 500 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: -500, max: 500 }), (ds, ebc, nds, nebc) => {
        const { status, notify } = updateLatestScale({ desiredScale: ds, excessBurstCapacity: ebc }, { desiredPodCount: nds, excessBurstCapacity: nebc });
        expect(status).toEqual({ desiredScale: nds, excessBurstCapacity: nebc });
        expect(notify).toBe(ds !== nds || ebc < 0 !== nebc < 0);
      }),
    );
  });

  it('pokes only a revision at zero that sees requests', () => {
    expect(shouldPoke(0, 1)).toBe(true);
    expect(shouldPoke(0, 0)).toBe(false);
    expect(shouldPoke(1, 5)).toBe(false);
    expect(shouldPoke(-1, 5)).toBe(false);
  });
});

describe('populationMeanSampleSize (sample_size_test.go TestPopulationMeanSampleSize)', () => {
  for (const [pop, want] of [[0, 0], [1, 1], [2, 2], [5, 4], [10, 7], [100, 14], [1000, 16]] as const) {
    it(`N=${pop} → ${want}`, () => expect(populationMeanSampleSize(pop)).toBe(want));
  }
});

describe('scaleBounds (pa_lifecycle.go ScaleBounds)', () => {
  it('annotations over config; Unreachable drops the minimum only', () => {
    const c = { ...DEFAULT_AUTOSCALER_CONFIG, minScale: 1, maxScale: 9 };
    expect(scaleBounds(undefined, c, '')).toEqual({ min: 1, max: 9 });
    expect(scaleBounds({ [`${G}/minScale`]: '2', [`${G}/max-scale`]: '4' }, c, 'Reachable')).toEqual({ min: 2, max: 4 });
    expect(scaleBounds({ [`${G}/min-scale`]: '2' }, c, 'Unreachable')).toEqual({ min: 0, max: 9 });
  });
});
