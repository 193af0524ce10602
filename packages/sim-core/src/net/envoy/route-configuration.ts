import type { HTTPMatchRequest, HTTPRoute } from '../../apis/istio/v1alpha3.js';
import type { RetryPolicy } from '../istio/retry.js';

/**
 * The part of Envoy's xDS RouteConfiguration (envoy api/envoy/config/route/v3/route.proto,
 * route_components.proto) that istiod generates from VirtualServices, kept close to the Istio
 * objects it came from so a trace can name the VirtualService and route. This is what a push
 * carries; Envoy compiles it (compile.ts) before routing with it.
 */
export interface VirtualServiceRef {
  name: string;
  namespace: string;
}

/** One Envoy route: one `match` entry of one VirtualService HTTP route (or the whole route when it has none). */
export interface EnvoyRoute {
  /** `<ns>/<vs>#<routeIndex>[.<matchIndex>]`, for traces. */
  name: string;
  virtualService: VirtualServiceRef;
  /** Index into the VirtualService's `http` list. */
  routeIndex: number;
  /** Index into that route's `match` list; undefined when the route has no match. */
  matchIndex?: number;
  match?: HTTPMatchRequest;
  /** The VirtualService HTTP route: its action (route, redirect, directResponse) and policies. */
  http: HTTPRoute;
  /** Matches every request on its vhost (SortVHostRoutes moves these last). */
  catchAll: boolean;
  /** `timeout` in ms; undefined = disabled (Istio emits `timeout: 0s`). */
  timeoutMs?: number;
  /** The resolved retry policy; null = none (`retries: {}` or `attempts: 0`). */
  retryPolicy: RetryPolicy | null;
  /**
   * The port GetDestinationCluster (pilot route.go) gives a destination without `port` when its
   * Service has several: the Gateway server's port, or the service port on a sidecar.
   */
  listenerPort: number;
}

export interface VirtualHost {
  /** Istio's vhost name: `<hostname>:<server port>` (or `blackhole:<port>`). */
  name: string;
  /** Lower-cased host names; ports are ignored (`ignore_port_in_host_matching`). */
  domains: string[];
  routes: EnvoyRoute[];
  /** A server with `tls.httpsRedirect: true`: every plain-HTTP request gets a 301 to https. */
  requireTls?: boolean;
}

export interface RouteConfiguration {
  /** `http.<listener port>` on a gateway, `<port>` on a sidecar. */
  name: string;
  /** The port Envoy listens on (after Istio's gateway port translation). */
  port: number;
  /** A gateway answers an unknown Host with 404 NR; a sidecar passes it through to the Service. */
  kind: 'gateway' | 'sidecar';
  virtualHosts: VirtualHost[];
}
