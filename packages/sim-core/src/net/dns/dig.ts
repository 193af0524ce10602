import type { Endpoints, KObject, Service } from '../../apis/core/v1.js';
import { coreDnsAnswer, type DnsLookup } from './coredns.js';
import { externalAnswer, type ExternalResolver } from './external.js';
import { normalizeName, type DnsAnswer, type DnsRecord } from './records.js';
import { candidateNames, podResolvConf } from './resolver.js';

/** What `dig` needs of a cluster: its objects and resolvers (a `ClusterSnapshot` fits). */
export interface DigSource {
  clusterDomain: string;
  dns: { loadBalancerIp: string; externalDomains: readonly string[] };
  objects: readonly KObject[];
}

export type DigType = 'A' | 'CNAME' | 'SRV' | 'ANY';

/** One query a resolver sent, with its answer restricted to the asked type (as dig prints it). */
export interface DigQuery {
  name: string;
  answer: DnsAnswer;
}

export interface DigResult {
  /** Which resolver answered: a pod's (CoreDNS, with its search path) or the external one. */
  server: 'kube-dns' | 'external';
  /** The search path and ndots of the pod's resolv.conf, when asked from a pod. */
  search?: { search: string[]; ndots: number };
  /** Every query sent in order; the last one is the answer dig prints. */
  queries: DigQuery[];
}

/**
 * `dig NAME [TYPE]` against the simulated resolvers. Without a namespace it asks the external
 * resolver (a laptop's, which knows the Knative domains); with one, it asks CoreDNS as a pod in
 * that namespace would with `dig +search`: each name of the search path in turn (ndots 5) until
 * one answers with records, as glibc's resolver does.
 */
export function dig(src: DigSource, name: string, opts: { fromNamespace?: string; type?: DigType } = {}): DigResult {
  const type = opts.type ?? 'A';
  const upstream: ExternalResolver = { entries: src.dns.externalDomains.map((domain) => ({ domain, address: src.dns.loadBalancerIp })) };
  const keep = (a: DnsAnswer): DnsAnswer => ({ ...a, records: a.records.filter((r) => wanted(r, type)) });
  if (opts.fromNamespace === undefined) return { server: 'external', queries: [{ name: normalizeName(name), answer: keep(externalAnswer(upstream, name)) }] };
  const services = new Map<string, Service>();
  const endpoints = new Map<string, Endpoints>();
  for (const o of src.objects) {
    const key = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
    if (o.apiVersion === 'v1' && o.kind === 'Service') services.set(key, o as Service);
    if (o.apiVersion === 'v1' && o.kind === 'Endpoints') {
      const subsets = (o.subsets as Array<{ addresses?: Endpoints['addresses'] }> | undefined) ?? [];
      endpoints.set(key, { ...(o as Endpoints), addresses: subsets.flatMap((s) => s.addresses ?? []), notReadyAddresses: [], ports: [] });
    }
  }
  const lookup: DnsLookup = { clusterDomain: src.clusterDomain, service: (ns, n) => services.get(`${ns}/${n}`), endpoints: (ns, n) => endpoints.get(`${ns}/${n}`) };
  const conf = podResolvConf(opts.fromNamespace, src.clusterDomain);
  const queries: DigQuery[] = [];
  for (const candidate of candidateNames(name, conf)) {
    const answer = keep(coreDnsAnswer(lookup, candidate, upstream));
    queries.push({ name: candidate, answer });
    if (answer.rcode === 'NOERROR' && answer.records.length > 0) break;
  }
  return { server: 'kube-dns', search: { search: conf.search, ndots: conf.ndots }, queries };
}

/** An A query shows the CNAME chain that leads to the address, as a resolver returns it. */
function wanted(r: DnsRecord, type: DigType): boolean {
  if (type === 'ANY') return true;
  if (type === 'A') return r.type === 'A' || r.type === 'CNAME';
  return r.type === type;
}
