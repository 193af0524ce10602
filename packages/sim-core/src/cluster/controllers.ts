import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import type { Ingress } from '../apis/networking/v1alpha1.js';
import { ServingLabels, type Condition, type Configuration, type DomainMapping, type Revision, type Route, type Service as KService, type TrafficTarget } from '../apis/serving/v1/types.js';
import { configureTraffic } from '../reconciler/route/traffic.js';
import { makeIngress, makeK8sPlaceholderService, makeK8sService, ingressClassForRoute } from '../reconciler/route/ingress.js';
import { latestCreatedRevision, configurationStatusFor } from '../reconciler/configuration/latest-revision.js';
import { makeRevision } from '../reconciler/configuration/revision.js';
import { resolveRef, checkDomainClaim, makeDomainMappingIngress } from '../reconciler/domainmapping/ingress.js';
import { makeVirtualServices } from '../net/netistio/virtual-services.js';
import { gatewayQualifiedName } from '../apis/config/istio.js';
import type { Cluster } from './cluster.js';
import {
  CONFIGMAP,
  GATEWAY,
  K8SSERVICE,
  KCONFIG,
  KDOMAINMAPPING,
  KINGRESS,
  KREVISION,
  KROUTE,
  KSVC,
  VIRTUALSERVICE,
  SYSTEM_NAMESPACE,
  type ControlPlane,
} from './control-plane.js';
import { aggregate, getCondition, setCondition } from './conditions.js';
import { deepCopy, deepEqual } from '../apis/deep-copy.js';
import { groupKindOf, type GroupKind } from './object-store.js';
import { RevisionRuntime } from './revision-runtime.js';
import { makePodTemplate } from './revision-template.js';
import { kpaSettingsFor } from './kpa-settings.js';
import { LOCAL_GATEWAY_SERVICE, INGRESS_GATEWAY_SERVICE } from '../net/istio/install.js';

type ControllerName = 'service' | 'configuration' | 'route' | 'ingress' | 'domainmapping';

const ISTIO_CLASS = 'istio.ingress.networking.knative.dev';

/**
 * Knative Serving's and net-istio's controllers as reconcilers on the simulated clock: a
 * change is noticed and reconciled after the `reconcile` latency, a VirtualService change
 * reaches the gateway's Envoy after the `configPush` latency, and endpoint changes reach the
 * data plane after `endpointsPropagation`. Every decision worth a reader's time is a trace event.
 */
export class Controllers {
  private readonly queued = new Set<string>();
  private pushScheduled = false;
  private pushedVirtualServices = new Map<string, number>();
  private readonly endpointVersions = new Map<string, number>();

  constructor(
    private readonly cluster: Cluster,
    private readonly cp: ControlPlane,
  ) {
    const store = cluster.store;
    const key = (o: KObject) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    // Deletions cascade through owner references (ControlPlane.deleteCascade); VirtualService
    // deletions reach the gateways through their own watch.
    store.watch(KSVC, (ev, o) => ev !== 'deleted' && this.enqueue('service', key(o)));
    store.watch(KCONFIG, (ev, o) => ev !== 'deleted' && this.enqueue('configuration', key(o)));
    store.watch(KROUTE, (ev, o) => ev !== 'deleted' && this.enqueue('route', key(o)));
    store.watch(KINGRESS, (ev, o) => (ev === 'deleted' ? this.schedulePush() : this.enqueue('ingress', key(o))));
    store.watch(KDOMAINMAPPING, (ev, o) => ev !== 'deleted' && this.enqueue('domainmapping', key(o)));
    store.watch(KREVISION, (ev, o) => this.revisionEvent(ev, o as Revision));
    store.watch(VIRTUALSERVICE, () => this.schedulePush());
    store.watch(GATEWAY, () => this.schedulePush());
    this.schedulePush();
  }

  private get now(): number {
    return this.cluster.now;
  }

  // ------------------------------------------------------------------ the work queue

