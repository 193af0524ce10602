/** Host helpers of knative/networking (pkg/ingress), shared by Serving's route reconciler and net-istio. */

/**
 * ingress.ExpandedHosts: every host plus its forms with `.cluster.local` and
 * `.svc.cluster.local` trimmed, so `a.ns.svc.cluster.local` also answers as `a.ns.svc` and
 * `a.ns`. Sorted (sets.List).
 */
export function expandedHosts(hosts: Iterable<string>, clusterDomain = 'cluster.local'): string[] {
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
