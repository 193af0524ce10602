/**
 * The `autoscaling.knative.dev/*` annotations: keys and legacy synonyms
 * (pkg/apis/autoscaling/register.go), webhook validation (annotation_validation.go) and the
 * typed getters the PodAutoscaler offers (pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go).
 *
 * Validation paths are the annotation key as found; the caller adds `metadata.annotations`
 * (revision_validation.go) or `annotations` (metadata_validation.go) with `viaField`.
 */
import {
  FieldError,
  errGeneric,
  errInvalidValue,
  errOutOfBoundsValue,
} from '../apis/field-error.js';
import {
  HPA_CLASS,
  KPA_CLASS,
  PANIC_THRESHOLD_PERCENTAGE_MAX,
  PANIC_THRESHOLD_PERCENTAGE_MIN,
  PANIC_WINDOW_PERCENTAGE_MAX,
  PANIC_WINDOW_PERCENTAGE_MIN,
  TARGET_MIN,
  WINDOW_MAX_MS,
  WINDOW_MIN_MS,
  goFloat,
  parseGoDurationMs,
  parseGoInt,
  type AutoscalerConfig,
  isWholeSeconds,
} from './config.js';
import { formatDuration } from '../engine/duration.js';
import { NAN_REFUSED, parseGoFloatNotNaN } from '../apis/config/parse.js';

export type Annotations = Readonly<Record<string, string>> | undefined;

const GROUP = 'autoscaling.knative.dev';

export const CLASS_ANNOTATION_KEY = `${GROUP}/class`;
export const MIN_SCALE_ANNOTATION_KEY = `${GROUP}/min-scale`;
export const MAX_SCALE_ANNOTATION_KEY = `${GROUP}/max-scale`;
export const INITIAL_SCALE_ANNOTATION_KEY = `${GROUP}/initial-scale`;
export const SCALE_DOWN_DELAY_ANNOTATION_KEY = `${GROUP}/scale-down-delay`;
export const METRIC_ANNOTATION_KEY = `${GROUP}/metric`;
export const TARGET_ANNOTATION_KEY = `${GROUP}/target`;
export const SCALE_TO_ZERO_POD_RETENTION_PERIOD_KEY = `${GROUP}/scale-to-zero-pod-retention-period`;
export const METRIC_AGGREGATION_ALGORITHM_KEY = `${GROUP}/metric-aggregation-algorithm`;
export const WINDOW_ANNOTATION_KEY = `${GROUP}/window`;
export const TARGET_UTILIZATION_PERCENTAGE_KEY = `${GROUP}/target-utilization-percentage`;
export const TARGET_BURST_CAPACITY_KEY = `${GROUP}/target-burst-capacity`;
export const PANIC_WINDOW_PERCENTAGE_ANNOTATION_KEY = `${GROUP}/panic-window-percentage`;
export const PANIC_THRESHOLD_PERCENTAGE_ANNOTATION_KEY = `${GROUP}/panic-threshold-percentage`;
export const ACTIVATION_SCALE_KEY = `${GROUP}/activation-scale`;

/** Metric names (register.go). */
export const CONCURRENCY = 'concurrency';
export const RPS = 'rps';
export const CPU = 'cpu';
export const MEMORY = 'memory';

export const METRIC_AGGREGATION_ALGORITHM_LINEAR = 'linear';
export const METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL = 'weighted-exponential';
/** The alternate casing Knative also accepts. */
export const METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL_ALT = 'weightedExponential';

/**
 * kmap.KeyPriority: the canonical key first, then the legacy camelCase synonyms Knative still
 * reads (register.go). The first key present wins, even when its value is empty.
 */
export type KeyPriority = readonly [string, ...string[]];

