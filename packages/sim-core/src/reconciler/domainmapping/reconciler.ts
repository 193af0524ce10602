import type { ClusterDomainClaim } from '../../apis/serving/v1/types.js';
import { KCLUSTERDOMAINCLAIM, KDOMAINMAPPING, KINGRESS, KSVC } from '../../apis/kinds.js';
import { aggregate, getCondition } from '../conditions.js';
import { Controller, DOMAINMAPPING_REF_INDEX } from '../controller-names.js';
import { resyncOnConfigChange, startController, markCondition, putOwned, writeStatus, type ReconcilerContext } from '../context.js';
import { resolveRef, checkDomainClaim, makeDomainMappingIngress } from './ingress.js';

/**
 * Knative's DomainMapping reconciler (pkg/reconciler/domainmapping): claim the domain (a
 * ClusterDomainClaim), resolve the referenced Service's address, and program a KIngress that
 * sends the domain to it.
 */
export class DomainMappingReconciler {
  constructor(private readonly ctx: ReconcilerContext) {
    ctx.store.addIndex(KDOMAINMAPPING, DOMAINMAPPING_REF_INDEX, (dm) => (dm.spec.ref.kind === 'Service' && dm.spec.ref.name ? [dm.spec.ref.name] : []));
    startController(ctx, Controller.domainMapping, KDOMAINMAPPING, (ns, name) => this.reconcile(ns, name));
    resyncOnConfigChange(ctx, Controller.domainMapping, KDOMAINMAPPING);
  }

  /** Returns the error Knative's reconciler returns (the work queue retries it with back-off). */
  reconcile(ns: string, name: string): Error | void {
    const ctx = this.ctx;
    const store = ctx.store;
    const dm = store.get(KDOMAINMAPPING, ns, name);
    if (!dm) return;
    // PostProcessReconcile (knative.dev/pkg/reconciler): this generation is processed, whatever the outcome.
    (dm.status ??= {}).observedGeneration = dm.metadata.generation ?? 1;
    const config = ctx.config.serving;
    const claim = store.get(KCLUSTERDOMAINCLAIM, '', name) ?? store.get(KCLUSTERDOMAINCLAIM, 'default', name);
    /** A failed step: its condition and Ready False, the status written, and the error Knative returns. */
    const fail = (condition: string, reason: string, message: string): Error => {
      markCondition(ctx, dm, 'DomainMapping', condition, 'False', reason, message);
      markCondition(ctx, dm, 'DomainMapping', 'Ready', 'False', reason, message);
      writeStatus(ctx, dm);
      return new Error(message);
    };
    const c = checkDomainClaim(config, dm, claim);
    if (!c.ok) return fail('DomainClaimed', 'DomainAlreadyClaimed', c.message);
    if (c.create) store.put(c.create satisfies ClusterDomainClaim);
    markCondition(ctx, dm, 'DomainMapping', 'DomainClaimed', 'True');
    const ref = dm.spec.ref;
    const target = ref.kind === 'Service' && ref.name ? store.get(KSVC, ref.namespace ?? ns, ref.name) : undefined;
    const url = target === undefined ? undefined : (target.status?.address?.url ?? null);
    const rr = resolveRef(config, dm, url);
    if (!rr.ok) return fail('ReferenceResolved', 'ResolveFailed', rr.message);
    markCondition(ctx, dm, 'DomainMapping', 'ReferenceResolved', 'True');
    const ing = makeDomainMappingIngress(config, dm, rr.backendServiceName, rr.host);
    putOwned(store, ing);
    const live = store.get(KINGRESS, ns, ing.metadata.name);
    const ready = getCondition(live?.status?.conditions, 'Ready')?.status === 'True';
    markCondition(ctx, dm, 'DomainMapping', 'IngressReady', ready ? 'True' : 'Unknown', ready ? undefined : 'Uninitialized', ready ? undefined : 'Waiting for load balancer to be ready');
    const agg = aggregate(dm.status!.conditions!, ['DomainClaimed', 'ReferenceResolved', 'IngressReady']);
    markCondition(ctx, dm, 'DomainMapping', 'Ready', agg.status, agg.reason, agg.message);
    dm.status!.url = `http://${name}`;
    writeStatus(ctx, dm);
  }
}
