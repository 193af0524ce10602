import { SystemPodCpu, GATEWAY_CPU_LIMIT_CORES, PER_REQUEST_CPU_MS } from '../k8s/cpu.js';
import type { DeadlineEntry } from '../engine/fifo-deadlines.js';
import type { Event } from '../engine/event.js';
import type { Environment } from '../engine/environment.js';
import type { Rng } from '../engine/rng.js';
import { ConnectionReset, DeadlineTimers, enterHop, InFlight, isConnectionReset, isOwnDeadline, RequestContext, type DeadlineTimer, type Network } from '../k8s/network.js';
import { APPLY_FIRST, forwardedFor, HttpDates, type DeferredHeaderEdit, type HttpHeaders, type HttpRequest, type HttpResponse } from '../net/http.js';
import { listenerFor } from '../net/istio/gateway-config.js';
import type { RetryPolicy } from '../net/istio/retry.js';
import type { ClusterRef, CompiledRouteConfiguration } from '../net/envoy/compiled-config.js';
import { applyCompiledHeaderOps, type CompiledHeaderOps } from '../net/envoy/header-operations.js';
import { route, type RouteDecision } from '../net/envoy/router.js';
import { connectFailure, connectionTermination, connectTimeout, headersTooLarge, localReply, noCluster, noHealthyUpstream, noRoute, upstreamTimeout, utf8Length } from '../net/envoy/local-reply.js';
import { PluginState, type CompiledPlugin, type PluginChainResult } from '../net/higress/plugins.js';
import type { GatewayHost } from './host.js';
import { backoffMs, responseFlags, retriable, retriesFailedTry, TRY_ANSWERED, TRY_RESET, TRY_TIMED_OUT, TRY_UNREACHABLE, type TryFailure } from './retry-state.js';
import type { Hop } from '../trace/events.js';
import { leastRequest, resolveUpstream } from './upstream.js';

/**
 * One istio-ingressgateway pod: Envoy with the listeners istiod pushed to it. A request is
 * routed (net/envoy/router.ts), then the router filter (envoy source/common/router/router.cc)
 * forwards it: fault delay, mirrors, the route timeout over all tries, retries with back-off,
 * each try to one endpoint of the destination's cluster chosen by LEAST_REQUEST.
 */
/** The most times one request may pass through ingress gateways before knsim answers 431 (a routing loop). */
export const MAX_GATEWAY_PASSES = 32;

/** Istio's default cluster connect_timeout (MeshConfig connectTimeout, 10 s). */
export const ENVOY_CONNECT_TIMEOUT_MS = 10_000;

export class EnvoyPod {
  /** The listeners of the last push, compiled. */
  config: { readonly listeners: readonly CompiledRouteConfiguration[] } = { listeners: [] };
  private readonly env: Environment;
  private readonly cpu: SystemPodCpu;
  private readonly net: Network;
  /** Active requests per upstream host, for LEAST_REQUEST. */
  private readonly active = new Map<string, number>();
  /** Service resolution of destination hosts, valid while no object changes. */
  private readonly upstreams = new Map<ClusterRef, ReturnType<typeof resolveUpstream>>();
  private upstreamsVersion = -1;
  private readonly deadlines: DeadlineTimers;
  /** Per-try timeouts, told apart from the route timeout by their owner. */
  private readonly tryOwner = {};
  private readonly tryDeadlines: DeadlineTimers;
  /** Draws the x-request-id UUIDs this Envoy generates. */
  private readonly requestIds: Rng;
  private readonly dates = new HttpDates();
  private lastBody = '';
  private lastLength = '0';
  /** Higress's WasmPlugins, in the order they run (empty on Istio's and Kourier's gateways). */
  private plugins: readonly CompiledPlugin[] = [];
  private readonly pluginState = new PluginState();

  /** The requests inside this Envoy (a restart resets their connections). */
  private readonly inFlight = new InFlight();
  /** Bumped by each restart: a request that entered an earlier incarnation cannot be answered by it. */
  private epoch = 0;
  /** Kubernetes' Ready for this pod: only then is it in its Services' endpoints. */
  ready = true;
  /** Container restarts (RESTARTS of `kubectl get pods`). */
  restarts = 0;

