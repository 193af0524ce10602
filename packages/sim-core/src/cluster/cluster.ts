import { Environment } from '../engine/environment.js';
import { RngStreams, type Rng } from '../engine/rng.js';
import type { Event } from '../engine/event.js';
import { TraceBus } from '../trace/bus.js';
import type { KnsimTraceEvent } from '../trace/events.js';
import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import { Network } from '../k8s/network.js';
import type { Pod } from '../k8s/pod.js';
import { ActivatorPod, ACTIVATOR_PORT } from '../activator/activator.js';
import type { ActivatorStat } from '../activator/concurrency-reporter.js';
import type { UserHandler } from '../app/behavior.js';
import { AddressAllocator, randomSuffix, templateHash } from '../k8s/addresses.js';
import { clientRequest, RequestIds, type Resolution } from './client.js';
import { NotFoundError, NotReadyError, UserInputError } from './errors.js';
import { makeLatencyModel, type LatencyModel, type LatencyOverrides } from './latencies.js';
import { ObjectStore } from './object-store.js';
import { RevisionRuntime, type RevisionHost } from './revision-runtime.js';
import type { ApplyResult, ClientRequest, ClientResponse, ObjectRef, RevisionSample } from './types.js';
import { ControlPlane } from './control-plane.js';
import { GatewayFleet } from '../gateway/fleet.js';
import { INGRESS_GATEWAY_SERVICE, LOCAL_GATEWAY_SERVICE } from '../net/istio/install.js';
import { ClusterDns } from './dns.js';

export interface ClusterOptions {
  /** Root seed of every random stream (default 1). */
  seed?: number | string;
  /** The default domain in config-domain (default example.com; Knative ≥ 1.8 defaults to svc.cluster.local). */
  domain?: string;
  /** ConfigMap data overrides by ConfigMap name (Knative's keys): { 'config-autoscaler': { 'stable-window': '30s' } }. */
  config?: Record<string, Record<string, string>>;
  /** Latency distributions overriding the calibrated defaults (docs/calibration.md). */
  latencies?: LatencyOverrides;
  /** Activator replicas (default 1, as Knative's HPA minimum). */
  activators?: number;
  /** istio-ingressgateway replicas (default 1). */
  gatewayReplicas?: number;
  /** Worker nodes (default 3); each caches the images its pods pulled. */
  nodes?: number;
  /** Record each request's hops (default true; benchmarks turn it off). */
  hops?: boolean;
  /** Seeded permutation of simultaneous events, to test independence from tie order. */
  tieShuffle?: boolean;
}

/** The data plane's view of one Service's endpoints (what Envoy and kube-proxy route to). */
export interface EndpointView {
  addresses: Array<{ ip: string; pod: string }>;
}

/**
 * A simulated Kubernetes cluster with Knative Serving and net-istio installed at their
 * defaults: the API objects, the controllers (as reconcilers that take simulated time), the
 * istio-ingressgateway, activator, autoscaler and revision pods, cluster DNS, and clients.
 * Time is simulated milliseconds; nothing reads real time.
 */
export class Cluster implements RevisionHost {
  readonly env: Environment;
  readonly trace = new TraceBus<KnsimTraceEvent>();
  readonly streams: RngStreams;
  readonly latencies: LatencyModel;
  readonly store = new ObjectStore();
  readonly net: Network;
  readonly addresses = new AddressAllocator();
  readonly recordHops: boolean;
  readonly options: Readonly<ClusterOptions>;
  readonly activators: ActivatorPod[] = [];
  readonly revisions = new Map<string, RevisionRuntime>();
  /** Bumped whenever a revision runtime is added or removed (for caches of `revisions`). */
  revisionsVersion = 0;
  readonly registeredApps = new Map<string, UserHandler>();
  /** Data-plane endpoints by "namespace/service" (after propagation delay). */
  readonly endpoints = new Map<string, EndpointView>();
  readonly dns: ClusterDns;
  readonly gateways: GatewayFleet;
  readonly controlPlane: ControlPlane;
  private readonly nodes: string[];
  private readonly imageCache = new Map<string, Set<string>>();
  private readonly podsOnNode = new Map<string, number>();
  /** Virtual addresses to their Service, valid while no object changes (store version). */
  /** Virtual address → its Service and the Service's endpoints key (null: a pod address), valid for one store version. */
  private readonly vipCache = new Map<string, { svc: K8sService; endpointsKey: string } | null>();
  private vipCacheVersion = -1;
  private readonly nameRng: Rng;
  private readonly requestIds = new RequestIds();
  private readonly clientRng: Rng;
  private lbIp: string;

