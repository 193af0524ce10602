import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTOSCALER_CONFIG, KPA_CLASS, TARGET_MIN, type AutoscalerConfig } from '../../src/autoscaler/config.js';
import { makeDeciderSpec, panicWindowMs, type DeciderSpec, type Reachability } from '../../src/autoscaler/decider.js';
import { resolveTargetAndTotal } from '../../src/autoscaler/target.js';

const G = 'autoscaling.knative.dev';
const S = 1_000;

// knative/serving pkg/reconciler/autoscaling/resources/target_test.go TestResolveMetricTarget.
// Its base config (metric_test.go): CC fraction 1.0, CC default 100, RPS default 200, TU 0.7.
describe('resolveTargetAndTotal (TestResolveMetricTarget)', () => {
  const base: AutoscalerConfig = {
    ...DEFAULT_AUTOSCALER_CONFIG,
    containerConcurrencyTargetFraction: 1,
    containerConcurrencyTargetDefault: 100,
    rpsTargetDefault: 200,
    targetUtilization: 0.7,
  };
  const target = (v: string) => ({ [`${G}/target`]: v });
  const tu = (v: string) => ({ [`${G}/target-utilization-percentage`]: v });
  const rps = { [`${G}/metric`]: 'rps' };
  const cases: Array<{ name: string; cc?: number; anns?: Record<string, string>; cfg?: Partial<AutoscalerConfig>; want: [number, number] }> = [
    { name: 'defaults', want: [100, 100] },
    { name: 'default CC + 80% TU', cfg: { containerConcurrencyTargetFraction: 0.8 }, want: [80, 100] },
    { name: 'non-default CC and TU', cfg: { containerConcurrencyTargetFraction: 0.3, containerConcurrencyTargetDefault: 2 }, want: [0.6, 2] },
    { name: 'with container concurrency 12 and TU=80%, but TU annotation 75%', cc: 12, anns: tu('75'), cfg: { containerConcurrencyTargetFraction: 0.8 }, want: [9, 12] },
    { name: 'with container concurrency 10 and TU=80%', cc: 10, cfg: { containerConcurrencyTargetFraction: 0.8 }, want: [8, 10] },
    { name: 'with container concurrency 1 and TU=80%', cc: 1, cfg: { containerConcurrencyTargetFraction: 0.8 }, want: [0.8, 1] },
    { name: 'with container concurrency 1', cc: 1, want: [1, 1] },
    { name: 'with container concurrency 10', cc: 10, want: [10, 10] },
    { name: 'with target annotation 1', anns: target('1'), want: [1, 1] },
    { name: 'with target annotation 1 and TU=0.1%', anns: target('1'), cfg: { containerConcurrencyTargetFraction: 0.001 }, want: [TARGET_MIN, 1] },
    { name: 'with target annotation 1 and TU=75%', anns: target('1'), cfg: { containerConcurrencyTargetFraction: 0.75 }, want: [0.75, 1] },
    { name: 'with target annotation 10 and TU=75%', anns: target('10'), cfg: { containerConcurrencyTargetFraction: 0.75 }, want: [7.5, 10] },
    { name: 'with container concurrency greater than target annotation (ok)', cc: 10, anns: target('1'), want: [1, 1] },
    { name: 'with target annotation greater than default (ok)', anns: target('500'), want: [500, 500] },
    { name: 'with target annotation greater than container concurrency (ignore annotation for safety)', cc: 1, anns: target('10'), want: [1, 1] },
    { name: 'RPS: defaults', cc: 1, anns: rps, want: [140, 200] },
    { name: 'RPS: with target annotation 1', anns: { ...rps, ...target('1') }, want: [0.7, 1] },
    { name: 'RPS: with TU annotation 75%', anns: { ...rps, ...tu('75') }, want: [150, 200] },
    { name: 'RPS: with target annotation greater than default', anns: { ...rps, ...target('300') }, want: [210, 300] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { target: t, total } = resolveTargetAndTotal(c.anns, { ...base, ...c.cfg }, c.cc ?? 0);
      expect([t, total]).toEqual(c.want);
    });
  }

  it('the documented defaults: CC=0 → 70/100, CC=10 → 7/10, RPS → 140/200', () => {
    const d = DEFAULT_AUTOSCALER_CONFIG;
    expect(resolveTargetAndTotal(undefined, d, 0)).toEqual({ target: 70, total: 100 });
    expect(resolveTargetAndTotal(undefined, d, 10)).toEqual({ target: 7, total: 10 });
    expect(resolveTargetAndTotal(rps, d, 0)).toEqual({ target: 140, total: 200 });
  });
});