  /**
   * The Envoy container exits and kubelet restarts it in the same pod: every downstream and
   * upstream connection it held is gone, so each request inside it fails where it came from (the
   * client sees its connection reset). The new Envoy gets its configuration from istiod again
   * before it is Ready (the fleet's push). Returns how many requests were reset.
   */
  crash(): number {
    this.epoch++;
    this.restarts++;
    this.ready = false;
    this.active.clear();
    return this.inFlight.interruptAll(new ConnectionReset(this.ip));
  }

  constructor(
    private readonly host: GatewayHost,
    readonly name: string,
    readonly ip: string,
    private readonly rng: Rng,
    /** The connection manager's server name (Istio's gateways: istio-envoy; Kourier's Envoy: envoy). */
    private readonly serverName = 'istio-envoy',
  ) {
    this.env = host.env;
    this.net = host.net;
    this.cpu = new SystemPodCpu(host.env, name, GATEWAY_CPU_LIMIT_CORES);
    this.deadlines = new DeadlineTimers(host.env, this);
    this.tryDeadlines = new DeadlineTimers(host.env, this.tryOwner);
    this.requestIds = host.rngFor(`${name}/x-request-id`);
  }

  /** A push: the compiled listeners and the plugin chain. */
  configure(config: { readonly listeners: readonly CompiledRouteConfiguration[] }, plugins: readonly CompiledPlugin[]): void {
    this.config = config;
    this.plugins = plugins;
    this.pluginState.configure(plugins, this.env.now);
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
    const held = this.inFlight.enter(ctx);
    const epoch = this.epoch;
    try {
      let d: Exclude<RouteDecision, { kind: 'local' }>;
      if (mirrorOf === null) {
        // A route back into the gateway: Envoy has no loop detection, and each pass appends to
        // x-forwarded-for until the headers pass 60 KiB and the codec answers 431 (after some
        // thousands of passes). knsim gives that answer at MAX_GATEWAY_PASSES (docs/cluster.md).
        if (++ctx.gatewayPasses > MAX_GATEWAY_PASSES) {
          yield env.timeout(arrivalMs);
          return this.loopReply(req, ctx, hop);
        }
        yield this.work(arrivalMs);
        const decision = this.decide(port, req, ctx);
        if (decision.kind === 'local') {
          if (decision.delayMs) yield env.timeout(decision.delayMs);
          return this.respond(decision.response, NO_HEADER_OPS, -1, hop, decision.delayMs !== undefined);
        }
        d = decision;
      } else d = { kind: 'passthrough', cluster: mirrorOf, request: req };
      // A passthrough (and a mirror) has no route policies; a route may delay (fault), mirror,
      // bound the whole exchange with its timeout and retry.
      let retries: RetryPolicy | null = null;
      let responseHeaders: readonly CompiledHeaderOps[] = NO_HEADER_OPS;
      let timeoutMs = 0;
      let delayed = false;
      const upstreamReq = d.request;
      // The connection manager's request headers, shared by the mirrored copies.
      if (mirrorOf === null) this.forwardedHeaders(upstreamReq, req);
      if (d.kind === 'forward') {
        if (d.fault.delayMs !== undefined) {
          delayed = true;
          yield env.timeout(d.fault.delayMs);
        }
        if (d.mirrors.length > 0) this.startMirrors(d.mirrors, req, upstreamReq);
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
        const perTryMs = retries?.perTryTimeoutMs ?? 0;
        let last: HttpResponse | null = null;
        let tried: Set<string> | null = null;
        // The last try failed in a way the policy retries, with no retry left: Envoy's URX.
        let exhausted = false;
        for (let attempt = 0; attempt < tries; attempt++) {
          exhausted = false;
          if (attempt > 0) yield env.timeout(backoffMs(retries!, attempt, this.rng));
          const target = this.pickEndpoint(cluster, retries, tried);
          if (!('ip' in target)) {
            last = target;
            break;
          }
          if (retries !== null && retries.numRetries > 0) (tried ??= new Set()).add(target.ip);
          let res: HttpResponse | null = null;
          // How the try failed before an answer came back (TRY_ANSWERED: it did not fail).
          let failed: TryFailure = TRY_ANSWERED;
          this.active.set(target.ip, (this.active.get(target.ip) ?? 0) + 1);
          // perTryTimeout bounds each try (envoy router.cc UpstreamRequest per_try_timeout); its
          // expiry is this Envoy's 504 UT for that try, which 5xx, gateway-error and reset retry.
          const tryEntry = perTryMs > 0 ? this.tryDeadlines.of(perTryMs).arm(ctx.proc) : null;
          try {
            const outMs = this.net.delay();
            const handler = this.net.handlerAt(target.ip, target.port);
            if (this.net.unreachable(target.ip)) {
              // The endpoint's node is gone: the SYN is never answered; Envoy gives up at the
              // cluster's connect_timeout (Istio's MeshConfig connectTimeout, 10 s).
              yield env.timeout(ENVOY_CONNECT_TIMEOUT_MS);
              failed = TRY_UNREACHABLE;
            } else if (handler === undefined) yield env.timeout(outMs);
            else {
              const sentAt = env.now;
              res = (yield handler(upstreamReq, ctx, outMs)) as HttpResponse;
              yield env.timeout(this.net.delay());
              upstreamMs = Math.floor(env.now - sentAt);
            }
          } catch (err) {
            // A restart of this Envoy is not its own to answer: it propagates to the client.
            if (epoch !== this.epoch) throw err;
            if (isConnectionReset(err, target.ip)) failed = TRY_RESET;
            else if (!isOwnDeadline(err, this.tryOwner)) throw err;
            else failed = TRY_TIMED_OUT;
          } finally {
            if (tryEntry !== null) this.tryDeadlines.of(perTryMs).cancel(tryEntry);
            if (epoch === this.epoch) this.active.set(target.ip, this.active.get(target.ip)! - 1);
          }
          if (res !== null && failed === TRY_ANSWERED) {
            last = res;
            exhausted = retries !== null && retriable(res.status, retries);
          } else {
            last = failedTryResponse(failed);
            exhausted = retries !== null && retriesFailedTry(failed, retries);
          }
          if (exhausted) continue;
          break;
        }
        if (mirrorOf !== null) return last ?? noHealthyUpstream();
        // URX only when the policy allowed retries and they ran out.
        return this.respond(last ?? noHealthyUpstream(), responseHeaders, last !== null && last.responseFlags === undefined ? upstreamMs : -1, hop, delayed, exhausted && tries > 1);
      } catch (err) {
        if (!isOwnDeadline(err, this) || epoch !== this.epoch) throw err;
        // The router's own replies get the route's response headers too (Envoy's modify_headers).
        return this.respond(upstreamTimeout(), responseHeaders, -1, hop, delayed);
      } finally {
        if (entry !== null) deadline!.cancel(entry);
      }
    } finally {
      this.inFlight.leave(held);
      if (hop !== null) hop.endMs = env.now;
    }
  }