  constructor(options: ClusterOptions = {}) {
    this.options = options;
    const seed = options.seed ?? 1;
    this.streams = new RngStreams(seed);
    this.env = new Environment(options.tieShuffle ? { tieShuffle: this.streams.fork('tie-shuffle') } : {});
    this.latencies = makeLatencyModel(options.latencies);
    this.recordHops = options.hops ?? true;
    this.net = new Network(this.env, this.latencies.network, this.streams.fork('network'));
    this.nameRng = this.streams.fork('names');
    this.clientRng = this.streams.fork('clients');
    const nodeCount = options.nodes ?? 3;
    if (!(Number.isInteger(nodeCount) && nodeCount >= 1)) throw new UserInputError(`nodes must be a whole number >= 1, got ${nodeCount}`);
    this.nodes = Array.from({ length: nodeCount }, (_, i) => `node-${i + 1}`);
    this.lbIp = this.addresses.externalIp();

    // Activator pods (knative-serving/activator).
    const nAct = options.activators ?? 1;
    if (!(Number.isInteger(nAct) && nAct >= 1)) throw new UserInputError(`activators must be a whole number >= 1, got ${nAct}`);
    const actHash = templateHash('activator');
    for (let i = 0; i < nAct; i++) {
      const name = `activator-${actHash}-${randomSuffix(() => this.nameRng.next(), 5)}`;
      const ip = this.addresses.podIp();
      const a = new ActivatorPod(
        this.env,
        name,
        ip,
        this.net,
        {
          revision: (ns, rev) => this.controlPlane.revisionInfo(ns, rev),
          probe: (podIp) => this.probeQueueProxy(podIp),
        },
        (stat) => this.onActivatorStat(stat),
        this.latencies.activatorProcessing,
        this.streams.fork(`activator/${i}`),
        this.trace,
      );
      this.net.listen(ip, ACTIVATOR_PORT, a.handler);
      this.activators.push(a);
    }
    this.dns = new ClusterDns(this);
    this.gateways = new GatewayFleet(
      {
        env: this.env,
        net: this.net,
        trace: this.trace,
        gatewayProcessing: this.latencies.gatewayProcessing,
        rngFor: (label) => this.streams.fork(label),
        allocatePodIp: () => this.addresses.podIp(),
        service: (ns, name) => this.service(ns, name),
        endpoints: (key) => this.endpoints.get(key),
        objectsVersion: () => this.store.version,
      },
      options.gatewayReplicas ?? 1,
    );
    const gatewayAddresses = this.gateways.podAddresses();
    for (const s of [INGRESS_GATEWAY_SERVICE, LOCAL_GATEWAY_SERVICE]) this.endpoints.set(`${s.namespace}/${s.name}`, { addresses: gatewayAddresses });
    this.controlPlane = new ControlPlane(this, options);
  }

  get now(): number {
    return this.env.now;
  }

  // ------------------------------------------------------------------ the public API

  /** kubectl apply: create or update every object of the input, all or nothing. */
  apply(input: string | KObject | readonly KObject[], opts: { file?: string } = {}): ApplyResult {
    return this.controlPlane.apply(input, opts.file);
  }

  /** Checks objects as the admission webhook would, applying the valid ones (so later files validate as updates). */
  validate(input: string | KObject | readonly KObject[], opts: { file?: string } = {}): { errors: string[]; warnings: string[] } {
    return this.controlPlane.validate(input, opts.file);
  }

  /** kubectl delete. */
  delete(ref: ObjectRef): void {
    this.controlPlane.delete(ref);
  }

  /** kubectl label (null removes a label). */
  label(ref: ObjectRef, labels: Record<string, string | null>): void {
    this.controlPlane.label(ref, labels);
  }

  /** An object as the API server has it now (with status), or undefined. */
  get<T extends KObject = KObject>(ref: ObjectRef): T | undefined {
    return this.controlPlane.get<T>(ref);
  }

