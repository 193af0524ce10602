import { CLASS_GATEWAYS } from '../../net/ingress-classes.js';
import type { Service as K8sService } from '../../apis/core/v1.js';
import { ServingLabels, type Configuration, type Revision, type Route } from '../../apis/serving/v1/types.js';
import { deepEqual } from '../../apis/deep-copy.js';
import { ISTIO_INGRESS_CLASS } from '../../apis/config/network.js';
import { KCONFIG, KDOMAINMAPPING, KINGRESS, KREVISION, KROUTE, K8SSERVICE } from '../../apis/kinds.js';
import { aggregate, getCondition } from '../conditions.js';
import { Controller, DOMAINMAPPING_REF_INDEX, ROUTE_CONFIGURATION_INDEX, ROUTE_REVISION_INDEX } from '../controller-names.js';
import { keyOf, resyncOnConfigChange, startController, markCondition, ownerName, putOwned, writeStatus, type ReconcilerContext } from '../context.js';
import { configureTraffic } from './traffic.js';
import { makeIngress, makeK8sPlaceholderService, makeK8sService, ingressClassForRoute } from './ingress.js';


/** What the route reconciler needs besides the context. */
export interface RouteReconcilerDeps {
  /** The API server's ClusterIP allocation for the Services it creates. */
  assignClusterIp(svc: K8sService): K8sService;
  /**
   * The labeler's routingState (pkg/reconciler/labeler): the revisions a Route lists are
   * labelled with it (`active`); those it labelled before and lists no more lose its label, and
   * are `reserve` once no Route labels them. Revisions no Route ever listed stay `pending`.
   */
  syncRouteLabels(namespace: string, route: string, listed: ReadonlySet<string>): void;
}

/**
 * Knative's Route reconciler (pkg/reconciler/route): traffic targets resolved to revisions, a
 * KIngress made from them, placeholder Services (ExternalName until the ingress has a load
 * balancer), the routing state of the revisions, and the Route's conditions.
 */
export class RouteReconciler {
  constructor(
    private readonly ctx: ReconcilerContext,
    private readonly deps: RouteReconcilerDeps,
  ) {
    // The informers' indexes the route's dependents are found by: a Route by the configurations
    // and the revisions its traffic names (spec, and the status it last wrote).
    ctx.store.addIndex(KROUTE, ROUTE_CONFIGURATION_INDEX, (r) => (r.spec.traffic ?? []).flatMap((t) => (t.configurationName ? [t.configurationName] : [])));
    ctx.store.addIndex(KROUTE, ROUTE_REVISION_INDEX, (r) => [...(r.spec.traffic ?? []), ...(r.status?.traffic ?? [])].flatMap((t) => (t.revisionName ? [t.revisionName] : [])));
    startController(ctx, Controller.route, KROUTE, (ns, name) => this.reconcile(ns, name));
    resyncOnConfigChange(ctx, Controller.route, KROUTE);
    // route/controller.go: Services labelled with a Route enqueue it (EnqueueLabelOfNamespaceScopedResource),
    // so labelling a tag's placeholder Service cluster-local changes that tag's visibility.
    // knsim acts on what the Route reads from them, the visibility label, when it changes.
    const visibility = new Map<string, string | undefined>();
    ctx.store.watch(K8SSERVICE, (ev, svc) => {
      const route = svc.metadata.labels?.[ServingLabels.route];
      if (route === undefined) return;
      const key = keyOf(svc);
      const v = ev === 'deleted' ? undefined : svc.metadata.labels?.[ServingLabels.visibility];
      const seen = visibility.has(key);
      const before = visibility.get(key);
      if (ev === 'deleted') visibility.delete(key);
      else visibility.set(key, v);
      if (seen && before !== v) ctx.queue.enqueue(Controller.route, `${svc.metadata.namespace ?? 'default'}/${route}`);
    });
  }

