import type { Condition } from '../apis/serving/v1/types.js';
import type { KObject } from '../apis/core/v1.js';
import { KCONFIG, KDOMAINMAPPING, KREVISION, KROUTE, KSVC } from '../apis/kinds.js';
import type { ObjectStore } from '../k8s/object-store.js';

/** A Knative object that is not Ready yet, and why. */
export interface UnreadyObject {
  kind: string;
  namespace: string;
  name: string;
  status: string;
  reason?: string;
  message?: string;
}

/** The kinds `kubectl wait --for=condition=Ready` is asked about, in the order they are reported. */
const WAITED_KINDS = [KSVC, KCONFIG, KROUTE, KDOMAINMAPPING] as const;

/**
 * Every Knative object (of those named, if any) whose Ready condition is not True for its
 * latest generation: Services, Configurations, Routes and DomainMappings, then the Revisions
 * the Routes serve. Like `kn`, an object whose controller has not yet seen its latest spec is
 * not Ready, whatever its condition says.
 */
export function unreadyObjects(store: ObjectStore, opts: { names?: readonly string[]; namespace?: string } = {}): UnreadyObject[] {
  const out: UnreadyObject[] = [];
  const wanted = (o: Readonly<KObject>) => opts.names === undefined || opts.names.includes(o.metadata.name);
  const check = (o: Readonly<KObject>, generationMatters: boolean) => {
    const st = (o as { status?: { conditions?: Condition[]; observedGeneration?: number } }).status;
    const c = (st?.conditions ?? []).find((x) => x.type === 'Ready');
    const current = !generationMatters || (st?.observedGeneration ?? 0) === (o.metadata.generation ?? 1);
    if (c?.status === 'True' && current) return;
    const at = { kind: o.kind, namespace: o.metadata.namespace ?? 'default', name: o.metadata.name };
    if (!current) out.push({ ...at, status: 'Unknown', reason: 'OutOfDate', message: 'waiting for the controller to reconcile the latest generation' });
    else out.push({ ...at, status: c?.status ?? 'Unknown', ...(c?.reason ? { reason: c.reason } : {}), ...(c?.message ? { message: c.message } : {}) });
  };
  const served = new Set<string>();
  for (const kind of WAITED_KINDS) {
    for (const o of store.view(kind, opts.namespace)) {
      if (!wanted(o)) continue;
      check(o, true);
      if (kind === KROUTE) for (const t of (o as { status?: { traffic?: Array<{ revisionName?: string }> } }).status?.traffic ?? []) if (t.revisionName) served.add(`${o.metadata.namespace ?? 'default'}/${t.revisionName}`);
    }
  }
  for (const key of [...served].sort()) {
    const [ns, name] = key.split('/') as [string, string];
    const rev = store.peek(KREVISION, ns, name);
    if (rev !== undefined) check(rev, false);
  }
  return out;
}
