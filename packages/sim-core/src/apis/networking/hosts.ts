/** Host helpers of knative/networking (pkg/ingress) and knative.dev/pkg (network/domain.go), shared by Serving, net-istio, Istio and DNS. */

/**
 * Kubernetes' default cluster domain: knative.dev/pkg network's defaultDomainName, which
 * GetClusterDomainName returns unless the pod's resolv.conf searches another `svc.<domain>`,
 * and Istio's DefaultClusterLocalDomain (istiod's `--domain`). A cluster built with another
 * `clusterDomain` passes it wherever these helpers take one.
 */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** network.GetServiceHostname: `<name>.<namespace>.svc.<cluster domain>`. */
export function serviceHostname(name: string, namespace: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string {
  return `${name}.${namespace}.svc.${clusterDomain}`;
}

/** The Service a hostname `<name>.<namespace>.svc.<cluster domain>` names (lower case, no trailing dot), or undefined. */
export function serviceOfHostname(host: string, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): { name: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  if (!host.endsWith(suffix)) return undefined;
  const labels = host.slice(0, -suffix.length).split('.');
  if (labels.length !== 2 || labels[0] === '' || labels[1] === '') return undefined;
  return { name: labels[0]!, namespace: labels[1]! };
}

/**
 * ingress.ExpandedHosts: every host plus its forms with `.<cluster domain>` and
 * `.svc.<cluster domain>` trimmed, so `a.ns.svc.cluster.local` also answers as `a.ns.svc` and
 * `a.ns`. Sorted (sets.List).
 */
export function expandedHosts(hosts: Iterable<string>, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string[] {
  const suffixes = ['', `.${clusterDomain}`, `.svc.${clusterDomain}`];
  const out = new Set<string>();
  for (const h of [...hosts].sort()) {
    for (const suffix of suffixes) {
      if (suffix !== '' && !h.endsWith(suffix)) continue;
      const th = suffix === '' ? h : h.slice(0, -suffix.length);
      if (isValidTopLevelDomain(th)) out.add(th);
    }
  }
  return [...out].sort();
}

/** isValidTopLevelDomain: the last label is not all digits and at most 63 characters. */
export function isValidTopLevelDomain(domain: string): boolean {
  const tld = domain.split('.').pop()!;
  if (tld.length > 63) return false;
  return /[^0-9]/.test(tld);
}
