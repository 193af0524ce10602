import { DEFAULT_CLUSTER_DOMAIN } from '../../apis/networking/hosts.js';
import { addressesOf, normalizeName, type DnsAnswer, type DnsRecord } from './records.js';

/**
 * A pod's stub resolver with `dnsPolicy: ClusterFirst` (glibc behaviour): the search list
 * `<ns>.svc.<cluster domain> svc.<cluster domain> <cluster domain>` and `options ndots:5`, as the
 * kubelet writes it from its `clusterDomain` (pkg/kubelet/network/dns).
 */
export interface ResolvConf {
  search: string[];
  ndots: number;
}

export function podResolvConf(namespace: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): ResolvConf {
  return { search: [`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain], ndots: 5 };
}

/**
 * The names tried, in order: a trailing dot means "only this name"; fewer than `ndots` dots →
 * every search suffix first, then the name as-is; otherwise the name as-is first (musl differs).
 */
export function candidateNames(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [normalizeName(name)];
  const n = name.toLowerCase();
  const dots = (n.match(/\./g) ?? []).length;
  const searched = conf.search.map((s) => `${n}.${s}`);
  return dots >= conf.ndots ? [n, ...searched] : [...searched, n];
}

export interface DnsQuery {
  name: string;
  answer: DnsAnswer;
  /** Answered from CoreDNS's cache. */
  cached: boolean;
}

export interface Resolution {
  /** The name the application asked for. */
  name: string;
  /** The first address, or undefined when every try failed. */
  address?: string;
  addresses: string[];
  /** The name that answered (after search-path expansion), and the CNAME chain it took. */
  answeredName?: string;
  cnameChain: string[];
  /** Every query sent, in order, with its answer: the teaching trace. */
  queries: DnsQuery[];
}

/**
 * Resolves a name as a pod would: tries the candidates in order until one has an address,
 * chasing a CNAME whose target the answer did not resolve (an external ExternalName target).
 * `query` asks CoreDNS (through its cache) for one fully qualified name.
 */
export function resolvePodName(name: string, conf: ResolvConf, query: (fqdn: string) => { answer: DnsAnswer; cached: boolean }): Resolution {
  const queries: DnsQuery[] = [];
  const ask = (fqdn: string) => {
    const r = query(fqdn);
    queries.push({ name: fqdn, answer: r.answer, cached: r.cached });
    return r.answer;
  };
  for (const candidate of candidateNames(name, conf)) {
    let answer = ask(candidate);
    // NXDOMAIN and NODATA both move on to the next candidate.
    if (answer.rcode !== 'NOERROR' || answer.records.length === 0) continue;
    const chain: string[] = [];
    let current = candidate;
    for (let hops = 0; hops < 8; hops++) {
      const targets = cnameTargets(answer.records, current);
      chain.push(...targets);
      const addresses = addressesOf(answer);
      if (addresses.length > 0) return { name, address: addresses[0], addresses, answeredName: candidate, cnameChain: chain, queries };
      // A CNAME whose target the answer did not resolve: ask for the target.
      if (targets.length === 0) break;
      current = targets[targets.length - 1]!;
      answer = ask(current);
      if (answer.rcode !== 'NOERROR') break;
    }
    // The name exists (it had a CNAME), so the search stops here, unresolved.
    return { name, addresses: [], answeredName: candidate, cnameChain: chain, queries };
  }
  return { name, addresses: [], cnameChain: [], queries };
}

function cnameTargets(records: readonly DnsRecord[], from: string): string[] {
  const out: string[] = [];
  let name = from;
  for (let i = 0; i < 8; i++) {
    const c = records.find((r) => r.type === 'CNAME' && r.name === name);
    if (c === undefined || c.type !== 'CNAME') break;
    out.push(c.target);
    name = c.target;
  }
  return out;
}
