import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import type { Rng } from '../engine/rng.js';
import type { DeadlineEntry } from '../engine/fifo-deadlines.js';
import type { HttpRequest, HttpResponse } from '../net/http.js';
import { DeadlineTimers, enterHop, isOwnDeadline, RequestContext, type DeadlineTimer } from '../k8s/network.js';
import type { Cluster } from '../cluster/cluster.js';
import { randomSuffix, templateHash } from '../k8s/addresses.js';
import { GATEWAY_POD_LABELS, INGRESS_GATEWAY_SERVICE, LOCAL_GATEWAY_SERVICE } from '../net/istio/install.js';
import type { Gateway, HeaderOperations, VirtualService } from '../apis/istio/v1alpha3.js';
import { compileGatewayConfig, listenerFor, type GatewayConfig } from '../net/istio/gateway-config.js';
import type { RetryPolicy } from '../net/istio/retry.js';
import { applyResponseHeaders, route, type ClusterRef, type RouteDecision } from '../net/envoy/router.js';
import { connectFailure, noCluster, noHealthyUpstream, noRoute, upstreamTimeout } from '../net/envoy/local-reply.js';
import { leastRequest, resolveUpstream } from './upstream.js';


/** One istio-ingressgateway pod: Envoy with the listeners istiod pushed to it. */
export class EnvoyPod {
  config: GatewayConfig = { listeners: [] };
  private readonly active = new Map<string, number>();
  /** Service resolution of destination hosts, valid while no object changes (store version). */
  private readonly upstreams = new Map<ClusterRef, ReturnType<typeof resolveUpstream>>();
  private upstreamsVersion = -1;
  private readonly deadlines: DeadlineTimers;

  constructor(
    private readonly cluster: Cluster,
    readonly name: string,
    readonly ip: string,
    private readonly rng: Rng,
  ) {
    this.deadlines = new DeadlineTimers(cluster.env, this);
  }

  *handle(port: number, req: HttpRequest, ctx: RequestContext, arrivalMs = 0): Generator<any, HttpResponse, any> {
    const c = this.cluster;
    const env = c.env;
    const hop = ctx.hops === null ? null : enterHop(ctx, 'gateway', `${this.name}:${port}`, env.now + arrivalMs);
    try {
      yield env.timeout(arrivalMs + Math.max(0, c.latencies.gatewayProcessing.sample(this.rng)));
      const listener = listenerFor(this.config, port);
      const d: RouteDecision = listener === undefined ? { kind: 'local', reason: 'noRoute', response: noRoute() } : route(listener, req, this.rng);
      if (c.trace.active) this.traceRoute(d, port, req, ctx);
      if (d.kind === 'local') {
        if (d.delayMs) yield env.timeout(d.delayMs);
        return d.response;
      }
      // The router: a passthrough has no route policies; a route may delay (fault), mirror,
      // bound the whole exchange with its timeout and retry.
      let retries: RetryPolicy | null = null;
      let responseHeaders: readonly HeaderOperations[] = NO_HEADER_OPS;
      let timeoutMs = 0;
      if (d.kind === 'forward') {
        if (d.fault.delayMs) yield env.timeout(d.fault.delayMs);
        for (const m of d.mirrors) this.spawnMirror(m.cluster, m.request);
        retries = d.retries;
        responseHeaders = d.responseHeaders;
        timeoutMs = d.timeoutMs ?? 0;
      }
      const cluster = d.cluster;
      const upstreamReq = d.request;
      let entry: DeadlineEntry | null = null;
      let deadline: DeadlineTimer | null = null;
      try {
        if (timeoutMs > 0) {
          deadline = this.deadlines.of(timeoutMs);
          entry = deadline.arm(ctx.proc);
        }
        const tries = 1 + (retries?.numRetries ?? 0);
        let last: HttpResponse | null = null;
        let tried: Set<string> | null = null;
        for (let attempt = 0; attempt < tries; attempt++) {
          if (attempt > 0) yield env.timeout(this.backoffMs(retries!, attempt));
          const target = this.pickEndpoint(cluster, retries, tried);
          if (!('ip' in target)) {
            last = target;
            break;
          }
          if (retries !== null && retries.numRetries > 0) (tried ??= new Set()).add(target.ip);
          // One exchange with the host (as `exchange`, written out: one frame less per request).
          let res: HttpResponse | null = null;
          this.active.set(target.ip, (this.active.get(target.ip) ?? 0) + 1);
          try {
            const outMs = c.net.delay();
            const handler = c.net.handlerAt(target.ip, target.port);
            if (handler === undefined) yield env.timeout(outMs);
            else {
              res = yield* handler(upstreamReq, ctx, outMs);
              yield env.timeout(c.net.delay());
            }
          } finally {
            this.active.set(target.ip, this.active.get(target.ip)! - 1);
          }
          if (res === null) {
            last = connectFailure();
            if (retries !== null && retriesConnectFailure(retries)) continue;
            break;
          }
          last = res;
          if (retries !== null && retriable(res.status, retries)) continue;
          break;
        }
        return applyResponseHeaders(last ?? noHealthyUpstream(), responseHeaders);
      } catch (err) {
        if (!isOwnDeadline(err, this)) throw err;
        // The router's own replies get the route's response headers too (Envoy's modify_headers).
        return applyResponseHeaders(upstreamTimeout(), responseHeaders);
      } finally {
        if (entry !== null) deadline!.cancel(entry);
      }
    } finally {
      if (hop !== null) hop.endMs = env.now;
    }
  }

