import type { Service as K8sService } from '../apis/core/v1.js';
import type { Resolution } from './client.js';
import type { Cluster } from './cluster.js';

/** The stock kubeadm Corefile's `ttl 30` / `cache 30` (the kubernetes plugin's own default is 5 s). */
export const DNS_TTL_MS = 30_000;
export const CLUSTER_DOMAIN = 'cluster.local';
/** ClusterFirst pods: `options ndots:5`. */
export const NDOTS = 5;

interface Answer {
  address: string | null;
  chain: string[];
}

/**
 * Kubernetes DNS as knsim models it. Inside the cluster, CoreDNS answers Services under
 * `cluster.local` (ClusterIP → A; headless → the first ready endpoint; ExternalName → CNAME,
 * followed when the target is in the cluster) with an authoritative NXDOMAIN for unknown names
 * there, and forwards other names upstream. A pod's resolver applies the ClusterFirst search
 * path (`<ns>.svc.cluster.local svc.cluster.local cluster.local`, ndots 5) in glibc's order and
 * caches answers for 30 s. Outside, an external resolver maps the configured Knative domains
 * (and their subdomains, and DomainMapping names) to the ingress gateway's external address —
 * what a wildcard DNS record or the seeds' hosts-file advice does — and nothing else.
 */
export class ClusterDns {
  private readonly caches = new Map<string, Map<string, { answer: Answer; expires: number }>>();
  private external: { version: number; domains: string[]; mapped: Set<string> } | null = null;

  constructor(private readonly cluster: Cluster) {}

  /** Names the external resolver knows: every domain of config-domain and DomainMapping hosts. */
  private externalDomains(): string[] {
    const cp = this.cluster.controlPlane;
    return Object.keys(cp.config.domain.domains)
      .filter((d) => !d.endsWith(CLUSTER_DOMAIN))
      .sort();
  }

  private externalAnswer(name: string): Answer {
    const n = name.replace(/\.$/, '').toLowerCase();
    const store = this.cluster.store;
    if (this.external === null || this.external.version !== store.version) {
      this.external = { version: store.version, domains: this.externalDomains(), mapped: new Set(store.list('serving.knative.dev/DomainMapping').map((d) => d.metadata.name)) };
    }
    const hit = this.external.mapped.has(n) || this.external.domains.some((d) => n === d || n.endsWith(`.${d}`));
    return hit ? { address: this.cluster.loadBalancerIp(), chain: [`${n} A ${this.cluster.loadBalancerIp()}`] } : { address: null, chain: [`${n} NXDOMAIN`] };
  }

  resolveExternal(name: string): Resolution {
    const a = this.externalAnswer(name);
    return { address: a.address, queries: a.chain, roundTrips: 1 };
  }

  /** CoreDNS's answer for one fully qualified name. */
  private coreDns(fqdn: string, depth = 0): Answer {
    const n = fqdn.replace(/\.$/, '').toLowerCase();
    if (!n.endsWith(`.${CLUSTER_DOMAIN}`)) {
      // forward . /etc/resolv.conf: the upstream resolver.
      return this.externalAnswer(n);
    }
    const parts = n.slice(0, -(CLUSTER_DOMAIN.length + 1)).split('.');
    // <svc>.<ns>.svc.cluster.local
    if (parts.length === 3 && parts[2] === 'svc') {
      const svc = this.cluster.service(parts[1]!, parts[0]!);
      if (svc !== undefined) return this.serviceAnswer(n, svc, depth);
    }
    return { address: null, chain: [`${n} NXDOMAIN`] };
  }

  private serviceAnswer(n: string, svc: K8sService, depth: number): Answer {
    if (svc.spec.type === 'ExternalName') {
      const target = (svc.spec.externalName ?? '').toLowerCase();
      const next = depth < 8 ? this.coreDns(target, depth + 1) : { address: null, chain: [`${target} SERVFAIL (CNAME loop)`] };
      return { address: next.address, chain: [`${n} CNAME ${target}`, ...next.chain] };
    }
    if (svc.spec.clusterIP === 'None') {
      const eps = this.cluster.endpoints.get(`${svc.metadata.namespace}/${svc.metadata.name}`)?.addresses ?? [];
      if (eps.length === 0) return { address: null, chain: [`${n} NOERROR (no ready endpoints)`] };
      return { address: eps[0]!.ip, chain: [`${n} A ${eps.map((e) => e.ip).join(',')}`] };
    }
    return { address: svc.spec.clusterIP ?? null, chain: [`${n} A ${svc.spec.clusterIP}`] };
  }

  /** The names a ClusterFirst pod's resolver tries, in order. */
  static searchCandidates(name: string, namespace: string): string[] {
    if (name.endsWith('.')) return [name.slice(0, -1)];
    const search = [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
    const dots = name.split('.').length - 1;
    const viaSearch = search.map((s) => `${name}.${s}`);
    return dots >= NDOTS ? [name, ...viaSearch] : [...viaSearch, name];
  }

  resolveFromPod(name: string, namespace: string, nowMs: number): Resolution {
    let cache = this.caches.get(namespace);
    if (cache === undefined) {
      cache = new Map();
      this.caches.set(namespace, cache);
    }
    const queries: string[] = [];
    let roundTrips = 0;
    for (const candidate of ClusterDns.searchCandidates(name.toLowerCase(), namespace)) {
      const c = cache.get(candidate);
      let answer: Answer;
      if (c !== undefined && c.expires > nowMs) {
        answer = c.answer;
        queries.push(...answer.chain.map((q) => `${q} (cached)`));
      } else {
        answer = this.coreDns(candidate);
        cache.set(candidate, { answer, expires: nowMs + DNS_TTL_MS });
        queries.push(...answer.chain);
        roundTrips++;
      }
      if (answer.address !== null) return { address: answer.address, queries, roundTrips };
    }
    return { address: null, queries, roundTrips };
  }
}
