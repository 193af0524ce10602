import type { DeadlineEntry } from '../engine/fifo-deadlines.js';
import type { Environment } from '../engine/environment.js';
import type { Rng } from '../engine/rng.js';
import { DeadlineTimers, enterHop, isOwnDeadline, RequestContext, type DeadlineTimer, type Network } from '../k8s/network.js';
import { forwardedFor, HttpDates, type HttpHeaders, type HttpRequest, type HttpResponse } from '../net/http.js';
import { listenerFor } from '../net/istio/gateway-config.js';
import type { RetryPolicy } from '../net/istio/retry.js';
import type { ClusterRef, CompiledRouteConfiguration } from '../net/envoy/compiled-config.js';
import { applyCompiledHeaderOps, type CompiledHeaderOps } from '../net/envoy/header-operations.js';
import { route, type RouteDecision } from '../net/envoy/router.js';
import { connectFailure, headersTooLarge, noCluster, noHealthyUpstream, noRoute, upstreamTimeout, utf8Length } from '../net/envoy/local-reply.js';
import type { GatewayHost } from './host.js';
import { backoffMs, retriable, retriesConnectFailure } from './retry-state.js';
import { leastRequest, resolveUpstream } from './upstream.js';

/**
 * One istio-ingressgateway pod: Envoy with the listeners istiod pushed to it. A request is
 * routed (net/envoy/router.ts), then the router filter (envoy source/common/router/router.cc)
 * forwards it: fault delay, mirrors, the route timeout over all tries, retries with back-off,
 * each try to one endpoint of the destination's cluster chosen by LEAST_REQUEST.
 */
/** The most times one request may pass through ingress gateways before knsim answers 431 (a routing loop). */
export const MAX_GATEWAY_PASSES = 32;

export class EnvoyPod {
  /** The listeners of the last push, compiled. */
  config: { readonly listeners: readonly CompiledRouteConfiguration[] } = { listeners: [] };
  private readonly env: Environment;
  private readonly net: Network;
  /** Active requests per upstream host, for LEAST_REQUEST. */
  private readonly active = new Map<string, number>();
  /** Service resolution of destination hosts, valid while no object changes. */
  private readonly upstreams = new Map<ClusterRef, ReturnType<typeof resolveUpstream>>();
  private upstreamsVersion = -1;
  private readonly deadlines: DeadlineTimers;
  /** Draws the x-request-id UUIDs this Envoy generates. */
  private readonly requestIds: Rng;
  private readonly dates = new HttpDates();
  private readonly scratch: string[] = [];
  private lastBody = '';
  private lastLength = '0';

  constructor(
    private readonly host: GatewayHost,
    readonly name: string,
    readonly ip: string,
    private readonly rng: Rng,
  ) {
    this.env = host.env;
    this.net = host.net;
    this.deadlines = new DeadlineTimers(host.env, this);
    this.requestIds = host.rngFor(`${name}/x-request-id`);
  }

