/**
 * The decisions of the KPA reconciler and the multiscaler, as pure functions:
 * knative/serving pkg/reconciler/autoscaling/kpa/kpa.go (SKS mode, activator count, the PA's
 * Active condition), kpa/scaler.go (scale bounds, initial scale, the scale-to-zero gate),
 * pkg/apis/autoscaling/v1alpha1/pa_lifecycle.go (ScaleBounds) and
 * pkg/autoscaler/scaling/multiscaler.go (initial decider status, when to notify, Poke).
 * The caller owns time: "for" durations are how long a condition has held, in ms.
 */
import {
  getMaxScale,
  getMinScale,
  getScaleToZeroPodRetentionMs,
  getTargetBurstCapacity,
  type Annotations,
} from './annotations.js';
import type { AutoscalerConfig } from './config.js';
import { initialScale, type DeciderSpec, type Reachability } from './decider.js';

/** scaler.go scaleUnknown: the decider has no decision yet. */
export const SCALE_UNKNOWN = -1;
/** kpa.go minActivators: the activator subset never shrinks below two. */
export const MIN_ACTIVATORS = 2;
/**
 * scaler.go activationTimeoutBuffer: a PA stuck activating is scaled to 0 only this long after
 * the progress deadline, so the Revision reconciler can surface the pods' failure first.
 */
export const ACTIVATION_TIMEOUT_BUFFER_MS = 30_000;
/** scaler.go probePeriod / probeTimeout of the async activator probe. */
export const PROBE_PERIOD_MS = 1_000;
export const PROBE_TIMEOUT_MS = 45_000;
/** scaler.go reenqeuePeriod: requeue after an async probe finishes. */
export const REENQUEUE_PERIOD_MS = 1_000;
/** The requeue when an Active PA can deactivate and the SKS is already in Proxy mode. */
export const PROXY_REENQUEUE_MS = 3_000;

/** The PA's `Active` condition: True, False, Unknown. */
export type PAActiveState = 'Active' | 'Inactive' | 'Activating';
export type SKSMode = 'Proxy' | 'Serve';

/**
 * PodAutoscaler.ScaleBounds: annotations over `config-autoscaler`; 0 = unbounded. An
 * Unreachable revision has no minimum, so it can drain to zero.
 */
export function scaleBounds(annotations: Annotations, config: AutoscalerConfig, reachability: Reachability): { min: number; max: number } {
  const min = reachability !== 'Unreachable' ? (getMinScale(annotations) ?? config.minScale) : 0;
  const max = getMaxScale(annotations) ?? config.maxScale;
  return { min, max };
}

/** scaler.go applyBounds (pre: 0 ≤ min ≤ max or max = 0). */
export function applyBounds(min: number, max: number, x: number): number {
  if (x < min) return min;
  if (max !== 0 && x > max) return max;
  return x;
}

export interface BoundDesiredScaleInput {
  /** The decider's DesiredScale (−1 before its first valid tick). */
  desiredScale: number;
  paState: PAActiveState;
  min: number;
  max: number;
  /** resources.GetInitialScale. */
  initialScale: number;
  scaleTargetInitialized: boolean;
  reachability: Reachability;
}

/**
 * The first half of scaler.scale: `undefined` when the deployment is left alone (no metrics yet
 * and not activating), else the desired scale within bounds. Until the scale target has reached
 * its initial scale once, initial-scale acts as a minimum (unless the revision is unreachable,
 * which may drop to zero at once).
 */
export function boundDesiredScale(input: BoundDesiredScaleInput): number | undefined {
  if (input.desiredScale < 0 && input.paState !== 'Activating') return undefined;
  let min = input.min;
  if (input.initialScale > 1 && !input.scaleTargetInitialized && input.reachability !== 'Unreachable') {
    min = Math.max(input.initialScale, min);
  }
  // While activating, an unknown (−1) scale becomes the minimum — 0 when there is none.
  return applyBounds(min, input.max, input.desiredScale);
}

/** kpa.go resolveTBC: the annotation, else the ConfigMap. */
export function resolveTBC(annotations: Annotations, config: AutoscalerConfig): number {
  return getTargetBurstCapacity(annotations) ?? config.targetBurstCapacity;
}

