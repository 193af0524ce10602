import type { Environment } from '../engine/environment.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';

/** A controller's reconcile function for one key; an Error it returns puts the key back on the queue. */
export type ReconcileFn = (namespace: string, name: string) => Error | void;

/** client-go's DefaultControllerRateLimiter, per item: 5 ms doubling on every failure, at most 1000 s. */
export const RETRY_BASE_MS = 5;
export const RETRY_MAX_MS = 1_000_000;

/**
 * Knative's controller work queue on the simulated clock (knative.dev/pkg/controller over
 * client-go's rate-limiting workqueue): a key enqueued while it is already waiting is not added
 * twice; each key is reconciled after the `reconcile` latency (the informer noticing the change
 * plus the reconcile itself), by the controller registered under that name. A reconcile that
 * returns an error is retried after the per-item exponential back-off (5 ms, 10 ms, 20 ms, …
 * up to 1000 s); a success forgets the key's failures.
 */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly reconcilers = new Map<string, ReconcileFn>();
  private readonly failures = new Map<string, number>();
  /** Reconciles run so far, by controller (for tests and benchmarks that count the work). */
  readonly reconciles = new Map<string, number>();

  constructor(
    private readonly env: Environment,
    /**
     * The reconcile latency for a key enqueued now, in ms. The cluster draws it from a stream of
     * the controller, key and time alone, so enqueueing one key never shifts another's timing.
     */
    private readonly reconcileDelayMs: (controller: string, key: string) => number,
    private readonly trace: TraceBus<KnsimTraceEvent>,
  ) {}

  register(controller: string, reconcile: ReconcileFn): void {
    this.reconcilers.set(controller, reconcile);
  }

  enqueue(controller: string, key: string): void {
    const qk = `${controller}|${key}`;
    if (this.queued.has(qk)) return;
    this.add(controller, key, Math.max(0, this.reconcileDelayMs(controller, key)));
  }

  private add(controller: string, key: string, delayMs: number): void {
    const qk = `${controller}|${key}`;
    if (this.queued.has(qk)) return;
    this.queued.add(qk);
    const reconcile = this.reconcilers.get(controller);
    if (reconcile === undefined) throw new Error(`no controller named ${controller}`);
    this.env.timeout(delayMs).addCallback(() => {
      this.queued.delete(qk);
      this.reconciles.set(controller, (this.reconciles.get(controller) ?? 0) + 1);
      const [ns, name] = key.split('/') as [string, string];
      const err = reconcile(ns, name);
      if (err === undefined) {
        this.failures.delete(qk);
        return;
      }
      const attempt = (this.failures.get(qk) ?? 0) + 1;
      this.failures.set(qk, attempt);
      const backoff = Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
      if (this.trace.active) this.trace.emit({ type: 'reconcile.retry', t: this.env.now, controller, key, attempt, delayMs: backoff, error: err.message });
      this.add(controller, key, backoff);
    });
  }

  /** No key is waiting (keys waiting for a retry count: the controllers have not settled). */
  get idle(): boolean {
    return this.queued.size === 0;
  }
}