  private traceRoute(d: RouteDecision, port: number, req: HttpRequest, ctx: RequestContext): void {
    const c = this.cluster;
    const vsName = d.kind === 'passthrough' || d.virtualService === undefined ? null : `${d.virtualService.namespace}/${d.virtualService.name}`;
    c.trace.emit({
      type: 'gateway.route',
      t: c.env.now,
      id: ctx.id,
      gateway: this.name,
      port,
      authority: req.authority,
      path: req.path,
      vhost: d.kind === 'passthrough' ? null : (d.vhost ?? null),
      virtualService: vsName,
      result:
        d.kind === 'local'
          ? `local reply ${d.response.status}${d.response.responseFlags ? ` ${d.response.responseFlags}` : ''} (${d.reason})`
          : `forward to ${d.cluster.host}${d.cluster.port ? `:${d.cluster.port}` : ''} (authority ${d.request.authority})`,
    });
  }

  /** Envoy's back-off before retry `attempt`: base interval doubling per retry, fully jittered, capped at 10× the base. */
  private backoffMs(retries: RetryPolicy, attempt: number): number {
    const base = retries.backoffBaseIntervalMs ?? 25;
    const cap = Math.min(base * 2 ** (attempt - 1), base * 10);
    return this.rng.next() * cap;
  }

  /**
   * The upstream host for one attempt (Envoy's cluster, its EDS endpoints, LEAST_REQUEST), or
   * the local reply when there is none: 503 NC (no such cluster) or 503 UH (no endpoints).
   */
  private pickEndpoint(cluster: ClusterRef, retries: RetryPolicy | null, tried: Set<string> | null): { ip: string; port: number } | HttpResponse {
    const c = this.cluster;
    if (this.upstreamsVersion !== c.store.version) {
      this.upstreams.clear();
      this.upstreamsVersion = c.store.version;
    }
    // Keyed by the route's cluster object, which the route configuration keeps for every request.
    let up = this.upstreams.get(cluster);
    if (up === undefined) {
      up = resolveUpstream({ service: (ns, n) => c.service(ns, n) }, cluster.host, cluster.port);
      if (this.upstreams.size >= 4096) this.upstreams.clear();
      this.upstreams.set(cluster, up);
    }
    if (up.kind === 'noCluster') return noCluster();
    // Endpoints change without the store changing (pods come and go): read them each time.
    const addresses = c.endpoints.get(up.service)?.addresses ?? [];
    if (addresses.length === 0) return noHealthyUpstream();
    // Retries prefer hosts not tried yet (retryIgnorePreviousHosts is Istio's default).
    const fresh = retries?.retryOtherHosts === false || tried === null ? addresses : addresses.filter((a) => !tried.has(a.ip));
    const ep = leastRequest(fresh.length > 0 ? fresh : addresses, this.active, this.rng);
    return { ip: ep.ip, port: up.port };
  }

