import type { Rng } from '../../engine/rng.js';
import { HttpRequestMessage, copyRequest, hostWithoutPort, portOf, type HttpHeaders, type HttpRequest, type HttpResponse } from '../http.js';
import type { RetryPolicy } from '../istio/retry.js';
import type { ClusterRef, CompiledRoute, CompiledRouteConfiguration, CompiledVirtualHost, RouteInfo } from './compiled-config.js';
import { corsHeaders } from './cors.js';
import { applyCompiledHeaderOps, compileHeaderOperations, type CompiledHeaderOps } from './header-operations.js';
import { faultAbort, localReply, noRoute } from './local-reply.js';
import { sampled } from './percent.js';
import { redirectResponse } from './redirect.js';
import type { VirtualServiceRef } from './route-configuration.js';
import { selectVirtualHost } from './virtual-host.js';

/**
 * One request through one compiled route configuration, as a pure function: virtual host by
 * Host, the first route whose match passes, the CORS filter, then the route's action (envoy
 * source/common/router/config_impl.cc RouteMatcher::route, the CORS and fault filters, and
 * the router filter's choice of cluster and the request it sends, router.cc). Randomness
 * (weighted clusters, fault and mirror percentages) comes only from `rng`, and only when the
 * outcome is actually uncertain: a single destination, a 100% fault or an absent percentage
 * never draws.
 */

export interface CorsResult {
  /** The request's Origin is one of allowOrigins. */
  allowed: boolean;
  origin: string;
}

export type RouteDecision =
  | ({
      kind: 'local';
      /** Why Envoy answers itself; `plugin` (a Wasm plugin answered) comes from the gateway's filter chain, never from `route`. */
      reason: 'noRoute' | 'directResponse' | 'redirect' | 'requireTls' | 'faultAbort' | 'corsPreflight' | 'plugin';
      response: HttpResponse;
      /** A fault delay that happens before the local reply (delay and abort together). */
      delayMs?: number;
    } & Partial<RouteInfo>)
  | ({
      kind: 'forward';
      cluster: ClusterRef;
      /** The request as the upstream sees it: rewrites and request header operations applied. */
      request: HttpRequest;
      /** Response header operations, to apply in order with `applyResponseHeaders`. */
      responseHeaders: readonly CompiledHeaderOps[];
      timeoutMs?: number;
      /** null = no retries (`retries: {}`); otherwise the resolved policy (Istio's default when omitted). */
      retries: RetryPolicy | null;
      fault: { delayMs?: number };
      mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }>;
      cors?: CorsResult;
    } & RouteInfo)
  | {
      /** Sidecar only: a host no VirtualService names goes straight to its Service. */
      kind: 'passthrough';
      cluster: ClusterRef;
      request: HttpRequest;
    };

