import type { Destination, VirtualService } from '../../apis/istio/v1alpha3.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../../apis/networking/hosts.js';

/**
 * Host and gateway names as istiod reads them from VirtualServices and Gateways
 * (istio/istio pilot/pkg/model/virtualservice.go resolveGatewayName / ResolveShortnameToFQDN,
 * pkg/config/host/name.go Matches/SubsetOf). The domain suffix is istiod's `--domain`
 * (Helm's global.proxy.clusterDomain), the cluster domain, cluster.local by default.
 */
export const MESH_GATEWAY = 'mesh';

/**
 * `name` and `./name` → `<vsNamespace>/name`; `ns/name` unchanged; the legacy FQDN
 * `name.ns.svc.cluster.local` (and any dotted `name.ns...`) → `ns/name`; `mesh` stays `mesh`.
 */
export function resolveGatewayName(gateway: string, vsNamespace: string): string {
  if (gateway === MESH_GATEWAY) return MESH_GATEWAY;
  if (gateway.startsWith('./')) return `${vsNamespace}/${gateway.slice(2)}`;
  if (gateway.includes('/')) return gateway;
  const dot = gateway.indexOf('.');
  if (dot < 0) return `${vsNamespace}/${gateway}`;
  // Legacy FQDN: the first two labels are name and namespace (model.resolveGatewayName).
  const [name, ns] = gateway.split('.') as [string, string];
  return `${ns}/${name}`;
}

/**
 * A host without any dot is short for `<host>.<namespace>.svc.<domain suffix>`, using the
 * namespace of the object that names it (the VirtualService's for `hosts`, `destination.host`
 * and `mirror.host`). Wildcards, `*` and dotted names are kept. Hosts are case-insensitive.
 */
export function resolveShortnameToFQDN(host: string, namespace: string, domainSuffix: string = DEFAULT_CLUSTER_DOMAIN): string {
  const h = host.toLowerCase();
  if (h === '*' || h.startsWith('*') || h.includes('.')) return h;
  return `${h}.${namespace}.svc.${domainSuffix}`;
}

/**
 * ResolveVirtualServiceShortnames (pilot/pkg/model/virtualservice.go): istiod expands the short
 * hosts of a VirtualService, and of its route and mirror destinations, when it loads the VS, so
 * everything downstream sees fully qualified names. A copy; the input is not modified.
 */
export function resolveVirtualServiceShortnames(vs: VirtualService, domainSuffix: string): VirtualService {
  const ns = vs.metadata.namespace ?? 'default';
  const dest = (d: Destination): Destination => ({ ...d, host: resolveShortnameToFQDN(d.host, ns, domainSuffix) });
  const spec = { ...vs.spec };
  if (spec.hosts !== undefined) spec.hosts = spec.hosts.map((h) => resolveShortnameToFQDN(h, ns, domainSuffix));
  if (spec.http !== undefined) {
    spec.http = spec.http.map((h) => ({
      ...h,
      ...(h.route !== undefined ? { route: h.route.map((r) => ({ ...r, destination: dest(r.destination) })) } : {}),
      ...(h.mirror !== undefined ? { mirror: dest(h.mirror) } : {}),
      ...(h.mirrors !== undefined ? { mirrors: h.mirrors.map((m) => ({ ...m, destination: dest(m.destination) })) } : {}),
    }));
  }
  return { ...vs, spec };
}

/**
 * host.Name.Matches: `*` matches everything; `*.example.com` matches `a.example.com`,
 * `a.b.example.com` and narrower wildcards, but never `example.com` itself.
 */
export function hostMatches(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) {
    const suffix = pattern.slice(1); // ".example.com"
    if (name.startsWith('*')) return name.slice(1).endsWith(suffix);
    return name.length > suffix.length && name.endsWith(suffix);
  }
  return pattern === name;
}

/** A VS host and a Gateway server host intersect on the more specific of the two, or not at all. */
export function intersectHosts(vsHost: string, serverHost: string): string | undefined {
  if (hostMatches(serverHost, vsHost)) return vsHost;
  if (hostMatches(vsHost, serverHost)) return serverHost;
  return undefined;
}

/** A Gateway server host `[ns/]dnsName`: `*` (or no prefix) allows every namespace, `.` the Gateway's own. */
export function parseServerHost(serverHost: string, gatewayNamespace: string): { namespace: string; host: string } {
  const slash = serverHost.indexOf('/');
  if (slash < 0) return { namespace: '*', host: serverHost.toLowerCase() };
  const ns = serverHost.slice(0, slash);
  return { namespace: ns === '.' ? gatewayNamespace : ns, host: serverHost.slice(slash + 1).toLowerCase() };
}

/** Envoy's virtual host domain match (case-insensitive, port already stripped). */
export function domainMatchRank(domain: string, host: string): number {
  // exact > longest suffix wildcard > prefix wildcard > `*` (Envoy route_config domain search order).
  if (domain === host) return Number.MAX_SAFE_INTEGER;
  if (domain === '*') return 0;
  if (domain.startsWith('*')) {
    const suffix = domain.slice(1);
    // A wildcard never matches an empty label: `*.example.com` does not match `.example.com`.
    return host.length > suffix.length && host.endsWith(suffix) ? 2_000_000 + suffix.length : -1;
  }
  if (domain.endsWith('*')) {
    const prefix = domain.slice(0, -1);
    return host.length > prefix.length && host.startsWith(prefix) ? 1_000_000 + prefix.length : -1;
  }
  return -1;
}