  /** One request to one upstream host and its answer (null: connection refused), counted in the host's active requests. */
  private *exchange(target: { ip: string; port: number }, req: HttpRequest, ctx: RequestContext): Generator<any, HttpResponse | null, any> {
    const c = this.cluster;
    this.active.set(target.ip, (this.active.get(target.ip) ?? 0) + 1);
    try {
      const outMs = c.net.delay();
      const handler = c.net.handlerAt(target.ip, target.port);
      if (handler === undefined) {
        yield c.env.timeout(outMs);
        return null;
      }
      const res = yield* handler(req, ctx, outMs);
      yield c.env.timeout(c.net.delay());
      return res;
    } finally {
      this.active.set(target.ip, this.active.get(target.ip)! - 1);
    }
  }

  /** A mirrored copy: fire and forget, one attempt, its response ignored (the router already set its `-shadow` Host). */
  private spawnMirror(cluster: ClusterRef, req: HttpRequest): void {
    const self = this;
    this.cluster.env.process(
      (function* () {
        const target = self.pickEndpoint(cluster, null, null);
        if (!('ip' in target)) return;
        const ctx = new RequestContext(-1, self.cluster.env.activeProcess!, null);
        yield* self.exchange(target, req, ctx);
      })(),
      'mirror',
    );
  }
}

const NO_HEADER_OPS: readonly never[] = Object.freeze([]);

function retriesConnectFailure(p: RetryPolicy): boolean {
  return p.retryOn.includes('connect-failure') || p.retryOn.includes('5xx') || p.retryOn.includes('gateway-error') || p.retryOn.includes('reset');
}

function retriable(status: number, p: RetryPolicy): boolean {
  if (p.retryOn.includes('5xx') && status >= 500) return true;
  if (p.retryOn.includes('gateway-error') && (status === 502 || status === 503 || status === 504)) return true;
  if (p.retryOn.includes('retriable-4xx') && status === 409) return true;
  if (p.retryOn.includes('retriable-status-codes') && p.retriableStatusCodes.includes(status)) return true;
  return false;
}

/**
 * The istio-ingressgateway Deployment: its pods listen on 8080 (the Gateway port 80 after
 * translation) and 8081 (knative-local-gateway), and all get the same configuration on every
 * push. Its two Services' endpoints are these pods.
 */
export class GatewayFleet {
  readonly pods: EnvoyPod[] = [];

  constructor(
    private readonly cluster: Cluster,
    replicas: number,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`gatewayReplicas must be a whole number >= 1, got ${replicas}`);
    const hash = templateHash('istio-ingressgateway');
    const names = cluster.streams.fork('gateway-names');
    for (let i = 0; i < replicas; i++) {
      const name = `istio-ingressgateway-${hash}-${randomSuffix(() => names.next(), 5)}`;
      const pod = new EnvoyPod(cluster, name, cluster.addresses.podIp(), cluster.streams.fork(`gateway/${i}`));
      for (const port of [8080, 8081]) cluster.net.listen(pod.ip, port, (req, ctx, arrivalMs) => pod.handle(port, req, ctx, arrivalMs));
      this.pods.push(pod);
    }
    const addrs = this.pods.map((p) => ({ ip: p.ip, pod: p.name }));
    cluster.endpoints.set(`${INGRESS_GATEWAY_SERVICE.namespace}/${INGRESS_GATEWAY_SERVICE.name}`, { addresses: addrs });
    cluster.endpoints.set(`${LOCAL_GATEWAY_SERVICE.namespace}/${LOCAL_GATEWAY_SERVICE.name}`, { addresses: addrs });
  }

  /** An istiod push: recompile and hand the same configuration to every gateway pod. */
  configure(gateways: readonly KObject[], virtualServices: readonly KObject[], services: readonly K8sService[]): void {
    const config = compileGatewayConfig({
      podLabels: GATEWAY_POD_LABELS,
      gateways: gateways as unknown as Gateway[],
      virtualServices: virtualServices as unknown as VirtualService[],
      services,
      creationIndex: (vs) => (vs.metadata as { creationIndex?: number }).creationIndex ?? 0,
    });
    for (const p of this.pods) p.config = config;
    const c = this.cluster;
    if (c.trace.active) {
      c.trace.emit({
        type: 'gateway.config',
        t: c.now,
        gateway: 'istio-system/istio-ingressgateway',
        listeners: config.listeners.map((l) => ({ port: l.port, vhosts: l.virtualHosts.flatMap((v) => v.domains) })),
      });
    }
  }
}
