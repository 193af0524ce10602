import type { Service } from '../../apis/core/v1.js';
import type { Gateway, HTTPMatchRequest, Server, VirtualService } from '../../apis/istio/v1alpha3.js';
import { parseDuration } from '../../engine/duration.js';
import type { EnvoyRoute, RouteConfiguration, VirtualHost } from '../envoy/route-configuration.js';
import { DEFAULT_CLUSTER_DOMAIN, serviceOfHostname } from '../../apis/networking/hosts.js';
import { MESH_GATEWAY, intersectHosts, parseServerHost, resolveGatewayName, resolveVirtualServiceShortnames } from './hosts.js';
import { convertRetryPolicy } from './retry.js';

/**
 * What istiod pushes to one gateway deployment (istio/istio pilot/pkg/networking/core/gateway.go
 * buildGatewayHTTPRouteConfig, route/route.go BuildHTTPRoutesForVirtualService, SortVHostRoutes),
 * and the same compilation for sidecars (the `mesh` gateway).
 */
export const DISABLE_PORT_TRANSLATION_LABEL = 'experimental.istio.io/disable-gateway-port-translation';

export interface GatewayConfigInput {
  /** Labels of the gateway pods being configured (Gateways select them with `spec.selector`). */
  podLabels: Record<string, string>;
  /** Namespace of the gateway pods (for `sourceNamespace` matches); default istio-system. */
  podNamespace?: string;
  gateways: readonly Gateway[];
  virtualServices: readonly VirtualService[];
  /** Services whose selector picks the gateway pods (Gateway port → listener port translation). */
  services: readonly Service[];
  /** Creation order of a VirtualService (istiod sorts by creation time, then name, then namespace). */
  creationIndex?: (vs: VirtualService) => number;
  /** istiod's domain suffix, the cluster domain (default cluster.local). */
  domainSuffix?: string;
}