  /** Envoy's own work on a request, CPU on the gateway pod from when it arrives (docs/calibration.md). */
  private work(arrivalMs: number): Event<unknown> {
    const processing = Math.max(0, this.host.gatewayProcessing.sample(this.rng));
    return this.cpu.run(Math.min(PER_REQUEST_CPU_MS.gateway, processing), arrivalMs, processing);
  }

  /**
   * The route decision for a request on `port` (its trace event, when tracing), with the Wasm
   * plugins applied: plugins are HTTP filters before the router (and before the fault filter
   * Istio adds last), so one that answers stops the request there, as a local reply.
   */
  private decide(port: number, req: HttpRequest, ctx: RequestContext): RouteDecision {
    const listener = listenerFor(this.config, port);
    const decision: RouteDecision = listener === undefined ? { kind: 'local', reason: 'noRoute', response: noRoute() } : route(listener, req, this.rng);
    if (this.host.trace.active) this.traceRoute(decision, port, req, ctx);
    if (this.plugins.length > 0 && listener !== undefined) {
      const r = this.runPlugins(decision, req, ctx);
      if (r.reply !== null) return { kind: 'local', reason: 'plugin', response: localReply(r.reply.status, undefined, r.reply.body, r.reply.headers) };
      if (decision.kind !== 'local') for (const [k, v] of r.addHeaders) decision.request.headers.add(k, v);
    }
    return decision;
  }

  /** A request that came round through this gateway too often: the codec's 431 (see MAX_GATEWAY_PASSES). */
  private loopReply(req: HttpRequest, ctx: RequestContext, hop: Hop | null): HttpResponse {
    if (this.host.trace.active) this.host.trace.emit({ type: 'gateway.loop', t: this.env.now, id: ctx.id, gateway: this.name, passes: ctx.gatewayPasses - 1, authority: req.authority });
    return this.respond(headersTooLarge(), NO_HEADER_OPS, -1, hop);
  }

