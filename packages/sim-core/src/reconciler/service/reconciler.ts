import { ServingLabels, type Configuration, type Route, type TrafficTarget } from '../../apis/serving/v1/types.js';
import { KCONFIG, KROUTE, KSVC } from '../../apis/kinds.js';
import { aggregate, getCondition } from '../conditions.js';
import { resyncOnConfigChange, startController, markCondition, putOwned, writeStatus, type ReconcilerContext } from '../context.js';
import { Controller } from '../controller-names.js';

/**
 * Knative's Service reconciler (pkg/reconciler/service): a Service owns a Configuration and a
 * Route of its name, made from its template and traffic block, and its status is theirs.
 */
export class ServiceReconciler {
  constructor(private readonly ctx: ReconcilerContext) {
    startController(ctx, Controller.service, KSVC, (ns, name) => this.reconcile(ns, name));
    resyncOnConfigChange(ctx, Controller.service, KSVC);
  }

  reconcile(ns: string, name: string): void {
    const store = this.ctx.store;
    // Read-only: what the Service asks for is copied into its children by putOwned when they change.
    const svc = store.peek(KSVC, ns, name);
    if (!svc) return;
    const ownerRef = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name, controller: true }];
    const labels = { ...(svc.metadata.labels ?? {}), [ServingLabels.service]: name };
    const annotations = { ...(svc.metadata.annotations ?? {}) };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    // resources.MakeConfiguration.
    const cfg: Configuration = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name, namespace: ns, labels, annotations, ownerReferences: ownerRef },
      spec: { template: svc.spec.template },
    };
    // resources.MakeRoute: targets without a revisionName follow the Service's configuration.
    const traffic: TrafficTarget[] = (svc.spec.traffic ?? [{ latestRevision: true, percent: 100 }]).map((t) => (t.revisionName ? { ...t } : { ...t, configurationName: name }));
    const route: Route = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name, namespace: ns, labels, annotations, ownerReferences: ownerRef },
      spec: { traffic },
    };
    putOwned(store, cfg);
    putOwned(store, route);
    this.updateStatus(ns, name);
  }

  /** The Service's conditions and status fields from its Configuration's and Route's. */
  private updateStatus(ns: string, name: string): void {
    const ctx = this.ctx;
    const store = ctx.store;
    const svc = store.get(KSVC, ns, name);
    if (!svc) return;
    const cfg = store.peek(KCONFIG, ns, name);
    const route = store.peek(KROUTE, ns, name);
    const cfgReady = getCondition(cfg?.status?.conditions, 'Ready');
    const routeReady = getCondition(route?.status?.conditions, 'Ready');
    const lrr = cfg?.status?.latestReadyRevisionName;
    markCondition(ctx, svc, 'Service', 'ConfigurationsReady', cfgReady?.status ?? 'Unknown', cfgReady?.reason ?? (cfg ? undefined : 'OutOfDate'), cfgReady?.message);
    let rs = routeReady?.status ?? 'Unknown';
    let rr = routeReady?.reason;
    let rm = routeReady?.message;
    // The Route must serve what the Service asks for: its latestRevision targets on the latest ready revision.
    if (rs === 'True' && route) {
      const lagging = (route.status?.traffic ?? []).some((t) => t.latestRevision && lrr !== undefined && t.revisionName !== lrr);
      if (lagging || (route.metadata.generation ?? 1) !== (route.status?.observedGeneration ?? 0)) {
        rs = 'Unknown';
        rr = 'OutOfDate';
        rm = 'Route is not yet serving the latest revision';
      }
    }
    markCondition(ctx, svc, 'Service', 'RoutesReady', rs, rr, rm);
    const ready = aggregate(svc.status!.conditions!, ['ConfigurationsReady', 'RoutesReady']);
    markCondition(ctx, svc, 'Service', 'Ready', ready.status, ready.reason, ready.message);
    const st = svc.status!;
    st.observedGeneration = svc.metadata.generation ?? 1;
    if (cfg?.status?.latestCreatedRevisionName) st.latestCreatedRevisionName = cfg.status.latestCreatedRevisionName;
    if (lrr) st.latestReadyRevisionName = lrr;
    if (route?.status?.url) st.url = route.status.url;
    if (route?.status?.address) st.address = route.status.address;
    if (route?.status?.traffic) st.traffic = route.status.traffic;
    writeStatus(ctx, svc);
  }
}
