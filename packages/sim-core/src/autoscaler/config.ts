/**
 * The `config-autoscaler` ConfigMap, as knative/serving pkg/autoscaler/config/config.go
 * (`defaultConfig`, `NewConfigFromMap`, `validate`) reads it. Field names are the Go struct's
 * (pkg/autoscaler/config/autoscalerconfig), camelCased; durations are milliseconds; every other
 * value is kept the way Knative keeps it internally: the container-concurrency target as a
 * fraction (0.7), the panic threshold and panic window as percentages (200, 10) — the decider
 * (decider.ts) turns the threshold into a ratio (2.0).
 */
import { formatDuration } from '../engine/duration.js';
import { parseGoBool, parseGoDuration as parseGoDurationMs, parseGoFloatNotNaN as parseGoFloat, parseGoInt32 } from '../apis/config/parse.js';

/** The ConfigMap's name (config.ConfigName). */
export const AUTOSCALER_CONFIG_NAME = 'config-autoscaler';

/** autoscaling.KPA / autoscaling.HPA (pkg/apis/autoscaling/register.go). */
export const KPA_CLASS = 'kpa.autoscaling.knative.dev';
export const HPA_CLASS = 'hpa.autoscaling.knative.dev';

/** autoscaling.TargetMin: the smallest target a metric may resolve to. */
export const TARGET_MIN = 0.01;
/** autoscaling.WindowMin / WindowMax: the allowed stable window. */
export const WINDOW_MIN_MS = 6_000;
export const WINDOW_MAX_MS = 3_600_000;
/** autoscaling.PanicWindowPercentageMin / Max. */
export const PANIC_WINDOW_PERCENTAGE_MIN = 1;
export const PANIC_WINDOW_PERCENTAGE_MAX = 100;
/** autoscaling.PanicThresholdPercentageMin / Max (annotation range only; the ConfigMap is not checked). */
export const PANIC_THRESHOLD_PERCENTAGE_MIN = 110;
export const PANIC_THRESHOLD_PERCENTAGE_MAX = 1000;
/** config.BucketSize: the metric buckets' granularity, and the panic window's floor. */
export const BUCKET_SIZE_MS = 1_000;

export interface AutoscalerConfig {
  enableScaleToZero: boolean;
  /** `container-concurrency-target-percentage`, stored as a fraction in (0, 1]. */
  containerConcurrencyTargetFraction: number;
  containerConcurrencyTargetDefault: number;
  /** Utilization for non-concurrency metrics (RPS). Not settable in the ConfigMap, only by annotation. */
  targetUtilization: number;
  rpsTargetDefault: number;
  /** −1 = unlimited (activator always in path), 0 = none. */
  targetBurstCapacity: number;
  activatorCapacity: number;
  allowZeroInitialScale: boolean;
  initialScale: number;
  minScale: number;
  /** 0 = unbounded. */
  maxScale: number;
  /** 0 = no limit. */
  maxScaleLimit: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  stableWindowMs: number;
  panicWindowPercentage: number;
  panicThresholdPercentage: number;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionPeriodMs: number;
  scaleDownDelayMs: number;
  podAutoscalerClass: string;
}

// config.go defaultConfig(). TBC is 211, not 200, since v1.4: a value that is not a multiple of
// the default total (100) keeps the activator from flapping in and out of the path (#12774).
export const DEFAULT_AUTOSCALER_CONFIG: Readonly<AutoscalerConfig> = Object.freeze({
  enableScaleToZero: true,
  containerConcurrencyTargetFraction: 0.7,
  containerConcurrencyTargetDefault: 100,
  targetUtilization: 0.7,
  rpsTargetDefault: 200,
  targetBurstCapacity: 211,
  activatorCapacity: 100,
  allowZeroInitialScale: false,
  initialScale: 1,
  minScale: 0,
  maxScale: 0,
  maxScaleLimit: 0,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionPeriodMs: 0,
  scaleDownDelayMs: 0,
  podAutoscalerClass: KPA_CLASS,
});

/** A `config-autoscaler` Knative would refuse to load. `key` names the offending key. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads `config-autoscaler` data. Unknown keys are ignored, as Knative ignores them (e.g. the
 * long-gone `tick-interval`, still in many copies of the ConfigMap). Throws ConfigError with
 * Knative's message: parse failures read `failed to parse data: failed to parse "key": …`,
 * validation failures read as `validate()` words them.
 */
