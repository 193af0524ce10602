/**
 * The KPA's decision (knative/serving pkg/autoscaler/scaling/autoscaler.go): from the stable
 * and panic window averages of the scaling metric and the ready pod count, the pod count the
 * revision should have and its excess burst capacity (EBC), with panic mode and the scale-down
 * delay. The metric windows (buckets.ts) and the 2s tick (multiscaler.go) live with the caller.
 */
import type { DeciderSpec } from './decider.js';
import { MaxTimeWindow } from './max-time-window.js';
import { UserInputError } from '../apis/errors.js';

/** multiscaler.go tickInterval: how often each revision's autoscaler decides. */
export const TICK_INTERVAL_MS = 2_000;

/** The part of the DeciderSpec the decision reads. A full DeciderSpec will do. */
export type AutoscalerSpec = Pick<
  DeciderSpec,
  | 'targetValue'
  | 'totalValue'
  | 'targetBurstCapacity'
  | 'panicThreshold'
  | 'maxScaleUpRate'
  | 'maxScaleDownRate'
  | 'stableWindowMs'
  | 'scaleDownDelayMs'
  | 'activationScale'
  | 'reachable'
  | 'scalingMetric'
>;

export interface AutoscalerInit {
  nowMs: number;
  /**
   * Ready pods at creation; undefined when they could not be counted (Knative then presumes 0,
   * which always happens for a new revision: the decider exists before the SKS's endpoints).
   */
  readyPods: number | undefined;
}

export interface ScaleInput {
  /** Stable-window average of the scaling metric (revision-wide); undefined = no data (ErrNoData). */
  stable: number | undefined;
  /** Panic-window average; undefined = no data. */
  panic: number | undefined;
  /**
   * k8s-Ready pods behind the private service. undefined = they could not be counted (a lister
   * error other than NotFound; NotFound counts as 0): the tick is invalid.
   */
  readyPods: number | undefined;
}

/** ScaleResult, plus whether the autoscaler is panicking after this decision. */
export interface ScaleResult {
  desiredPodCount: number;
  /** Spare capacity minus target burst capacity; negative keeps the activator in the path. −1 when TBC = −1. */
  excessBurstCapacity: number;
  /** False: no decision this tick (no data, or pods not countable); keep the previous one. */
  scaleValid: boolean;
  panicking: boolean;
}

/**
 * The ranges Knative's config and annotation validation keep a decider spec in
 * (pkg/autoscaler/config/config.go validate, pkg/apis/autoscaling/annotation_validation.go)
 * where a value outside them is nonsense: a target below 0.01 (0 would ask for pods without
 * end), NaN anywhere, negative rates and windows. Given to the library directly, such a spec is
 * the caller's mistake.
 */
