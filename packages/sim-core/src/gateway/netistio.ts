import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Ingress, IngressRule, HTTPIngressPath } from '../apis/networking/v1alpha1.js';
import { childName } from '../apis/kmeta.js';
import type { HTTPMatchRequest, HTTPRoute, VirtualService } from './istio-types.js';

export const HASH_HEADER = 'K-Network-Hash';
export const PROBE_HEADER = 'K-Network-Probe';
const INGRESS_LABEL = 'networking.internal.knative.dev/ingress';
const CLUSTER_LOCAL_SUFFIX = '.svc.cluster.local';

export interface IngressGatewayConfig {
  /** `namespace/name` of the gateways for ExternalIP rules (config-istio gateway.*). */
  publicGateways: string[];
  /** `namespace/name` of the gateways for ClusterLocal rules (config-istio local-gateway.*); "mesh" means sidecars only. */
  localGateways: string[];
}

/**
 * ExpandedHosts (knative/networking): each host, plus what is left after trimming
 * `.cluster.local` or `.svc.cluster.local`, when that still ends in a valid label.
 */
export function expandedHosts(hosts: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const h of hosts) {
    for (const suffix of ['', '.cluster.local', '.svc.cluster.local']) {
      if (suffix !== '' && !h.endsWith(suffix)) continue;
      const t = h.slice(0, h.length - suffix.length);
      const tld = t.slice(t.lastIndexOf('.') + 1);
      if (tld !== '' && tld.length <= 63 && !/^\d+$/.test(tld)) out.add(t);
    }
  }
  return [...out].sort();
}

/**
 * InsertProbe: a copy of every path that only matches `K-Network-Hash: override` and sets the
 * header to the ingress's hash, prepended so net-istio's prober can tell when this exact
 * version is live. knsim hashes its own JSON of the spec (Go's json.Marshal field order differs),
 * so the hash is stable but not byte-identical to net-istio's.
 */
export function insertProbe(ing: Ingress): { spec: Ingress['spec']; hash: string } {
  const hash = bytesToHex(sha256(utf8ToBytes(JSON.stringify(ing.spec) + (ing.metadata.namespace ?? '') + ing.metadata.name)));
  const rules = ing.spec.rules.map((r) => {
    const probes: HTTPIngressPath[] = r.http.paths.map((p) => ({
      ...p,
      headers: { ...(p.headers ?? {}), [HASH_HEADER]: { exact: 'override' } },
      appendHeaders: { ...(p.appendHeaders ?? {}), [HASH_HEADER]: hash },
    }));
    return { ...r, http: { paths: [...probes, ...r.http.paths] } };
  });
  return { spec: { ...ing.spec, rules }, hash };
}

function hostPrefixes(hosts: readonly string[]): string[] {
  const trimmed = [...new Set(hosts.map((h) => (h.endsWith(CLUSTER_LOCAL_SUFFIX) ? h.slice(0, -CLUSTER_LOCAL_SUFFIX.length) : h)))].sort();
  const kept: string[] = [];
  for (const h of trimmed) if (!kept.some((k) => h.startsWith(k))) kept.push(h);
  return kept;
}

function makeRoute(rule: IngressRule, path: HTTPIngressPath, gateways: readonly string[], ns: string): HTTPRoute {
  const match: HTTPMatchRequest[] = hostPrefixes(rule.hosts).map((host) => {
    const m: HTTPMatchRequest = { gateways: [...gateways].sort(), authority: { prefix: host } };
    if (path.path) m.uri = { prefix: path.path };
    if (path.headers && Object.keys(path.headers).length > 0) {
      m.headers = {};
      for (const k of Object.keys(path.headers).sort()) m.headers[k] = { exact: path.headers[k]!.exact };
    }
    return m;
  });
  const splits = path.splits;
  const route: HTTPRoute = {
    match,
    route: splits.map((s) => ({
      destination: { host: `${s.serviceName}.${s.serviceNamespace || ns}${CLUSTER_LOCAL_SUFFIX}`, port: { number: s.servicePort } },
      weight: splits.length === 1 && s.percent === 0 ? 100 : s.percent,
      ...(s.appendHeaders && Object.keys(s.appendHeaders).length > 0 ? { headers: { request: { set: { ...s.appendHeaders } } } } : {}),
    })),
    retries: {},
  };
  if (path.appendHeaders && Object.keys(path.appendHeaders).length > 0) route.headers = { request: { set: { ...path.appendHeaders } } };
  if (path.rewriteHost) route.rewrite = { authority: path.rewriteHost };
  return route;
}

/**
 * net-istio's MakeVirtualServices: `<ingress>-mesh` for the cluster-local hosts (sidecars) and
 * `<ingress>-ingress` bound to the public and local gateways, one HTTP route per path with one
 * match per distinct host prefix (authority prefix matches), weighted destinations to the
 * revisions' Services with their headers, and `retries: {}` (no retries, not Istio's default 2).
 */
export function makeVirtualServices(ing: Ingress, gw: IngressGatewayConfig): VirtualService[] {
  const ns = ing.metadata.namespace ?? 'default';
  const { spec } = insertProbe(ing);
  const labels = { [INGRESS_LABEL]: ing.metadata.name };
  const annotations = { ...(ing.metadata.annotations ?? {}) };
  const out: VirtualService[] = [];
  const gatewaysFor = (r: IngressRule) => (r.visibility === 'ClusterLocal' ? gw.localGateways : gw.publicGateways).filter((g) => g !== 'mesh');
  const allHosts = spec.rules.flatMap((r) => r.hosts);
  const localHosts = expandedHosts(allHosts.filter((h) => h.endsWith(CLUSTER_LOCAL_SUFFIX)));
  if (localHosts.length > 0) {
    const http: HTTPRoute[] = [];
    for (const r of spec.rules) {
      if (!r.hosts.some((h) => h.endsWith(CLUSTER_LOCAL_SUFFIX))) continue;
      for (const p of r.http.paths) http.push(makeRoute({ ...r, hosts: r.hosts.filter((h) => h.endsWith(CLUSTER_LOCAL_SUFFIX)) }, p, ['mesh'], ns));
    }
    out.push({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: childName(ing.metadata.name, '-mesh'), namespace: ns, labels, annotations },
      spec: { hosts: localHosts, gateways: ['mesh'], http },
    });
  }
  const http: HTTPRoute[] = [];
  const used = new Set<string>();
  for (const r of spec.rules) {
    const gws = gatewaysFor(r);
    if (gws.length === 0) continue;
    for (const g of gws) used.add(g);
    for (const p of r.http.paths) http.push(makeRoute(r, p, gws, ns));
  }
  if (http.length > 0) {
    out.push({
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: childName(ing.metadata.name, '-ingress'), namespace: ns, labels, annotations },
      spec: { hosts: expandedHosts(allHosts), gateways: [...used].sort(), http },
    });
  }
  return out;
}
