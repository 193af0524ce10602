import type { Service as K8sService } from '../apis/core/v1.js';
import { serviceOfHostname } from '../apis/networking/hosts.js';
import type { Rng } from '../engine/rng.js';

/** Envoy's cluster for a destination: the Service (`namespace/name`, whose endpoints EDS gives) and the port to dial. */
export type Upstream =
  | { kind: 'service'; service: string; port: number }
  /** No such Service: the route points at a cluster Istio never created (503 NC). */
  | { kind: 'noCluster'; service: string };

export interface UpstreamLookup {
  service(namespace: string, name: string): K8sService | undefined;
  /** The cluster domain Service hostnames end in (default cluster.local). */
  readonly clusterDomain?: string;
}

/**
 * Resolves a route destination (`host` as an FQDN, optional port) to Envoy's cluster: the
 * Kubernetes Service `<name>.<ns>.svc.<cluster domain>`, following an ExternalName Service to its
 * target as current Istio does (ENABLE_EXTERNAL_NAME_ALIAS), and the destination port mapped to
 * its targetPort. Without a port, pilot's GetDestinationCluster (route.go) takes the Service's
 * only port, else the listener's port (the Gateway server's: 80 for Knative's gateways).
 */
export function resolveUpstream(lookup: UpstreamLookup, host: string, port: number | undefined, listenerPort?: number): Upstream {
  let fqdn = host.toLowerCase().replace(/\.$/, '');
  for (let hops = 0; hops < 8; hops++) {
    const ref = serviceOfHostname(fqdn, lookup.clusterDomain);
    if (ref === undefined) return { kind: 'noCluster', service: fqdn };
    const { name, namespace: ns } = ref;
    const svc = lookup.service(ns, name);
    if (svc === undefined) return { kind: 'noCluster', service: fqdn };
    if (svc.spec.type === 'ExternalName') {
      fqdn = (svc.spec.externalName ?? '').toLowerCase();
      continue;
    }
    const ports = svc.spec.ports ?? [];
    const wanted = port ?? (ports.length === 1 ? ports[0]!.port : listenerPort);
    const sp = ports.find((p) => p.port === wanted);
    if (sp === undefined) return { kind: 'noCluster', service: `${fqdn}:${port ?? '?'}` };
    const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
    return { kind: 'service', service: `${ns}/${name}`, port: target };
  }
  return { kind: 'noCluster', service: fqdn };
}

/**
 * Envoy's LEAST_REQUEST balancer (Istio's default): two random hosts, the one with fewer
 * active requests; with one host, that host.
 */
export function leastRequest<T extends { ip: string }>(addresses: readonly T[], active: ReadonlyMap<string, number>, rng: Rng): T {
  if (addresses.length === 1) return addresses[0]!;
  const a = addresses[Math.floor(rng.next() * addresses.length)]!;
  const b = addresses[Math.floor(rng.next() * addresses.length)]!;
  return (active.get(b.ip) ?? 0) < (active.get(a.ip) ?? 0) ? b : a;
}
