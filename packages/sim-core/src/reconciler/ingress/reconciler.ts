import type { KObject, Service as K8sService } from '../../apis/core/v1.js';
import type { Gateway, VirtualService } from '../../apis/istio/v1alpha3.js';
import type { Condition } from '../../apis/serving/v1/types.js';
import { ISTIO_INGRESS_CLASS } from '../../apis/config/network.js';
import { gatewayQualifiedName } from '../../apis/config/istio.js';
import { GATEWAY, KINGRESS, K8SSERVICE, VIRTUALSERVICE, WASMPLUGIN } from '../../apis/kinds.js';
import type { WasmPlugin } from '../../apis/higress/v1alpha1.js';
import { CLASS_GATEWAYS, HIGRESS_INGRESS_CLASS, type ClassGatewaySpec } from '../../net/ingress-classes.js';
import { classGatewayConfig, markClassLoadBalancers, servicesIn } from './class-ingress.js';
import type { Ingress } from '../../apis/networking/v1alpha1.js';
import { deepEqual } from '../../apis/deep-copy.js';
import { OWNER_INDEX } from '../../k8s/object-store.js';
import { makeVirtualServices } from '../../net/netistio/virtual-services.js';
import { gatewaysForIngress, loadBalancerStatus, makeHTTPServer, makeIngressGateways, publicHosts, shouldReconcileHTTPServer } from '../../net/netistio/gateways.js';
import { INGRESS_GATEWAY_SERVICE } from '../../net/istio/install.js';
import { getCondition } from '../conditions.js';
import { Controller } from '../controller-names.js';
import { markCondition, ownerName, putOwned, resyncOnConfigChange, startController, writeStatus, type ReconcilerContext } from '../context.js';

/** Where an Istio push goes: the ingress gateway's Envoys. */
export interface GatewayConfigSink {
  configure(gateways: readonly Gateway[], virtualServices: readonly VirtualService[], services: readonly K8sService[], plugins?: readonly WasmPlugin[]): void;
}

/** The gateways of the other ingress classes (Kourier, Higress), installed on first use. */
export interface ClassGateways {
  /** Installs the class's gateway (its Deployment and Services) if it is not yet, and returns it. */
  install(spec: ClassGatewaySpec): GatewayConfigSink;
  installed(): ReadonlyArray<{ spec: ClassGatewaySpec; sink: GatewayConfigSink }>;
}

/**
 * net-istio's KIngress reconciler (net-istio pkg/reconciler/ingress): a KIngress of the Istio
 * class becomes VirtualServices, which Istio pushes to the gateway's Envoys after the
 * `configPush` latency; a KIngress whose VirtualServices are live becomes Ready with the
 * Services of its config-istio gateways as its load balancers, and its owner (Route or
 * DomainMapping) hears of it. A change to config-istio or config-network re-reconciles every
 * KIngress (net-istio controller.go: FilteredGlobalResync on either).
 */
export class IngressReconciler {
  private pushScheduled = false;
  /**
   * KIngresses whose readiness the next push may change: reconciled since the last push, or
   * owning a VirtualService that changed since. Every other KIngress's status would be written
   * unchanged, so the push leaves it alone.
   */
  private readonly dirty = new Set<string>();

  constructor(
    private readonly ctx: ReconcilerContext,
    private readonly gateways: GatewayConfigSink,
    /** One Istio push latency draw, in ms. */
    private readonly pushDelayMs: () => number,
    private readonly classes?: ClassGateways,
  ) {
    startController(ctx, Controller.ingress, KINGRESS, (ns, name) => this.reconcile(ns, name));
    resyncOnConfigChange(ctx, Controller.ingress, KINGRESS);
    // A deleted KIngress's VirtualServices go with it (owner references); Istio pushes the change.
    ctx.store.watch(KINGRESS, (ev) => ev === 'deleted' && this.schedulePush());
    ctx.store.watch(VIRTUALSERVICE, (_ev, vs) => {
      const owner = ownerName(vs, 'Ingress');
      if (owner !== undefined) this.dirty.add(`${vs.metadata.namespace ?? 'default'}/${owner}`);
      this.schedulePush();
    });
    ctx.store.watch(GATEWAY, () => this.schedulePush());
    // A WasmPlugin exists only where Higress is installed; its controller pushes it to its gateway.
    ctx.store.watch(WASMPLUGIN, () => {
      this.classes?.install(CLASS_GATEWAYS.get(HIGRESS_INGRESS_CLASS)!);
      this.schedulePush();
    });
    this.schedulePush();
  }

  /** No Istio push is pending. */
  get idle(): boolean {
    return !this.pushScheduled;
  }