  /** The route's mirrors: each copy gets the connection manager's headers (the same x-request-id) and goes out on its own. */
  private startMirrors(mirrors: ReadonlyArray<{ cluster: ClusterRef; request: HttpRequest }>, downstream: HttpRequest, upstreamReq: HttpRequest): void {
    for (const m of mirrors) {
      this.forwardedHeaders(m.request, downstream, upstreamReq.headers.getLower('x-request-id'));
      this.spawnMirror(m.cluster, m.request);
    }
  }

  /**
   * What Envoy's connection manager adds to a request it forwards (use_remote_address, as
   * Istio's gateways run): an x-request-id when there is none (a UUID, from this Envoy's seeded
   * stream), x-forwarded-proto from the downstream scheme, and the downstream address appended
   * to x-forwarded-for. The upstream sees this Envoy as its peer. The UUID is drawn now, so the
   * stream's order is the requests'; the headers are written when something reads them.
   */
  private forwardedHeaders(out: HttpRequest, downstream: HttpRequest, requestId?: string): void {
    const h: HttpHeaders = out.headers;
    const edit = new ForwardedHeaders(downstream.scheme, downstream.remoteAddr);
    if (h.getLower('x-request-id') === undefined) {
      if (requestId !== undefined) edit.requestId = requestId;
      else {
        const r = this.requestIds;
        edit.a = (r.next() * 0x100000000) >>> 0;
        edit.b = (r.next() * 0x100000000) >>> 0;
        edit.c = (r.next() * 0x100000000) >>> 0;
        edit.d = (r.next() * 0x100000000) >>> 0;
        edit.requestId = null;
      }
    }
    h.defer(edit);
    out.remoteAddr = this.ip;
  }

  /**
   * The response as the downstream sees it: the route's response header operations, Envoy's
   * `x-envoy-upstream-service-time` (ms the upstream took, on proxied answers), `server:
   * istio-envoy` (the connection manager's server name, replacing the upstream's), and the
   * `date` and `content-length` the upstream Go server sends (added here when the upstream, or
   * Envoy itself, had none; the date is the simulated clock's, to the second).
   */
  private respond(res: HttpResponse, ops: readonly CompiledHeaderOps[], upstreamMs: number, hop: Hop | null, delayed = false, retriesExhausted = false): HttpResponse {
    const src = res.headers;
    let length: string | undefined;
    if (src.getLower('content-length') === undefined) {
      // Bodies repeat (the samples answer the same text): one remembered length.
      if (res.body !== this.lastBody) {
        this.lastBody = res.body;
        this.lastLength = String(utf8Length(res.body));
      }
      length = this.lastLength;
    }
    const date = src.getLower('date') === undefined ? this.dates.at(this.env.now) : undefined;
    // Written when the client reads them (a client that only counts answers never does).
    const headers = src.cloneDeferring(new ResponseHeaders(date, length, upstreamMs, ops, this.serverName));
    const flags = delayed || retriesExhausted ? responseFlags(res.responseFlags, delayed, retriesExhausted) : res.responseFlags;
    if (hop !== null && flags !== undefined) hop.flags = flags;
    return new EnvoyResponse(res.status, res.body, headers, flags);
  }