export const CLASS_ANNOTATION: KeyPriority = [CLASS_ANNOTATION_KEY];
export const INITIAL_SCALE_ANNOTATION: KeyPriority = [INITIAL_SCALE_ANNOTATION_KEY, `${GROUP}/initialScale`];
export const MAX_SCALE_ANNOTATION: KeyPriority = [MAX_SCALE_ANNOTATION_KEY, `${GROUP}/maxScale`];
export const METRIC_ANNOTATION: KeyPriority = [METRIC_ANNOTATION_KEY];
export const METRIC_AGGREGATION_ALGORITHM_ANNOTATION: KeyPriority = [
  METRIC_AGGREGATION_ALGORITHM_KEY,
  `${GROUP}/metricAggregationAlgorithm`,
];
export const ACTIVATION_SCALE: KeyPriority = [ACTIVATION_SCALE_KEY];
export const MIN_SCALE_ANNOTATION: KeyPriority = [MIN_SCALE_ANNOTATION_KEY, `${GROUP}/minScale`];
export const PANIC_THRESHOLD_PERCENTAGE_ANNOTATION: KeyPriority = [
  PANIC_THRESHOLD_PERCENTAGE_ANNOTATION_KEY,
  `${GROUP}/panicThresholdPercentage`,
];
export const PANIC_WINDOW_PERCENTAGE_ANNOTATION: KeyPriority = [
  PANIC_WINDOW_PERCENTAGE_ANNOTATION_KEY,
  `${GROUP}/panicWindowPercentage`,
];
export const SCALE_DOWN_DELAY_ANNOTATION: KeyPriority = [SCALE_DOWN_DELAY_ANNOTATION_KEY, `${GROUP}/scaleDownDelay`];
export const SCALE_TO_ZERO_POD_RETENTION_PERIOD_ANNOTATION: KeyPriority = [
  SCALE_TO_ZERO_POD_RETENTION_PERIOD_KEY,
  `${GROUP}/scaleToZeroPodRetentionPeriod`,
];
export const TARGET_ANNOTATION: KeyPriority = [TARGET_ANNOTATION_KEY];
export const TARGET_BURST_CAPACITY_ANNOTATION: KeyPriority = [TARGET_BURST_CAPACITY_KEY, `${GROUP}/targetBurstCapacity`];
export const TARGET_UTILIZATION_PERCENTAGE_ANNOTATION: KeyPriority = [
  TARGET_UTILIZATION_PERCENTAGE_KEY,
  `${GROUP}/targetUtilizationPercentage`,
];
export const WINDOW_ANNOTATION: KeyPriority = [WINDOW_ANNOTATION_KEY];

/** kmap.KeyPriority.Get: the key found (or the canonical one) and its value. */
export function getAnnotation(anns: Annotations, keys: KeyPriority): { key: string; value: string; ok: boolean } {
  if (anns !== undefined) {
    for (const key of keys) {
      if (Object.prototype.hasOwnProperty.call(anns, key)) return { key, value: anns[key]!, ok: true };
    }
  }
  return { key: keys[0], value: '', ok: false };
}

// ---- typed getters (pa_lifecycle.go): undefined when absent or unparsable ----

const tryParse = <T>(anns: Annotations, keys: KeyPriority, parse: (s: string) => T): T | undefined => {
  const { value, ok } = getAnnotation(anns, keys);
  if (!ok) return undefined;
  try {
    return parse(value);
  } catch {
    return undefined;
  }
};
const int32 = (anns: Annotations, keys: KeyPriority) => tryParse(anns, keys, (s) => parseGoInt(s, 32));
const float64 = (anns: Annotations, keys: KeyPriority) => tryParse(anns, keys, parseGoFloatNotNaN);
const duration = (anns: Annotations, keys: KeyPriority) => tryParse(anns, keys, parseGoDurationMs);

/**
 * PodAutoscaler.Class(): the annotation, else `defaultClass`. A PA gets the class of
 * `config-autoscaler` (`pod-autoscaler-class`) when defaulted, so pass it as the default.
 */
export function getClass(anns: Annotations, defaultClass: string = KPA_CLASS): string {
  return anns !== undefined && Object.prototype.hasOwnProperty.call(anns, CLASS_ANNOTATION_KEY)
    ? anns[CLASS_ANNOTATION_KEY]!
    : defaultClass;
}

/** pa_defaults.go defaultMetric: concurrency for KPA, cpu for HPA, nothing for others. */
export function defaultMetric(cls: string): string {
  if (cls === KPA_CLASS) return CONCURRENCY;
  if (cls === HPA_CLASS) return CPU;
  return '';
}

/** PodAutoscaler.Metric(): the annotation, else the class's default metric. */
export function getMetric(anns: Annotations, defaultClass: string = KPA_CLASS): string {
  if (anns !== undefined && Object.prototype.hasOwnProperty.call(anns, METRIC_ANNOTATION_KEY)) return anns[METRIC_ANNOTATION_KEY]!;
  return defaultMetric(getClass(anns, defaultClass));
}