/**
 * kpa.go resolveScrapeTarget: with TBC = −1 the activator is always in the path and sees all
 * traffic, so the pods are never scraped ("" = no scrape target).
 */
export function resolveScrapeTarget(targetBurstCapacity: number, metricsServiceName: string): string {
  return targetBurstCapacity === -1 ? '' : metricsServiceName;
}

/** scaler.go lastPodRetention: an unreachable revision keeps no last pod. */
export function lastPodRetentionMs(annotations: Annotations, config: AutoscalerConfig, reachability: Reachability): number {
  if (reachability === 'Unreachable') return 0;
  return getScaleToZeroPodRetentionMs(annotations) ?? config.scaleToZeroPodRetentionPeriodMs;
}

/** The activation timeout: the progress deadline (PA annotation or `config-deployment`) + 30s. */
export function activationTimeoutMs(progressDeadlineMs: number): number {
  return progressDeadlineMs + ACTIVATION_TIMEOUT_BUFFER_MS;
}

export interface ScaleToZeroInput {
  /** The bounded desired scale. Anything but 0 passes through. */
  desiredScale: number;
  enableScaleToZero: boolean;
  paState: PAActiveState;
  /** How long the PA has been in its current Active state (ms). */
  stateForMs: number;
  /** stableWindowMs(annotations, config). */
  stableWindowMs: number;
  /** activationTimeoutMs(progress deadline). */
  activationTimeoutMs: number;
  sksMode: SKSMode;
  /** How long the SKS's activator endpoints have been populated (0 when they are not). */
  sksProxyForMs: number;
  scaleToZeroGracePeriodMs: number;
  /** lastPodRetentionMs(...). */
  lastPodRetentionMs: number;
  /** resolveTBC(...): with −1 the activator is known to be in the path, no probe needed. */
  targetBurstCapacity: number;
  /**
   * The synchronous probe of the public service (`K-Network-Probe: activator`, body "activator"):
   * did the activator answer? Consulted only for an Inactive PA with TBC ≠ −1.
   */
  activatorProbeSucceeded: boolean;
}

export interface ScaleToZeroDecision {
  /** The scale to report (and to apply when `apply`). */
  desired: number;
  /** Patch the scale target; false: leave it for now. */
  apply: boolean;
  /** Reconcile the PA again after this long (Knative's enqueueCB), if set. */
  requeueAfterMs?: number;
  /** Start the async activator probe (every 1s, 45s timeout), which requeues the PA in 1s when done. */
  startAsyncProbe?: boolean;
}

/**
 * scaler.go handleScaleToZero. Zero is applied only when scale-to-zero is enabled, the PA has
 * been Active for a stable window (and was then marked Inactive), and the activator has been in
 * the path for the grace period (or the last pod's retention passed); or when activation has
 * failed for longer than the activation timeout.
 */
export function handleScaleToZero(input: ScaleToZeroInput): ScaleToZeroDecision {
  const { desiredScale } = input;
  if (desiredScale !== 0) return { desired: desiredScale, apply: true };
  if (!input.enableScaleToZero) return { desired: 1, apply: true };
  switch (input.paState) {
    case 'Activating':
      // Stuck activating past the deadline: presume it cannot succeed.
      if (input.stateForMs > input.activationTimeoutMs) return { desired: desiredScale, apply: true };
      return { desired: SCALE_UNKNOWN, apply: false, requeueAfterMs: input.activationTimeoutMs };
    case 'Active': {
      const sw = input.stableWindowMs;
      const af = input.stateForMs;
      if (af >= sw) {
        // Don't apply: reporting 0 marks the PA Inactive. An SKS already in Proxy mode will not
        // change and trigger a reconcile, so requeue.
        const d: ScaleToZeroDecision = { desired: desiredScale, apply: false };
        if (input.sksMode === 'Proxy') d.requeueAfterMs = PROXY_REENQUEUE_MS;
        return d;
      }
      // Hold one pod for the rest of the idle period.
      return { desired: 1, apply: true, requeueAfterMs: sw - af };
    }
    case 'Inactive': {
      const inPath = input.targetBurstCapacity === -1 ? true : input.activatorProbeSucceeded;
      if (!inPath) return { desired: desiredScale, apply: false, startAsyncProbe: true };
      const lastPodTimeout = input.lastPodRetentionMs;
      const lastPodMaxTimeout = Math.max(input.scaleToZeroGracePeriodMs, lastPodTimeout);
      const inactiveFor = input.stateForMs;
      if (inactiveFor >= lastPodMaxTimeout) return { desired: desiredScale, apply: true };
      // The retention is a hard deadline whatever the network's state: come back then.
      if (lastPodTimeout > 0 && inactiveFor < lastPodTimeout) {
        return { desired: desiredScale, apply: false, requeueAfterMs: lastPodTimeout - inactiveFor };
      }
      // Fast path: the activator has been in the path long enough.
      const to = input.scaleToZeroGracePeriodMs - input.sksProxyForMs;
      if (to <= 0) return { desired: desiredScale, apply: true };
      return { desired: desiredScale, apply: false, requeueAfterMs: to };
    }
  }
}