  enqueue(controller: ControllerName, key: string): void {
    const qk = `${controller}|${key}`;
    if (this.queued.has(qk)) return;
    this.queued.add(qk);
    const delay = Math.max(0, this.cluster.latencies.reconcile.sample(this.cp.rng));
    this.cluster.env.timeout(delay).addCallback(() => {
      this.queued.delete(qk);
      const [ns, name] = key.split('/') as [string, string];
      switch (controller) {
        case 'service':
          return this.reconcileService(ns, name);
        case 'configuration':
          return this.reconcileConfiguration(ns, name);
        case 'route':
          return this.reconcileRoute(ns, name);
        case 'ingress':
          return this.reconcileIngress(ns, name);
        case 'domainmapping':
          return this.reconcileDomainMapping(ns, name);
      }
    });
  }

  /** True when no reconcile is queued and no push to the gateways is pending. */
  get settled(): boolean {
    return this.queued.size === 0 && !this.pushScheduled;
  }

  configChanged(): void {
    for (const r of this.cluster.store.list(KROUTE)) this.enqueue('route', `${r.metadata.namespace}/${r.metadata.name}`);
    for (const s of this.cluster.store.list(KSVC)) this.enqueue('service', `${s.metadata.namespace}/${s.metadata.name}`);
    for (const d of this.cluster.store.list(KDOMAINMAPPING)) this.enqueue('domainmapping', `${d.metadata.namespace}/${d.metadata.name}`);
  }

  private writeStatus(obj: KObject): void {
    this.cluster.store.put(obj, false);
  }

  private condition(obj: KObject, kind: string, type: string, status: 'True' | 'False' | 'Unknown', reason?: string, message?: string): boolean {
    const st = ((obj as { status?: { conditions?: Condition[] } }).status ??= {});
    st.conditions ??= [];
    const changed = setCondition(st.conditions, type, status, this.now, reason, message);
    if (changed && this.cluster.trace.active) {
      this.cluster.trace.emit({ type: 'condition', t: this.now, kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name, condition: type, status, ...(reason ? { reason } : {}), ...(message ? { message } : {}) });
    }
    return changed;
  }

  // ------------------------------------------------------------------ Service

  private owner(o: KObject, kind: string): string | undefined {
    return o.metadata.ownerReferences?.find((r) => r.kind === kind)?.name;
  }

  private putOwned(obj: KObject): void {
    const store = this.cluster.store;
    const gk = groupKindOf(obj);
    const ns = obj.metadata.namespace ?? 'default';
    const old = store.get(gk, ns, obj.metadata.name);
    if (old && deepEqual((old as { spec?: unknown }).spec, (obj as { spec?: unknown }).spec) && deepEqual(old.metadata.labels ?? {}, obj.metadata.labels ?? {}) && deepEqual(old.metadata.annotations ?? {}, obj.metadata.annotations ?? {})) return;
    const next = deepCopy(obj);
    next.metadata.generation = old ? (old.metadata.generation ?? 1) + (deepEqual((old as { spec?: unknown }).spec, (obj as { spec?: unknown }).spec) ? 0 : 1) : 1;
    if (old) (next as { status?: unknown }).status = (old as { status?: unknown }).status;
    store.put(next);
  }