export const getMinScale = (anns: Annotations) => int32(anns, MIN_SCALE_ANNOTATION);
export const getMaxScale = (anns: Annotations) => int32(anns, MAX_SCALE_ANNOTATION);
export const getInitialScale = (anns: Annotations) => int32(anns, INITIAL_SCALE_ANNOTATION);
export const getActivationScale = (anns: Annotations) => int32(anns, ACTIVATION_SCALE);
export const getTarget = (anns: Annotations) => float64(anns, TARGET_ANNOTATION);
/** As a fraction: the annotation holds a percentage. */
export const getTargetUtilization = (anns: Annotations) => {
  const tu = float64(anns, TARGET_UTILIZATION_PERCENTAGE_ANNOTATION);
  return tu === undefined ? undefined : tu / 100;
};
export const getTargetBurstCapacity = (anns: Annotations) => float64(anns, TARGET_BURST_CAPACITY_ANNOTATION);
export const getPanicWindowPercentage = (anns: Annotations) => float64(anns, PANIC_WINDOW_PERCENTAGE_ANNOTATION);
export const getPanicThresholdPercentage = (anns: Annotations) => float64(anns, PANIC_THRESHOLD_PERCENTAGE_ANNOTATION);
export const getWindowMs = (anns: Annotations) => duration(anns, WINDOW_ANNOTATION);
export const getScaleDownDelayMs = (anns: Annotations) => duration(anns, SCALE_DOWN_DELAY_ANNOTATION);
export const getScaleToZeroPodRetentionMs = (anns: Annotations) => duration(anns, SCALE_TO_ZERO_POD_RETENTION_PERIOD_ANNOTATION);

export type MetricAggregationAlgorithm = 'linear' | 'weighted-exponential';

/** Metric.AggregationAlgorithm(): the alternate casing normalised, anything else linear. */
export function getMetricAggregationAlgorithm(anns: Annotations): MetricAggregationAlgorithm {
  const { value } = getAnnotation(anns, METRIC_AGGREGATION_ALGORITHM_ANNOTATION);
  return value === METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL || value === METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL_ALT
    ? 'weighted-exponential'
    : 'linear';
}

// ---- validation (annotation_validation.go) ----

const MAX_INT32 = 2 ** 31 - 1;

/** ValidateAnnotations: every check's errors together, as the webhook reports them. */
export function validateAutoscalingAnnotations(anns: Annotations, config: AutoscalerConfig): FieldError | undefined {
  return FieldError.all(
    validateClass(anns),
    validateMinMaxScale(config, anns),
    validateFloats(anns),
    validateWindow(anns),
    validateLastPodRetention(anns),
    validateScaleDownDelay(anns),
    validateMetric(config, anns),
    validateAlgorithm(anns),
    validateInitialScale(config, anns),
  );
}

/** getIntGE0: parsing as int32 makes a too-large value an out-of-bounds error, not a syntax one. */
function getIntGE0(anns: Annotations, keys: KeyPriority): { value: number; err?: FieldError } {
  const { key, value, ok } = getAnnotation(anns, keys);
  if (!ok) return { value: 0 };
  let i: number;
  try {
    i = parseGoInt(value, 32);
  } catch (e) {
    if ((e as Error).message.endsWith('value out of range')) return { value: 0, err: errOutOfBoundsValue(value, 0, MAX_INT32, key) };
    return { value: 0, err: errInvalidValue(value, key) };
  }
  if (i < 0) return { value: 0, err: errOutOfBoundsValue(value, 0, MAX_INT32, key) };
  return { value: i };
}

function validateClass(anns: Annotations): FieldError | undefined {
  const { key, value, ok } = getAnnotation(anns, CLASS_ANNOTATION);
  // Only knative.dev classes are Knative's to judge; other domains are custom autoscalers.
  if (ok && value.endsWith('.knative.dev') && value !== KPA_CLASS && value !== HPA_CLASS) return errInvalidValue(value, key);
  return undefined;
}

function validateAlgorithm(anns: Annotations): FieldError | undefined {
  // Only an explicit KPA class is checked: custom autoscalers may have custom algorithms.
  if (getAnnotation(anns, CLASS_ANNOTATION).value !== KPA_CLASS) return undefined;
  const { key, value } = getAnnotation(anns, METRIC_AGGREGATION_ALGORITHM_ANNOTATION);
  if (value === '') return undefined;
  if (
    value === METRIC_AGGREGATION_ALGORITHM_LINEAR ||
    value === METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL ||
    value === METRIC_AGGREGATION_ALGORITHM_WEIGHTED_EXPONENTIAL_ALT
  ) {
    return undefined;
  }
  return errInvalidValue(value, key);
}