export interface ScalerScaleInput extends BoundDesiredScaleInput, Omit<ScaleToZeroInput, 'desiredScale' | 'paState'> {
  /** The scale target's spec.replicas; undefined reads as 1, as Kubernetes defaults it. */
  currentReplicas: number | undefined;
}

export interface ScalerScaleResult {
  /** What scaler.scale returns: the scale the reconciler then works with (−1 unknown). */
  desired: number;
  /** Patch spec.replicas to `desired`. */
  patch: boolean;
  requeueAfterMs?: number;
  startAsyncProbe?: boolean;
}

/**
 * scaler.go scale, whole: bound the decider's scale, pass it through the scale-to-zero gate,
 * and patch the scale target only when the result is to be applied and differs from it.
 */
export function scalerScale(input: ScalerScaleInput): ScalerScaleResult {
  const bounded = boundDesiredScale(input);
  if (bounded === undefined) return { desired: input.desiredScale, patch: false };
  const d = handleScaleToZero({ ...input, desiredScale: bounded });
  const out: ScalerScaleResult = { desired: d.desired, patch: false };
  if (d.requeueAfterMs !== undefined) out.requeueAfterMs = d.requeueAfterMs;
  if (d.startAsyncProbe) out.startAsyncProbe = true;
  if (d.apply) out.patch = d.desired !== (input.currentReplicas ?? 1);
  return out;
}

/**
 * kpa.go's SKS mode: Serve (pods in the path) only when pods are wanted and there is excess
 * burst capacity; otherwise Proxy (activator in the path). want = −1 with an Inactive PA (an
 * autoscaler restart) stays in Proxy.
 */
export function sksMode(want: number, excessBurstCapacity: number, paState: PAActiveState): SKSMode {
  if (want === SCALE_UNKNOWN && paState === 'Inactive') return 'Proxy';
  if (want > 0 && excessBurstCapacity >= 0) return 'Serve';
  return 'Proxy';
}

/**
 * kpa.go computeNumActivators: enough activators to cover the ready pods' capacity plus the
 * burst capacity, at least two; TBC = 0 (activator only at zero scale) uses the minimum.
 */
export function computeNumActivators(
  readyPods: number,
  spec: Pick<DeciderSpec, 'targetBurstCapacity' | 'totalValue' | 'activatorCapacity'>,
): number {
  if (spec.targetBurstCapacity === 0) return MIN_ACTIVATORS;
  let capacityToCover = readyPods * spec.totalValue;
  if (spec.targetBurstCapacity > 0) capacityToCover += spec.targetBurstCapacity;
  return Math.trunc(Math.max(MIN_ACTIVATORS, Math.ceil(capacityToCover / spec.activatorCapacity)));
}

/**
 * kpa.go activeThreshold: the ready pods needed to count as Active — initial-scale until the
 * scale target has been initialized, then 1 — and never below min-scale.
 */
export function activeThreshold(
  annotations: Annotations,
  config: AutoscalerConfig,
  reachability: Reachability,
  scaleTargetInitialized: boolean,
): number {
  const { min } = scaleBounds(annotations, config, reachability);
  if (!scaleTargetInitialized) return Math.max(min, initialScale(config, annotations));
  return Math.max(min, 1);
}

export interface ActiveConditionInput {
  paState: PAActiveState;
  /** The scale the reconciler settled on (−1 unknown). */
  want: number;
  ready: number;
  /** activeThreshold(...) evaluated before this reconcile marks the target initialized. */
  minReady: number;
  scaleTargetInitialized: boolean;
  /** The PA has a public service name (the SKS reported one). */
  hasServiceName: boolean;
}