export function parseAutoscalerConfig(data: Readonly<Record<string, string>> = {}): AutoscalerConfig {
  const c: AutoscalerConfig = { ...DEFAULT_AUTOSCALER_CONFIG };
  const read = <K extends keyof AutoscalerConfig>(key: string, field: K, parse: (s: string) => AutoscalerConfig[K]) => {
    if (!Object.prototype.hasOwnProperty.call(data, key)) return;
    try {
      c[field] = parse(data[key]!);
    } catch (e) {
      throw new ConfigError(key, `failed to parse data: failed to parse ${JSON.stringify(key)}: ${(e as Error).message}`);
    }
  };
  // The order of cm.Parse in NewConfigFromMap: the first bad key is the one reported.
  read('pod-autoscaler-class', 'podAutoscalerClass', (s) => s.trim());
  read('enable-scale-to-zero', 'enableScaleToZero', parseGoBool);
  read('allow-zero-initial-scale', 'allowZeroInitialScale', parseGoBool);
  read('max-scale-up-rate', 'maxScaleUpRate', parseGoFloat);
  read('max-scale-down-rate', 'maxScaleDownRate', parseGoFloat);
  read('container-concurrency-target-percentage', 'containerConcurrencyTargetFraction', parseGoFloat);
  read('container-concurrency-target-default', 'containerConcurrencyTargetDefault', parseGoFloat);
  read('requests-per-second-target-default', 'rpsTargetDefault', parseGoFloat);
  read('target-burst-capacity', 'targetBurstCapacity', parseGoFloat);
  read('panic-window-percentage', 'panicWindowPercentage', parseGoFloat);
  read('activator-capacity', 'activatorCapacity', parseGoFloat);
  read('panic-threshold-percentage', 'panicThresholdPercentage', parseGoFloat);
  read('initial-scale', 'initialScale', parseGoInt32);
  read('min-scale', 'minScale', parseGoInt32);
  read('max-scale', 'maxScale', parseGoInt32);
  read('max-scale-limit', 'maxScaleLimit', parseGoInt32);
  read('stable-window', 'stableWindowMs', parseGoDurationMs);
  read('scale-down-delay', 'scaleDownDelayMs', parseGoDurationMs);
  read('scale-to-zero-grace-period', 'scaleToZeroGracePeriodMs', parseGoDurationMs);
  read('scale-to-zero-pod-retention-period', 'scaleToZeroPodRetentionPeriodMs', parseGoDurationMs);
  // Legacy: values in (0, 1] are taken as fractions already, so "0.7" and "70" mean the same.
  if (c.containerConcurrencyTargetFraction > 1) c.containerConcurrencyTargetFraction /= 100;
  validateAutoscalerConfig(c);
  return c;
}

