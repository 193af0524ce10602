import type { Environment } from '../engine/environment.js';

/** A controller's reconcile function for one key. */
export type ReconcileFn = (namespace: string, name: string) => void;

/**
 * Knative's controller work queue on the simulated clock (knative.dev/pkg/controller): a key
 * enqueued while it is already waiting is not added twice; each key is reconciled after the
 * `reconcile` latency (the informer noticing the change plus the reconcile itself), by the
 * controller registered under that name.
 */
export class WorkQueue {
  private readonly queued = new Set<string>();
  private readonly reconcilers = new Map<string, ReconcileFn>();

  constructor(
    private readonly env: Environment,
    /** One reconcile latency draw, in ms. */
    private readonly reconcileDelayMs: () => number,
  ) {}

  register(controller: string, reconcile: ReconcileFn): void {
    this.reconcilers.set(controller, reconcile);
  }

  enqueue(controller: string, key: string): void {
    const qk = `${controller}|${key}`;
    if (this.queued.has(qk)) return;
    this.queued.add(qk);
    const reconcile = this.reconcilers.get(controller);
    if (reconcile === undefined) throw new Error(`no controller named ${controller}`);
    this.env.timeout(Math.max(0, this.reconcileDelayMs())).addCallback(() => {
      this.queued.delete(qk);
      const [ns, name] = key.split('/') as [string, string];
      reconcile(ns, name);
    });
  }

  /** No key is waiting. */
  get idle(): boolean {
    return this.queued.size === 0;
  }
}
