import type { Endpoints, Service } from '../../apis/core/v1.js';
import { DEFAULT_CLUSTER_DOMAIN } from '../../apis/networking/hosts.js';
import { externalAnswer, type ExternalResolver } from './external.js';
import { normalizeName, type DnsAnswer, type DnsRecord } from './records.js';

/**
 * CoreDNS with the stock kubeadm Corefile:
 *
 *     kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa ip6.arpa; ttl 30 }
 *     forward . /etc/resolv.conf
 *     cache 30
 *
 * The kubernetes plugin's own default TTL is 5 s; kubeadm sets 30, which knsim uses.
 * Names under the cluster domain (kubeadm writes its `networking.dnsDomain` where cluster.local
 * stands) are answered from Services and Endpoints (unknown ones get an authoritative
 * NXDOMAIN); every other name is forwarded upstream.
 */
export const COREDNS_TTL_SECONDS = 30;

export interface DnsLookup {
  service(namespace: string, name: string): Service | undefined;
  endpoints(namespace: string, name: string): Endpoints | undefined;
  /** The Service's ClusterIP (when the simulation allocates them outside the object); default spec.clusterIP. */
  clusterIP?(service: Service): string | undefined;
  /** The kubernetes plugin's zone, the cluster domain (default cluster.local). */
  readonly clusterDomain?: string;
}

const isHeadless = (svc: Service) => svc.spec.clusterIP === 'None';
const zoneOf = (lookup: DnsLookup) => lookup.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN;

function serviceRecords(lookup: DnsLookup, svc: Service, fqdn: string, depth: number, upstream: ExternalResolver | undefined): { rcode: 'NOERROR'; records: DnsRecord[] } {
  const ttl = COREDNS_TTL_SECONDS;
  const ns = svc.metadata.namespace ?? 'default';
  if (svc.spec.type === 'ExternalName') {
    const target = normalizeName(svc.spec.externalName ?? '');
    const records: DnsRecord[] = [{ type: 'CNAME', name: fqdn, target, ttl }];
    // CoreDNS resolves an in-cluster target itself and returns its A record with the CNAME
    // (the seed's `dig hello.default.svc.cluster.local`). An external target is left to the client.
    if (target.endsWith(`.${zoneOf(lookup)}`) && depth < 8) records.push(...answerKubernetes(lookup, target, depth + 1, upstream).records);
    return { rcode: 'NOERROR', records };
  }
  if (isHeadless(svc)) {
    // One A record per ready endpoint address (not-ready ones are not published).
    const ep = lookup.endpoints(ns, svc.metadata.name);
    return { rcode: 'NOERROR', records: (ep?.addresses ?? []).map((a) => ({ type: 'A' as const, name: fqdn, address: a.ip, ttl })) };
  }
  const ip = lookup.clusterIP ? lookup.clusterIP(svc) : svc.spec.clusterIP;
  return { rcode: 'NOERROR', records: ip ? [{ type: 'A', name: fqdn, address: ip, ttl }] : [] };
}

function answerKubernetes(lookup: DnsLookup, fqdn: string, depth: number, upstream: ExternalResolver | undefined): DnsAnswer {
  const nx: DnsAnswer = { name: fqdn, rcode: 'NXDOMAIN', authoritative: true, records: [], source: 'kubernetes' };
  const suffix = `.svc.${zoneOf(lookup)}`;
  if (!fqdn.endsWith(suffix)) return nx;
  const labels = fqdn.slice(0, -suffix.length).split('.');
  // <svc>.<ns>.svc.<zone>
  if (labels.length === 2) {
    const [name, ns] = labels as [string, string];
    const svc = lookup.service(ns, name);
    if (svc === undefined) return nx;
    return { name: fqdn, authoritative: true, source: 'kubernetes', ...serviceRecords(lookup, svc, fqdn, depth, upstream) };
  }
  // _<port>._<proto>.<svc>.<ns>.svc.<zone>
  if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
    const [port, proto, name, ns] = labels as [string, string, string, string];
    const svc = lookup.service(ns, name);
    const p = svc?.spec.ports?.find((x) => x.name === port.slice(1) && (x.protocol ?? 'TCP').toLowerCase() === proto.slice(1));
    if (svc === undefined || p === undefined) return nx;
    return { name: fqdn, rcode: 'NOERROR', authoritative: true, source: 'kubernetes', records: [{ type: 'SRV', name: fqdn, target: `${name}.${ns}${suffix}`, port: p.port, ttl: COREDNS_TTL_SECONDS }] };
  }
  return nx;
}

/** What CoreDNS answers for one fully qualified name. */
export function coreDnsAnswer(lookup: DnsLookup, name: string, upstream?: ExternalResolver): DnsAnswer {
  const fqdn = normalizeName(name);
  const zone = zoneOf(lookup);
  if (fqdn === zone || fqdn.endsWith(`.${zone}`)) return answerKubernetes(lookup, fqdn, 0, upstream);
  // forward . /etc/resolv.conf
  return upstream !== undefined ? externalAnswer(upstream, fqdn) : { name: fqdn, rcode: 'NXDOMAIN', authoritative: false, records: [], source: 'upstream' };
}