export interface GatewayConfig {
  /** One RouteConfiguration per listener port, sorted by port. */
  listeners: RouteConfiguration[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

/** The VirtualServices as istiod holds them: short names resolved, sorted as config.Config (creation time, then name, then namespace). */
function sortVirtualServices(vss: readonly VirtualService[], creationIndex: (vs: VirtualService) => number, domainSuffix: string | undefined): VirtualService[] {
  return vss.map((vs) => resolveVirtualServiceShortnames(vs, domainSuffix ?? DEFAULT_CLUSTER_DOMAIN)).sort(
    (a, b) =>
      creationIndex(a) - creationIndex(b) ||
      cmp(a.metadata.name, b.metadata.name) ||
      cmp(a.metadata.namespace ?? 'default', b.metadata.namespace ?? 'default'),
  );
}

const defaultCreationIndex = (vs: VirtualService) => vs.metadata.creationTimestamp ?? 0;

/**
 * Istio's gateway port translation: a Gateway server port that equals a `port` of a Service
 * selecting the gateway pods listens on that Service port's `targetPort` (80 → 8080 on
 * istio-ingressgateway), unless the Service opts out with the disable-gateway-port-translation
 * label (knative-local-gateway: its port 80 → 8081 does not apply, the 8081 server listens on 8081).
 */
export function listenerPort(serverPort: number, podLabels: Record<string, string>, services: readonly Service[]): number {
  const sorted = [...services].sort((a, b) => cmp(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`));
  for (const svc of sorted) {
    const sel = svc.spec.selector ?? {};
    if (Object.keys(sel).length === 0 || !selects(sel, podLabels)) continue;
    if (svc.metadata.labels?.[DISABLE_PORT_TRANSLATION_LABEL] === 'true') continue;
    const p = (svc.spec.ports ?? []).find((x) => x.port === serverPort);
    if (p !== undefined && typeof p.targetPort === 'number') return p.targetPort;
  }
  return serverPort;
}

/**
 * route.go isCatchAllMatch: only `uri: {prefix: /}` (or regex `*`) with nothing else set stops
 * the emission of a VirtualService's later routes.
 */
export function isCatchAllMatch(m: HTTPMatchRequest | undefined): boolean {
  if (m === undefined) return true;
  const uriAll = m.uri !== undefined && (m.uri.prefix === '/' || m.uri.regex === '*');
  return (
    uriAll &&
    Object.keys(m.headers ?? {}).length === 0 &&
    Object.keys(m.queryParams ?? {}).length === 0 &&
    Object.keys(m.sourceLabels ?? {}).length === 0 &&
    Object.keys(m.withoutHeaders ?? {}).length === 0 &&
    (m.gateways ?? []).length === 0 &&
    m.method === undefined &&
    m.scheme === undefined &&
    (m.port ?? 0) === 0 &&
    m.authority === undefined &&
    (m.sourceNamespace ?? '') === ''
  );
}

/**
 * route.go isCatchAllRoute (used by SortVHostRoutes) on the Envoy route a match becomes: path
 * prefix `/` (also what a match without `uri` gets) or regex `*`/`.*`, and no header or query
 * matchers (authority, method and scheme are pseudo-header matchers in Envoy).
 */
export function isCatchAllRoute(m: HTTPMatchRequest | undefined): boolean {
  if (m === undefined) return true;
  const uriAll = m.uri === undefined || m.uri.prefix === '/' || m.uri.regex === '*' || m.uri.regex === '.*';
  return (
    uriAll &&
    Object.keys(m.headers ?? {}).length === 0 &&
    Object.keys(m.withoutHeaders ?? {}).length === 0 &&
    Object.keys(m.queryParams ?? {}).length === 0 &&
    m.authority === undefined &&
    m.method === undefined &&
    m.scheme === undefined
  );
}

/**
 * route.go sourceMatchHTTP: a match naming gateways applies if one of them is the proxy's; one
 * without gateways applies if its sourceLabels/sourceNamespace select the proxy.
 */
function sourceMatch(m: HTTPMatchRequest, vsNamespace: string, proxyGateways: ReadonlySet<string>, proxyLabels: Record<string, string>, proxyNamespace: string): boolean {
  if ((m.gateways ?? []).length > 0) return m.gateways!.some((g) => proxyGateways.has(resolveGatewayName(g, vsNamespace)));
  if (!selects(m.sourceLabels, proxyLabels)) return false;
  return (m.sourceNamespace ?? '') === '' || m.sourceNamespace === proxyNamespace;
}

interface Proxy {
  gateways: ReadonlySet<string>;
  labels: Record<string, string>;
  namespace: string;
  /** The port a `match.port` is compared with (the Gateway server port, or the service port on a sidecar). */
  port: number;
}

/** BuildHTTPRoutesForVirtualService: one Envoy route per applicable match; a catch-all ends the VirtualService. */
export function buildHTTPRoutesForVirtualService(vs: VirtualService, proxy: Proxy): EnvoyRoute[] {
  const ns = vs.metadata.namespace ?? 'default';
  const ref = { name: vs.metadata.name, namespace: ns };
  const out: EnvoyRoute[] = [];
  const http = vs.spec.http ?? [];
  for (let ri = 0; ri < http.length; ri++) {
    const h = http[ri]!;
    const parsedTimeout = h.timeout === undefined ? 0 : parseDuration(h.timeout);
    // Every route one shape (absent fields undefined), built field by field: spreading a base
    // whose own shape varied made each route a dictionary-mode clone, slow to build and to read.
    const timeoutMs = parsedTimeout > 0 ? parsedTimeout : undefined;
    const retryPolicy = convertRetryPolicy(h.retries);
    const route = (name: string, catchAll: boolean, matchIndex: number | undefined, match: HTTPMatchRequest | undefined): EnvoyRoute => ({
      name,
      virtualService: ref,
      routeIndex: ri,
      matchIndex,
      match,
      http: h,
      catchAll,
      timeoutMs,
      retryPolicy,
      listenerPort: proxy.port,
    });
    let catchAll = false;
    if ((h.match ?? []).length === 0) {
      out.push(route(`${ns}/${vs.metadata.name}#${ri}`, true, undefined, undefined));
      catchAll = true;
    } else {
      for (let mi = 0; mi < h.match!.length; mi++) {
        const m = h.match![mi]!;
        if (!sourceMatch(m, ns, proxy.gateways, proxy.labels, proxy.namespace)) continue;
        if ((m.port ?? 0) !== 0 && m.port !== proxy.port) continue;
        out.push(route(`${ns}/${vs.metadata.name}#${ri}.${mi}`, isCatchAllRoute(m), mi, m));
        if (isCatchAllMatch(m)) {
          catchAll = true;
          break;
        }
      }
    }
    // "We have a rule with catch all match. Other rules are of no use."
    if (catchAll) break;
  }
  return out;
}

/** SortVHostRoutes: catch-all routes last, relative order kept. */
export function sortVHostRoutes(routes: readonly EnvoyRoute[]): EnvoyRoute[] {
  return [...routes.filter((r) => !r.catchAll), ...routes.filter((r) => r.catchAll)];
}

const vsGateways = (vs: VirtualService) => {
  const ns = vs.metadata.namespace ?? 'default';
  const gws = vs.spec.gateways ?? [];
  return new Set((gws.length === 0 ? [MESH_GATEWAY] : gws).map((g) => resolveGatewayName(g, ns)));
};

interface BoundServer {
  gatewayKey: string;
  gatewayNamespace: string;
  server: Server;
}

/** What one VirtualService contributes to one listener: a virtual host's routes per bound hostname. */
interface VirtualServiceBinding {
  name: string;
  serverPort: number;
  requireTls: boolean;
  routes: readonly EnvoyRoute[];
}

/**
 * What an incremental push keeps between pushes (istiod's per-config push context): each
 * VirtualService's translation — short names resolved, and its bindings per listener port — by
 * object. Stored objects are replaced on every change, so an unchanged VirtualService is the same
 * object and is not translated again; a change to the Gateways, the gateway Services or the pod
 * labels drops everything.
 */
export class GatewayConfigCache {
  private inputs: { gateways: readonly Gateway[]; services: readonly Service[]; podLabels: Record<string, string>; podNamespace: string; domainSuffix: string | undefined } | undefined;
  readonly resolved = new WeakMap<VirtualService, VirtualService>();
  readonly bindings = new WeakMap<VirtualService, Map<number, readonly VirtualServiceBinding[]>>();
  /** VirtualServices translated (for tests and benchmarks: an incremental push translates only what changed). */
  translated = 0;

  /** Drops everything when anything but the VirtualServices differs from the last push. */
  sync(input: GatewayConfigInput): void {
    const podNamespace = input.podNamespace ?? 'istio-system';
    const same = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    // Gateways and Services by object (stored objects are replaced when they change); the pod
    // labels by value (a caller may build them afresh for each push).
    const labels = Object.entries(input.podLabels).sort(([a], [b]) => cmp(a, b));
    const sameLabels = (l: Record<string, string>) => Object.keys(l).length === labels.length && labels.every(([k, v]) => l[k] === v);
    const i = this.inputs;
    if (i !== undefined && same(i.gateways, input.gateways) && same(i.services, input.services) && sameLabels(i.podLabels) && i.podNamespace === podNamespace && i.domainSuffix === input.domainSuffix) return;
    // (the count of translations survives: it is the pushes' total)
    this.inputs = { gateways: [...input.gateways], services: [...input.services], podLabels: { ...input.podLabels }, podNamespace, domainSuffix: input.domainSuffix };
    (this as { resolved: WeakMap<VirtualService, VirtualService> }).resolved = new WeakMap();
    (this as { bindings: WeakMap<VirtualService, Map<number, readonly VirtualServiceBinding[]>> }).bindings = new WeakMap();
  }
}

/**
 * Compiles every listener of one gateway deployment. With a cache (an incremental push), only
 * VirtualServices that changed since the last push are translated again; the listeners are
 * assembled from the kept translations in the same order, so the result is the same.
 */
export function compileGatewayConfig(input: GatewayConfigInput, cache: GatewayConfigCache = new GatewayConfigCache()): GatewayConfig {
  cache.sync(input);
  const podNamespace = input.podNamespace ?? 'istio-system';
  const creationIndex = input.creationIndex ?? defaultCreationIndex;
  const domainSuffix = input.domainSuffix ?? DEFAULT_CLUSTER_DOMAIN;
  const vss = input.virtualServices
    .map((vs) => {
      let r = cache.resolved.get(vs);
      if (r === undefined) cache.resolved.set(vs, (r = resolveVirtualServiceShortnames(vs, domainSuffix)));
      return { vs, r };
    })
    .sort(
      (a, b) =>
        creationIndex(a.r) - creationIndex(b.r) ||
        cmp(a.r.metadata.name, b.r.metadata.name) ||
        cmp(a.r.metadata.namespace ?? 'default', b.r.metadata.namespace ?? 'default'),
    );
  const gateways = [...input.gateways]
    .filter((g) => selects(g.spec.selector, input.podLabels))
    .sort((a, b) => cmp(`${a.metadata.namespace}/${a.metadata.name}`, `${b.metadata.namespace}/${b.metadata.name}`));

  const byPort = new Map<number, BoundServer[]>();
  for (const gw of gateways) {
    const gwNs = gw.metadata.namespace ?? 'default';
    for (const server of gw.spec.servers ?? []) {
      const proto = (server.port.protocol ?? 'HTTP').toUpperCase();
      // Only HTTP-speaking servers get an HTTP route configuration; TLS termination is not simulated.
      if (!['HTTP', 'HTTP2', 'GRPC', 'GRPC-WEB', 'HTTPS'].includes(proto)) continue;
      const port = listenerPort(server.port.number, input.podLabels, input.services);
      const list = byPort.get(port) ?? [];
      list.push({ gatewayKey: `${gwNs}/${gw.metadata.name}`, gatewayNamespace: gwNs, server });
      byPort.set(port, list);
    }
  }

  /** One VirtualService's bindings on one listener (translated once per object). */
  const bindingsOf = (original: VirtualService, vs: VirtualService, port: number, servers: readonly BoundServer[]): readonly VirtualServiceBinding[] => {
    let perPort = cache.bindings.get(original);
    if (perPort === undefined) cache.bindings.set(original, (perPort = new Map()));
    let out = perPort.get(port);
    if (out !== undefined) return out;
    cache.translated++;
    const vsNs = vs.metadata.namespace ?? 'default';
    const bound = vsGateways(vs);
    const hosts = vs.spec.hosts ?? [];
    // hostname → the gateways (on this port) through which the VS binds it, and the server port.
    const binding = new Map<string, { gateways: Set<string>; serverPort: number; requireTls: boolean }>();
    for (const { gatewayKey, gatewayNamespace, server } of servers) {
      if (!bound.has(gatewayKey)) continue;
      for (const sh of server.hosts ?? []) {
        const { namespace, host } = parseServerHost(sh, gatewayNamespace);
        if (namespace !== '*' && namespace !== vsNs) continue;
        for (const h of hosts) {
          const name = intersectHosts(h, host);
          if (name === undefined) continue;
          const b = binding.get(name) ?? { gateways: new Set<string>(), serverPort: server.port.number, requireTls: false };
          b.gateways.add(gatewayKey);
          b.requireTls ||= server.tls?.httpsRedirect === true;
          binding.set(name, b);
        }
      }
    }
    out = [...binding.keys()].sort().map((name) => {
      const b = binding.get(name)!;
      const routes = buildHTTPRoutesForVirtualService(vs, { gateways: b.gateways, labels: input.podLabels, namespace: podNamespace, port: b.serverPort });
      return { name, serverPort: b.serverPort, requireTls: b.requireTls, routes };
    });
    perPort.set(port, out);
    return out;
  };

  const listeners: RouteConfiguration[] = [];
  for (const port of [...byPort.keys()].sort((a, b) => a - b)) {
    const servers = byPort.get(port)!;
    const vhosts = new Map<string, VirtualHost>();
    for (const { vs: original, r: vs } of vss) {
      for (const b of bindingsOf(original, vs, port, servers)) {
        const vh = vhosts.get(b.name);
        if (vh === undefined) {
          vhosts.set(b.name, { name: `${b.name}:${b.serverPort}`, domains: [b.name], routes: [...b.routes], ...(b.requireTls ? { requireTls: true } : {}) });
        } else {
          // Several VirtualServices for one host: their routes are concatenated in VS order.
          vh.routes.push(...b.routes);
          if (b.requireTls) vh.requireTls = true;
        }
      }
    }
    const virtualHosts = [...vhosts.keys()].sort().map((k) => {
      const vh = vhosts.get(k)!;
      return { ...vh, routes: sortVHostRoutes(vh.routes) };
    });
    if (virtualHosts.length === 0) {
      // No VirtualService binds: istiod still emits the route so the listener answers 404.
      virtualHosts.push({ name: `blackhole:${port}`, domains: ['*'], routes: [] });
    }
    listeners.push({ name: `http.${port}`, port, kind: 'gateway', virtualHosts });
  }
  return { listeners };
}

/** The route configuration of the listener on `port` (as pushed, or compiled), if the gateway listens there. */
export function listenerFor<L extends { readonly port: number }>(config: { readonly listeners: readonly L[] }, port: number): L | undefined {
  const ls = config.listeners;
  for (let i = 0; i < ls.length; i++) if (ls[i]!.port === port) return ls[i];
  return undefined;
}

export interface MeshConfigInput {
  virtualServices: readonly VirtualService[];
  /** The destination service port the client calls (sidecar route configurations are per port). */
  port: number;
  /** The calling pod (for `sourceLabels` / `sourceNamespace` matches and short host names). */
  sourceLabels?: Record<string, string>;
  sourceNamespace?: string;
  creationIndex?: (vs: VirtualService) => number;
  /** istiod's domain suffix, the cluster domain (default cluster.local). */
  domainSuffix?: string;
}

/**
 * The sidecar's outbound route configuration for one port: a vhost per host of every
 * VirtualService bound to `mesh` (VSs without `gateways` are), routes compiled as for a gateway.
 * Hosts without a VirtualService are not listed: the sidecar passes them straight to the Service.
 */
export function compileMeshConfig(input: MeshConfigInput): RouteConfiguration {
  const creationIndex = input.creationIndex ?? defaultCreationIndex;
  const labels = input.sourceLabels ?? {};
  const srcNs = input.sourceNamespace ?? 'default';
  const vhosts = new Map<string, VirtualHost>();
  for (const vs of sortVirtualServices(input.virtualServices, creationIndex, input.domainSuffix)) {
    if (!vsGateways(vs).has(MESH_GATEWAY)) continue;
    const routes = buildHTTPRoutesForVirtualService(vs, { gateways: new Set([MESH_GATEWAY]), labels, namespace: srcNs, port: input.port });
    for (const h of [...new Set(vs.spec.hosts ?? [])].sort()) {
      const vh = vhosts.get(h);
      if (vh === undefined) vhosts.set(h, { name: `${h}:${input.port}`, domains: [h], routes: [...routes] });
      else vh.routes.push(...routes);
    }
  }
  // A client in the Service's namespace may also use the bare name (`hello` for hello.<ns>.svc.<domain>).
  const claimed = new Set([...vhosts.keys()]);
  for (const [h, vh] of vhosts) {
    const svc = serviceOfHostname(h, input.domainSuffix);
    if (svc === undefined || svc.namespace !== srcNs || claimed.has(svc.name)) continue;
    vh.domains.push(svc.name);
    claimed.add(svc.name);
  }
  const virtualHosts = [...vhosts.keys()].sort().map((k) => {
    const vh = vhosts.get(k)!;
    return { ...vh, routes: sortVHostRoutes(vh.routes) };
  });
  return { name: `${input.port}`, port: input.port, kind: 'sidecar', virtualHosts };
}
