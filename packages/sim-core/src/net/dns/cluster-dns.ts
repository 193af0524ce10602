import type { Endpoints, Service } from '../../apis/core/v1.js';
import type { EndpointsReader } from '../../k8s/endpoints.js';
import { coreDnsAnswer, type DnsLookup } from './coredns.js';
import { DnsCache } from './cache.js';
import { externalAnswer, type ExternalResolver } from './external.js';
import { addressesOf, formatAnswer } from './records.js';
import { podResolvConf, resolvePodName } from './resolver.js';

/** A name lookup as a client did it: the queries tried in order and the address found. */
export interface ClientResolution {
  address: string | null;
  /** e.g. ["hello.default.default.svc.cluster.local NXDOMAIN", "hello.default.svc.cluster.local CNAME …"] */
  queries: string[];
  /** How many DNS round trips the client made (cache hits make none). */
  roundTrips: number;
}

/** What DNS answers from: the API objects it serves and the external names that lead to the gateway. */
export interface ClusterDnsSource {
  /** The cluster domain: CoreDNS's zone and the pods' search path. */
  readonly clusterDomain: string;
  /** A counter that changes whenever an object changes (answers are memoised per value). */
  version(): number;
  /** The ingress gateway's external address. */
  readonly loadBalancerIp: string;
  /** The configured Knative domains (config-domain) and the DomainMapping names. */
  externalDomains(): { domains: readonly string[]; mapped: readonly string[] };
  service(namespace: string, name: string): Readonly<Service> | undefined;
  readonly endpoints: EndpointsReader;
}

/**
 * The cluster's DNS as clients see it: outside, an external resolver that maps the configured
 * Knative domains (and their subdomains, and DomainMapping names) to the ingress gateway's
 * address — what wildcard DNS or the seeds' hosts-file advice does — and nothing else; inside,
 * CoreDNS answers for the cluster domain (forwarding the rest to that resolver) behind each
 * namespace's ClusterFirst resolv.conf (search path, ndots 5) and a 30 s cache.
 */
export class ClusterDns {
  private readonly caches = new Map<string, DnsCache>();
  private external: { version: number; resolver: ExternalResolver } | null = null;
  private readonly externalAnswers = new Map<string, { version: number; resolution: ClientResolution }>();
  private readonly lookup: DnsLookup;

  constructor(private readonly source: ClusterDnsSource) {
    this.lookup = {
      clusterDomain: source.clusterDomain,
      service: (ns, name) => source.service(ns, name) as Service | undefined,
      endpoints: (ns, name): Endpoints | undefined => {
        const view = source.endpoints.get(`${ns}/${name}`);
        if (view === undefined) return undefined;
        return {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: ns },
          addresses: view.addresses.map((a) => ({ ip: a.ip, targetRef: { kind: 'Pod', name: a.pod, namespace: ns } })),
          notReadyAddresses: [],
          ports: [],
        };
      },
    };
  }

  private resolver(): ExternalResolver {
    const version = this.source.version();
    if (this.external === null || this.external.version !== version) {
      const lb = this.source.loadBalancerIp;
      const { domains, mapped } = this.source.externalDomains();
      const external = domains.filter((d) => !d.endsWith(this.source.clusterDomain));
      this.external = { version, resolver: { entries: [...external, ...mapped].sort().map((domain) => ({ domain, address: lb })) } };
    }
    return this.external.resolver;
  }

  /** The external resolver's answer (memoised while no object changes: it is a pure function of the objects). */
  resolveExternal(name: string): ClientResolution {
    const resolver = this.resolver();
    let r = this.externalAnswers.get(name);
    if (r === undefined || r.version !== this.external!.version) {
      const a = externalAnswer(resolver, name);
      r = { version: this.external!.version, resolution: { address: addressesOf(a)[0] ?? null, queries: formatAnswer(a), roundTrips: 1 } };
      this.externalAnswers.set(name, r);
    }
    return r.resolution;
  }

  resolveFromPod(name: string, namespace: string, nowMs: number): ClientResolution {
    let cache = this.caches.get(namespace);
    if (cache === undefined) {
      cache = new DnsCache();
      this.caches.set(namespace, cache);
    }
    const upstream = this.resolver();
    const c = cache;
    const r = resolvePodName(name, podResolvConf(namespace, this.source.clusterDomain), (fqdn) => c.lookup(fqdn, nowMs, (n) => coreDnsAnswer(this.lookup, n, upstream)));
    return {
      address: r.address ?? null,
      queries: r.queries.flatMap((q) => formatAnswer(q.answer).map((line) => (q.cached ? `${line} (cached)` : line))),
      roundTrips: r.queries.filter((q) => !q.cached).length,
    };
  }
}