  reconcile(ns: string, name: string): void {
    const ctx = this.ctx;
    const store = ctx.store;
    const route = store.get(KROUTE, ns, name);
    if (!route) return;
    const config = ctx.config.serving;
    const lookups = {
      // Read, never modified: the informer's cached objects, not copies.
      getConfiguration: (n: string) => store.peek(KCONFIG, ns, n) as Configuration | undefined,
      getRevision: (n: string) => store.peek(KREVISION, ns, n) as Revision | undefined,
    };
    // The placeholder Services' labels, looked up by name (the visibility label).
    const placeholderLabels = (n: string) => store.peek(K8SSERVICE, ns, n)?.metadata.labels;
    const r = configureTraffic(config, route, lookups, placeholderLabels);
    const st = (route.status ??= {}) as NonNullable<Route['status']>;
    if (r.url) st.url = r.url;
    markCondition(ctx, route, 'Route', 'AllTrafficAssigned', r.allTrafficAssigned.status, r.allTrafficAssigned.reason, r.allTrafficAssigned.message);
    if (r.updateIngress && r.traffic) {
      const ingress = makeIngress(route, r.traffic, { config });
      const cls = ingressClassForRoute(config, route);
      const oldIng = store.peek(KINGRESS, ns, ingress.metadata.name);
      putOwned(store, ingress);
      const ing = store.peek(KINGRESS, ns, ingress.metadata.name)!;
      if (r.addressURL) st.address = { url: r.addressURL };
      if (r.statusTraffic) st.traffic = r.statusTraffic;
      // Placeholder Services: ExternalName to the route's domain until the ingress has a load balancer.
      const ingReady = getCondition(ing.status?.conditions, 'Ready')?.status === 'True' && (ing.status?.observedGeneration ?? 0) === (ing.metadata.generation ?? 1);
      for (const tag of Object.keys(r.traffic.targets).sort()) {
        let svc: K8sService;
        if (getCondition(ing.status?.conditions, 'Ready')?.status === 'True') svc = makeK8sService(config, route, tag, ing, false).service;
        else svc = makeK8sPlaceholderService(config, route, tag);
        // reconcile_resources.go reconcileServices: the existing Service's labels and annotations
        // are kept under the desired ones (kmap.Union), so a user's visibility label stays.
        const existing = store.peek(K8SSERVICE, ns, svc.metadata.name);
        if (existing) {
          svc.metadata.labels = { ...existing.metadata.labels, ...svc.metadata.labels };
          if (existing.metadata.annotations) svc.metadata.annotations = { ...existing.metadata.annotations, ...svc.metadata.annotations };
        }
        putOwned(store, this.deps.assignClusterIp(svc));
      }
      if (cls !== ISTIO_INGRESS_CLASS && !CLASS_GATEWAYS.has(cls)) {
        markCondition(ctx, route, 'Route', 'IngressReady', 'Unknown', 'IngressNotConfigured', `Ingress has not yet been reconciled: no controller for ingress class ${JSON.stringify(cls)} (knsim implements ${[ISTIO_INGRESS_CLASS, ...CLASS_GATEWAYS.keys()].join(', ')})`);
      } else if (ingReady) markCondition(ctx, route, 'Route', 'IngressReady', 'True');
      else markCondition(ctx, route, 'Route', 'IngressReady', 'Unknown', 'Uninitialized', 'Waiting for load balancer to be ready');
      markCondition(ctx, route, 'Route', 'CertificateProvisioned', 'True', 'TLSNotEnabled', 'External domain TLS is not enabled');
      if (ctx.trace.active && (!oldIng || !deepEqual(oldIng.spec, ingress.spec))) {
        ctx.trace.emit({
          type: 'route.programmed',
          t: ctx.env.now,
          namespace: ns,
          route: name,
          ingress: ingress.metadata.name,
          traffic: r.traffic.revisionTargets.map((t) => ({ ...(t.tag ? { tag: t.tag } : {}), revisionName: t.revisionName, percent: t.percent ?? 0 })),
        });
      }
    } else if (r.targetError && ctx.trace.active) {
      ctx.trace.emit({ type: 'route.blocked', t: ctx.env.now, namespace: ns, route: name, reason: r.allTrafficAssigned.reason ?? '', message: r.allTrafficAssigned.message ?? r.targetError.error });
    }
    const ready = aggregate(st.conditions ?? [], ['AllTrafficAssigned', 'IngressReady', 'CertificateProvisioned']);
    markCondition(ctx, route, 'Route', 'Ready', ready.status, ready.reason, ready.message);
    // PostProcessReconcile (knative.dev/pkg/reconciler): this generation was processed, whatever the outcome.
    st.observedGeneration = route.metadata.generation ?? 1;
    writeStatus(ctx, route);
    // The labeler reconciles the Route as stored, so it sees the traffic just written.
    this.deps.syncRouteLabels(ns, name, this.labelledRevisions(route));
    const svcName = ownerName(route, 'Service');
    if (svcName) {
      ctx.queue.enqueue(Controller.service, `${ns}/${svcName}`);
      // The DomainMappings that resolve this Route's Service (their tracker on the reference).
      for (const dm of store.byIndex(KDOMAINMAPPING, DOMAINMAPPING_REF_INDEX, ns, svcName)) ctx.queue.enqueue(Controller.domainMapping, `${ns}/${dm.metadata.name}`);
    }
  }

  /**
   * The revisions the labeler labels with this Route (labeler/labels.go syncLabels): those of
   * its status and spec traffic that exist, and, for a `latestRevision` target, its
   * configuration's latest created revision, so that the next revision is routable the moment it
   * becomes ready.
   */
  private labelledRevisions(route: Readonly<Route>): Set<string> {
    const store = this.ctx.store;
    const ns = route.metadata.namespace ?? 'default';
    const revisions = new Set<string>();
    for (const tt of [...(route.status?.traffic ?? []), ...(route.spec.traffic ?? [])]) {
      let configName = tt.configurationName;
      if (tt.revisionName) {
        const rev = store.peek(KREVISION, ns, tt.revisionName);
        if (rev === undefined) continue; // not yet: its creation reconciles the Route again
        revisions.add(tt.revisionName);
        const owner = rev.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Configuration');
        if (owner) configName = owner.name;
      }
      if (configName) {
        const cfg = store.peek(KCONFIG, ns, configName);
        if (cfg?.status?.latestCreatedRevisionName && tt.latestRevision === true) revisions.add(cfg.status.latestCreatedRevisionName);
      }
    }
    return revisions;
  }
}
