import type { Destination, HTTPFaultInjection, HTTPRoute } from '../../apis/istio/v1alpha3.js';
import { parseDuration } from '../../engine/duration.js';
import { resolveShortnameToFQDN } from '../istio/hosts.js';
import type {
  ClusterRef,
  CompiledFault,
  CompiledRoute,
  CompiledRouteConfiguration,
  CompiledVirtualHost,
  RouteAction,
  RouteInfo,
} from './compiled-config.js';
import { compileCors } from './cors.js';
import { compileHeaderOperations, setsOnly } from './header-operations.js';
import { directResponseBody } from './local-reply.js';
import { compileMatch } from './match.js';
import { percentOf } from './percent.js';
import { compilePathRewrite } from './rewrite.js';
import type { EnvoyRoute, RouteConfiguration, VirtualHost } from './route-configuration.js';

/**
 * A pushed route configuration compiled the way Envoy builds its route table when RDS delivers
 * one (envoy source/common/router/config_impl.cc: the ConfigImpl, VirtualHostImpl and
 * RouteEntryImplBase constructors), with the translation choices istiod made for each piece
 * (istio/istio pilot/pkg/networking/core/route/route.go). Done once per push; requests read
 * the result.
 */
export function compileRouteConfiguration(rc: RouteConfiguration, routes: CompiledRoutes = new WeakMap()): CompiledRouteConfiguration {
  const virtualHosts = rc.virtualHosts.map((vh) => compileVirtualHost(vh, routes));
  const exactDomains = new Map<string, CompiledVirtualHost>();
  const wildcardVirtualHosts: CompiledVirtualHost[] = [];
  for (const vh of virtualHosts) {
    let wildcard = false;
    for (const d of vh.domains) {
      if (d.startsWith('*') || d.endsWith('*')) wildcard = true;
      else if (!exactDomains.has(d)) exactDomains.set(d, vh);
    }
    if (wildcard) wildcardVirtualHosts.push(vh);
  }
  return { name: rc.name, port: rc.port, kind: rc.kind, virtualHosts, vhostByAuthority: new Map(), exactDomains, wildcardVirtualHosts };
}

/**
 * Routes already compiled, by the pushed route object: an incremental push hands over the same
 * route objects for the VirtualServices that did not change, so only the changed ones compile.
 */
export type CompiledRoutes = WeakMap<EnvoyRoute, CompiledRoute>;

/** Every listener of a gateway's configuration, compiled. */
export function compileListeners(config: { readonly listeners: readonly RouteConfiguration[] }, routes: CompiledRoutes = new WeakMap()): { readonly listeners: readonly CompiledRouteConfiguration[] } {
  return { listeners: config.listeners.map((l) => compileRouteConfiguration(l, routes)) };
}

function compileVirtualHost(vh: VirtualHost, cache: CompiledRoutes): CompiledVirtualHost {
  const routes = vh.routes.map((r) => {
    let c = cache.get(r);
    if (c === undefined || c.info.vhost !== vh.name) cache.set(r, (c = compileRoute(vh.name, r)));
    return c;
  });
  return { name: vh.name, domains: vh.domains.map((d) => d.toLowerCase()), requireTls: vh.requireTls === true, routes };
}

function compileRoute(vhost: string, r: EnvoyRoute): CompiledRoute {
  const info: RouteInfo = {
    vhost,
    virtualService: r.virtualService,
    routeName: r.name,
    routeIndex: r.routeIndex,
    // Always the same shape (undefined without a match), not a conditional spread.
    matchIndex: r.matchIndex,
  };
  return {
    test: r.match === undefined ? null : compileMatch(r.match),
    info,
    cors: r.http.corsPolicy === undefined ? null : compileCors(r.http.corsPolicy),
    action: compileAction(r),
  };
}

function compileAction(r: EnvoyRoute): RouteAction {
  const http = r.http;
  if (http.directResponse !== undefined) return { kind: 'directResponse', status: http.directResponse.status, body: directResponseBody(http.directResponse.body) };
  if (http.redirect !== undefined) return { kind: 'redirect', redirect: http.redirect };
  const vsNs = r.virtualService.namespace;
  const dests = http.route ?? [];
  // One destination: Istio merges its header operations after the route's (they win).
  // Weighted clusters: per-cluster operations apply first, the route's after (they win).
  const one = dests.length === 1;
  const defined = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);
  return {
    kind: 'route',
    fault: compileFault(http.fault),
    destinations: dests.map((dest) => {
      const requestOps = defined(one ? [http.headers?.request, dest.headers?.request] : [dest.headers?.request, http.headers?.request]).map(compileHeaderOperations);
      return {
        weight: dest.weight,
        cluster: destinationCluster(dest.destination, vsNs, r.listenerPort),
        requestOps,
        setLines: setsOnly(requestOps),
        authority: requestOps.reduce<string | undefined>((a, o) => o.authority ?? a, undefined),
        responseHeaders: defined(one ? [http.headers?.response, dest.headers?.response] : [dest.headers?.response, http.headers?.response]).map(compileHeaderOperations),
      };
    }),
    pathRewrite: compilePathRewrite(http, r.match),
    authorityRewrite: http.rewrite?.authority,
    timeoutMs: r.timeoutMs,
    retries: r.retryPolicy,
    mirrors: compileMirrors(http, vsNs, r.listenerPort),
  };
}

/** The fault filter's settings; an omitted percentage never fires. */
function compileFault(f: HTTPFaultInjection | undefined): CompiledFault | null {
  if (f === undefined) return null;
  const d = f.delay;
  const a = f.abort;
  return {
    delay: d === undefined ? null : { pct: percentOf(d.percentage, d.percent, 0), ms: d.fixedDelay !== undefined ? parseDuration(d.fixedDelay) : 0 },
    abort: a === undefined ? null : { pct: percentOf(a.percentage, undefined, 0), httpStatus: a.httpStatus, grpcStatus: a.grpcStatus },
  };
}

/** `mirrors` (or the older single `mirror`); an omitted percentage mirrors every request. */
function compileMirrors(http: HTTPRoute, vsNs: string, listenerPort: number): Array<{ cluster: ClusterRef; pct: number }> {
  const ms =
    http.mirrors !== undefined && http.mirrors.length > 0
      ? http.mirrors.map((m) => ({ d: m.destination, pct: percentOf(m.percentage, undefined, 100) }))
      : http.mirror !== undefined
        ? [{ d: http.mirror, pct: percentOf(http.mirrorPercentage, http.mirrorPercent, 100) }]
        : [];
  return ms.map((m) => ({ cluster: destinationCluster(m.d, vsNs, listenerPort), pct: m.pct }));
}

function destinationCluster(d: Destination, vsNamespace: string, listenerPort: number): ClusterRef {
  return {
    host: resolveShortnameToFQDN(d.host, vsNamespace),
    ...(d.port !== undefined ? { port: d.port.number } : { listenerPort }),
    ...(d.subset !== undefined ? { subset: d.subset } : {}),
  };
}