  reconcile(ns: string, name: string): void {
    const ctx = this.ctx;
    const store = ctx.store;
    const ing = store.get(KINGRESS, ns, name);
    if (!ing) return;
    const cls = ing.metadata.annotations?.['networking.knative.dev/ingress.class'] ?? ctx.config.serving.network.defaultIngressClass;
    if (cls !== ISTIO_INGRESS_CLASS) return this.reconcileOtherClass(ing, cls);
    // The gateways config-istio gives this Ingress (GatewaysFromContext). One whose plain HTTP
    // is redirected gets Gateways of its own with an httpsRedirect server, on the Services of
    // its public gateways; otherwise those gateways serve it (net-istio ingress.go).
    const gateways = gatewaysForIngress(ctx.config.serving.istio, ing.metadata.labels);
    let publicGateways = gateways.ExternalIP.map(gatewayQualifiedName);
    const ownGateways = new Set<string>();
    if (shouldReconcileHTTPServer(ing)) {
      const services = gateways.ExternalIP.flatMap((g) => {
        const [name, svcNs] = g.serviceURL.split('.') as [string, string | undefined];
        const svc = svcNs === undefined ? undefined : store.peek(K8SSERVICE, svcNs, name);
        return svc === undefined ? [] : [svc as K8sService];
      });
      const own = makeIngressGateways(ing, services, [makeHTTPServer(ing.spec.httpOption, publicHosts(ing))]);
      for (const gw of own) {
        putOwned(store, gw as KObject);
        ownGateways.add(gw.metadata.name);
      }
      publicGateways = own.map((g) => `${g.metadata.namespace}/${g.metadata.name}`);
    }
    for (const old of store.byIndex(GATEWAY, OWNER_INDEX, ns, `Ingress/${name}`)) {
      if (!ownGateways.has(old.metadata.name)) store.delete(GATEWAY, ns, old.metadata.name);
    }
    const vss = makeVirtualServices(ing, { publicGateways, localGateways: gateways.ClusterLocal.map(gatewayQualifiedName) }, ctx.config.serving.domain.clusterDomain);
    const wanted = new Set(vss.map((v) => v.metadata.name));
    for (const old of store.byIndex(VIRTUALSERVICE, OWNER_INDEX, ns, `Ingress/${name}`)) {
      if (!wanted.has(old.metadata.name)) store.delete(VIRTUALSERVICE, ns, old.metadata.name);
    }
    for (const vs of vss) putOwned(store, vs as KObject);
    if (ctx.trace.active) ctx.trace.emit({ type: 'virtualservices', t: ctx.env.now, namespace: ns, ingress: name, names: [...wanted].sort() });
    const st = (ing.status ??= {});
    if (getCondition(st.conditions as Condition[] | undefined, 'Ready')?.status !== 'True') {
      markCondition(ctx, ing, 'Ingress', 'Ready', 'Unknown', 'Uninitialized', 'Waiting for VirtualService to be ready');
    }
    writeStatus(ctx, ing);
    this.dirty.add(`${ns}/${name}`);
    this.schedulePush();
  }

  /**
   * A KIngress of another class: its controller (Kourier's, Higress's) programs its own gateway
   * at the next push; the VirtualServices and Gateways net-istio made for it when it was of the
   * Istio class go. A class nobody serves leaves it unprogrammed, as on a cluster without that
   * controller.
   */
  private reconcileOtherClass(ing: Ingress, cls: string): void {
    const ctx = this.ctx;
    const ns = ing.metadata.namespace ?? 'default';
    for (const kind of [VIRTUALSERVICE, GATEWAY]) {
      for (const old of ctx.store.list(kind, ns)) if (ownerName(old, 'Ingress') === ing.metadata.name) ctx.store.delete(kind, ns, old.metadata.name);
    }
    const spec = CLASS_GATEWAYS.get(cls);
    if (spec === undefined || this.classes === undefined) return;
    this.classes.install(spec);
    const st = (ing.status ??= {});
    if (getCondition(st.conditions as Condition[] | undefined, 'Ready')?.status !== 'True' || st.observedGeneration !== ing.metadata.generation) {
      markCondition(ctx, ing, 'Ingress', 'Ready', 'Unknown', 'Uninitialized', `Waiting for the ${cls} gateway to be programmed`);
      writeStatus(ctx, ing);
    }
    this.schedulePush();
  }

