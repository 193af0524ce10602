import type { HTTPRedirect } from '../../apis/istio/v1alpha3.js';
import type { RetryPolicy } from '../istio/retry.js';
import type { CompiledCors } from './cors.js';
import type { CompiledHeaderOps } from './header-operations.js';
import type { RequestTest } from './match.js';
import type { PathRewrite } from './rewrite.js';
import type { VirtualServiceRef } from './route-configuration.js';

/**
 * A route configuration as Envoy holds it once a push arrives (envoy
 * source/common/router/config_impl.h: ConfigImpl, RouteMatcher, VirtualHostImpl,
 * RouteEntryImplBase, DirectResponseEntry): everything a request does not change is worked out
 * at compile time (compile.ts), so routing a request (router.ts) reads plain data: match tests,
 * header operations with lower-cased names, decoded local replies, destination clusters, and
 * the route's policies.
 */

/** An upstream cluster: `outbound|<port>|<subset>|<host>` in Istio's naming. */
export interface ClusterRef {
  host: string;
  /** Omitted: the Service's only port, else `listenerPort` (Istio's GetDestinationCluster), resolved by the caller. */
  port?: number;
  /** The route's listener port (the Gateway server's port), for a destination without `port`. */
  listenerPort?: number;
  subset?: string;
}

/** Istio's cluster name for a destination. */
export function clusterName(c: ClusterRef, port = c.port): string {
  return `outbound|${port ?? ''}|${c.subset ?? ''}|${c.host}`;
}

/** Which route answered, as decisions and traces name it. */
export interface RouteInfo {
  vhost: string;
  virtualService: VirtualServiceRef;
  routeName: string;
  routeIndex: number;
  matchIndex?: number;
}

export interface CompiledRouteConfiguration {
  readonly name: string;
  readonly port: number;
  /** A gateway answers an unknown Host with 404 NR; a sidecar passes it through to the Service. */
  readonly kind: 'gateway' | 'sidecar';
  readonly virtualHosts: readonly CompiledVirtualHost[];
  /**
   * Virtual hosts already selected, by authority (virtual-host.ts fills it, bounded): the
   * configuration never changes once compiled, so neither does the answer.
   */
  readonly vhostByAuthority: Map<string, CompiledVirtualHost | undefined>;
  /** The first virtual host listing each exact (non-wildcard) domain: an exact match outranks every other. */
  readonly exactDomains: ReadonlyMap<string, CompiledVirtualHost>;
  /** The virtual hosts with a wildcard domain, in order: searched only when no exact domain matches. */
  readonly wildcardVirtualHosts: readonly CompiledVirtualHost[];
}

export interface CompiledVirtualHost {
  readonly name: string;
  /** Lower-cased. */
  readonly domains: readonly string[];
  /** Every plain-HTTP request gets a 301 to https. */
  readonly requireTls: boolean;
  /** In Envoy's order: the first whose test passes answers. */
  readonly routes: readonly CompiledRoute[];
}

export interface CompiledRoute {
  /** null: the route matches every request. */
  readonly test: RequestTest | null;
  readonly info: RouteInfo;
  /** The route's CORS policy; null when it has none. */
  readonly cors: CompiledCors | null;
  readonly action: RouteAction;
}

/** Envoy's three route actions: direct_response, redirect, route. */
export type RouteAction = DirectResponseAction | RedirectAction | ForwardAction;

export interface DirectResponseAction {
  readonly kind: 'directResponse';
  readonly status: number;
  /** Already decoded. */
  readonly body: string;
}

export interface RedirectAction {
  readonly kind: 'redirect';
  readonly redirect: HTTPRedirect;
}

export interface ForwardAction {
  readonly kind: 'route';
  /** The fault filter's delay and abort for this route; null fields when not configured. */
  readonly fault: CompiledFault | null;
  /** Weighted clusters (one for a single destination); empty: nothing to route to (404 NR). */
  readonly destinations: readonly CompiledDestination[];
  /** null: the path is forwarded as it is. */
  readonly pathRewrite: PathRewrite | null;
  /** `rewrite.authority`, unless a header operation sets the authority. */
  readonly authorityRewrite: string | undefined;
  /** The route timeout in ms; undefined = none. */
  readonly timeoutMs: number | undefined;
  /** null = no retries; otherwise the resolved policy (Istio's default when omitted). */
  readonly retries: RetryPolicy | null;
  readonly mirrors: readonly CompiledMirror[];
}

export interface CompiledFault {
  /** The percentage (0–100) of requests delayed, and by how long. */
  readonly delay: { readonly pct: number; readonly ms: number } | null;
  /** The percentage of requests aborted, and the reply's status. */
  readonly abort: { readonly pct: number; readonly httpStatus: number | undefined; readonly grpcStatus: string | undefined } | null;
}

/** One destination of a route, with everything fixed for every request that goes there. */
export interface CompiledDestination {
  /** The weight among weighted clusters (Istio's, as given). */
  readonly weight: number | undefined;
  readonly cluster: ClusterRef;
  /** Request header operations, in the order they apply. */
  readonly requestOps: readonly CompiledHeaderOps[];
  /** When those operations only set distinct headers: the sets as flat (name, lower, value) triples. */
  readonly setLines: readonly string[] | null;
  /** The authority the operations set last, if any. */
  readonly authority: string | undefined;
  /** Response header operations, in the order they apply. */
  readonly responseHeaders: readonly CompiledHeaderOps[];
}

export interface CompiledMirror {
  readonly cluster: ClusterRef;
  /** The percentage (0–100) of requests copied. */
  readonly pct: number;
}
