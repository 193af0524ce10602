import type { Environment } from '../engine/environment.js';
import { Resource, type Request } from '../engine/resource.js';

/** Knative's BreakerParams (pkg/queue/breaker.go). */
export interface BreakerParams {
  queueDepth: number;
  maxConcurrency: number;
  initialCapacity: number;
}

/**
 * Knative's Breaker: at most `capacity` requests run, at most `queueDepth` more wait (FIFO);
 * when executing + waiting reaches queueDepth + maxConcurrency, `maybe` refuses at once, which
 * queue-proxy turns into 503 "pending request queue full".
 */
export class Breaker {
  private readonly sem: Resource;
  readonly totalSlots: number;

  constructor(
    env: Environment,
    readonly params: BreakerParams,
  ) {
    this.sem = new Resource(env, params.initialCapacity, { queueLimit: params.queueDepth });
    this.totalSlots = params.queueDepth + params.maxConcurrency;
  }

  /** Executing plus waiting. */
  get inFlight(): number {
    return this.sem.inUse + this.sem.queueLength;
  }

  get capacity(): number {
    return this.sem.capacity;
  }

  /** Changes the executing limit, within maxConcurrency (UpdateConcurrency). */
  updateConcurrency(c: number): void {
    this.sem.capacity = Math.max(0, Math.min(c, this.params.maxConcurrency));
  }

  /**
   * Breaker.Maybe: `true` when a slot was free and is now held (release with `releaseSlot`), a
   * request to wait on when the caller must queue, or null when the breaker is full (503).
   */
  maybe(): Request | true | null {
    if (this.sem.tryAcquire()) return true;
    if (this.inFlight >= this.totalSlots || this.sem.queueLength >= this.sem.queueLimit) return null;
    return this.sem.request();
  }

  /** Gives back a slot `maybe()` handed out as `true`. */
  releaseSlot(): void {
    this.sem.releaseSlot();
  }
}

/** queue-proxy's breaker for a containerConcurrency (sharedmain buildBreaker): none for CC = 0. */
export function queueProxyBreakerParams(containerConcurrency: number): BreakerParams | null {
  if (containerConcurrency <= 0) return null;
  return { queueDepth: 10 * containerConcurrency, maxConcurrency: containerConcurrency, initialCapacity: containerConcurrency };
}