/** config.go validate(): the checks and messages in Knative's order. */
export function validateAutoscalerConfig(c: AutoscalerConfig): void {
  const fail = (key: string, message: string): never => {
    throw new ConfigError(key, message);
  };
  const d = formatDuration;
  if (c.scaleToZeroGracePeriodMs <= 0) {
    fail('scale-to-zero-grace-period', `scale-to-zero-grace-period must be positive, was: ${d(c.scaleToZeroGracePeriodMs)}`);
  }
  if (c.scaleDownDelayMs < 0) fail('scale-down-delay', `scale-down-delay cannot be negative, was: ${d(c.scaleDownDelayMs)}`);
  if (!isWholeSeconds(c.scaleDownDelayMs)) {
    fail('scale-down-delay', `scale-down-delay = ${d(c.scaleDownDelayMs)}, must be specified with at most second precision`);
  }
  if (c.scaleToZeroPodRetentionPeriodMs < 0) {
    fail(
      'scale-to-zero-pod-retention-period',
      `scale-to-zero-pod-retention-period cannot be negative, was: ${d(c.scaleToZeroPodRetentionPeriodMs)}`,
    );
  }
  if (c.targetBurstCapacity < 0 && c.targetBurstCapacity !== -1) {
    fail(
      'target-burst-capacity',
      `target-burst-capacity must be either non-negative or -1 (for unlimited), was: ${goFixed(c.targetBurstCapacity)}`,
    );
  }
  if (c.containerConcurrencyTargetFraction <= 0 || c.containerConcurrencyTargetFraction > 1) {
    fail(
      'container-concurrency-target-percentage',
      `container-concurrency-target-percentage = ${goFixed(c.containerConcurrencyTargetFraction)} is outside of valid range of (0, 100]`,
    );
  }
  const x = c.containerConcurrencyTargetFraction * c.containerConcurrencyTargetDefault;
  if (x < TARGET_MIN) {
    fail(
      'container-concurrency-target-default',
      `container-concurrency-target-percentage and container-concurrency-target-default yield target concurrency of ${goFloat(x)}, can't be less than ${goFloat(TARGET_MIN)}`,
    );
  }
  if (c.rpsTargetDefault < TARGET_MIN) {
    fail(
      'requests-per-second-target-default',
      `requests-per-second-target-default must be at least ${goFloat(TARGET_MIN)}, was: ${goFloat(c.rpsTargetDefault)}`,
    );
  }
  if (c.activatorCapacity < 1) fail('activator-capacity', `activator-capacity = ${goFloat(c.activatorCapacity)}, must be at least 1`);
  if (c.maxScaleUpRate <= 1) fail('max-scale-up-rate', `max-scale-up-rate = ${goFloat(c.maxScaleUpRate)}, must be greater than 1.0`);
  if (c.maxScaleDownRate <= 1) {
    fail('max-scale-down-rate', `max-scale-down-rate = ${goFloat(c.maxScaleDownRate)}, must be greater than 1.0`);
  }
  if (c.stableWindowMs < WINDOW_MIN_MS || c.stableWindowMs > WINDOW_MAX_MS) {
    fail('stable-window', `stable-window = ${d(c.stableWindowMs)}, must be in [${d(WINDOW_MIN_MS)}; ${d(WINDOW_MAX_MS)}] range`);
  }
  if (!isWholeSeconds(c.stableWindowMs)) {
    fail('stable-window', `stable-window = ${d(c.stableWindowMs)}, must be specified with at most second precision`);
  }
  if (c.panicWindowPercentage < PANIC_WINDOW_PERCENTAGE_MIN || c.panicWindowPercentage > PANIC_WINDOW_PERCENTAGE_MAX) {
    fail(
      'panic-window-percentage',
      `panic-window-percentage = ${goFloat(c.panicWindowPercentage)}, must be in [${goFloat(PANIC_WINDOW_PERCENTAGE_MIN)}, ${goFloat(PANIC_WINDOW_PERCENTAGE_MAX)}] interval`,
    );
  }
  if (c.initialScale < 0 || (c.initialScale === 0 && !c.allowZeroInitialScale)) {
    fail(
      'initial-scale',
      `initial-scale = ${c.initialScale}, must be at least 0 (or at least 1 when allow-zero-initial-scale is false)`,
    );
  }
  if (c.minScale < 0) fail('min-scale', `min-scale = ${c.minScale}, must be at least 0`);
  // A default max-scale must be set when max-scale-limit is.
  const minMaxScale = c.maxScaleLimit > 0 ? 1 : 0;
  if (c.maxScale < minMaxScale || (c.maxScaleLimit > 0 && c.maxScale > c.maxScaleLimit)) {
    fail('max-scale', `max-scale = ${c.maxScale}, must be in [${minMaxScale}, max-scale-limit(${c.maxScaleLimit})] range`);
  }
  if (c.maxScaleLimit < 0) fail('max-scale-limit', `max-scale-limit = ${c.maxScaleLimit}, must be at least 0`);
  if (c.minScale > c.maxScale && c.maxScale > 0) {
    fail('min-scale', `min-scale (${c.minScale}) must be less than max-scale (${c.maxScale})`);
  }
  // knsim's own limit on one revision's pods (docs/limits.md; annotations.ts MAX_REVISION_PODS).
  for (const [key, n] of [['initial-scale', c.initialScale], ['min-scale', c.minScale], ['max-scale', c.maxScale]] as const) {
    if (n > KNSIM_MAX_REVISION_PODS) fail(key, `${key} = ${n}, more pods than knsim simulates for one revision (at most ${KNSIM_MAX_REVISION_PODS}: docs/limits.md)`);
  }
}

/** The most pods knsim simulates for one revision (the same limit as annotations.ts MAX_REVISION_PODS). */
const KNSIM_MAX_REVISION_PODS = 10_000;

// Go's Duration.Round(time.Second) == d.
/** Go's Duration.Round(time.Second) == d, for the millisecond values knsim keeps. */
export const isWholeSeconds = (ms: number) => Number.isInteger(ms / 1000);

// ---- Go value parsing and printing (strconv, fmt), with Go's error texts ----


// Go's strconv/time parsers live in apis/config/parse.ts, shared with the other ConfigMaps.
export { parseGoBool, parseGoFloat, parseGoInt, parseGoInt32, parseGoDuration as parseGoDurationMs } from '../apis/config/parse.js';

/**
 * fmt's %v for a float64 (%g, shortest digits): the %e form when the decimal exponent is < −4 or
 * ≥ 6 — strconv's rule for shortest 'g' — so 1e6 prints as "1e+06" and 12345.5 as "12345.5".
 */
export function goFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, expStr] = v.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? `0${abs}` : abs}`;
  }
  return String(v);
}

/** fmt's %f: six decimals. */
export function goFixed(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  return v.toFixed(6);
}