  /** The plugin chain on one request: each plugin a hop, its verdict a trace event. */
  private runPlugins(d: RouteDecision, req: HttpRequest, ctx: RequestContext): PluginChainResult {
    const vs = d.kind === 'passthrough' ? undefined : d.virtualService;
    const routeNames = vs === undefined ? NO_NAMES : [`${vs.namespace}/${vs.name}`, `${vs.namespace}/${vs.name.replace(/-(ingress|mesh)$/, '')}`];
    const service = d.kind === 'forward' ? d.cluster.host : '';
    const now = this.env.now;
    const r = this.pluginState.run(this.plugins, { authority: req.authority, routeNames, service }, req, now);
    for (const v of r.verdicts) {
      if (ctx.hops !== null) enterHop(ctx, 'wasm', `${v.plugin} ${v.ref}: ${v.decision}`, now);
      if (this.host.trace.active) this.host.trace.emit({ type: 'gateway.plugin', t: now, id: ctx.id, gateway: this.name, plugin: v.plugin, wasmPlugin: v.ref, decision: v.decision, detail: v.detail });
    }
    return r;
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

/**
 * The connection manager's request headers for one forwarded request, applied when the headers
 * are read (HttpHeaders.defer). `requestId` undefined: the request had one; null: the UUID of
 * the four words a–d.
 */
class ForwardedHeaders implements DeferredHeaderEdit {
  peek(lower: string): typeof APPLY_FIRST | undefined {
    return lower === 'x-request-id' || lower === 'x-forwarded-proto' || lower === 'x-forwarded-for' ? APPLY_FIRST : undefined;
  }
  requestId: string | null | undefined = undefined;
  a = 0;
  b = 0;
  c = 0;
  d = 0;
  constructor(
    readonly scheme: string,
    readonly remoteAddr: string | undefined,
  ) {}

  apply(h: HttpHeaders): void {
    if (this.requestId !== undefined) h.addLower('x-request-id', 'x-request-id', this.requestId ?? uuid(this.a, this.b, this.c, this.d));
    h.setLower('x-forwarded-proto', 'x-forwarded-proto', this.scheme);
    const xff = forwardedFor(h, this.remoteAddr);
    if (xff !== undefined) h.setLower('X-Forwarded-For', 'x-forwarded-for', xff);
  }
}

/**
 * What Envoy does to the response it sends downstream, applied when the headers are read: the
 * upstream's `date` and `content-length` where it had none, `x-envoy-upstream-service-time`
 * (ms, −1: not proxied), `server: istio-envoy`, then the route's response header operations.
 */
class ResponseHeaders implements DeferredHeaderEdit {
  constructor(
    readonly date: string | undefined,
    readonly length: string | undefined,
    readonly upstreamMs: number,
    readonly ops: readonly CompiledHeaderOps[],
    readonly server: string,
  ) {}

  peek(lower: string): typeof APPLY_FIRST | undefined {
    if (this.ops.length > 0) return APPLY_FIRST;
    return lower === 'date' || lower === 'content-length' || lower === 'x-envoy-upstream-service-time' || lower === 'server' ? APPLY_FIRST : undefined;
  }

  apply(h: HttpHeaders): void {
    if (this.date !== undefined) h.setLower('date', 'date', this.date);
    if (this.length !== undefined) h.setLower('content-length', 'content-length', this.length);
    if (this.upstreamMs >= 0) h.setLower('x-envoy-upstream-service-time', 'x-envoy-upstream-service-time', String(this.upstreamMs));
    h.setLower('server', 'server', this.server);
    for (const o of this.ops) applyCompiledHeaderOps(h, o);
  }
}

/**
 * The router's answer for a try that failed (`failed`, or no listener at the address: connection
 * refused): 503 UF for a connect timeout, 504 UT for a per-try timeout, 503 UC for a reset, and
 * 503 UF for a refused connection.
 */
function failedTryResponse(failed: TryFailure): HttpResponse {
  if (failed === TRY_UNREACHABLE) return connectTimeout();
  if (failed === TRY_TIMED_OUT) return upstreamTimeout();
  if (failed === TRY_RESET) return connectionTermination();
  return connectFailure();
}

/** A version-4 UUID (RFC 4122 layout) from four 32-bit words, formatted through a byte table (toString(16) per word cost a seventh of a request). */
function uuid(a: number, b: number, c: number, d: number): string {
  return (
    HEX[a >>> 24]! + HEX[(a >>> 16) & 255]! + HEX[(a >>> 8) & 255]! + HEX[a & 255]! + '-' +
    HEX[b >>> 24]! + HEX[(b >>> 16) & 255]! + '-4' + HEX_DIGIT[(b >>> 8) & 15]! + HEX[b & 255]! + '-' +
    HEX_DIGIT[8 | ((c >>> 28) & 3)]! + HEX_DIGIT[(c >>> 24) & 15]! + HEX[(c >>> 16) & 255]! + '-' +
    HEX[(c >>> 8) & 255]! + HEX[c & 255]! + HEX[d >>> 24]! + HEX[(d >>> 16) & 255]! + HEX[(d >>> 8) & 255]! + HEX[d & 255]!
  );
}

/** Two hex digits per byte value, and one per nibble. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX_DIGIT: readonly string[] = Array.from({ length: 16 }, (_, i) => i.toString(16));
const NO_HEADER_OPS: readonly never[] = Object.freeze([]);
const NO_NAMES: readonly string[] = Object.freeze([]);
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
