import type { Environment } from '../engine/environment.js';
import type { Rng } from '../engine/rng.js';
import type { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { KObject } from '../apis/core/v1.js';
import type { Condition, ConditionStatus } from '../apis/serving/v1/types.js';
import { deepCopy, deepEqual } from '../apis/deep-copy.js';
import { groupKindOf } from '../apis/kinds.js';
import type { ObjectStore } from '../k8s/object-store.js';
import type { ConfigStore } from './config-store.js';
import type { ReconcileFn, WorkQueue } from './workqueue.js';
import { setCondition } from './conditions.js';

/**
 * What every reconciler is given: the clock, the API objects, the trace, its work queue, the
 * configuration, and the controllers' random stream (the reconcile, push and propagation
 * latencies are drawn from it in event order). Reconcilers never see the Cluster.
 */
export interface ReconcilerContext {
  readonly env: Environment;
  readonly store: ObjectStore;
  readonly trace: TraceBus<KnsimTraceEvent>;
  readonly queue: WorkQueue;
  readonly config: ConfigStore;
  readonly rng: Rng;
}

/**
 * Sets a condition on an object's status (in the copy the reconciler holds) and traces a
 * change. Returns whether anything changed.
 */
export function markCondition(ctx: ReconcilerContext, obj: KObject, kind: string, type: string, status: ConditionStatus, reason?: string, message?: string): boolean {
  const st = ((obj as { status?: { conditions?: Condition[] } }).status ??= {});
  st.conditions ??= [];
  const now = ctx.env.now;
  const changed = setCondition(st.conditions, type, status, now, reason, message);
  if (changed && ctx.trace.active) {
    ctx.trace.emit({ type: 'condition', t: now, kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name, condition: type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
  }
  return changed;
}

/** The status subresource write: stored without notifying watchers (a controller must not re-trigger itself). */
export function writeStatus(ctx: ReconcilerContext, obj: KObject): void {
  ctx.store.put(obj, false);
}

/** The name of the owner of a kind (its controller reference). */
export function ownerName(o: Readonly<KObject>, kind: string): string | undefined {
  return o.metadata.ownerReferences?.find((r) => r.kind === kind)?.name;
}

/**
 * Creates or updates a child object the reconciler owns, as Knative's reconcilers do: nothing
 * when spec, labels and annotations are unchanged; the generation bumped when the spec changed;
 * the status kept.
 */
export function putOwned(store: ObjectStore, obj: KObject): void {
  const gk = groupKindOf(obj);
  const ns = obj.metadata.namespace ?? 'default';
  const old = store.peek(gk, ns, obj.metadata.name);
  const specOf = (o: KObject) => (o as { spec?: unknown }).spec;
  if (old && deepEqual(specOf(old), specOf(obj)) && deepEqual(old.metadata.labels ?? {}, obj.metadata.labels ?? {}) && deepEqual(old.metadata.annotations ?? {}, obj.metadata.annotations ?? {})) return;
  const next = deepCopy(obj);
  next.metadata.generation = old ? (old.metadata.generation ?? 1) + (deepEqual(specOf(old), specOf(obj)) ? 0 : 1) : 1;
  // The status is the stored one's, shared: stored objects are replaced, never changed in place.
  if (old) (next as { status?: unknown }).status = (old as { status?: unknown }).status;
  store.put(next, true, true);
}

/** "namespace/name", a work-queue key. */
export function keyOf(o: Readonly<KObject>): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}

/**
 * Registers a controller's reconcile function and its primary watch: every create or update of
 * the kind enqueues the object's key (deletions cascade through owner references instead).
 */
export function startController(ctx: ReconcilerContext, controller: string, kind: string, reconcile: ReconcileFn): void {
  ctx.queue.register(controller, reconcile);
  ctx.store.watch(kind, (ev, o) => ev !== 'deleted' && ctx.queue.enqueue(controller, keyOf(o)));
}

/**
 * A global resync when knative-serving's configuration changes, as Knative's controllers do
 * (`impl.GlobalResync` from their config store's watchers): every object of the kind is
 * enqueued.
 */
export function resyncOnConfigChange(ctx: ReconcilerContext, controller: string, kind: string): void {
  ctx.config.onChange(() => {
    for (const o of ctx.store.view(kind)) ctx.queue.enqueue(controller, keyOf(o));
  });
}