export interface ActiveConditionResult {
  /** The new Active state, or undefined when the condition is left as it is. */
  state?: PAActiveState;
  reason?: string;
  message?: string;
  scaleTargetInitialized: boolean;
}

/**
 * kpa.go computeActiveCondition:
 * want 0 (or minReady 0) → Inactive (TimedOut if it was activating toward a non-zero minimum);
 * ready < minReady → Activating "Queued" (or stays Inactive while want ≤ 0);
 * otherwise → Active (an Inactive PA with want ≤ 0 stays Inactive).
 */
export function computeActiveCondition(input: ActiveConditionInput): ActiveConditionResult {
  const { paState, want, ready, minReady } = input;
  const scaleTargetInitialized = input.scaleTargetInitialized || (ready >= minReady && input.hasServiceName);
  const inactive = (reason: string, message: string): ActiveConditionResult => ({
    state: 'Inactive',
    reason,
    message,
    scaleTargetInitialized,
  });
  // minReady 0 too: with initial-scale 0, want stays −1 until metrics arrive.
  if (want === 0 || minReady === 0) {
    if (paState === 'Activating' && minReady > 0) return inactive('TimedOut', 'The target could not be activated.');
    return inactive('NoTraffic', 'The target is not receiving traffic.');
  }
  if (ready < minReady) {
    if (want > 0 || paState !== 'Inactive') {
      return {
        state: 'Activating',
        reason: 'Queued',
        message: 'Requests to the target are being buffered as resources are provisioned.',
        scaleTargetInitialized,
      };
    }
    return inactive('NoTraffic', 'The target is not receiving traffic.');
  }
  if (want > 0 || paState !== 'Inactive') return { state: 'Active', scaleTargetInitialized };
  return { scaleTargetInitialized };
}

/**
 * kpa.go computeStatus: the PA's DesiredScale. A −1 right after an autoscaler restart would
 * flap the status, so a known scale is kept instead.
 */
export function nextDesiredScaleStatus(previous: number | undefined, want: number): number {
  if (want === -1 && previous !== undefined && previous >= 0) return previous;
  return want;
}

// ---- multiscaler.go ----

/** DeciderStatus. */
export interface DeciderStatus {
  desiredScale: number;
  excessBurstCapacity: number;
}

/**
 * createScaler's initial status: DesiredScale −1, and EBC = TBC for TBC ∈ {−1, 0}, else
 * InitialScale·TotalValue − TBC (truncated to int32). With defaults 1·100 − 211 = −111: a new
 * revision starts with the activator in its path.
 */
export function initialDeciderStatus(spec: Pick<DeciderSpec, 'targetBurstCapacity' | 'initialScale' | 'totalValue'>): DeciderStatus {
  const tbc = spec.targetBurstCapacity;
  const ebc = tbc === -1 || tbc === 0 ? tbc : Math.trunc(spec.initialScale * spec.totalValue - tbc) || 0;
  return { desiredScale: -1, excessBurstCapacity: ebc };
}

/** multiscaler.go sameSign: compares sign bits, so 0 counts as positive. */
export function sameSign(a: number, b: number): boolean {
  return a < 0 === b < 0;
}

/**
 * updateLatestScale: store a valid tick's result; tell the KPA reconciler only when the desired
 * scale changed or EBC crossed zero (the SKS mode may change) — EBC's other changes are quiet.
 */
export function updateLatestScale(
  status: DeciderStatus,
  result: { desiredPodCount: number; excessBurstCapacity: number },
): { status: DeciderStatus; notify: boolean } {
  const notify = status.desiredScale !== result.desiredPodCount || !sameSign(status.excessBurstCapacity, result.excessBurstCapacity);
  return { status: { desiredScale: result.desiredPodCount, excessBurstCapacity: result.excessBurstCapacity }, notify };
}

/**
 * multiscaler.go Poke: an activator stat with requests while the revision is at zero ticks the
 * autoscaler at once instead of waiting up to 2s — how scale-from-zero starts quickly.
 */
export function shouldPoke(latestDesiredScale: number, averageConcurrentRequests: number): boolean {
  return latestDesiredScale === 0 && averageConcurrentRequests !== 0;
}