  /** Registers the behaviour of an image (matched by repository name, e.g. "my-app", or the full image). */
  registerApp(image: string, handler: UserHandler): void {
    this.registeredApps.set(image, handler);
  }

  runUntil(tMs: number): void {
    if (tMs < this.env.now) throw new UserInputError(`cannot run until ${tMs} ms: the clock is already at ${this.env.now} ms`);
    this.env.run({ until: tMs });
  }

  runFor(ms: number): void {
    this.runUntil(this.env.now + ms);
  }

  /**
   * Runs until every Knative Service (or the named ones) is Ready and the control plane has
   * settled (no reconcile queued, no push to the gateways pending), at most `timeoutMs` of
   * simulated time (default 10 minutes). Throws NotReadyError naming a service that is not
   * Ready, with its Ready condition's message.
   */
  waitForReady(opts: { timeoutMs?: number; names?: readonly string[]; namespace?: string } = {}): void {
    const deadline = this.env.now + (opts.timeoutMs ?? 600_000);
    const step = 50;
    // Like `kubectl wait`, a Ready=False is not final at once: a Route can briefly miss a
    // revision its Configuration is still creating. It fails after staying False for 30 s.
    const falseSince = new Map<string, number>();
    for (;;) {
      const pending = this.controlPlane.unreadyServices(opts.names, opts.namespace);
      if (pending.length === 0 && this.controlPlane.controllers.settled) return;
      for (const p of pending) {
        const k = `${p.namespace}/${p.name}`;
        if (p.status === 'False') {
          if (!falseSince.has(k)) falseSince.set(k, this.env.now);
        } else falseSince.delete(k);
      }
      const failed = pending.find((p) => p.status === 'False' && this.env.now - falseSince.get(`${p.namespace}/${p.name}`)! >= 30_000);
      if (failed !== undefined || (this.env.now >= deadline && pending.length > 0)) {
        const p = failed ?? pending[0]!;
        throw new NotReadyError(
          `Service ${p.namespace}/${p.name} is not Ready${failed ? '' : ` after ${Math.round((this.env.now - (deadline - (opts.timeoutMs ?? 600_000))) / 1000)}s`}: ${p.reason ? `${p.reason}: ` : ''}${p.message || 'waiting for its Configuration and Route'}`,
          p.name,
        );
      }
      this.env.run({ until: Math.min(deadline, this.env.now + step) });
    }
  }

  /** Starts a request now; the event succeeds with the response. */
  send(req: ClientRequest): Event<ClientResponse> {
    const id = this.requestIds.next();
    // The client starts at once (resolving the name, connecting) rather than from a start event.
    return this.env.spawn(clientRequest(this, req, id, this.clientRng), 'client request');
  }

  /** Runs the simulation until this request has its response, and returns it. */
  runUntilDone(ev: Event<ClientResponse>): ClientResponse {
    return this.env.run({ until: ev }) as ClientResponse;
  }

  /** Sends one request and runs until it is answered. */
  request(req: ClientRequest): ClientResponse {
    return this.runUntilDone(this.send(req));
  }

  revisionNames(): string[] {
    return [...this.revisions.values()].map((r) => r.name).sort();
  }

  revision(name: string, namespace = 'default'): RevisionRuntime {
    const r = this.revisions.get(`${namespace}/${name}`);
    if (r === undefined) throw new NotFoundError(`revision ${namespace}/${name} not found`);
    return r;
  }

  revisionTimeline(name: string, namespace = 'default'): RevisionSample[] {
    return this.revision(name, namespace).timeline;
  }

  coldStarts(name: string, namespace = 'default'): number {
    return this.revision(name, namespace).coldStarts;
  }

  /** Pods of a revision as `kubectl get pods` would list them. */
  pods(revision: string, namespace = 'default'): Array<{ name: string; ready: string; status: string; ip: string | null; node: string | null }> {
    return this.revision(revision, namespace).pods.map((p) => ({ name: p.name, ready: p.readyString, status: p.phase, ip: p.ip, node: p.node }));
  }

  // ------------------------------------------------------------------ ClientHost

  loadBalancerIp(): string {
    return this.lbIp;
  }

  resolveExternal(name: string): Resolution {
    return this.dns.resolveExternal(name);
  }