// knative/serving pkg/reconciler/autoscaling/kpa/resources/decider_test.go TestMakeDecider.
describe('makeDeciderSpec (TestMakeDecider)', () => {
  const config: AutoscalerConfig = {
    ...DEFAULT_AUTOSCALER_CONFIG,
    containerConcurrencyTargetFraction: 1,
    containerConcurrencyTargetDefault: 100,
    targetBurstCapacity: 211,
    maxScaleUpRate: 10,
    maxScaleDownRate: 0, // unset in the Go test's config
    rpsTargetDefault: 100,
    activatorCapacity: 811,
    targetUtilization: 1,
    stableWindowMs: 60 * S,
    panicThresholdPercentage: 200,
    panicWindowPercentage: 10,
    initialScale: 1,
  };
  const want = (over: Partial<DeciderSpec>): DeciderSpec => ({
    maxScaleUpRate: 10,
    maxScaleDownRate: 0,
    scalingMetric: 'concurrency',
    targetValue: 100,
    totalValue: 100,
    targetBurstCapacity: 211,
    activatorCapacity: 811,
    panicThreshold: 2,
    stableWindowMs: 60 * S,
    panicWindowMs: 6 * S,
    scaleDownDelayMs: 0,
    initialScale: 1,
    reachable: true,
    activationScale: 0,
    ...over,
  });
  const paAnns = (extra: Record<string, string> = {}) => ({ [`${G}/class`]: KPA_CLASS, [`${G}/metric`]: 'concurrency', ...extra });
  const cases: Array<{
    name: string;
    anns?: Record<string, string>;
    cc?: number;
    reach?: Reachability;
    cfg?: Partial<AutoscalerConfig>;
    want: DeciderSpec;
  }> = [
    { name: 'defaults', want: want({}) },
    { name: 'unreachable', reach: 'Unreachable', want: want({ reachable: false }) },
    { name: 'explicit reachable', reach: 'Reachable', want: want({}) },
    { name: 'tu < 1', cfg: { containerConcurrencyTargetFraction: 0.8 }, want: want({ targetValue: 80 }) },
    { name: 'scale up and scale down rates', cfg: { maxScaleUpRate: 19.84, maxScaleDownRate: 19.88 }, want: want({ maxScaleUpRate: 19.84, maxScaleDownRate: 19.88 }) },
    { name: 'with container concurrency 1', cc: 1, want: want({ targetValue: 1, totalValue: 1 }) },
    { name: 'with target annotation 1', anns: { [`${G}/target`]: '1' }, want: want({ targetValue: 1, totalValue: 1 }) },
    { name: 'with container concurrency and tu < 1', cc: 100, cfg: { containerConcurrencyTargetFraction: 0.8 }, want: want({ targetValue: 80 }) },
    {
      name: 'with burst capacity set',
      cc: 120,
      cfg: { targetBurstCapacity: 63, containerConcurrencyTargetFraction: 0.8 },
      want: want({ targetValue: 96, totalValue: 120, targetBurstCapacity: 63 }),
    },
    { name: 'with activator capacity override', cfg: { activatorCapacity: 420 }, want: want({ activatorCapacity: 420 }) },
    {
      name: 'with burst capacity set on the annotation',
      cc: 120,
      anns: { [`${G}/target-burst-capacity`]: '211' },
      cfg: { targetBurstCapacity: 63, containerConcurrencyTargetFraction: 0.8 },
      want: want({ targetValue: 96, totalValue: 120, targetBurstCapacity: 211 }),
    },
    { name: 'with container concurrency greater than target annotation (ok)', cc: 10, anns: { [`${G}/target`]: '1' }, want: want({ targetValue: 1, totalValue: 1 }) },
    {
      name: 'with target annotation greater than container concurrency (ignore annotation for safety)',
      cc: 1,
      anns: { [`${G}/target`]: '10' },
      want: want({ targetValue: 1, totalValue: 1 }),
    },
    {
      name: 'with higher panic target',
      anns: { [`${G}/target`]: '10', [`${G}/panic-threshold-percentage`]: '400' },
      want: want({ targetValue: 10, totalValue: 10, panicThreshold: 4 }),
    },
    { name: 'with metric annotation', anns: { [`${G}/metric`]: 'rps' }, want: want({ scalingMetric: 'rps' }) },
    { name: 'with scale down delay from config', cfg: { scaleDownDelayMs: 5 * 60 * S }, want: want({ scaleDownDelayMs: 5 * 60 * S }) },
    {
      name: 'with scale down delay from annotation',
      anns: { [`${G}/scale-down-delay`]: '10m' },
      cfg: { scaleDownDelayMs: 5 * 60 * S },
      want: want({ scaleDownDelayMs: 10 * 60 * S }),
    },
    { name: 'with initial scale', anns: { [`${G}/initial-scale`]: '2' }, want: want({ initialScale: 2 }) },
    { name: 'with activation-scale', anns: { [`${G}/activation-scale`]: '3' }, want: want({ activationScale: 3 }) },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(makeDeciderSpec(paAnns(c.anns), { ...config, ...c.cfg }, c.cc ?? 0, c.reach)).toEqual(c.want);
    });
  }

  it('an annotated initial scale of 0 falls back to the config unless zero is allowed (GetInitialScale)', () => {
    const anns = paAnns({ [`${G}/initial-scale`]: '0' });
    expect(makeDeciderSpec(anns, config, 0).initialScale).toBe(1);
    expect(makeDeciderSpec(anns, { ...config, allowZeroInitialScale: true }, 0).initialScale).toBe(0);
  });
});

describe('panicWindowMs (metric.go MakeMetric)', () => {
  it('is the stable window times the percentage, rounded to whole seconds, at least 1s', () => {
    const d = DEFAULT_AUTOSCALER_CONFIG;
    expect(panicWindowMs(undefined, d)).toBe(6 * S);
    expect(panicWindowMs({ [`${G}/window`]: '16s' }, d)).toBe(2 * S); // 1.6s rounds up
    expect(panicWindowMs({ [`${G}/window`]: '14s' }, d)).toBe(1 * S); // 1.4s rounds down
    expect(panicWindowMs({ [`${G}/window`]: '15s' }, d)).toBe(2 * S); // halves round away from zero
    expect(panicWindowMs({ [`${G}/window`]: '6s', [`${G}/panic-window-percentage`]: '1' }, d)).toBe(1 * S); // floor of one bucket
    expect(panicWindowMs({ [`${G}/panic-window-percentage`]: '100' }, d)).toBe(60 * S);
  });
});