/** Routes one request through one route configuration. */
export function route(config: CompiledRouteConfiguration, req: HttpRequest, rng: Rng): RouteDecision {
  const vh = selectVirtualHost(config, req.authority);
  if (vh === undefined) {
    if (config.kind === 'sidecar') {
      return { kind: 'passthrough', cluster: { host: hostWithoutPort(req.authority).toLowerCase(), port: portOf(req.authority) ?? config.port }, request: copyRequest(req) };
    }
    return { kind: 'local', reason: 'noRoute', response: noRoute() };
  }
  if (vh.requireTls && req.scheme === 'http') {
    // require_tls ALL: 301 to the same host and path over https (the default port is dropped).
    const location = `https://${hostWithoutPort(req.authority)}${req.path}`;
    return { kind: 'local', reason: 'requireTls', response: localReply(301, undefined, '', { location }), vhost: vh.name };
  }
  const r = firstMatchingRoute(vh, req);
  if (r === undefined) return { kind: 'local', reason: 'noRoute', response: noRoute(), vhost: vh.name };

  // The CORS filter runs before the router: an allowed preflight never reaches the upstream.
  let cors: CorsResult | undefined;
  const origin = r.cors === null ? undefined : req.headers.getLower('origin');
  if (r.cors !== null && origin !== undefined) {
    const policy = r.cors.policy;
    const allowed = r.cors.allowsOrigin(origin);
    cors = { allowed, origin };
    const preflight = req.method === 'OPTIONS' && req.headers.has('access-control-request-method');
    if (preflight && allowed) {
      return { kind: 'local', reason: 'corsPreflight', response: localReply(200, undefined, '', corsHeaders(policy, origin, true)), ...r.info };
    }
    if (preflight && policy.unmatchedPreflights === 'IGNORE') {
      return { kind: 'local', reason: 'corsPreflight', response: localReply(200), ...r.info };
    }
  }

  const a = r.action;
  if (a.kind === 'directResponse') return { kind: 'local', reason: 'directResponse', response: localReply(a.status, undefined, a.body), ...r.info };
  if (a.kind === 'redirect') return { kind: 'local', reason: 'redirect', response: redirectResponse(a.redirect, req), ...r.info };

  // Fault filter: delay and abort sampled independently.
  let delayMs: number | undefined;
  if (a.fault !== null) {
    const { delay, abort } = a.fault;
    if (delay !== null && sampled(delay.pct, rng)) delayMs = delay.ms;
    if (abort !== null && sampled(abort.pct, rng)) {
      const response = faultAbort(abort.httpStatus ?? 200);
      if (abort.httpStatus === undefined && abort.grpcStatus !== undefined) response.headers.set('grpc-status', abort.grpcStatus);
      return { kind: 'local', reason: 'faultAbort', response, ...(delayMs !== undefined ? { delayMs } : {}), ...r.info };
    }
  }

  const cd = pickDestination(a.destinations, rng);
  if (cd === undefined) return { kind: 'local', reason: 'noRoute', response: noRoute(), ...r.info };

  let outPath = req.path;
  if (a.pathRewrite !== null) {
    const q = req.path.indexOf('?');
    const newPath = a.pathRewrite(q < 0 ? req.path : req.path.slice(0, q));
    outPath = q < 0 ? newPath : `${newPath}${req.path.slice(q)}`;
  }
  let headers: HttpHeaders;
  if (cd.setLines !== null) headers = req.headers.cloneSetting(cd.setLines);
  else {
    headers = req.headers.clone();
    for (const ops of cd.requestOps) applyCompiledHeaderOps(headers, ops);
  }
  const out = new HttpRequestMessage(req.method, req.scheme, cd.authority ?? a.authorityRewrite ?? req.authority, outPath, headers, req.body);
  let responseHeaders = cd.responseHeaders;
  if (cors?.allowed) responseHeaders = [...responseHeaders, compileHeaderOperations({ set: corsHeaders(r.cors!.policy, cors.origin, false) })];

  let mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }> = NO_MIRRORS;
  for (const m of a.mirrors) {
    if (!sampled(m.pct, rng)) continue;
    const shadow = copyRequest(out);
    shadow.authority = shadowAuthority(out.authority);
    if (mirrors === NO_MIRRORS) mirrors = [];
    mirrors.push({ cluster: m.cluster, request: shadow });
  }

  const info = r.info;
  return new Forward(
    cd.cluster,
    out,
    responseHeaders,
    a.timeoutMs,
    a.retries,
    delayMs !== undefined ? { delayMs } : NO_FAULT,
    mirrors,
    cors,
    info.vhost,
    info.virtualService,
    info.routeName,
    info.routeIndex,
    info.matchIndex,
  );
}

/** A forward decision (a class, not a literal: see RequestContext in k8s/network.ts). */
class Forward {
  readonly kind = 'forward' as const;
  constructor(
    readonly cluster: ClusterRef,
    readonly request: HttpRequest,
    readonly responseHeaders: readonly CompiledHeaderOps[],
    readonly timeoutMs: number | undefined,
    readonly retries: RetryPolicy | null,
    readonly fault: { delayMs?: number },
    readonly mirrors: Array<{ cluster: ClusterRef; request: HttpRequest }>,
    readonly cors: CorsResult | undefined,
    readonly vhost: string,
    readonly virtualService: VirtualServiceRef,
    readonly routeName: string,
    readonly routeIndex: number,
    readonly matchIndex: number | undefined,
  ) {}
}

const NO_FAULT: { delayMs?: number } = Object.freeze({});
const NO_MIRRORS: Array<{ cluster: ClusterRef; request: HttpRequest }> = Object.freeze([]) as unknown as Array<{ cluster: ClusterRef; request: HttpRequest }>;

/** The first route of a virtual host whose match the request passes (Envoy's route order). */
function firstMatchingRoute(vh: CompiledVirtualHost, req: HttpRequest): CompiledRoute | undefined {
  const routes = vh.routes;
  for (let i = 0; i < routes.length; i++) {
    const r = routes[i]!;
    if (r.test === null || r.test(req)) return r;
  }
  return undefined;
}

/** Weighted clusters: weight-0 entries dropped; `r ∈ [0,sum)`, first cumulative weight above r. */
export function pickDestination<D extends { weight?: number | undefined }>(dests: readonly D[], rng: Rng): D | undefined {
  if (dests.length <= 1) return dests[0];
  // Two passes over the destinations instead of a filtered copy: this runs on every request
  // that splits. The sums are taken in the same order, so the draw picks the same destination.
  let total = 0;
  let live = 0;
  let first: D | undefined;
  let last: D | undefined;
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i]!;
    if ((d.weight ?? 0) > 0) {
      total += d.weight!;
      live++;
      first ??= d;
      last = d;
    }
  }
  if (live === 0) return dests[0];
  if (live === 1) return first;
  const r = rng.next() * total;
  let acc = 0;
  for (let i = 0; i < dests.length; i++) {
    const d = dests[i]!;
    if ((d.weight ?? 0) > 0) {
      acc += d.weight!;
      if (r < acc) return d;
    }
  }
  return last;
}

// Envoy's shadow policy appends "-shadow" to the host (before any port).
function shadowAuthority(authority: string): string {
  const host = hostWithoutPort(authority);
  return `${host}-shadow${authority.slice(host.length)}`;
}
