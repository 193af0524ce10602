/**
 * ResolveMetricTarget (knative/serving pkg/reconciler/autoscaling/resources/target.go): the
 * per-pod `target` the autoscaler aims for and the `total` a pod can take, from the revision's
 * containerConcurrency, its annotations and `config-autoscaler`.
 */
import { CONCURRENCY, RPS, getMetric, getTarget, getTargetUtilization, type Annotations } from './annotations.js';
import { TARGET_MIN, type AutoscalerConfig } from './config.js';

export interface MetricTarget {
  /** The per-pod value of the scaling metric the autoscaler aims for. */
  target: number;
  /** The per-pod value a pod can take at most (its capacity, for EBC and activator count). */
  total: number;
}

/**
 * `containerConcurrency` is the PA's spec value (0 = unlimited). `defaultClass` is the PA's class
 * when the annotation is absent (`config-autoscaler` `pod-autoscaler-class`).
 */
export function resolveTargetAndTotal(
  annotations: Annotations,
  config: AutoscalerConfig,
  containerConcurrency: number,
  defaultClass: string = config.podAutoscalerClass,
): MetricTarget {
  const metric = getMetric(annotations, defaultClass);
  let total: number;
  let tu: number;
  if (metric === RPS) {
    total = config.rpsTargetDefault;
    // RPS uses TargetUtilization (0.7), which the ConfigMap cannot change.
    tu = config.targetUtilization;
  } else {
    // Anything else is concurrency; containerConcurrency 0 (unlimited) targets the default.
    total = containerConcurrency;
    if (total === 0) total = config.containerConcurrencyTargetDefault;
    tu = config.containerConcurrencyTargetFraction;
  }
  const annotationTarget = getTarget(annotations);
  if (annotationTarget !== undefined) {
    total = annotationTarget;
    // Never aim above what containerConcurrency lets a pod take.
    if (metric === CONCURRENCY && containerConcurrency !== 0) total = Math.min(annotationTarget, containerConcurrency);
  }
  const annotationTU = getTargetUtilization(annotations);
  if (annotationTU !== undefined) tu = annotationTU;
  return { target: Math.max(TARGET_MIN, total * tu), total };
}

/** Knative's name for the same function. */
export const resolveMetricTarget = resolveTargetAndTotal;