function validateFloats(anns: Annotations): FieldError | undefined {
  const errs: Array<FieldError | undefined> = [];
  const float = (keys: KeyPriority, check: (v: number, raw: string, key: string) => FieldError | undefined) => {
    const { key, value, ok } = getAnnotation(anns, keys);
    if (!ok) return;
    let fv: number;
    try {
      fv = parseGoFloatNotNaN(value);
    } catch (e) {
      errs.push(errInvalidValue(value, key, (e as Error).message.includes(NAN_REFUSED) ? NAN_REFUSED : ''));
      return;
    }
    errs.push(check(fv, value, key));
  };
  const g = goFloat;
  float(PANIC_WINDOW_PERCENTAGE_ANNOTATION, (fv, v, k) =>
    fv < PANIC_WINDOW_PERCENTAGE_MIN || fv > PANIC_WINDOW_PERCENTAGE_MAX
      ? errOutOfBoundsValue(v, g(PANIC_WINDOW_PERCENTAGE_MIN), g(PANIC_WINDOW_PERCENTAGE_MAX), k)
      : undefined,
  );
  float(PANIC_THRESHOLD_PERCENTAGE_ANNOTATION, (fv, v, k) =>
    fv < PANIC_THRESHOLD_PERCENTAGE_MIN || fv > PANIC_THRESHOLD_PERCENTAGE_MAX
      ? errOutOfBoundsValue(v, g(PANIC_THRESHOLD_PERCENTAGE_MIN), g(PANIC_THRESHOLD_PERCENTAGE_MAX), k)
      : undefined,
  );
  float(TARGET_ANNOTATION, (fv, v, k) =>
    fv < TARGET_MIN ? errGeneric(`target ${v} should be at least ${g(TARGET_MIN)}`, k) : undefined,
  );
  float(TARGET_UTILIZATION_PERCENTAGE_ANNOTATION, (fv, v, k) => (fv < 1 || fv > 100 ? errOutOfBoundsValue(v, 1, 100, k) : undefined));
  float(TARGET_BURST_CAPACITY_ANNOTATION, (fv, v, k) => (fv < 0 && fv !== -1 ? errInvalidValue(v, k) : undefined));
  return FieldError.all(...errs);
}


/**
 * A duration annotation as Knative validates them: a Go duration (else invalid value), within
 * [minMs, maxMs] (else out of bounds), and in whole seconds when `wholeSecs`. Errors name
 * `errorKey`, or the key the annotation was found under.
 */
function validateDurationAnnotation(anns: Annotations, keys: KeyPriority, minMs: number, maxMs: number, wholeSecs: boolean, errorKey?: string): FieldError | undefined {
  const found = getAnnotation(anns, keys);
  if (!found.ok) return undefined;
  const { value } = found;
  const key = errorKey ?? found.key;
  let d: number;
  try {
    d = parseGoDurationMs(value);
  } catch {
    return errInvalidValue(value, key);
  }
  if (d < minMs || d > maxMs) return errOutOfBoundsValue(value, formatDuration(minMs), formatDuration(maxMs), key);
  if (wholeSecs && !isWholeSeconds(d)) return errGeneric('must be specified with at most second precision', key);
  return undefined;
}

// Delays longer than the longest window make no sense either.
const validateScaleDownDelay = (anns: Annotations) => validateDurationAnnotation(anns, SCALE_DOWN_DELAY_ANNOTATION, 0, WINDOW_MAX_MS, true);

const validateLastPodRetention = (anns: Annotations) => validateDurationAnnotation(anns, SCALE_TO_ZERO_POD_RETENTION_PERIOD_ANNOTATION, 0, WINDOW_MAX_MS, false);

// Knative truncates here (Round elsewhere); for a non-negative window both mean "whole seconds".
const validateWindow = (anns: Annotations) => validateDurationAnnotation(anns, WINDOW_ANNOTATION, WINDOW_MIN_MS, WINDOW_MAX_MS, true, WINDOW_ANNOTATION_KEY);

