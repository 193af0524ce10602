/**
 * The Decider's spec (knative/serving pkg/autoscaler/scaling/multiscaler.go DeciderSpec) and
 * how the KPA reconciler builds it from a PodAutoscaler (pkg/reconciler/autoscaling/kpa/
 * resources/decider.go MakeDecider, GetInitialScale), plus the windows the Metric gets
 * (pkg/reconciler/autoscaling/resources/metric.go StableWindow, MakeMetric).
 */
import {
  RPS,
  getActivationScale,
  getInitialScale,
  getMetric,
  getPanicThresholdPercentage,
  getPanicWindowPercentage,
  getScaleDownDelayMs,
  getTargetBurstCapacity,
  getWindowMs,
  type Annotations,
} from './annotations.js';
import { BUCKET_SIZE_MS, type AutoscalerConfig } from './config.js';
import { resolveTargetAndTotal } from './target.js';

/** The metrics the KPA scales on; any other metric name is treated as concurrency by the autoscaler. */
export type ScalingMetric = 'concurrency' | 'rps';

/** PodAutoscaler.Spec.Reachability: "" and Unknown count as reachable. */
export type Reachability = 'Reachable' | 'Unreachable' | 'Unknown' | '';

export interface DeciderSpec {
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  scalingMetric: ScalingMetric;
  /** Per-pod value of the metric to maintain; targetValue ≤ totalValue. */
  targetValue: number;
  /** Per-pod value of the metric a pod can take. */
  totalValue: number;
  /** −1 = unlimited, 0 = none. */
  targetBurstCapacity: number;
  /** One activator's capacity, for subsetting. */
  activatorCapacity: number;
  /** A ratio: 2.0 means panic at 200% of what the ready pods can handle. */
  panicThreshold: number;
  stableWindowMs: number;
  /**
   * Not part of Knative's DeciderSpec: the panic window lives on the Metric (MakeMetric), but the
   * simulator needs both windows in one place.
   */
  panicWindowMs: number;
  scaleDownDelayMs: number;
  initialScale: number;
  reachable: boolean;
  /** 0 when unset; otherwise ≥ 2 (validated). */
  activationScale: number;
}

/** resources.StableWindow: the `window` annotation, else the ConfigMap's stable window. */
export function stableWindowMs(annotations: Annotations, config: AutoscalerConfig): number {
  return getWindowMs(annotations) ?? config.stableWindowMs;
}

/**
 * MakeMetric's panic window: stableWindow × percentage / 100 rounded to the second (Go's
 * Duration.Round: halves away from zero), and never below one bucket (1s).
 */
export function panicWindowMs(annotations: Annotations, config: AutoscalerConfig): number {
  const sw = stableWindowMs(annotations, config);
  const pct = getPanicWindowPercentage(annotations) ?? config.panicWindowPercentage;
  // Go computes in nanoseconds and truncates to a Duration before rounding.
  const ns = Math.trunc(sw * 1e6 * pct / 100);
  const roundedNs = Math.sign(ns) * Math.floor(Math.abs(ns) / 1e9 + 0.5) * 1e9;
  return Math.max(roundedNs / 1e6, BUCKET_SIZE_MS);
}

/**
 * GetInitialScale: the annotation overrides the ConfigMap, except that an annotated 0 is ignored
 * unless `allow-zero-initial-scale` is set.
 */
export function initialScale(config: AutoscalerConfig, annotations: Annotations): number {
  const revisionInitialScale = getInitialScale(annotations);
  if (revisionInitialScale === undefined || (revisionInitialScale === 0 && !config.allowZeroInitialScale)) return config.initialScale;
  return revisionInitialScale;
}

/**
 * MakeDecider's spec. `containerConcurrency` is the revision's (0 = unlimited); `reachability`
 * is the PA's (the Route's routingState: active → Reachable, reserve → Unreachable).
 */
export function makeDeciderSpec(
  annotations: Annotations,
  config: AutoscalerConfig,
  containerConcurrency: number,
  reachability: Reachability = '',
): DeciderSpec {
  const panicThresholdPercentage = getPanicThresholdPercentage(annotations) ?? config.panicThresholdPercentage;
  const { target, total } = resolveTargetAndTotal(annotations, config, containerConcurrency);
  return {
    maxScaleUpRate: config.maxScaleUpRate,
    maxScaleDownRate: config.maxScaleDownRate,
    // The autoscaler reads anything but rps as concurrency (autoscaler.go Scale).
    scalingMetric: getMetric(annotations, config.podAutoscalerClass) === RPS ? 'rps' : 'concurrency',
    targetValue: target,
    totalValue: total,
    targetBurstCapacity: getTargetBurstCapacity(annotations) ?? config.targetBurstCapacity,
    activatorCapacity: config.activatorCapacity,
    panicThreshold: panicThresholdPercentage / 100,
    stableWindowMs: stableWindowMs(annotations, config),
    panicWindowMs: panicWindowMs(annotations, config),
    scaleDownDelayMs: getScaleDownDelayMs(annotations) ?? config.scaleDownDelayMs,
    initialScale: initialScale(config, annotations),
    reachable: reachability !== 'Unreachable',
    activationScale: getActivationScale(annotations) ?? 0,
  };
}