  /**
   * One request through this Envoy. From a listener on `port`: Envoy's own work, the route
   * decision (net/envoy/router.ts) and its local replies, then the router filter forwards it.
   * With `mirrorOf`: a mirrored copy (the router already set its `-shadow` Host), which Envoy's
   * shadow writer sends through the async client's own router filter (envoy
   * source/common/router/shadow_writer_impl.cc, http/async_client_impl.cc): straight to that
   * cluster, one try, no timeout, its response dropped by the caller.
   *
   * Both share the forwarding loop below, with the exchange with the upstream host written out
   * in it rather than called as a generator: every frame on a request's stack is resumed again
   * for each event below it, and the extra frame cost ~4% of `bench stack`.
   */
  *handle(port: number, req: HttpRequest, ctx: RequestContext, arrivalMs = 0, mirrorOf: ClusterRef | null = null): Generator<any, HttpResponse, any> {
    const env = this.env;
    const hop = ctx.hops === null ? null : enterHop(ctx, 'gateway', `${this.name}:${port}`, env.now + arrivalMs);
    try {
      let d: Exclude<RouteDecision, { kind: 'local' }>;
      if (mirrorOf === null) {
        // A route back into the gateway: Envoy has no loop detection, and each pass appends to
        // x-forwarded-for until the headers pass 60 KiB and the codec answers 431 (after some
        // thousands of passes). knsim gives that answer at MAX_GATEWAY_PASSES (docs/cluster.md).
        if (++ctx.gatewayPasses > MAX_GATEWAY_PASSES) {
          yield env.timeout(arrivalMs);
          if (this.host.trace.active) this.host.trace.emit({ type: 'gateway.loop', t: env.now, id: ctx.id, gateway: this.name, passes: ctx.gatewayPasses - 1, authority: req.authority });
          return this.respond(headersTooLarge(), NO_HEADER_OPS, -1);
        }
        yield env.timeout(arrivalMs + Math.max(0, this.host.gatewayProcessing.sample(this.rng)));
        const listener = listenerFor(this.config, port);
        const decision: RouteDecision = listener === undefined ? { kind: 'local', reason: 'noRoute', response: noRoute() } : route(listener, req, this.rng);
        if (this.host.trace.active) this.traceRoute(decision, port, req, ctx);
        if (decision.kind === 'local') {
          if (decision.delayMs) yield env.timeout(decision.delayMs);
          return this.respond(decision.response, NO_HEADER_OPS, -1);
        }
        d = decision;
      } else d = { kind: 'passthrough', cluster: mirrorOf, request: req };
      // A passthrough (and a mirror) has no route policies; a route may delay (fault), mirror,
      // bound the whole exchange with its timeout and retry.
      let retries: RetryPolicy | null = null;
      let responseHeaders: readonly CompiledHeaderOps[] = NO_HEADER_OPS;
      let timeoutMs = 0;
      const upstreamReq = d.request;
      // The connection manager's request headers, shared by the mirrored copies.
      if (mirrorOf === null) this.forwardedHeaders(upstreamReq, req);
      if (d.kind === 'forward') {
        if (d.fault.delayMs) yield env.timeout(d.fault.delayMs);
        for (const m of d.mirrors) {
          this.forwardedHeaders(m.request, req, upstreamReq.headers.getLower('x-request-id'));
          this.spawnMirror(m.cluster, m.request);
        }
        retries = d.retries;
        responseHeaders = d.responseHeaders;
        timeoutMs = d.timeoutMs ?? 0;
      }
      const cluster = d.cluster;
      let upstreamMs = -1;
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
          if (attempt > 0) yield env.timeout(backoffMs(retries!, attempt, this.rng));
          const target = this.pickEndpoint(cluster, retries, tried);
          if (!('ip' in target)) {
            last = target;
            break;
          }
          if (retries !== null && retries.numRetries > 0) (tried ??= new Set()).add(target.ip);
          let res: HttpResponse | null = null;
          this.active.set(target.ip, (this.active.get(target.ip) ?? 0) + 1);
          try {
            const outMs = this.net.delay();
            const handler = this.net.handlerAt(target.ip, target.port);
            if (handler === undefined) yield env.timeout(outMs);
            else {
              const sentAt = env.now;
              res = yield* handler(upstreamReq, ctx, outMs);
              yield env.timeout(this.net.delay());
              upstreamMs = Math.floor(env.now - sentAt);
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
        if (mirrorOf !== null) return last ?? noHealthyUpstream();
        return this.respond(last ?? noHealthyUpstream(), responseHeaders, last !== null && last.responseFlags === undefined ? upstreamMs : -1);
      } catch (err) {
        if (!isOwnDeadline(err, this)) throw err;
        // The router's own replies get the route's response headers too (Envoy's modify_headers).
        return this.respond(upstreamTimeout(), responseHeaders, -1);
      } finally {
        if (entry !== null) deadline!.cancel(entry);
      }
    } finally {
      if (hop !== null) hop.endMs = env.now;
    }
  }

  /**
   * What Envoy's connection manager adds to a request it forwards (use_remote_address, as
   * Istio's gateways run): an x-request-id when there is none (a UUID, from this Envoy's seeded
   * stream), x-forwarded-proto from the downstream scheme, and the downstream address appended
   * to x-forwarded-for. The upstream sees this Envoy as its peer.
   */
  private forwardedHeaders(out: HttpRequest, downstream: HttpRequest, requestId?: string): void {
    const h: HttpHeaders = out.headers;
    if (h.getLower('x-request-id') === undefined) h.addLower('x-request-id', 'x-request-id', requestId ?? this.uuid());
    h.setLower('x-forwarded-proto', 'x-forwarded-proto', downstream.scheme);
    const xff = forwardedFor(h, downstream.remoteAddr);
    if (xff !== undefined) h.setLower('X-Forwarded-For', 'x-forwarded-for', xff);
    out.remoteAddr = this.ip;
  }

  /** A version-4 UUID (RFC 4122 layout) from four 32-bit draws, formatted through a byte table (toString(16) per word cost a seventh of a request). */
  private uuid(): string {
    const r = this.requestIds;
    const a = (r.next() * 0x100000000) >>> 0;
    const b = (r.next() * 0x100000000) >>> 0;
    const c = (r.next() * 0x100000000) >>> 0;
    const d = (r.next() * 0x100000000) >>> 0;
    return (
      HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
      HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-4' + HEX_DIGIT[(b >>> 8) & 15]! + HEX[b & 255]! + '-' +
      HEX_DIGIT[8 | ((c >>> 28) & 3)]! + HEX_DIGIT[(c >>> 24) & 15]! + HEX[(c >>> 16) & 255]! + '-' +
      HEX[(c >>> 8) & 255]! + HEX[c & 255]! + HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
    );
  }

  /**
   * The response as the downstream sees it: the route's response header operations, Envoy's
   * `x-envoy-upstream-service-time` (ms the upstream took, on proxied answers), `server:
   * istio-envoy` (the connection manager's server name, replacing the upstream's), and the
   * `date` and `content-length` the upstream Go server sends (added here when the upstream, or
   * Envoy itself, had none; the date is the simulated clock's, to the second).
   */
  private respond(res: HttpResponse, ops: readonly CompiledHeaderOps[], upstreamMs: number): HttpResponse {
    // One copy with the additions set in the same pass (cloneSetting), the lines in a scratch list.
    const src = res.headers;
    const lines = this.scratch;
    lines.length = 0;
    if (src.getLower('date') === undefined) lines.push('date', 'date', this.dates.at(this.env.now));
    if (src.getLower('content-length') === undefined) {
      // Bodies repeat (the samples answer the same text): one remembered length.
      if (res.body !== this.lastBody) {
        this.lastBody = res.body;
        this.lastLength = String(utf8Length(res.body));
      }
      lines.push('content-length', 'content-length', this.lastLength);
    }
    if (upstreamMs >= 0) lines.push('x-envoy-upstream-service-time', 'x-envoy-upstream-service-time', String(upstreamMs));
    lines.push('server', 'server', 'istio-envoy');
    const headers = src.cloneSetting(lines);
    for (const o of ops) applyCompiledHeaderOps(headers, o);
    return new EnvoyResponse(res.status, res.body, headers, res.responseFlags);
  }

  private traceRoute(d: RouteDecision, port: number, req: HttpRequest, ctx: RequestContext): void {
    const vsName = d.kind === 'passthrough' || d.virtualService === undefined ? null : `${d.virtualService.namespace}/${d.virtualService.name}`;
    this.host.trace.emit({
      type: 'gateway.route',
      t: this.env.now,
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

  /**
   * The upstream host for one attempt (Envoy's cluster, its EDS endpoints, LEAST_REQUEST), or
   * the local reply when there is none: 503 NC (no such cluster) or 503 UH (no endpoints).
   */
  private pickEndpoint(cluster: ClusterRef, retries: RetryPolicy | null, tried: Set<string> | null): { ip: string; port: number } | HttpResponse {
    const host = this.host;
    const version = host.objectsVersion();
    if (this.upstreamsVersion !== version) {
      this.upstreams.clear();
      this.upstreamsVersion = version;
    }
    // Keyed by the route's cluster object, which the route configuration keeps for every request.
    let up = this.upstreams.get(cluster);
    if (up === undefined) {
      up = resolveUpstream(host, cluster.host, cluster.port, cluster.listenerPort);
      if (this.upstreams.size >= 4096) this.upstreams.clear();
      this.upstreams.set(cluster, up);
    }
    if (up.kind === 'noCluster') return noCluster();
    // Endpoints change without any object changing (pods come and go): read them each time.
    const addresses = host.endpoints(up.service)?.addresses ?? NO_ADDRESSES;
    if (addresses.length === 0) return noHealthyUpstream();
    // Retries prefer hosts not tried yet (retryIgnorePreviousHosts is Istio's default).
    const fresh = retries?.retryOtherHosts === false || tried === null ? addresses : addresses.filter((a) => !tried.has(a.ip));
    const ep = leastRequest(fresh.length > 0 ? fresh : addresses, this.active, this.rng);
    return { ip: ep.ip, port: up.port };
  }

  /** A mirrored copy: fire and forget, in a process and request context of its own. */
  private spawnMirror(cluster: ClusterRef, req: HttpRequest): void {
    const self = this;
    this.env.process(
      (function* () {
        yield* self.handle(0, req, new RequestContext(-1, self.env.activeProcess!, null), 0, cluster);
      })(),
      'mirror',
    );
  }
}

/** Two hex digits per byte value, and one per nibble. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGIT: readonly string[] = Array.from({ length: 16 }, (_, i) => i.toString(16));
const NO_HEADER_OPS: readonly never[] = Object.freeze([]);
const NO_ADDRESSES: readonly never[] = Object.freeze([]);

/** A response this Envoy sends downstream (a class, not a literal: see RequestContext in k8s/network.ts). */
class EnvoyResponse implements HttpResponse {
  readonly responseFlags?: string;
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: HttpHeaders,
    responseFlags: string | undefined,
  ) {
    if (responseFlags !== undefined) this.responseFlags = responseFlags;
  }
}