  /** Each installed class gateway gets its KIngresses (and, for Higress, Istio's objects and the WasmPlugins); those KIngresses become Ready. */
  private pushClasses(): void {
    if (this.classes === undefined) return;
    const ctx = this.ctx;
    const store = ctx.store;
    // config-istio naming Higress's gateway Service (seed 004's second solution) means Higress is installed.
    const istio = ctx.config.serving.istio;
    if ([...istio.ingressGateways, ...istio.localGateways].some((g) => g.serviceURL.startsWith('higress-gateway.higress-system.'))) this.classes.install(CLASS_GATEWAYS.get(HIGRESS_INGRESS_CLASS)!);
    const clusterDomain = ctx.config.serving.domain.clusterDomain;
    const defaultClass = ctx.config.serving.network.defaultIngressClass;
    const classOf = (ing: Ingress) => ing.metadata.annotations?.['networking.knative.dev/ingress.class'] ?? defaultClass;
    for (const { spec, sink } of this.classes.installed()) {
      const ingresses = store.list(KINGRESS).filter((i) => classOf(i) === spec.ingressClass);
      const c = classGatewayConfig(spec, ingresses, clusterDomain, { gateways: store.list(GATEWAY), virtualServices: store.list(VIRTUALSERVICE), plugins: store.list(WASMPLUGIN) });
      sink.configure(c.gateways as unknown as Gateway[], c.virtualServices as unknown as VirtualService[], servicesIn(store.list(K8SSERVICE), spec.namespace), c.plugins);
      for (const ing of ingresses) {
        const wasReady = getCondition(ing.status?.conditions, 'Ready')?.status === 'True' && ing.status?.observedGeneration === ing.metadata.generation;
        const lbChanged = markClassLoadBalancers(ing, spec, clusterDomain);
        if (wasReady && !lbChanged) continue;
        ing.status!.observedGeneration = ing.metadata.generation ?? 1;
        markCondition(ctx, ing, 'Ingress', 'LoadBalancerReady', 'True');
        markCondition(ctx, ing, 'Ingress', 'NetworkConfigured', 'True');
        markCondition(ctx, ing, 'Ingress', 'Ready', 'True');
        writeStatus(ctx, ing);
        this.notifyOwner(ing);
      }
    }
  }

  private notifyOwner(ing: Ingress): void {
    const ns = ing.metadata.namespace ?? 'default';
    const route = ownerName(ing, 'Route');
    if (route) this.ctx.queue.enqueue(Controller.route, `${ns}/${route}`);
    const dm = ownerName(ing, 'DomainMapping');
    if (dm) this.ctx.queue.enqueue(Controller.domainMapping, `${ns}/${dm}`);
  }

  private schedulePush(): void {
    if (this.pushScheduled) return;
    this.pushScheduled = true;
    this.ctx.env.timeout(Math.max(0, this.pushDelayMs())).addCallback(() => {
      this.pushScheduled = false;
      this.push();
    });
  }

  /** Istio pushes the current Gateways and VirtualServices to the gateway Envoys; KIngresses whose VirtualServices are live become Ready. */
  private push(): void {
    const ctx = this.ctx;
    const store = ctx.store;
    this.gateways.configure(store.view(GATEWAY), store.view(VIRTUALSERVICE), store.view(K8SSERVICE, INGRESS_GATEWAY_SERVICE.namespace));
    // Every VirtualService stored is in this push, so a KIngress that has any is live. Only those
    // whose state may have changed since the last push are looked at, in the order of a listing.
    const keys = [...this.dirty].sort((a, b) => {
      const [an, aname] = a.split('/') as [string, string];
      const [bn, bname] = b.split('/') as [string, string];
      return an < bn ? -1 : an > bn ? 1 : aname < bname ? -1 : aname > bname ? 1 : 0;
    });
    this.dirty.clear();
    for (const key of keys) {
      const [ns, name] = key.split('/') as [string, string];
      if (store.byIndex(VIRTUALSERVICE, OWNER_INDEX, ns, `Ingress/${name}`).length === 0) continue;
      const ing = store.get(KINGRESS, ns, name);
      if (ing === undefined) continue;
      const wasReady = getCondition(ing.status?.conditions, 'Ready')?.status === 'True' && ing.status?.observedGeneration === ing.metadata.generation;
      const lbChanged = this.markLoadBalancers(ing);
      ing.status!.observedGeneration = ing.metadata.generation ?? 1;
      markCondition(ctx, ing, 'Ingress', 'LoadBalancerReady', 'True');
      markCondition(ctx, ing, 'Ingress', 'NetworkConfigured', 'True');
      markCondition(ctx, ing, 'Ingress', 'Ready', 'True');
      writeStatus(ctx, ing);
      // The owner's placeholder Services follow the load balancers (the Route watches its KIngress).
      if (!wasReady || lbChanged) this.notifyOwner(ing);
    }
    this.pushClasses();
  }

  /**
   * MarkLoadBalancerReady with the Services of the KIngress's gateways (net-istio ingress.go
   * reconcileIngress), not the Services knsim installed: config-istio may name any. Returns
   * whether they changed.
   */
  private markLoadBalancers(ing: Ingress): boolean {
    const gateways = gatewaysForIngress(this.ctx.config.serving.istio, ing.metadata.labels);
    const st = (ing.status ??= {});
    const publicLoadBalancer = { ingress: loadBalancerStatus(gateways.ExternalIP) };
    const privateLoadBalancer = { ingress: loadBalancerStatus(gateways.ClusterLocal) };
    const changed = !deepEqual(st.publicLoadBalancer, publicLoadBalancer) || !deepEqual(st.privateLoadBalancer, privateLoadBalancer);
    st.publicLoadBalancer = publicLoadBalancer;
    st.privateLoadBalancer = privateLoadBalancer;
    return changed;
  }
}
