import { normalizeName, type DnsAnswer } from './records.js';

/**
 * The resolver outside the cluster (what CoreDNS's `forward . /etc/resolv.conf` reaches, and
 * what a laptop's curl uses). External Knative domains (`*.example.com`) never resolve in
 * cluster DNS; real setups point public wildcard DNS or /etc/hosts at the load balancer. This
 * table models that: a domain suffix → an address; anything else is NXDOMAIN.
 */
export interface ExternalResolver {
  /** `example.com` also covers every subdomain. */
  entries: ReadonlyArray<{ domain: string; address: string }>;
  ttl?: number;
}

export function externalAnswer(resolver: ExternalResolver, name: string): DnsAnswer {
  const n = normalizeName(name);
  let best: { domain: string; address: string } | undefined;
  for (const e of resolver.entries) {
    const d = normalizeName(e.domain);
    if ((n === d || n.endsWith(`.${d}`)) && (best === undefined || d.length > normalizeName(best.domain).length)) best = e;
  }
  if (best === undefined) return { name: n, rcode: 'NXDOMAIN', authoritative: false, records: [], source: 'upstream' };
  return { name: n, rcode: 'NOERROR', authoritative: false, records: [{ type: 'A', name: n, address: best.address, ttl: resolver.ttl ?? 300 }], source: 'upstream' };
}