export function checkAutoscalerSpec(spec: AutoscalerSpec): void {
  const fail = (field: string, want: string, v: unknown) => {
    throw new UserInputError(`Autoscaler: ${field} must be ${want}, got ${String(v)}`);
  };
  if (spec === null || typeof spec !== 'object') throw new UserInputError(`Autoscaler: want a spec object, got ${String(spec)}`);
  const num = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
  const finite = (v: unknown): v is number => num(v) && Number.isFinite(v);
  if (!(finite(spec.targetValue) && spec.targetValue >= MIN_TARGET_VALUE)) fail('targetValue', `a finite number >= ${MIN_TARGET_VALUE}`, spec.targetValue);
  // The rest may be Go's zero values (Knative's own tests leave them so); never NaN or negative.
  if (!(finite(spec.totalValue) && spec.totalValue >= 0)) fail('totalValue', 'a finite number >= 0', spec.totalValue);
  if (!(num(spec.targetBurstCapacity) && (spec.targetBurstCapacity >= 0 || spec.targetBurstCapacity === -1))) fail('targetBurstCapacity', '>= 0 or -1 (unlimited)', spec.targetBurstCapacity);
  if (!(finite(spec.panicThreshold) && spec.panicThreshold >= 0)) fail('panicThreshold', 'a finite number >= 0', spec.panicThreshold);
  if (!(num(spec.maxScaleUpRate) && spec.maxScaleUpRate >= 0)) fail('maxScaleUpRate', '>= 0', spec.maxScaleUpRate);
  if (!(num(spec.maxScaleDownRate) && spec.maxScaleDownRate >= 0)) fail('maxScaleDownRate', '>= 0', spec.maxScaleDownRate);
  if (!(finite(spec.stableWindowMs) && spec.stableWindowMs >= 0)) fail('stableWindowMs', 'a finite number >= 0', spec.stableWindowMs);
  if (!(finite(spec.scaleDownDelayMs) && spec.scaleDownDelayMs >= 0)) fail('scaleDownDelayMs', 'a finite number >= 0', spec.scaleDownDelayMs);
  if (!(finite(spec.activationScale) && spec.activationScale >= 0)) fail('activationScale', 'a finite number >= 0', spec.activationScale);
  if (typeof spec.reachable !== 'boolean') fail('reachable', 'true or false', spec.reachable);
  if (spec.scalingMetric !== 'concurrency' && spec.scalingMetric !== 'rps') fail('scalingMetric', '"concurrency" or "rps"', spec.scalingMetric);
}

/** autoscaling.TargetMin: the smallest target Knative accepts. */
const MIN_TARGET_VALUE = 0.01;

// Go's int32(float64) for the integral values the decision produces; also turns −0 into 0.
const toInt32 = (x: number) => Math.trunc(x) || 0;

export class Autoscaler {
  private spec: AutoscalerSpec;
  /** When panic mode was last entered or extended; undefined = not panicking (Go's zero time). */
  private panicTime: number | undefined;
  private maxPanicPodsCount: number;
  /**
   * Only with a positive scale-down delay: a one-bucket window is not the same as none, since two
   * decisions in one 2s bucket would keep the larger rather than the newer. Created once, like
   * Knative's: `update` does not resize it.
   */
  private readonly delayWindow: MaxTimeWindow | undefined;

  constructor(spec: AutoscalerSpec, init: AutoscalerInit) {
    checkAutoscalerSpec(spec);
    if (init === null || typeof init !== 'object' || !Number.isFinite(init.nowMs)) throw new UserInputError(`Autoscaler: init.nowMs must be a finite time in ms, got ${String(init?.nowMs)}`);
    if (init.readyPods !== undefined && !(Number.isInteger(init.readyPods) && init.readyPods >= 0)) throw new UserInputError(`Autoscaler: init.readyPods must be a whole number >= 0 or undefined, got ${String(init.readyPods)}`);
    this.spec = spec;
    this.delayWindow = spec.scaleDownDelayMs > 0 ? new MaxTimeWindow(spec.scaleDownDelayMs, TICK_INTERVAL_MS) : undefined;
    const curC = init.readyPods ?? 0;
    // A new autoscaler has no metric history (e.g. after an autoscaler restart); starting in panic
    // mode holds the current scale until it has seen enough data, instead of dipping.
    this.panicTime = curC > 1 ? init.nowMs : undefined;
    this.maxPanicPodsCount = curC;
  }

  /** Knative's Update: the new spec applies from the next decision. */
  update(spec: AutoscalerSpec): void {
    checkAutoscalerSpec(spec);
    this.spec = spec;
  }

  get deciderSpec(): AutoscalerSpec {
    return this.spec;
  }
  /** When panic mode was entered or last extended (ms), or undefined. */
  get panicTimeMs(): number | undefined {
    return this.panicTime;
  }
  /** The pod count panic mode will not go below (0 outside panic). */
  get maxPanicPods(): number {
    return this.maxPanicPodsCount;
  }
  get panicking(): boolean {
    return this.panicTime !== undefined;
  }