  private reconcileService(ns: string, name: string): void {
    const store = this.cluster.store;
    const svc = store.get<KService>(KSVC, ns, name);
    if (!svc) return;
    const ownerRef = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Service', name, controller: true }];
    const labels = { ...(svc.metadata.labels ?? {}), [ServingLabels.service]: name };
    const annotations = { ...(svc.metadata.annotations ?? {}) };
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    const cfg: Configuration = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name, namespace: ns, labels, annotations, ownerReferences: ownerRef },
      spec: { template: deepCopy(svc.spec.template) },
    };
    // resources.MakeRoute: targets without a revisionName follow the Service's configuration.
    const traffic: TrafficTarget[] = (svc.spec.traffic ?? [{ latestRevision: true, percent: 100 }]).map((t) => (t.revisionName ? { ...t } : { ...t, configurationName: name }));
    const route: Route = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Route',
      metadata: { name, namespace: ns, labels, annotations, ownerReferences: ownerRef },
      spec: { traffic },
    };
    this.putOwned(cfg);
    this.putOwned(route);
    this.updateServiceStatus(ns, name);
  }

  private updateServiceStatus(ns: string, name: string): void {
    const store = this.cluster.store;
    const svc = store.get<KService>(KSVC, ns, name);
    if (!svc) return;
    const cfg = store.get<Configuration>(KCONFIG, ns, name);
    const route = store.get<Route>(KROUTE, ns, name);
    const cfgReady = getCondition(cfg?.status?.conditions, 'Ready');
    const routeReady = getCondition(route?.status?.conditions, 'Ready');
    const lrr = cfg?.status?.latestReadyRevisionName;
    this.condition(svc, 'Service', 'ConfigurationsReady', cfgReady?.status ?? 'Unknown', cfgReady?.reason ?? (cfg ? undefined : 'OutOfDate'), cfgReady?.message);
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
    this.condition(svc, 'Service', 'RoutesReady', rs, rr, rm);
    const ready = aggregate(svc.status!.conditions!, ['ConfigurationsReady', 'RoutesReady']);
    this.condition(svc, 'Service', 'Ready', ready.status, ready.reason, ready.message);
    const st = svc.status as NonNullable<KService['status']>;
    st.observedGeneration = svc.metadata.generation ?? 1;
    if (cfg?.status?.latestCreatedRevisionName) st.latestCreatedRevisionName = cfg.status.latestCreatedRevisionName;
    if (lrr) st.latestReadyRevisionName = lrr;
    if (route?.status?.url) st.url = route.status.url;
    if (route?.status?.address) st.address = route.status.address;
    if (route?.status?.traffic) st.traffic = route.status.traffic;
    this.writeStatus(svc);
  }

  // ------------------------------------------------------------------ Configuration and Revisions

  private reconcileConfiguration(ns: string, name: string): void {
    const store = this.cluster.store;
    const cfg = store.get<Configuration>(KCONFIG, ns, name);
    if (!cfg) return;
    const revisions = store.list<Revision>(KREVISION, ns);
    const lc = latestCreatedRevision(cfg, revisions);
    let latest: Revision;
    let isBYO: boolean;
    if (lc.kind === 'notFound') {
      latest = makeRevision(cfg, this.now);
      isBYO = lc.isBYOName;
      store.put(latest);
      latest = store.get<Revision>(KREVISION, ns, latest.metadata.name)!;
      if (this.cluster.trace.active) {
        this.cluster.trace.emit({ type: 'revision.created', t: this.now, namespace: ns, revision: latest.metadata.name, configuration: name, generation: cfg.metadata.generation ?? 1 });
      }
    } else if (lc.kind === 'found') {
      latest = lc.revision;
      isBYO = lc.isBYOName;
    } else {
      this.condition(cfg, 'Configuration', 'Ready', 'False', 'RevisionFailed', lc.message);
      this.writeStatus(cfg);
      this.afterConfigurationStatus(cfg);
      return;
    }
    const all = store.list<Revision>(KREVISION, ns);
    const st = configurationStatusFor(cfg, all, latest, isBYO);
    const status = (cfg.status ??= {});
    status.observedGeneration = cfg.metadata.generation ?? 1;
    if (st.latestCreatedRevisionName) status.latestCreatedRevisionName = st.latestCreatedRevisionName;
    if (st.latestReadyRevisionName) status.latestReadyRevisionName = st.latestReadyRevisionName;
    this.condition(cfg, 'Configuration', 'Ready', st.ready.status, st.ready.reason, st.ready.message);
    this.writeStatus(cfg);
    this.afterConfigurationStatus(cfg);
  }

  private afterConfigurationStatus(cfg: Configuration): void {
    const ns = cfg.metadata.namespace ?? 'default';
    const svcName = this.owner(cfg, 'Service');
    if (svcName) this.enqueue('service', `${ns}/${svcName}`);
    for (const r of this.cluster.store.list<Route>(KROUTE, ns)) {
      if ((r.spec.traffic ?? []).some((t) => t.configurationName === cfg.metadata.name || t.revisionName)) this.enqueue('route', `${ns}/${r.metadata.name}`);
    }
  }

  private revisionEvent(ev: string, rev: Revision): void {
    const ns = rev.metadata.namespace ?? 'default';
    const key = `${ns}/${rev.metadata.name}`;
    if (ev === 'deleted') {
      const rt = this.cluster.revisions.get(key);
      rt?.delete();
      this.cluster.revisions.delete(key);
      this.cluster.revisionsVersion++;
      this.cluster.endpoints.delete(key);
      this.cluster.endpoints.delete(`${key}-private`);
      return;
    }
    if (ev !== 'added' || this.cluster.revisions.has(key)) return;
    // The revision reconciler: Deployment, PodAutoscaler, ServerlessService and the two Services.
    const template = makePodTemplate(rev, this.cp.config, this.cluster.latencies, this.cluster.registeredApps);
    const settings = kpaSettingsFor(rev, this.cp.autoscalerConfig, this.cp.config);
    this.condition(rev, 'Revision', 'Ready', 'Unknown', 'Deploying');
    this.writeStatus(rev);
    const owner = [{ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', name: rev.metadata.name, controller: true }];
    const labels = { [ServingLabels.revision]: rev.metadata.name };
    for (const [name, isPrivate] of [
      [rev.metadata.name, false],
      [`${rev.metadata.name}-private`, true],
    ] as const) {
      const svc: K8sService = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace: ns, labels: { ...labels, 'networking.internal.knative.dev/serviceType': isPrivate ? 'Private' : 'Public' }, ownerReferences: owner },
        spec: {
          type: 'ClusterIP',
          ports: [
            { name: 'http', port: 80, targetPort: 8012 },
            { name: 'https', port: 443, targetPort: 8112 },
          ],
        },
      };
      this.cluster.store.put(this.cp.assignClusterIp(svc));
    }
    const rt = new RevisionRuntime(this.cluster, template, settings);
    this.cluster.revisions.set(key, rt);
    this.cluster.revisionsVersion++;
    this.publishRevisionEndpoints(rt);
  }

  revisionStatusChanged(rt: RevisionRuntime): void {
    const store = this.cluster.store;
    const rev = store.get<Revision>(KREVISION, rt.namespace, rt.name);
    if (!rev) return;
    if (rt.failed) {
      this.condition(rev, 'Revision', 'ResourcesAvailable', 'False', rt.failed.reason, rt.failed.message);
      this.condition(rev, 'Revision', 'Ready', 'False', rt.failed.reason, rt.failed.message);
    } else if (rt.scaleTargetInitialized) {
      this.condition(rev, 'Revision', 'ResourcesAvailable', 'True');
      this.condition(rev, 'Revision', 'ContainerHealthy', 'True');
      this.condition(rev, 'Revision', 'Ready', 'True');
    }
    this.writeStatus(rev);
    const cfgName = rev.metadata.labels?.[ServingLabels.configuration];
    if (cfgName) this.enqueue('configuration', `${rt.namespace}/${cfgName}`);
    for (const r of store.list<Route>(KROUTE, rt.namespace)) this.enqueue('route', `${rt.namespace}/${r.metadata.name}`);
  }

  // ------------------------------------------------------------------ endpoints to the data plane

  publishRevisionEndpoints(rt: RevisionRuntime): void {
    const key = rt.key;
    const version = (this.endpointVersions.get(key) ?? 0) + 1;
    this.endpointVersions.set(key, version);
    const pub = rt.publicEndpointIps();
    const priv = rt.privateEndpoints();
    const podName = new Map(rt.pods.filter((p) => p.ip).map((p) => [p.ip!, p.name]));
    const actName = new Map(this.cluster.activators.map((a) => [a.ip, a.name]));
    const publicAddrs = pub.ips.map((ip) => ({ ip, pod: (pub.activator ? actName.get(ip) : podName.get(ip)) ?? ip }));
    const readyAddrs = priv.ready.map((p) => ({ ip: p.ip!, pod: p.name }));
    const allAddrs = [...priv.ready, ...priv.notReady].map((p) => ({ ip: p.ip!, pod: p.name })).sort((a, b) => (a.ip < b.ip ? -1 : 1));
    const subset = [...rt.activatorSubset];
    const deliver = () => {
      if ((this.endpointVersions.get(`${key}#delivered`) ?? 0) > version) return;
      this.endpointVersions.set(`${key}#delivered`, version);
      this.cluster.endpoints.set(key, { addresses: publicAddrs });
      this.cluster.endpoints.set(`${key}-private`, { addresses: readyAddrs });
      for (const a of this.cluster.activators) {
        a.updateSubset(key, subset);
        a.updateEndpoints(key, allAddrs);
      }
      if (this.cluster.trace.active) {
        this.cluster.trace.emit({ type: 'endpoints', t: this.now, namespace: rt.namespace, service: rt.name, ready: publicAddrs.map((a) => a.pod), notReady: [] });
      }
    };
    this.cluster.env.timeout(Math.max(0, this.cluster.latencies.endpointsPropagation.sample(this.cp.rng))).addCallback(deliver);
  }

  // ------------------------------------------------------------------ Route

  private reconcileRoute(ns: string, name: string): void {
    const store = this.cluster.store;
    const route = store.get<Route>(KROUTE, ns, name);
    if (!route) return;
    const config = this.cp.config;
    const lookups = {
      getConfiguration: (n: string) => store.get<Configuration>(KCONFIG, ns, n),
      getRevision: (n: string) => store.get<Revision>(KREVISION, ns, n),
    };
    const placeholderLabels: Record<string, Record<string, string> | undefined> = {};
    for (const s of store.list<K8sService>(K8SSERVICE, ns)) placeholderLabels[s.metadata.name] = s.metadata.labels;
    const r = configureTraffic(config, route, lookups, placeholderLabels);
    const st = (route.status ??= {}) as NonNullable<Route['status']>;
    if (r.url) st.url = r.url;
    this.condition(route, 'Route', 'AllTrafficAssigned', r.allTrafficAssigned.status, r.allTrafficAssigned.reason, r.allTrafficAssigned.message);
    if (r.updateIngress && r.traffic) {
      const ingress = makeIngress(route, r.traffic, { config });
      const cls = ingressClassForRoute(config, route);
      const oldIng = store.get<Ingress>(KINGRESS, ns, ingress.metadata.name);
      this.putOwned(ingress);
      const ing = store.get<Ingress>(KINGRESS, ns, ingress.metadata.name)!;
      if (r.addressURL) st.address = { url: r.addressURL };
      if (r.statusTraffic) st.traffic = r.statusTraffic;
      st.observedGeneration = route.metadata.generation ?? 1;
      // Placeholder Services: ExternalName to the route's domain until the ingress has a load balancer.
      const ingReady = getCondition(ing.status?.conditions, 'Ready')?.status === 'True' && (ing.status?.observedGeneration ?? 0) === (ing.metadata.generation ?? 1);
      for (const tag of Object.keys(r.traffic.targets).sort()) {
        let svc: K8sService;
        if (getCondition(ing.status?.conditions, 'Ready')?.status === 'True') svc = makeK8sService(config, route, tag, ing, false).service;
        else svc = makeK8sPlaceholderService(config, route, tag);
        this.putOwned(this.cp.assignClusterIp(svc));
      }
      if (cls !== ISTIO_CLASS) {
        this.condition(route, 'Route', 'IngressReady', 'Unknown', 'IngressNotConfigured', `Ingress has not yet been reconciled: no controller for ingress class ${JSON.stringify(cls)} (knsim implements ${ISTIO_CLASS})`);
      } else if (ingReady) this.condition(route, 'Route', 'IngressReady', 'True');
      else this.condition(route, 'Route', 'IngressReady', 'Unknown', 'Uninitialized', 'Waiting for load balancer to be ready');
      this.condition(route, 'Route', 'CertificateProvisioned', 'True', 'TLSNotEnabled', 'External domain TLS is not enabled');
      if (this.cluster.trace.active && (!oldIng || !deepEqual(oldIng.spec, ingress.spec))) {
        this.cluster.trace.emit({
          type: 'route.programmed',
          t: this.now,
          namespace: ns,
          route: name,
          ingress: ingress.metadata.name,
          traffic: r.traffic.revisionTargets.map((t) => ({ ...(t.tag ? { tag: t.tag } : {}), revisionName: t.revisionName, percent: t.percent ?? 0 })),
        });
      }
      this.updateRoutingState(ns);
    } else if (r.targetError && this.cluster.trace.active) {
      this.cluster.trace.emit({ type: 'route.blocked', t: this.now, namespace: ns, route: name, reason: r.allTrafficAssigned.reason ?? '', message: r.allTrafficAssigned.message ?? r.targetError.error });
    }
    const ready = aggregate(st.conditions ?? [], ['AllTrafficAssigned', 'IngressReady', 'CertificateProvisioned']);
    this.condition(route, 'Route', 'Ready', ready.status, ready.reason, ready.message);
    this.writeStatus(route);
    const svcName = this.owner(route, 'Service');
    if (svcName) this.enqueue('service', `${ns}/${svcName}`);
    for (const dm of store.list<DomainMapping>(KDOMAINMAPPING, ns)) this.enqueue('domainmapping', `${ns}/${dm.metadata.name}`);
  }

  /** Revisions some Route sends traffic to are `active` (reachable); the others `reserve`. */
  private updateRoutingState(ns: string): void {
    const store = this.cluster.store;
    const active = new Set<string>();
    for (const r of store.list<Route>(KROUTE, ns)) for (const t of r.status?.traffic ?? []) if (t.revisionName) active.add(t.revisionName);
    for (const rt of this.cluster.revisions.values()) {
      if (rt.namespace !== ns) continue;
      const isActive = active.has(rt.name);
      // A pending revision becomes unreachable once a route of its namespace is programmed without it.
      rt.setReachable(isActive);
    }
  }

  // ------------------------------------------------------------------ net-istio and Istio

  private reconcileIngress(ns: string, name: string): void {
    const store = this.cluster.store;
    const ing = store.get<Ingress>(KINGRESS, ns, name);
    if (!ing) return;
    const cls = ing.metadata.annotations?.['networking.knative.dev/ingress.class'] ?? this.cp.config.network.defaultIngressClass;
    if (cls !== ISTIO_CLASS) return;
    const istio = this.cp.config.istio;
    const vss = makeVirtualServices(ing, {
      publicGateways: istio.ingressGateways.map(gatewayQualifiedName),
      localGateways: istio.localGateways.map(gatewayQualifiedName),
    });
    const wanted = new Set(vss.map((v) => v.metadata.name));
    for (const old of store.list(VIRTUALSERVICE, ns)) {
      if (this.owner(old, 'Ingress') === name && !wanted.has(old.metadata.name)) store.delete(VIRTUALSERVICE, ns, old.metadata.name);
    }
    for (const vs of vss) this.putOwned(vs as KObject);
    if (this.cluster.trace.active) this.cluster.trace.emit({ type: 'virtualservices', t: this.now, namespace: ns, ingress: name, names: [...wanted].sort() });
    const st = (ing.status ??= {});
    if (getCondition(st.conditions as Condition[] | undefined, 'Ready')?.status !== 'True') {
      this.condition(ing, 'Ingress', 'Ready', 'Unknown', 'Uninitialized', 'Waiting for VirtualService to be ready');
    }
    this.writeStatus(ing);
    this.schedulePush();
  }

  private schedulePush(): void {
    if (this.pushScheduled) return;
    this.pushScheduled = true;
    const delay = Math.max(0, this.cluster.latencies.configPush.sample(this.cp.rng));
    this.cluster.env.timeout(delay).addCallback(() => {
      this.pushScheduled = false;
      this.push();
    });
  }

  /** Istio pushes the current Gateways and VirtualServices to the gateway Envoys; KIngresses whose VirtualServices are live become Ready. */
  private push(): void {
    const store = this.cluster.store;
    const gateways = store.list(GATEWAY);
    const vss = store.list(VIRTUALSERVICE);
    this.cluster.gateways.configure(gateways, vss, store.list<K8sService>(K8SSERVICE, 'istio-system'));
    this.pushedVirtualServices = new Map(vss.map((v) => [`${v.metadata.namespace}/${v.metadata.name}`, v.metadata.generation ?? 1]));
    for (const ing of store.list<Ingress>(KINGRESS)) {
      const ns = ing.metadata.namespace ?? 'default';
      const mine = vss.filter((v) => this.owner(v, 'Ingress') === ing.metadata.name && v.metadata.namespace === ns);
      if (mine.length === 0) continue;
      const live = mine.every((v) => this.pushedVirtualServices.get(`${ns}/${v.metadata.name}`) === (v.metadata.generation ?? 1));
      if (!live) continue;
      const wasReady = getCondition(ing.status?.conditions, 'Ready')?.status === 'True' && ing.status?.observedGeneration === ing.metadata.generation;
      const st = (ing.status ??= {});
      st.publicLoadBalancer = { ingress: [{ domainInternal: `${INGRESS_GATEWAY_SERVICE.name}.${INGRESS_GATEWAY_SERVICE.namespace}.svc.cluster.local` }] };
      st.privateLoadBalancer = { ingress: [{ domainInternal: `${LOCAL_GATEWAY_SERVICE.name}.${LOCAL_GATEWAY_SERVICE.namespace}.svc.cluster.local` }] };
      (st as { observedGeneration?: number }).observedGeneration = ing.metadata.generation ?? 1;
      this.condition(ing, 'Ingress', 'LoadBalancerReady', 'True');
      this.condition(ing, 'Ingress', 'NetworkConfigured', 'True');
      this.condition(ing, 'Ingress', 'Ready', 'True');
      this.writeStatus(ing);
      if (!wasReady) {
        const route = this.owner(ing, 'Route');
        if (route) this.enqueue('route', `${ns}/${route}`);
        const dm = this.owner(ing, 'DomainMapping');
        if (dm) this.enqueue('domainmapping', `${ns}/${dm}`);
      }
    }
  }

  // ------------------------------------------------------------------ DomainMapping

  private reconcileDomainMapping(ns: string, name: string): void {
    const store = this.cluster.store;
    const dm = store.get<DomainMapping>(KDOMAINMAPPING, ns, name);
    if (!dm) return;
    const config = this.cp.config;
    const claimGk: GroupKind = 'networking.internal.knative.dev/ClusterDomainClaim';
    const claim = store.get(claimGk, '', name) ?? store.get(claimGk, 'default', name);
    const c = checkDomainClaim(config, dm, claim as never);
    if (!c.ok) {
      this.condition(dm, 'DomainMapping', 'DomainClaimed', 'False', 'DomainAlreadyClaimed', c.message);
      this.condition(dm, 'DomainMapping', 'Ready', 'False', 'DomainAlreadyClaimed', c.message);
      this.writeStatus(dm);
      return;
    }
    if (c.create) store.put(c.create as unknown as KObject);
    this.condition(dm, 'DomainMapping', 'DomainClaimed', 'True');
    const ref = dm.spec.ref;
    const target = ref.kind === 'Service' && ref.name ? store.get<KService>(KSVC, ref.namespace ?? ns, ref.name) : undefined;
    const url = target === undefined ? undefined : (target.status?.address?.url ?? null);
    const rr = resolveRef(config, dm, url);
    if (!rr.ok) {
      this.condition(dm, 'DomainMapping', 'ReferenceResolved', 'False', 'ResolveFailed', rr.message);
      this.condition(dm, 'DomainMapping', 'Ready', 'False', 'ResolveFailed', rr.message);
      this.writeStatus(dm);
      return;
    }
    this.condition(dm, 'DomainMapping', 'ReferenceResolved', 'True');
    const ing = makeDomainMappingIngress(config, dm, rr.backendServiceName, rr.host);
    this.putOwned(ing);
    const live = store.get<Ingress>(KINGRESS, ns, ing.metadata.name);
    const ready = getCondition(live?.status?.conditions, 'Ready')?.status === 'True';
    this.condition(dm, 'DomainMapping', 'IngressReady', ready ? 'True' : 'Unknown', ready ? undefined : 'Uninitialized', ready ? undefined : 'Waiting for load balancer to be ready');
    const agg = aggregate((dm.status as { conditions: Condition[] }).conditions, ['DomainClaimed', 'ReferenceResolved', 'IngressReady']);
    this.condition(dm, 'DomainMapping', 'Ready', agg.status, agg.reason, agg.message);
    (dm.status as { url?: string }).url = `http://${name}`;
    this.writeStatus(dm);
  }
}

export { SYSTEM_NAMESPACE, CONFIGMAP };
