import type { Revision } from '../apis/serving/v1/types.js';
import type { ServingConfig } from '../apis/config/serving-config.js';
import type { AutoscalerConfig } from './config.js';
import { makeDeciderSpec, type DeciderSpec } from './decider.js';
import { getMaxScale, getMetricAggregationAlgorithm, getMinScale, getScaleToZeroPodRetentionMs } from './annotations.js';

/** Everything the KPA needs for one revision, resolved from config-autoscaler and the revision's annotations. */
export interface KpaSettings {
  /** The decider's spec: windows, initial scale, targets, activator capacity. */
  deciderSpec: DeciderSpec;
  aggregation: 'linear' | 'weighted-exponential';
  minScale: number;
  maxScale: number;
  enableScaleToZero: boolean;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionMs: number;
  progressDeadlineMs: number;
}

/** PodAutoscaler.ScaleBounds and the decider's spec for a revision (kpa resources/decider.go). */
export function kpaSettingsFor(rev: Revision, as: AutoscalerConfig, serving: ServingConfig): KpaSettings {
  const ann = rev.metadata.annotations ?? {};
  const cc = rev.spec.containerConcurrency ?? serving.defaults.containerConcurrency;
  const spec = makeDeciderSpec(ann, as, cc, '');
  const progress = ann['serving.knative.dev/progress-deadline'];
  let maxScale = getMaxScale(ann) ?? as.maxScale;
  // max-scale-limit caps what an annotation may ask for, and applies when nothing is set.
  if (as.maxScaleLimit > 0 && (maxScale === 0 || maxScale > as.maxScaleLimit)) maxScale = as.maxScaleLimit;
  return {
    deciderSpec: spec,
    aggregation: getMetricAggregationAlgorithm(ann),
    minScale: getMinScale(ann) ?? as.minScale,
    maxScale,
    enableScaleToZero: as.enableScaleToZero,
    scaleToZeroGracePeriodMs: as.scaleToZeroGracePeriodMs,
    scaleToZeroPodRetentionMs: getScaleToZeroPodRetentionMs(ann) ?? as.scaleToZeroPodRetentionPeriodMs,
    progressDeadlineMs: progress !== undefined ? parseProgressDeadline(progress, serving) : serving.deployment.progressDeadlineMs,
  };
}

function parseProgressDeadline(v: string, serving: ServingConfig): number {
  const m = /^(\d+)s$/.exec(v);
  return m ? Number(m[1]) * 1000 : serving.deployment.progressDeadlineMs;
}