  scale(nowMs: number, input: ScaleInput): ScaleResult {
    const spec = this.spec;
    if (input.readyPods === undefined) return this.invalid();
    const originalReadyPodsCount = input.readyPods;
    const { stable: observedStableValue, panic: observedPanicValue } = input;
    if (observedStableValue === undefined || observedPanicValue === undefined) return this.invalid();
    if (Number.isNaN(observedStableValue) || Number.isNaN(observedPanicValue)) {
      throw new Error(`autoscaler: metric averages must be numbers or undefined, got ${observedStableValue}/${observedPanicValue}`);
    }
    // With no pods, rates and the panic ratio are computed as for one.
    const readyPodsCount = Math.max(1, originalReadyPodsCount);

    // ceil, so a slow up-rate still grows by at least one pod (MSUR 1.1 × 2 pods → 3).
    const maxScaleUp = Math.ceil(spec.maxScaleUpRate * readyPodsCount);
    // An unreachable revision (no route) may drop straight to 0.
    const maxScaleDown = spec.reachable ? Math.floor(readyPodsCount / spec.maxScaleDownRate) : 0;

    const dspc = Math.ceil(observedStableValue / spec.targetValue);
    const dppc = Math.ceil(observedPanicValue / spec.targetValue);

    let desiredStablePodCount = toInt32(Math.min(Math.max(dspc, maxScaleDown), maxScaleUp));
    let desiredPanicPodCount = toInt32(Math.min(Math.max(dppc, maxScaleDown), maxScaleUp));

    // activation-scale: any non-zero demand means at least that many pods.
    if (spec.activationScale > 1) {
      if (dspc > 0 && spec.activationScale > desiredStablePodCount) desiredStablePodCount = spec.activationScale;
      if (dppc > 0 && spec.activationScale > desiredPanicPodCount) desiredPanicPodCount = spec.activationScale;
    }

    // The unclamped panic demand against the current pods.
    const isOverPanicThreshold = dppc / readyPodsCount >= spec.panicThreshold;

    if (isOverPanicThreshold) {
      // Enter panic, or extend it while the surge lasts.
      this.panicTime = nowMs;
    } else if (this.panicTime !== undefined && this.panicTime + spec.stableWindowMs < nowMs) {
      // A stable window after the last surge, the stable average has caught up: leave panic.
      this.panicTime = undefined;
      this.maxPanicPodsCount = 0;
    }

    let desiredPodCount = desiredStablePodCount;
    if (this.panicTime !== undefined) {
      // The stable average can exceed the panic one; provision for the larger.
      if (desiredPodCount < desiredPanicPodCount) desiredPodCount = desiredPanicPodCount;
      // Panic mode only ever scales up.
      if (desiredPodCount > this.maxPanicPodsCount) this.maxPanicPodsCount = desiredPodCount;
      desiredPodCount = this.maxPanicPodsCount;
    }

    if (spec.reachable && this.delayWindow !== undefined) {
      this.delayWindow.record(nowMs, desiredPodCount);
      desiredPodCount = this.delayWindow.current();
    }

    // EBC = capacity of the ready pods (not the max(1, ·) count) − TBC − panic-window load. The
    // panic value, so the activator's place in the path follows surges quickly.
    let excessBCF = -1;
    if (spec.targetBurstCapacity === 0) excessBCF = 0;
    else if (spec.targetBurstCapacity > 0) {
      const totCap = originalReadyPodsCount * spec.totalValue;
      excessBCF = Math.floor(totCap - spec.targetBurstCapacity - observedPanicValue);
    }

    return {
      desiredPodCount,
      excessBurstCapacity: toInt32(excessBCF),
      scaleValid: true,
      panicking: this.panicTime !== undefined,
    };
  }

  private invalid(): ScaleResult {
    return { desiredPodCount: 0, excessBurstCapacity: 0, scaleValid: false, panicking: this.panicking };
  }
}