  resolveInCluster(name: string, namespace: string, nowMs: number): Resolution {
    return this.dns.resolveFromPod(name, namespace, nowMs);
  }

  /** The cloud load balancer and kube-proxy: a Service address and port to one backend. */
  pickBackend(ip: string, port: number, rng: Rng): { ip: string; port: number; name: string } | null {
    if (this.vipCacheVersion !== this.store.version) {
      this.vipCache.clear();
      this.vipCacheVersion = this.store.version;
    }
    let vip = this.vipCache.get(ip);
    if (vip === undefined) {
      const svc = ip === this.lbIp ? this.controlPlane.serviceByLoadBalancerIp(ip) : this.controlPlane.serviceByClusterIp(ip);
      vip = svc === undefined ? null : { svc, endpointsKey: `${svc.metadata.namespace}/${svc.metadata.name}` };
      this.vipCache.set(ip, vip);
    }
    if (vip === null) {
      // A pod address: straight to it.
      return this.net.handlerAt(ip, port) ? { ip, port, name: ip } : null;
    }
    const ports = vip.svc.spec.ports ?? [];
    let sp: (typeof ports)[number] | undefined;
    for (const p of ports) {
      if (p.port === port) {
        sp = p;
        break;
      }
    }
    if (sp === undefined) return null;
    const eps = this.endpoints.get(vip.endpointsKey)?.addresses;
    if (eps === undefined || eps.length === 0) return null;
    const e = eps[Math.floor(rng.next() * eps.length)]!;
    const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
    return { ip: e.ip, port: target, name: e.pod };
  }

  // ------------------------------------------------------------------ RevisionHost / PodHost

  rngFor(label: string): Rng {
    return this.streams.fork(label);
  }

  podName(revision: string): string {
    return `${revision}-deployment-${templateHash(revision)}-${randomSuffix(() => this.nameRng.next(), 5)}`;
  }

  allocateIp(): string {
    return this.addresses.podIp();
  }

  /**
   * The scheduler, reduced to what changes latency: ImageLocality (nodes that already have the
   * image score higher), then the node with the fewest pods placed so far, then node order.
   */
  pickNode(image?: string): string {
    const has = (n: string) => image !== undefined && (this.imageCache.get(n)?.has(image) ?? false);
    let best = this.nodes[0]!;
    for (const n of this.nodes) {
      const better = has(n) !== has(best) ? has(n) : (this.podsOnNode.get(n) ?? 0) < (this.podsOnNode.get(best) ?? 0);
      if (better) best = n;
    }
    this.podsOnNode.set(best, (this.podsOnNode.get(best) ?? 0) + 1);
    return best;
  }

  imageCached(node: string, image: string): boolean {
    let set = this.imageCache.get(node);
    if (set === undefined) {
      set = new Set();
      this.imageCache.set(node, set);
    }
    const had = set.has(image);
    set.add(image);
    return had;
  }

  activatorIps(): string[] {
    return this.activators.map((a) => a.ip).sort();
  }

  changed(pod: Pod): void {
    this.revisions.get(pod.key)?.podChanged(pod);
  }

  publishEndpoints(rt: RevisionRuntime): void {
    this.controlPlane.controllers.publishRevisionEndpoints(rt);
  }

  revisionStatusChanged(rt: RevisionRuntime): void {
    this.controlPlane.controllers.revisionStatusChanged(rt);
  }

  private probeQueueProxy(ip: string): boolean {
    for (const rt of this.revisions.values()) {
      for (const p of rt.pods) if (p.ip === ip) return p.queueProxy.probeReady && p.phase === 'Running';
    }
    return false;
  }

  private onActivatorStat(stat: ActivatorStat): void {
    const rt = this.revisions.get(stat.revisionKey);
    if (this.trace.active) {
      this.trace.emit({ type: 'activator.stat', t: this.env.now, activator: stat.podName, revision: stat.revisionKey, concurrency: stat.averageConcurrentRequests, requestCount: stat.requestCount, first: stat.first });
    }
    rt?.activatorStat(stat.averageConcurrentRequests, stat.requestCount);
  }

  /** Kubernetes Services by namespace/name (for DNS and Envoy clusters). */
  service(namespace: string, name: string): K8sService | undefined {
    return this.controlPlane.k8sService(namespace, name);
  }
}
