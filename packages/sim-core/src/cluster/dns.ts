import type { Endpoints } from '../apis/core/v1.js';
import { addressesOf, coreDnsAnswer, DnsCache, externalAnswer, formatAnswer, podResolvConf, resolvePodName, type DnsLookup, type ExternalResolver } from '../net/dns/index.js';
import type { Resolution } from './client.js';
import type { Cluster } from './cluster.js';

const CLUSTER_DOMAIN = 'cluster.local';

/**
 * The cluster's DNS as clients see it, over net/dns: outside, an external resolver that maps
 * the configured Knative domains (and their subdomains, and DomainMapping names) to the ingress
 * gateway's address — what wildcard DNS or the seeds' hosts-file advice does — and nothing
 * else; inside, CoreDNS answers for cluster.local (forwarding the rest to that resolver) behind
 * each namespace's ClusterFirst resolv.conf (search path, ndots 5) and a 30 s cache.
 */
export class ClusterDns {
  private readonly caches = new Map<string, DnsCache>();
  private external: { version: number; resolver: ExternalResolver } | null = null;
  private readonly externalAnswers = new Map<string, { version: number; resolution: Resolution }>();
  private readonly lookup: DnsLookup;

  constructor(private readonly cluster: Cluster) {
    this.lookup = {
      service: (ns, name) => cluster.service(ns, name),
      endpoints: (ns, name): Endpoints | undefined => {
        const view = cluster.endpoints.get(`${ns}/${name}`);
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
    const store = this.cluster.store;
    if (this.external === null || this.external.version !== store.version) {
      const lb = this.cluster.loadBalancerIp();
      const domains = Object.keys(this.cluster.controlPlane.config.domain.domains).filter((d) => !d.endsWith(CLUSTER_DOMAIN));
      const mapped = store.list('serving.knative.dev/DomainMapping').map((d) => d.metadata.name);
      this.external = { version: store.version, resolver: { entries: [...domains, ...mapped].sort().map((domain) => ({ domain, address: lb })) } };
    }
    return this.external.resolver;
  }

  /** The external resolver's answer (memoised while no object changes: it is a pure function of the store). */
  resolveExternal(name: string): Resolution {
    const resolver = this.resolver();
    let r = this.externalAnswers.get(name);
    if (r === undefined || r.version !== this.external!.version) {
      const a = externalAnswer(resolver, name);
      r = { version: this.external!.version, resolution: { address: addressesOf(a)[0] ?? null, queries: formatAnswer(a), roundTrips: 1 } };
      this.externalAnswers.set(name, r);
    }
    return r.resolution;
  }

  resolveFromPod(name: string, namespace: string, nowMs: number): Resolution {
    let cache = this.caches.get(namespace);
    if (cache === undefined) {
      cache = new DnsCache();
      this.caches.set(namespace, cache);
    }
    const upstream = this.resolver();
    const c = cache;
    const r = resolvePodName(name, podResolvConf(namespace), (fqdn) => c.lookup(fqdn, nowMs, (n) => coreDnsAnswer(this.lookup, n, upstream)));
    return {
      address: r.address ?? null,
      queries: r.queries.flatMap((q) => formatAnswer(q.answer).map((line) => (q.cached ? `${line} (cached)` : line))),
      roundTrips: r.queries.filter((q) => !q.cached).length,
    };
  }
}