function validateMinMaxScale(config: AutoscalerConfig, anns: Annotations): FieldError | undefined {
  const min = getIntGE0(anns, MIN_SCALE_ANNOTATION);
  const max = getIntGE0(anns, MAX_SCALE_ANNOTATION);
  const errs: Array<FieldError | undefined> = [min.err, max.err];
  if (max.value !== 0 && max.value < min.value) {
    errs.push(
      FieldError.of(`max-scale=${max.value} is less than min-scale=${min.value}`, [MAX_SCALE_ANNOTATION_KEY, MIN_SCALE_ANNOTATION_KEY]),
    );
  }
  const maxAnn = getAnnotation(anns, MAX_SCALE_ANNOTATION);
  if (maxAnn.ok) errs.push(validateMaxScaleWithinLimit(maxAnn.key, max.value, config.maxScaleLimit));
  // knsim's own limit (docs/limits.md): more pods than it simulates is refused before anything runs.
  if (min.value > MAX_REVISION_PODS) errs.push(beyondPodLimit('min-scale', min.value, getAnnotation(anns, MIN_SCALE_ANNOTATION).key));
  if (max.value > MAX_REVISION_PODS) errs.push(beyondPodLimit('max-scale', max.value, maxAnn.key));

  // activation-scale must sit within [min, max] and be at least 2.
  const act = getAnnotation(anns, ACTIVATION_SCALE);
  if (act.ok) {
    let nzMin: number | undefined;
    try {
      nzMin = parseGoInt(act.value, 32);
    } catch {
      errs.push(errInvalidValue(act.value, act.key));
    }
    if (nzMin !== undefined) {
      if (min.value > nzMin) {
        errs.push(FieldError.of(`min-scale=${min.value} is greater than activation-scale=${nzMin}`, [act.key]));
      } else if (max.value < nzMin && max.value !== 0) {
        errs.push(FieldError.of(`max-scale=${max.value} is less than activation-scale=${nzMin}`, [act.key]));
      } else if (nzMin < 2) {
        errs.push(FieldError.of(`activation-scale=${nzMin} must be greater than 1`, [act.key]));
      }
    }
  }
  return FieldError.all(...errs);
}

function validateMaxScaleWithinLimit(key: string, maxScale: number, maxScaleLimit: number): FieldError | undefined {
  if (maxScaleLimit === 0) return undefined;
  const errs: Array<FieldError | undefined> = [];
  if (maxScale > maxScaleLimit) errs.push(errOutOfBoundsValue(maxScale, 1, maxScaleLimit, key));
  if (maxScale === 0) errs.push(FieldError.of(`max-scale=0 (unlimited), must be less than ${maxScaleLimit}`, [key]));
  return FieldError.all(...errs);
}

function validateMetric(config: AutoscalerConfig, anns: Annotations): FieldError | undefined {
  const { value: metric, ok } = getAnnotation(anns, METRIC_ANNOTATION);
  if (!ok) return undefined;
  const cls = getAnnotation(anns, CLASS_ANNOTATION);
  const classValue = cls.ok ? cls.value : config.podAutoscalerClass;
  if (classValue === KPA_CLASS) {
    if (metric === CONCURRENCY || metric === RPS) return undefined;
  } else if (classValue === HPA_CLASS) {
    if (metric !== '') return undefined;
  } else {
    // Other classes' metrics are theirs to judge.
    return undefined;
  }
  return errInvalidValue(metric, METRIC_ANNOTATION_KEY);
}

function validateInitialScale(config: AutoscalerConfig, anns: Annotations): FieldError | undefined {
  const { key, value, ok } = getAnnotation(anns, INITIAL_SCALE_ANNOTATION);
  if (!ok) return undefined;
  let n: number;
  try {
    n = parseGoInt(value, 64); // strconv.Atoi
  } catch {
    return errInvalidValue(value, key);
  }
  // Knative puts the explanation into the path, so the webhook prints it after the key.
  if (n < 0) return errInvalidValue(value, `${key} must be greater than 0`);
  if (!config.allowZeroInitialScale && n === 0) return errInvalidValue(value, `${key}=0 not allowed by cluster`);
  if (n > MAX_REVISION_PODS) return beyondPodLimit('initial-scale', n, key);
  return undefined;
}

/**
 * The most pods knsim simulates for one revision (docs/limits.md): each is a simulated pod with
 * its containers, probes and queue-proxy, so a min-scale of a million would need gigabytes before
 * the first request. Knative accepts up to 2^31-1 (or config-autoscaler's max-scale-limit).
 */
export const MAX_REVISION_PODS = 10_000;

const beyondPodLimit = (what: string, n: number, key: string): FieldError =>
  FieldError.of(`${what}=${n} is more pods than knsim simulates for one revision (at most ${MAX_REVISION_PODS}: docs/limits.md)`, [key]);
