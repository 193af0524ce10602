import { Environment } from '../engine/environment.js';
import { RngStreams, hashLabel, mulberry32, type Rng } from '../engine/rng.js';
import type { Event } from '../engine/event.js';
import { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import { NotFoundError, NotReadyError, UserInputError } from '../apis/errors.js';
import { isDNS1123Subdomain } from '../apis/k8s-validation.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../apis/networking/hosts.js';
import { makeLatencyModel, type LatencyModel, type LatencyOverrides } from '../apis/config/latencies.js';
import { groupKindForRef, K8SSERVICE, KDOMAINMAPPING, SYSTEM_NAMESPACE, type ObjectRef } from '../apis/kinds.js';
import { ActivatorPod, ACTIVATOR_PORT } from '../activator/activator.js';
import type { UserHandler } from '../app/behavior.js';
import type { AppFaults } from '../app/app-faults.js';
import { GatewayFleet } from '../gateway/fleet.js';
import type { GatewayHost } from '../gateway/host.js';
import { defaultGateways } from '../apis/config/istio.js';
import { CLASS_GATEWAYS, type ClassGatewaySpec } from '../net/ingress-classes.js';
import { AddressAllocator, randomSuffix, templateHash } from '../k8s/addresses.js';
import { EndpointsTable, type EndpointsReader } from '../k8s/endpoints.js';
import { publishSelectedEndpoints } from '../k8s/selected-endpoints.js';
import { KubeProxy } from '../k8s/kube-proxy.js';
import { Network } from '../k8s/network.js';
import { ObjectStore } from '../k8s/object-store.js';
import { Scheduler } from '../k8s/scheduler.js';
import { makeNodeAllocatable, type NodeResourcesOption } from '../k8s/resources.js';
import { ServiceIndex } from '../k8s/services.js';
import { ClusterDns, type ClientResolution, type ClusterDnsSource } from '../net/dns/cluster-dns.js';
import { GATEWAY_POD_LABELS } from '../net/istio/install.js';
import { ConfigStore } from '../reconciler/config-store.js';
import type { ReconcilerContext } from '../reconciler/context.js';
import { WorkQueue } from '../reconciler/workqueue.js';
import { ServiceReconciler } from '../reconciler/service/reconciler.js';
import { ConfigurationReconciler } from '../reconciler/configuration/reconciler.js';
import { RevisionReconciler } from '../reconciler/revision/reconciler.js';
import { RevisionRegistry } from '../reconciler/revision/registry.js';
import { RevisionEndpointsPublisher } from '../reconciler/revision/endpoints.js';
import type { RevisionHost, RevisionRuntime, RevisionSample } from '../reconciler/revision/runtime.js';
import type { Pod } from '../k8s/pod.js';
import { RouteReconciler } from '../reconciler/route/reconciler.js';
import { DomainMappingReconciler } from '../reconciler/domainmapping/reconciler.js';
import { IngressReconciler, type ClassGateways } from '../reconciler/ingress/reconciler.js';
import { ApiServer } from './api-server.js';
import { clientRequest, ParsedUrls, RequestIds, type ClientHost } from './client.js';
import { unreadyObjects } from './readiness.js';
import { installSystem } from './system.js';
import { inspectCluster, storeKey, STORED_KINDS, type ClusterSnapshot } from './inspect.js';
import type { ApplyResult, ClientRequest, ClientResponse } from './types.js';

/** The latest time a cluster runs to: the clock's exact range, 2^53 ns (about 104 days). */
const MAX_TIME_MS = 2 ** 53 / 1e6;

/** The activator's readinessProbe periodSeconds (config/core/deployments/activator.yaml). */
const ACTIVATOR_READINESS_PERIOD_MS = 5_000;
/** The Istio ingress gateway's readinessProbe periodSeconds (manifests/charts/gateway). */
const GATEWAY_READINESS_PERIOD_MS = 2_000;
/** kube-controller-manager --node-monitor-grace-period (40 s through Kubernetes 1.31). */
export const NODE_MONITOR_GRACE_PERIOD_MS = 40_000;
/**
 * tolerationSeconds of the node.kubernetes.io/not-ready and unreachable NoExecute tolerations the
 * DefaultTolerationSeconds admission plugin adds to every pod (plugin/pkg/admission/defaulttolerationseconds).
 */
export const NOT_READY_TOLERATION_MS = 300_000;

/** What a restartActivator / restartGateway fault did. */
export interface RestartResult {
  /** The pod whose container restarted. */
  readonly pod: string;
  /** The requests that were inside it (their connections reset). */
  readonly requestsReset: number;
  /** When it is Ready again (simulated ms). */
  readonly readyAtMs: number;
}

/** What a loseNode fault did, and when the node lifecycle controller acts. */
export interface LoseNodeResult {
  /** The pods on the node (they stopped answering). */
  readonly pods: readonly string[];
  /** When the node and its pods are marked NotReady (they leave the endpoints). */
  readonly notReadyAtMs: number;
  /** When the pods are evicted (and replaced). */
  readonly evictedAtMs: number;
}

/** The most nodes, activators or gateway replicas a cluster is built with (docs/limits.md). */
const MAX_REPLICAS = 1000;

export interface ClusterOptions {
  /** Root seed of every random stream (default 1). */
  seed?: number | string;
  /** The default domain in config-domain (default example.com; Knative ≥ 1.8 defaults to svc.cluster.local). */
  domain?: string;
  /**
   * Kubernetes' cluster domain, the kubelet's `clusterDomain` (default cluster.local): CoreDNS's
   * zone and the pods' search path, the domain Knative (network.GetClusterDomainName) and
   * Istio (istiod's `--domain`) use for Services, cluster-local routes and the gateways.
   */
  clusterDomain?: string;
  /** ConfigMap data overrides by ConfigMap name (Knative's keys): { 'config-autoscaler': { 'stable-window': '30s' } }. */
  config?: Record<string, Record<string, string>>;
  /** Latency distributions overriding the calibrated defaults (docs/cluster.md, "Calibration"). */
  latencies?: LatencyOverrides;
  /** Activator replicas (default 1, as Knative's HPA minimum). */
  activators?: number;
  /** istio-ingressgateway replicas (default 1). */
  gatewayReplicas?: number;
  /** Worker nodes (default 3); each caches the images its pods pulled. */
  nodes?: number;
  /**
   * Each node's allocatable CPU, memory and pod count (default a GKE n1-standard-4: `3920m`,
   * `12700Mi`, 110; docs/calibration.md). Quantities as Kubernetes writes them.
   */
  nodeResources?: NodeResourcesOption;
  /** Record each request's hops (default true; benchmarks turn it off). */
  hops?: boolean;
  /** Seeded permutation of simultaneous events, to test independence from tie order. */
  tieShuffle?: boolean;
  /**
   * Run every autoscaler scrape and tick, even those that provably change nothing (a revision at
   * zero with no metric data parks its timers by default). The results are the same either way;
   * tests compare both.
   */
  alwaysTick?: boolean;
}

/** A revision as a user inspects it: its pods, scaling state and history (read-only). */
export interface RevisionView {
  readonly name: string;
  readonly namespace: string;
  readonly readyPods: readonly { readonly name: string }[];
  readonly desiredScale: number;
  readonly replicas: number;
  readonly panicking: boolean;
  readonly activatorInPath: boolean;
  readonly sksMode: 'Proxy' | 'Serve';
  readonly paState: string;
  readonly timeline: readonly RevisionSample[];
  readonly coldStarts: number;
  readonly maxReadyPods: number;
}

/**
 * What the control plane has done since the cluster was built (counters that only grow): take
 * two and subtract to see what one change cost.
 */
export interface ControlPlaneStats {
  /** Reconciles run, by controller (`service`, `configuration`, `route`, `ingress`, `domainmapping`). */
  readonly reconciles: Readonly<Record<string, number>>;
  /** Objects the API server's store handed out (copies and read-only views). */
  readonly objectsRead: number;
  /** Objects deep-copied into or out of the store. */
  readonly objectsCopied: number;
  /** VirtualServices Istio translated into the gateway's route configuration. */
  readonly virtualServicesTranslated: number;
}

/** The kubelet's --cluster-domain must be a DNS-1123 subdomain (k8s.io/kubernetes pkg/kubelet/apis/config/validation). */
function checkClusterDomain(domain: string): string {
  const errs = typeof domain === 'string' ? isDNS1123Subdomain(domain) : ['must be a string'];
  if (errs.length > 0) throw new UserInputError(`clusterDomain: Invalid value: ${JSON.stringify(domain)}: ${errs.join('; ')}`);
  return domain;
}

const wholeAtLeastOne = (what: string, n: number): number => {
  if (!(Number.isInteger(n) && n >= 1)) throw new UserInputError(`${what} must be a whole number >= 1, got ${n}`);
  if (n > MAX_REPLICAS) throw new UserInputError(`${what} must be at most ${MAX_REPLICAS} (knsim's limit, docs/limits.md), got ${n}`);
  return n;
};

/**
 * A simulated Kubernetes cluster with Knative Serving and net-istio installed at their
 * defaults. This class is the composition root: it builds the parts — the API server, the
 * controllers (one reconciler per kind, on the simulated clock), the istio-ingressgateway,
 * activator, autoscaler and revision pods, cluster DNS, kube-proxy — wires them through narrow
 * interfaces, and offers the user's API. Time is simulated milliseconds; nothing reads real time.
 */
export class Cluster {
  /** The simulation's clock and event loop. */
  readonly env: Environment;
  /** Every decision worth a reader's time, as typed events (subscribe with `trace.on`). */
  readonly trace = new TraceBus<KnsimTraceEvent>();
  private readonly streams: RngStreams;
  private readonly store = new ObjectStore();
  private readonly api: ApiServer;
  private readonly config: ConfigStore;
  private readonly queue: WorkQueue;
  private readonly ingress: IngressReconciler;
  private readonly revisionRegistry: RevisionRegistry;
  private readonly scheduler: Scheduler;
  private readonly dns: ClusterDns;
  private readonly kubeProxy: KubeProxy;
  private readonly gateways: GatewayFleet;
  private readonly registeredApps = new Map<string, UserHandler>();
  private readonly requestIds = new RequestIds();
  private readonly clientRng: Rng;
  private readonly client: ClientHost;
  /** When each stored object was created (simulated ms), for `kubectl get`'s AGE. */
  private readonly endpointsTable: EndpointsTable;
  private readonly createdAt = new Map<string, number>();
  private readonly systemPods: Array<{ namespace: string; name: string; ip: string; labels: Record<string, string> }> = [];
  private readonly inspectDns: { clusterDomain: string; publicIp: () => string; externalDomains: () => string[] };
  private readonly net: Network;
  private readonly latencies: LatencyModel;
  private readonly activatorPods: ActivatorPod[];
  /** Every gateway Deployment installed (Istio's first), and how to publish its ready pods as endpoints. */
  private readonly gatewayFleets = new Map<GatewayFleet, (ready: ReadonlyArray<{ ip: string; pod: string }>) => void>();
  /** Nodes lost (loseNode), in order. */
  private readonly lostNodes = new Set<string>();
  /** slowControlPlane windows: extra ms on each Istio push and endpoints propagation while open. */
  private readonly slowWindows: Array<{ fromMs: number; toMs: number; pushMs: number; endpointsMs: number }> = [];
  private readonly controllersRng: Rng;

  constructor(options: ClusterOptions = {}) {
    const seed = options.seed ?? 1;
    // Above 2^53 neighbouring seeds are one double: two seeds would silently give one run.
    if (!(typeof seed === 'string' || Number.isSafeInteger(seed))) throw new UserInputError(`seed must be a whole number of at most 2^53-1 in size, or a string, got ${String(seed)}`);
    const streams = (this.streams = new RngStreams(seed));
    const env = (this.env = new Environment(options.tieShuffle ? { tieShuffle: streams.fork('tie-shuffle') } : {}));
    const trace = this.trace;
    const store = this.store;
    const clusterDomain = checkClusterDomain(options.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN);
    const latencies: LatencyModel = (this.latencies = makeLatencyModel(options.latencies));
    const net = (this.net = new Network(env, latencies.network, streams.fork('network')));
    const nameRng = streams.fork('names');
    this.clientRng = streams.fork('clients');
    const scheduler = (this.scheduler = new Scheduler(env, wholeAtLeastOne('nodes', options.nodes ?? 3), makeNodeAllocatable(options.nodeResources)));
    const addresses = new AddressAllocator();
    const loadBalancerIp = addresses.externalIp();
    const endpoints = new EndpointsTable();
    const services = new ServiceIndex(store, addresses);
    const revisions = (this.revisionRegistry = new RevisionRegistry(env, trace));
    for (const gk of STORED_KINDS) {
      store.watch(gk, (event, obj) => {
        const key = storeKey(gk, obj.metadata.namespace ?? '', obj.metadata.name);
        if (event === 'deleted') this.createdAt.delete(key);
        else if (!this.createdAt.has(key)) this.createdAt.set(key, env.now);
      });
    }

    // Activator pods (knative-serving/activator).
    const activators: ActivatorPod[] = (this.activatorPods = []);
    const actHash = templateHash('activator');
    for (let i = 0; i < wholeAtLeastOne('activators', options.activators ?? 1); i++) {
      const name = `activator-${actHash}-${randomSuffix(() => nameRng.next(), 5)}`;
      const ip = addresses.podIp();
      const a = new ActivatorPod(
        env,
        name,
        ip,
        net,
        { revision: (ns, rev) => revisions.revisionInfo(ns, rev), probe: (podIp) => revisions.probeQueueProxy(podIp) },
        (stat) => revisions.activatorStat(stat),
        latencies.activatorProcessing,
        streams.fork(`activator/${i}`),
        trace,
      );
      net.listen(ip, ACTIVATOR_PORT, a.handler);
      activators.push(a);
    }

    // External names lead to the public load balancer of the default ingress class's KIngresses
    // (a function of the objects: kept while none changes, clients ask on every request).
    let publicIpAt = { version: -1, ip: loadBalancerIp };
    const publicIp = () => {
      if (publicIpAt.version !== store.version) publicIpAt = { version: store.version, ip: this.publicLoadBalancerIp(services, loadBalancerIp) };
      return publicIpAt.ip;
    };
    const externalDomains = () => {
      const domains = Object.keys(this.config.serving.domain.domains).filter((d) => !d.endsWith(clusterDomain));
      return [...domains, ...store.list(KDOMAINMAPPING).map((d) => d.metadata.name)];
    };
    this.inspectDns = { clusterDomain, publicIp, externalDomains };
    this.dns = new ClusterDns(
      new DnsSource(
        clusterDomain,
        publicIp,
        () => store.version,
        () => ({ domains: Object.keys(this.config.serving.domain.domains), mapped: store.list(KDOMAINMAPPING).map((d) => d.metadata.name) }),
        (ns, name) => services.service(ns, name),
        endpoints,
      ),
    );
    // The istio-ingressgateway Deployment; the Services that select its pods (its two, or one a user adds) have them as endpoints.
    const gatewayHost: GatewayHost = {
        env,
        net,
        trace,
        gatewayProcessing: latencies.gatewayProcessing,
        rngFor: (label) => streams.fork(label),
        allocatePodIp: () => addresses.podIp(),
        service: (ns, name) => services.service(ns, name) as K8sService | undefined,
        endpoints: (key) => endpoints.get(key),
        objectsVersion: () => store.version,
        clusterDomain,
      };
    const gatewayReplicas = wholeAtLeastOne('gatewayReplicas', options.gatewayReplicas ?? 1);
    const gateways = new GatewayFleet(gatewayHost, gatewayReplicas);
    this.gatewayFleets.set(gateways, publishSelectedEndpoints(store, endpoints, { labels: GATEWAY_POD_LABELS, addresses: gateways.podAddresses() }));
    for (const a of activators) this.systemPods.push({ namespace: SYSTEM_NAMESPACE, name: a.name, ip: a.ip, labels: { app: 'activator' } });
    for (const g of gateways.podAddresses()) this.systemPods.push({ namespace: 'istio-system', name: g.pod, ip: g.ip, labels: { ...GATEWAY_POD_LABELS } });
    this.endpointsTable = endpoints;

    // The API server, Knative's ConfigMaps and the system objects a fresh install has.
    const controllersRng = (this.controllersRng = streams.fork('controllers'));
    this.config = new ConfigStore(store, options.config ?? {}, options.domain, clusterDomain);
    const assignClusterIp = services.assignClusterIp.bind(services);
    this.api = new ApiServer(env, store, this.config, trace, assignClusterIp);
    installSystem({ store, endpoints, assignClusterIp, loadBalancerIp, activators: activators.map((a) => ({ ip: a.ip, pod: a.name })) });

    // The controllers.
    // A key's reconcile latency comes from a stream of the seed, controller, key and time alone:
    // enqueueing one object never shifts another's timing, so a controller that enqueues only
    // the keys a change affects behaves as one that enqueues more.
    const seedLabel = String(streams.seed);
    const reconcileDelay = (controller: string, key: string) => latencies.reconcile.sample(mulberry32(hashLabel(`${seedLabel}\u0000${controller}\u0000${key}\u0000${env.now}`)));
    const queue = (this.queue = new WorkQueue(env, reconcileDelay, trace));
    const ctx: ReconcilerContext = { env, store, trace, queue, config: this.config, rng: controllersRng };
    const publisher = new RevisionEndpointsPublisher(env, endpoints, activators, trace, () => this.endpointsDelay());
    // Constructed in the order of their global resyncs when the configuration changes.
    new RouteReconciler(ctx, { assignClusterIp, syncRouteLabels: (ns, route, listed) => revisions.syncRouteLabels(ns, route, listed) });
    new ServiceReconciler(ctx);
    new ConfigurationReconciler(ctx);
    // Kourier's and Higress's gateways, installed when first used (so a cluster that never
    // uses them allocates nothing for them).
    const classFleets = new Map<ClassGatewaySpec, GatewayFleet>();
    const classes: ClassGateways = {
      install: (spec) => {
        let fleet = classFleets.get(spec);
        if (fleet === undefined) {
          fleet = new GatewayFleet(gatewayHost, gatewayReplicas, spec);
          classFleets.set(spec, fleet);
          this.gatewayFleets.set(fleet, publishSelectedEndpoints(store, endpoints, { labels: spec.podLabels, addresses: fleet.podAddresses() }));
          for (const svc of spec.services()) {
            // A Service of that name someone applied before stays theirs.
            if (store.get(K8SSERVICE, svc.metadata.namespace!, svc.metadata.name) !== undefined) continue;
            if (svc.spec.type === 'LoadBalancer') svc.status = { loadBalancer: { ingress: [{ ip: addresses.externalIp() }] } };
            store.put(assignClusterIp(svc));
          }
        }
        return fleet;
      },
      installed: () => [...classFleets].map(([spec, sink]) => ({ spec, sink })),
    };
    this.ingress = new IngressReconciler(ctx, gateways, () => latencies.configPush.sample(controllersRng) + this.slowExtra(env.now, 'pushMs'), classes);
    new DomainMappingReconciler(ctx);
    let outboundRng: Rng | undefined;
    const host: RevisionHost = {
      env,
      net,
      latencies,
      trace,
      allocateIp: () => addresses.podIp(),
      imageCached: (node, image) => scheduler.imageCached(node, image),
      hasImage: (node, image) => scheduler.hasImage(node, image),
      pickNode: (pod) => scheduler.pickNode(pod),
      unschedulableMessage: (pod) => scheduler.unschedulableMessage(pod),
      roomFreed: () => scheduler.roomFreed(),
      node: (name) => scheduler.node(name),
      changed: (pod) => {
        if (pod.phase === 'Terminated') scheduler.release(pod.name);
        revisions.podChanged(pod);
      },
      rngFor: (label) => streams.fork(label),
      podName: (revision) => `${revision}-deployment-${templateHash(revision)}-${randomSuffix(() => nameRng.next(), 5)}`,
      // The activator Service's ready endpoints (a restarting activator leaves them while not Ready).
      activatorIps: () => activators.filter((a) => a.ready).map((a) => a.ip).sort(),
      publishEndpoints: (rt) => publisher.publish(rt),
      revisionStatusChanged: (rt) => revisionReconciler.statusChanged(rt),
      alwaysTick: options.alwaysTick ?? false,
      outbound: (req) => clientRequest(this.client, req, this.requestIds.next(), (outboundRng ??= streams.fork('pod-outbound'))),
    };
    const revisionReconciler = new RevisionReconciler(ctx, { registry: revisions, endpoints: publisher, host, latencies, apps: this.registeredApps, assignClusterIp });
    this.gateways = gateways;
    this.config.watch();

    // The client side: DNS, kube-proxy and the cloud load balancer.
    this.kubeProxy = new KubeProxy(services, endpoints, net, () => store.version);
    this.client = {
      env,
      net,
      trace,
      recordHops: options.hops ?? true,
      latencies,
      urls: new ParsedUrls(),
      loadBalancerIp: publicIp,
      resolveExternal: (name) => this.dns.resolveExternal(name),
      resolveInCluster: (name, ns, nowMs) => this.dns.resolveFromPod(name, ns, nowMs),
      pickBackend: (ip, port, rng) => this.kubeProxy.pickBackend(ip, port, rng),
    };
  }

  /**
   * The address external clients reach Knative at: the LoadBalancer IP of the public gateway
   * Service of the default ingress class (config-istio's external gateway for Istio, so seed
   * 004's second solution leads to higress-gateway; `kourier` for Kourier; `higress-gateway`
   * for Higress), or the install's istio-ingressgateway while that Service has none.
   */
  private publicLoadBalancerIp(services: ServiceIndex, fallback: string): string {
    const serving = this.config.serving;
    const cls = serving.network.defaultIngressClass;
    const spec = CLASS_GATEWAYS.get(cls);
    const url = spec !== undefined ? spec.publicService : (defaultGateways(serving.istio.ingressGateways)[0]?.serviceURL ?? '');
    const [name, ns] = url.split('.');
    if (name === undefined || ns === undefined) return fallback;
    return services.service(ns, name)?.status?.loadBalancer?.ingress?.[0]?.ip ?? fallback;
  }

  /** What the cluster's options set that nothing reads: unknown ConfigMaps and keys (Knative ignores them too). */
  get warnings(): readonly string[] {
    return this.config.warnings;
  }

  /** The control plane's work so far: reconciles by controller, objects read and copied, VirtualServices translated. */
  controlPlaneStats(): ControlPlaneStats {
    const reconciles: Record<string, number> = {};
    for (const c of [...this.queue.reconciles.keys()].sort()) reconciles[c] = this.queue.reconciles.get(c)!;
    return { reconciles, objectsRead: this.store.stats.objectsRead, objectsCopied: this.store.stats.objectsCopied, virtualServicesTranslated: this.gateways.virtualServicesTranslated };
  }

  /** The simulated clock, in ms. */
  get now(): number {
    return this.env.now;
  }

  // ------------------------------------------------------------------ objects

  /** kubectl apply: create or update every object of the input, all or nothing. */
  apply(input: string | KObject | readonly KObject[], opts: { file?: string } = {}): ApplyResult {
    return this.api.apply(input, opts.file);
  }

  /** Checks objects as the admission webhook would, applying the valid ones (so later files validate as updates). */
  validate(input: string | KObject | readonly KObject[], opts: { file?: string } = {}): { errors: string[]; warnings: string[] } {
    return this.api.validate(input, opts.file);
  }

  /** kubectl delete. */
  delete(ref: ObjectRef): void {
    this.api.delete(ref);
  }

  /** kubectl label (null removes a label). */
  label(ref: ObjectRef, labels: Record<string, string | null>): void {
    this.api.label(ref, labels);
  }

  /** An object as the API server has it now (with status), or undefined. */
  get<T extends KObject = KObject>(ref: ObjectRef): T | undefined {
    return this.api.get(groupKindForRef(ref), ref.namespace ?? 'default', ref.name) as T | undefined;
  }

  /** Registers the behaviour of an image (matched by repository name, e.g. "my-app", or the full image). */
  registerApp(image: string, handler: UserHandler): void {
    if (typeof image !== 'string' || image === '') throw new UserInputError(`registerApp: want an image name, got ${JSON.stringify(image)}`);
    if (typeof handler !== 'function') throw new UserInputError(`registerApp(${JSON.stringify(image)}): the handler must be a function`);
    this.registeredApps.set(image, handler);
  }

  /**
   * The cluster as `kubectl get -o json` shows it now, as plain JSON: the stored objects with
   * their status, and the Pods, Endpoints, PodAutoscalers and ServerlessServices beside them
   * (what `knsim get`, `describe` and `dig` read, and `knsim run` saves).
   */
  inspect(): ClusterSnapshot {
    const d = this.inspectDns;
    return inspectCluster({
      nowMs: this.env.now,
      clusterDomain: d.clusterDomain,
      loadBalancerIp: d.publicIp(),
      externalDomains: d.externalDomains(),
      store: this.store,
      createdAt: this.createdAt,
      revisions: this.revisionRegistry.values(),
      endpoints: (key) => this.endpointsTable.get(key),
      systemPods: this.systemPods,
    });
  }

  // ------------------------------------------------------------------ time

  runUntil(tMs: number): void {
    if (typeof tMs !== 'number' || !Number.isFinite(tMs)) throw new UserInputError(`cannot run until ${String(tMs)}: want a finite time in ms (a cluster never runs out of events: its controllers tick)`);
    if (tMs > MAX_TIME_MS) throw new UserInputError(`cannot run until ${tMs} ms: beyond knsim's limit of 2^53 ns (about 104 days, ${MAX_TIME_MS} ms)`);
    if (tMs < this.env.now) throw new UserInputError(`cannot run until ${tMs} ms: the clock is already at ${this.env.now} ms`);
    this.env.run({ until: tMs });
  }

  runFor(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new UserInputError(`runFor(${String(ms)}): want a finite duration >= 0 in ms`);
    this.runUntil(this.env.now + ms);
  }

  /**
   * Runs until every Knative object (Services, Configurations, Routes, DomainMappings and the
   * Revisions the Routes serve; or those with the given names) is Ready, as
   * `kubectl wait --for=condition=Ready` would, and the control plane has settled (no reconcile
   * queued, no push to the gateways pending), at most `timeoutMs` of simulated time (default 10
   * minutes). Throws NotReadyError naming an object that is not Ready, with its Ready
   * condition's reason and message.
   */
  waitForReady(opts: { timeoutMs?: number; names?: readonly string[]; namespace?: string } = {}): void {
    for (const _ of this.waitForReadySlices(opts));
  }

  /**
   * `waitForReady` in slices: the generator yields after each 50 ms poll, so a caller can do
   * other work between them (the CLI answers Ctrl-C); run to its end it is `waitForReady`.
   */
  *waitForReadySlices(opts: { timeoutMs?: number; names?: readonly string[]; namespace?: string } = {}): Generator<void, void, void> {
    const timeoutMs = opts.timeoutMs ?? 600_000;
    const deadline = this.env.now + timeoutMs;
    const step = 50;
    // Like `kubectl wait`, a Ready=False is not final at once: a Route can briefly miss a
    // revision its Configuration is still creating. It fails after staying False for 30 s.
    const falseSince = new Map<string, number>();
    // Which Services are pending depends on the stored objects alone: list them again only when
    // the store has changed since the last poll (most polls fall while pods start).
    let seen = -1;
    let pending: ReturnType<typeof unreadyObjects> = [];
    let keys: string[] = [];
    for (;;) {
      // The objects change only when the store does: list them again only then.
      if (this.store.version !== seen) {
        seen = this.store.version;
        pending = unreadyObjects(this.store, opts);
        keys = pending.map((p) => `${p.kind}/${p.namespace}/${p.name}`);
      }
      // Settled, or Ready while a failing reconcile keeps retrying: nothing more to wait for.
      if (pending.length === 0 && ((this.queue.idle && this.ingress.idle) || this.env.now >= deadline)) return;
      let failed: (typeof pending)[number] | undefined;
      for (let i = 0; i < pending.length; i++) {
        const p = pending[i]!;
        const k = keys[i]!;
        if (p.status === 'False') {
          if (!falseSince.has(k)) falseSince.set(k, this.env.now);
        } else falseSince.delete(k);
      }
      for (let i = 0; i < pending.length && failed === undefined; i++) if (pending[i]!.status === 'False' && this.env.now - falseSince.get(keys[i]!)! >= 30_000) failed = pending[i];
      if (failed !== undefined || (this.env.now >= deadline && pending.length > 0)) {
        const p = failed ?? pending[0]!;
        throw new NotReadyError(
          `${p.kind} ${p.namespace}/${p.name} is not Ready${failed ? '' : ` after ${Math.round((this.env.now - (deadline - timeoutMs)) / 1000)}s`}: ${p.reason ? `${p.reason}: ` : ''}${p.message || (p.kind === 'Service' ? 'waiting for its Configuration and Route' : 'waiting for its controller')}`,
          p.name,
          p.kind,
        );
      }
      this.env.run({ until: Math.min(deadline, this.env.now + step) });
      yield;
    }
  }

  // ------------------------------------------------------------------ requests

  /** Starts a request now; the event succeeds with the response. */
  send(req: ClientRequest): Event<ClientResponse> {
    const id = this.requestIds.next();
    // The client starts at once (resolving the name, connecting) rather than from a start event.
    return this.env.spawn(clientRequest(this.client, req, id, this.clientRng), 'client request');
  }

  /** Runs the simulation until this request has its response, and returns it. */
  runUntilDone(ev: Event<ClientResponse>): ClientResponse {
    return this.env.run({ until: ev }) as ClientResponse;
  }

  /** Sends one request and runs until it is answered. */
  request(req: ClientRequest): ClientResponse {
    return this.runUntilDone(this.send(req));
  }

  /** A name as an external client resolves it (the configured domains lead to the ingress gateway). */
  resolveExternal(name: string): ClientResolution {
    return this.dns.resolveExternal(name);
  }

  /** A name as a pod in the namespace resolves it (its search path, CoreDNS, the cache). */
  resolveInCluster(name: string, namespace: string, nowMs: number = this.env.now): ClientResolution {
    return this.dns.resolveFromPod(name, namespace, nowMs);
  }

  /** A random stream forked from the cluster's seed by a stable label (for load generators and tests). */
  rngFor(label: string): Rng {
    return this.streams.fork(label);
  }

  // ------------------------------------------------------------------ revisions

  /** Names of every revision that has run, sorted. */
  revisionNames(): string[] {
    return [...this.revisionRegistry.values()].map((r) => r.name).sort();
  }

  /** Every revision that has run, in the order they were created (names may repeat across namespaces). */
  revisions(): RevisionView[] {
    return [...this.revisionRegistry.values()];
  }

  revision(name: string, namespace = 'default'): RevisionView {
    return this.runtime(name, namespace);
  }

  private runtime(name: string, namespace: string): RevisionRuntime {
    const r = this.revisionRegistry.get(`${namespace}/${name}`);
    if (r === undefined) throw new NotFoundError(`revision ${namespace}/${name} not found`);
    return r;
  }

  revisionTimeline(name: string, namespace = 'default'): RevisionSample[] {
    return this.runtime(name, namespace).timeline;
  }

  coldStarts(name: string, namespace = 'default'): number {
    return this.runtime(name, namespace).coldStarts;
  }

  /**
   * A fault: `kubectl delete pod` of one of a revision's pods. It is terminated gracefully
   * (SIGTERM, queue-proxy's drain; requests in flight finish), leaves the endpoints when it stops
   * being Ready (after the endpoints' propagation delay), and the Deployment's ReplicaSet creates
   * its replacement at once. `pod.phase` trace events show both. NotFoundError for an unknown pod.
   */
  deletePod(revision: string, pod: string, namespace = 'default'): void {
    if (!this.runtime(revision, namespace).deletePod(pod)) throw new NotFoundError(`Error from server (NotFound): pods ${JSON.stringify(pod)} not found`);
  }

  /**
   * A fault: one of a revision's pods dies at once — `kubectl delete pod --grace-period=0
   * --force`, or its containers crash. Nothing drains: the requests on the pod fail as a reset
   * does (Envoy 503 UC, the activator 502, unless a retry policy retries them), the endpoints drop
   * it after their propagation delay (until then connections to it are refused), and the
   * Deployment's ReplicaSet creates its replacement at once. A `pod.phase` trace event with reason
   * `Killing: killed` marks it. NotFoundError for an unknown pod.
   */
  killPod(revision: string, pod: string, namespace = 'default'): void {
    if (!this.runtime(revision, namespace).killPod(pod, 'killed')) throw new NotFoundError(`Error from server (NotFound): pods ${JSON.stringify(pod)} not found`);
    if (this.trace.active) this.trace.emit({ type: 'fault', t: this.env.now, fault: 'killPod', namespace, revision, phase: 'start', detail: pod });
  }

  /**
   * A fault: `kubectl drain NODE`. The node is cordoned (no new pod goes there; it stays so) and
   * every revision pod on it is evicted gracefully — SIGTERM and queue-proxy's drain, as
   * `deletePod` — while the ReplicaSets create their replacements on the other nodes. Returns the
   * evicted pods. UserInputError for an unknown node or the last schedulable one (kubectl would
   * leave the replacements Pending).
   */
  drainNode(node: string): string[] {
    if (!this.scheduler.nodes.includes(node)) throw new UserInputError(`Error from server (NotFound): nodes ${JSON.stringify(node)} not found (nodes: ${this.scheduler.nodes.join(', ')})`);
    if (!this.scheduler.cordon(node)) throw new UserInputError(`cannot drain ${node}: it is the last schedulable node (knsim would have nowhere to put its pods)`);
    const evicted: string[] = [];
    for (const rt of [...this.revisionRegistry.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      for (const p of rt.pods.filter((p) => p.node === node && !p.deletionRequested && p.phase !== 'Terminated')) {
        rt.deletePod(p.name, 'evicted (node drained)');
        evicted.push(p.name);
      }
    }
    if (this.trace.active) this.trace.emit({ type: 'fault', t: this.env.now, fault: 'drainNode', namespace: '', revision: '', phase: 'start', detail: `${node}: evicted ${evicted.join(', ') || 'no pods'}` });
    return evicted;
  }

  /**
   * A fault: an activator pod's container exits and kubelet restarts it (a crash or OOM kill).
   * The requests inside it lose their connection (the gateway answers them 503 UC, retried only by
   * a `reset`/`5xx`/`gateway-error` policy); connections to it are refused until the new process
   * listens (503 UF at the gateway until the endpoints drop it). It leaves the activator Service's
   * endpoints and the revisions' activator subsets (after the endpoints' propagation delay) until
   * its readiness probe (periodSeconds 5, config/core/deployments/activator.yaml) passes again;
   * the other replicas take its share meanwhile. With a single activator (knsim's default) a
   * revision behind the activator has no public endpoints then: the gateway answers 503 UH.
   * `pod` names the activator (default: the first by name).
   */
  restartActivator(pod?: string): RestartResult {
    const a = this.pickPod('activator', this.activatorPods, pod);
    const env = this.env;
    const rng = this.streams.fork(`restart/${a.name}/${a.restarts}`);
    const reset = a.crash();
    this.net.close(a.ip, ACTIVATOR_PORT);
    this.emitFault('restartActivator', 'start', `${a.name}: container exited, ${reset} request(s) reset`);
    this.activatorsChanged();
    const upMs = Math.max(0, this.latencies.containerStart.sample(rng));
    const readyMs = upMs + Math.floor(rng.next() * ACTIVATOR_READINESS_PERIOD_MS) + 1;
    env.timeout(upMs).addCallback(() => this.net.listen(a.ip, ACTIVATOR_PORT, a.handler));
    env.timeout(readyMs).addCallback(() => {
      a.ready = true;
      this.activatorsChanged();
      this.emitFault('restartActivator', 'end', `${a.name}: Ready again (restarts: ${a.restarts})`);
    });
    return { pod: a.name, requestsReset: reset, readyAtMs: env.now + readyMs };
  }

  /**
   * A fault: an ingress gateway pod's Envoy exits and kubelet restarts it. Every request inside it
   * fails at the client (curl: `Recv failure: Connection reset by peer`); connections to it are
   * refused until the endpoints drop it (after their propagation delay); the new Envoy listens
   * after the container starts and is Ready (periodSeconds 2, Istio's gateway chart) once istiod
   * has pushed it its configuration (a configPush, slowed by slowControlPlane). The other replicas
   * take the traffic meanwhile; with one replica (knsim's default) the load balancer has no
   * backend: connections are refused. `pod` names the pod (default: the first of
   * istio-ingressgateway).
   */
  restartGateway(pod?: string): RestartResult {
    const fleets = [...this.gatewayFleets.keys()];
    const all = fleets.flatMap((f) => f.pods);
    const g = this.pickPod('gateway', pod === undefined ? fleets[0]!.pods : all, pod);
    const fleet = fleets.find((f) => f.pods.includes(g))!;
    const env = this.env;
    const rng = this.streams.fork(`restart/${g.name}/${g.restarts}`);
    const reset = g.crash();
    fleet.close(g);
    this.emitFault('restartGateway', 'start', `${g.name}: container exited, ${reset} request(s) reset`);
    const publish = () => {
      const ready = fleet.readyAddresses();
      env.timeout(this.endpointsDelay()).addCallback(() => this.gatewayFleets.get(fleet)!(fleet.readyAddresses()));
      return ready;
    };
    publish();
    const upMs = Math.max(0, this.latencies.containerStart.sample(rng));
    const configMs = Math.max(0, this.latencies.configPush.sample(rng)) + this.slowExtra(env.now, 'pushMs');
    // kubelet probes every 2 s; the first probe after the configuration arrived passes.
    const readyMs = Math.ceil((upMs + configMs) / GATEWAY_READINESS_PERIOD_MS) * GATEWAY_READINESS_PERIOD_MS;
    env.timeout(upMs).addCallback(() => fleet.listen(g));
    env.timeout(readyMs).addCallback(() => {
      g.ready = true;
      publish();
      this.emitFault('restartGateway', 'end', `${g.name}: Ready again (restarts: ${g.restarts})`);
    });
    return { pod: g.name, requestsReset: reset, readyAtMs: env.now + readyMs };
  }

  /**
   * A fault: a node disappears without a drain (power loss, a network partition). Its pods stop
   * answering at once — no reset comes back: requests inside them wait until a deadline above
   * them fires or the caller's kernel gives up (tcp_retries2, about 924.6 s), and new connections
   * time out (Envoy's connect_timeout 10 s: 503 UF; the activator's dialer 200 ms: 502). The
   * Endpoints still list them until the node lifecycle controller, having heard nothing from
   * kubelet for --node-monitor-grace-period (40 s, kube-controller-manager's default through
   * Kubernetes 1.31; 1.32 raised it to 50 s), marks the node NotReady and its pods NotReady
   * (MarkPodsNotReady, pkg/controller/nodelifecycle/node_lifecycle_controller.go). Its
   * node.kubernetes.io/unreachable:NoExecute taint evicts them after tolerationSeconds 300 (the
   * DefaultTolerationSeconds admission plugin's default toleration), and the ReplicaSets create
   * their replacements; the evicted pods stay Terminating (no kubelet confirms). knsim stops
   * scheduling to the node at once (Kubernetes waits for the NotReady taint). Returns the pods on
   * the node. UserInputError for an unknown or already lost node, or the last schedulable one.
   */
  loseNode(node: string): LoseNodeResult {
    if (!this.scheduler.nodes.includes(node)) throw new UserInputError(`Error from server (NotFound): nodes ${JSON.stringify(node)} not found (nodes: ${this.scheduler.nodes.join(', ')})`);
    if (this.lostNodes.has(node)) throw new UserInputError(`cannot lose ${node}: it is already lost`);
    if (!this.scheduler.cordon(node)) throw new UserInputError(`cannot lose ${node}: it is the last schedulable node (knsim would have nowhere to put its pods)`);
    this.lostNodes.add(node);
    const env = this.env;
    const onNode = () => {
      const out: Array<{ rt: RevisionRuntime; pods: Pod[] }> = [];
      for (const rt of [...this.revisionRegistry.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        const pods = rt.pods.filter((p) => p.node === node && p.phase !== 'Terminated' && p.lost);
        if (pods.length > 0) out.push({ rt, pods });
      }
      return out;
    };
    const lost: string[] = [];
    for (const rt of [...this.revisionRegistry.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      for (const p of rt.pods) {
        if (p.node !== node || p.phase === 'Terminated' || p.deletionRequested) continue;
        p.lose();
        lost.push(p.name);
      }
    }
    this.emitFault('loseNode', 'start', `${node} lost: ${lost.join(', ') || 'no pods'} stop answering`);
    const notReadyAt = env.now + NODE_MONITOR_GRACE_PERIOD_MS;
    env.timeoutAt(notReadyAt).addCallback(() => {
      const hit = onNode();
      for (const { pods } of hit) for (const p of pods) p.markNotReady(`NodeNotReady: node ${node} is NotReady (kubelet stopped posting status)`);
      this.emitFault('loseNode', 'notReady', `${node} NotReady after ${NODE_MONITOR_GRACE_PERIOD_MS / 1000}s: its pods leave the endpoints`);
    });
    env.timeoutAt(notReadyAt + NOT_READY_TOLERATION_MS).addCallback(() => {
      const hit = onNode();
      for (const { rt, pods } of hit) rt.evictLost(pods.filter((p) => !p.deletionRequested), `TaintManagerEviction: node ${node} unreachable for ${NOT_READY_TOLERATION_MS / 1000}s`);
      this.emitFault('loseNode', 'end', `${node}: pods evicted after tolerationSeconds ${NOT_READY_TOLERATION_MS / 1000}; replacements created`);
    });
    return { pods: lost, notReadyAtMs: notReadyAt, evictedAtMs: notReadyAt + NOT_READY_TOLERATION_MS };
  }

  /**
   * A fault: for `durationMs` from now the control plane is slow: every Istio push to the
   * gateways (istiod's debounce and xDS) takes `istioPushMs` longer, and every endpoints update
   * (the endpoints controller, EDS, the activator's informer) `endpointsMs` longer. New routes
   * and scale-ups reach the data plane late; pods that left still get traffic until then.
   */
  slowControlPlane(istioPushMs: number, endpointsMs: number, durationMs: number): void {
    for (const [what, v] of [['istioPush', istioPushMs], ['endpoints', endpointsMs]] as const) {
      if (!(Number.isFinite(v) && v >= 0 && v <= MAX_TIME_MS)) throw new UserInputError(`slowControlPlane: ${what} must be a number of ms from 0 to ${MAX_TIME_MS}, got ${v}`);
    }
    if (!(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= MAX_TIME_MS)) throw new UserInputError(`slowControlPlane: the duration must be a number of ms > 0 and at most ${MAX_TIME_MS}, got ${durationMs}`);
    const env = this.env;
    this.slowWindows.push({ fromMs: env.now, toMs: env.now + durationMs, pushMs: istioPushMs, endpointsMs });
    this.emitFault('slowControlPlane', 'start', `Istio pushes +${istioPushMs} ms, endpoints +${endpointsMs} ms`);
    env.timeoutAt(env.now + durationMs).addCallback(() => this.emitFault('slowControlPlane', 'end', 'control plane at its usual speed'));
  }

  /** The extra delay the open slowControlPlane windows add at `now` (their sum). */
  private slowExtra(now: number, which: 'pushMs' | 'endpointsMs'): number {
    let ms = 0;
    for (const w of this.slowWindows) if (now >= w.fromMs && now < w.toMs) ms += w[which];
    return ms;
  }

  /** One endpoints propagation delay (a draw, plus a slowControlPlane window's extra). */
  private endpointsDelay(): number {
    return this.latencies.endpointsPropagation.sample(this.controllersRng) + this.slowExtra(this.env.now, 'endpointsMs');
  }

  /** An activator's readiness changed: the activator Service's endpoints and every revision's subset follow. */
  private activatorsChanged(): void {
    const ready = this.activatorPods.filter((a) => a.ready).map((a) => ({ ip: a.ip, pod: a.name }));
    this.endpointsTable.set(`${SYSTEM_NAMESPACE}/activator-service`, ready);
    for (const rt of [...this.revisionRegistry.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) rt.activatorsChanged();
  }

  private pickPod<T extends { readonly name: string }>(what: string, pods: readonly T[], name: string | undefined): T {
    const sorted = [...pods].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (name === undefined) return sorted[0]!;
    const p = pods.find((x) => x.name === name);
    if (p === undefined) throw new NotFoundError(`Error from server (NotFound): pods ${JSON.stringify(name)} not found (${what} pods: ${sorted.map((x) => x.name).join(', ')})`);
    return p;
  }

  private emitFault(fault: string, phase: 'start' | 'end' | 'notReady', detail: string): void {
    if (this.trace.active) this.trace.emit({ type: 'fault', t: this.env.now, fault, namespace: '', revision: '', phase: phase === 'notReady' ? 'start' : phase, detail });
  }

  /**
   * A fault: for `durationMs` from now, a fraction (0–1) of the requests a revision's program
   * accepts answer 500 `Internal Server Error` (the app's own failure: queue-proxy and the proxies
   * pass it on; only a route whose retryOn covers 500 retries it), then it recovers. `fault`
   * trace events mark the start and the end.
   */
  appErrors(revision: string, fraction: number, durationMs: number, namespace = 'default'): void {
    if (!(Number.isFinite(fraction) && fraction >= 0 && fraction <= 1)) throw new UserInputError(`appErrors: fraction must be a number from 0 to 1, got ${fraction}`);
    this.appFault('appErrors', revision, durationMs, namespace, `${fraction} of requests answer 500`, (f, from, to) => f.addErrors(from, to, fraction));
  }

  /**
   * A fault: for `durationMs` from now, every request a revision's program accepts takes `addMs`
   * longer (its timeouts still apply), then it recovers. `fault` trace events mark the window.
   */
  appSlow(revision: string, addMs: number, durationMs: number, namespace = 'default'): void {
    if (!(Number.isFinite(addMs) && addMs >= 0)) throw new UserInputError(`appSlow: the added latency must be a finite number of ms >= 0, got ${addMs}`);
    this.appFault('appSlow', revision, durationMs, namespace, `+${addMs} ms per request`, (f, from, to) => f.addSlow(from, to, addMs));
  }

  /**
   * A fault: for `durationMs` from now, pulling a revision's image fails (the registry refuses
   * it). A new pod on a node without the image waits in `ErrImagePull` / `ImagePullBackOff`,
   * retrying after kubelet's back-off (10 s doubling to 300 s), and pulls it at the first attempt
   * after the window; a node that has the image does not pull it (IfNotPresent).
   */
  imagePullFailure(revision: string, durationMs: number, namespace = 'default'): void {
    this.appFault('imagePullFailure', revision, durationMs, namespace, 'image pulls fail', (f, from, to) => f.addPullFailure(from, to));
  }

  private appFault(fault: string, revision: string, durationMs: number, namespace: string, detail: string, add: (f: AppFaults, fromMs: number, toMs: number) => void): void {
    if (!(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= MAX_TIME_MS)) throw new UserInputError(`${fault}: the duration must be a number of ms > 0 and at most ${MAX_TIME_MS}, got ${durationMs}`);
    const rt = this.runtime(revision, namespace);
    const env = this.env;
    const from = env.now;
    const to = from + durationMs;
    add(rt.template.appFaults, from, to);
    const trace = this.trace;
    const emit = (phase: 'start' | 'end') => {
      if (trace.active) trace.emit({ type: 'fault', t: env.now, fault, namespace, revision, phase, detail });
    };
    emit('start');
    env.timeoutAt(to).addCallback(() => emit('end'));
  }

  /** Pods of a revision as `kubectl get pods` would list them. */
  pods(revision: string, namespace = 'default'): Array<{ name: string; ready: string; status: string; restarts: number; ip: string | null; node: string | null }> {
    return this.runtime(revision, namespace).pods.map((p) => ({ name: p.name, ready: p.readyString, status: p.status, restarts: p.restarts, ip: p.ip, node: p.node }));
  }
}

/**
 * What the cluster's DNS answers from, as a class rather than an object literal with a getter:
 * V8 keeps an object literal's accessors in an old-generation AccessorPair, whose closure would
 * keep the whole cluster alive through every scavenge after the cluster is gone (docs/kernel.md,
 * "Closures written into properties"). A class's getter is on its prototype, made once.
 */
class DnsSource implements ClusterDnsSource {
  constructor(
    readonly clusterDomain: string,
    private readonly publicIp: () => string,
    readonly version: () => number,
    readonly externalDomains: () => { domains: readonly string[]; mapped: readonly string[] },
    readonly service: (namespace: string, name: string) => Readonly<K8sService> | undefined,
    readonly endpoints: EndpointsReader,
  ) {}

  get loadBalancerIp(): string {
    return this.publicIp();
  }
}
