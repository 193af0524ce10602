import { DEFAULT_CLUSTER_DOMAIN, expandedHosts, serviceHostname } from '../../apis/networking/hosts.js';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { HTTPIngressPath, Ingress, IngressRule, IngressSpec, IngressVisibility } from '../../apis/networking/v1alpha1.js';
import type { HTTPMatchRequest, HTTPRoute, HTTPRouteDestination, VirtualService } from '../../apis/istio/v1alpha3.js';
import { childName } from '../../apis/kmeta.js';

/**
 * net-istio's KIngress → VirtualService translation (knative-extensions/net-istio
 * pkg/reconciler/ingress/resources/virtual_service.go, with knative/networking
 * pkg/ingress/ingress.go InsertProbe/ExpandedHosts). `clusterDomain` is what net-istio reads
 * from network.GetClusterDomainName (cluster.local by default).
 */

/** config-istio's gateways, as `namespace/name`. */
export interface IstioGatewayConfig {
  publicGateways: string[];
  localGateways: string[];
}

export const INGRESS_LABEL_KEY = 'networking.internal.knative.dev/ingress';
export const ROUTE_LABEL_KEY = 'serving.knative.dev/route';
export const ROUTE_NAMESPACE_LABEL_KEY = 'serving.knative.dev/routeNamespace';
export const HASH_HEADER_NAME = 'K-Network-Hash';
export const HASH_HEADER_VALUE = 'override';
export const SYSTEM_NAMESPACE = 'knative-serving';

const sortedSet = (xs: Iterable<string>) => [...new Set(xs)].sort();

// ---------------------------------------------------------------- Go's encoding/json

/** What json.Marshal escapes: quotes, backslashes, control characters, HTML's <>&, U+2028/U+2029. */
const NEEDS_GO_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]/;

/** A string as Go's json.Marshal writes it (HTML-safe escapes, \u2028/\u2029 escaped). */
function goJsonString(s: string): string {
  // Names, hosts and paths have nothing to escape: quoted as they are, without a walk by code point.
  if (!NEEDS_GO_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

type GoField = [name: string, value: string | undefined];
const goObject = (fields: GoField[]) => `{${fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${goJsonString(k)}:${v}`).join(',')}}`;
/** `omitempty` for strings, slices and maps: dropped when empty. */
const oeString = (s: string | undefined) => (s === undefined || s === '' ? undefined : goJsonString(s));
const goStringList = (xs: readonly string[]) => `[${xs.map(goJsonString).join(',')}]`;
const oeStringList = (xs: readonly string[] | undefined) => (xs === undefined || xs.length === 0 ? undefined : goStringList(xs));
/** Go marshals map keys sorted. */
const oeStringMap = (m: Record<string, string> | undefined) => {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length === 0 ? undefined : `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(m![k]!)}`).join(',')}}`;
};
/** A nil slice without omitempty is `null`. */
const goList = <T>(xs: readonly T[] | undefined, f: (x: T) => string) => (xs === undefined ? 'null' : `[${xs.map(f).join(',')}]`);

function marshalPath(p: HTTPIngressPath): string {
  const hkeys = Object.keys(p.headers ?? {}).sort();
  return goObject([
    ['path', oeString(p.path)],
    ['rewriteHost', oeString(p.rewriteHost)],
    ['headers', hkeys.length === 0 ? undefined : `{${hkeys.map((k) => `${goJsonString(k)}:${goObject([['exact', goJsonString(p.headers![k]!.exact)]])}`).join(',')}}`],
    [
      'splits',
      goList(p.splits, (s) =>
        goObject([
          // IngressBackend is inlined: serviceNamespace, serviceName, servicePort (no omitempty).
          ['serviceNamespace', goJsonString(s.serviceNamespace ?? '')],
          ['serviceName', goJsonString(s.serviceName ?? '')],
          ['servicePort', typeof s.servicePort === 'string' ? goJsonString(s.servicePort) : String(s.servicePort ?? 0)],
          ['percent', s.percent ? String(s.percent) : undefined],
          ['appendHeaders', oeStringMap(s.appendHeaders)],
        ]),
      ),
    ],
    ['appendHeaders', oeStringMap(p.appendHeaders)],
  ]);
}

function marshalRule(r: IngressRule): string {
  return goObject([
    ['hosts', oeStringList(r.hosts)],
    ['visibility', oeString(r.visibility)],
    ['http', r.http === undefined ? undefined : goObject([['paths', goList(r.http.paths, marshalPath)]])],
  ]);
}

/** json.Marshal(ing.Spec): fields in Go struct order, `omitempty` honoured, maps sorted. */
export function marshalIngressSpec(spec: IngressSpec): string {
  return goObject([
    [
      'tls',
      spec.tls === undefined || spec.tls.length === 0
        ? undefined
        : `[${spec.tls.map((t) => goObject([['hosts', oeStringList(t.hosts)], ['secretName', oeString(t.secretName)], ['secretNamespace', oeString(t.secretNamespace)]])).join(',')}]`,
    ],
    ['rules', spec.rules === undefined || spec.rules.length === 0 ? undefined : `[${spec.rules.map(marshalRule).join(',')}]`],
    ['httpOption', oeString(spec.httpOption)],
  ]);
}

// ---------------------------------------------------------------- knative/networking pkg/ingress

/** ComputeHash: sha256 over json(spec) + namespace + name, in hex. */
export function computeHash(ing: Ingress): string {
  const input = marshalIngressSpec(ing.spec) + (ing.metadata.namespace ?? '') + ing.metadata.name;
  // A pure function of its input: clusters built from the same manifests hash the same KIngress
  // spec, and the digest is the costly part.
  let hash = hashes.get(input);
  if (hash === undefined) {
    hash = bytesToHex(sha256(utf8ToBytes(input)));
    if (hashes.size >= HASHES_LIMIT) hashes.clear();
    hashes.set(input, hash);
  }
  return hash;
}

/** Digests computed so far, by input (bounded: a long run of distinct specs starts it again). */
const hashes = new Map<string, string>();
const HASHES_LIMIT = 1024;

/**
 * InsertProbe: every path gets a copy that matches `K-Network-Hash: override` and sets the
 * header to the spec hash; the copies are prepended, so the prober's request hits them first.
 * Returns the hash and a new spec (the input is not modified).
 */
export function insertProbe(ing: Ingress): { hash: string; spec: IngressSpec } {
  const hash = computeHash(ing);
  const rules = ing.spec.rules.map((rule) => {
    if (rule.http === undefined) throw new Error(`rule is missing HTTP block: ${JSON.stringify(rule)}`);
    const probes = rule.http.paths.map((p) => ({
      ...p,
      headers: { ...(p.headers ?? {}), [HASH_HEADER_NAME]: { exact: HASH_HEADER_VALUE } },
      appendHeaders: { ...(p.appendHeaders ?? {}), [HASH_HEADER_NAME]: hash },
    }));
    return { ...rule, http: { ...rule.http, paths: [...probes, ...rule.http.paths] } };
  });
  return { hash, spec: { ...ing.spec, rules } };
}

// isValidTopLevelDomain: the last label is at most 63 characters and not all digits.


// ---------------------------------------------------------------- net-istio resources

// The Go field may be empty (the webhook defaults it); keep that case visible.
const visibilityOf = (r: IngressRule): IngressVisibility | '' => (r.visibility as IngressVisibility | undefined) ?? '';

type GatewayMap = Partial<Record<IngressVisibility | '', string[]>>;

const getHosts = (spec: IngressSpec) => sortedSet(spec.rules.flatMap((r) => r.hosts ?? []));

const localSvcSuffix = (clusterDomain: string) => `.svc.${clusterDomain}`;

// hostPrefix: a cluster-local host is matched by its short form, which also covers host:port.
function hostPrefix(host: string, clusterDomain: string): string {
  const suffix = localSvcSuffix(clusterDomain);
  return host.endsWith(suffix) ? host.slice(0, -suffix.length) : host;
}

/** getDistinctHostPrefixes: drop a prefix already covered by a shorter kept one ({a, ab} → {a}). */
export function getDistinctHostPrefixes(hosts: Iterable<string>, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): string[] {
  const kept: string[] = [];
  for (const full of sortedSet(hosts)) {
    const h = hostPrefix(full, clusterDomain);
    if (!kept.some((e) => h.startsWith(e))) kept.push(h);
  }
  return sortedSet(kept);
}

function makeMatch(host: string, path: string | undefined, headers: HTTPIngressPath['headers'], gateways: readonly string[]): HTTPMatchRequest {
  const m: HTTPMatchRequest = {
    gateways: [...gateways],
    // Not a regex: Istio ≥1.4 limits regexes to 100 bytes. A prefix also accepts host:port
    // (and, as a quirk, `host<anything>`).
    authority: { prefix: host },
  };
  // An empty path matches every path.
  if (path !== undefined && path !== '') m.uri = { prefix: path };
  // The newest net-istio ANDs every header (an older makeMatch kept only one of them).
  const keys = Object.keys(headers ?? {}).sort();
  if (keys.length > 0) m.headers = Object.fromEntries(keys.map((k) => [k, { exact: headers![k]!.exact }]));
  return m;
}

/** makeVirtualServiceRoute: one HTTPRoute per KIngress path. */
export function makeVirtualServiceRoute(
  hosts: Iterable<string>,
  path: HTTPIngressPath,
  gateways: GatewayMap,
  visibility: IngressVisibility | '',
  clusterDomain: string = DEFAULT_CLUSTER_DOMAIN,
): HTTPRoute {
  const gws = sortedSet(gateways[visibility] ?? []);
  const match = getDistinctHostPrefixes(hosts, clusterDomain).map((h) => makeMatch(h, path.path, path.headers, gws));
  const route: HTTPRouteDestination[] = path.splits.map((s) => ({
    destination: { host: serviceHostname(s.serviceName, s.serviceNamespace, clusterDomain), port: { number: s.servicePort } },
    weight: s.percent,
    ...(Object.keys(s.appendHeaders ?? {}).length > 0 ? { headers: { request: { set: { ...s.appendHeaders } } } } : {}),
  }));
  return {
    match,
    route,
    ...(path.rewriteHost ? { rewrite: { authority: path.rewriteHost } } : {}),
    ...(Object.keys(path.appendHeaders ?? {}).length > 0 ? { headers: { request: { set: { ...path.appendHeaders } } } } : {}),
    // "Override default istio behaviour of retrying twice." No timeout either: revisions enforce theirs.
    retries: {},
  };
}

/** makeVirtualServiceSpec: routes for the rules whose hosts intersect `hosts`; gateways = union of the matches'. */
function makeVirtualServiceSpec(spec: IngressSpec, gateways: GatewayMap, hosts: readonly string[], clusterDomain: string): VirtualService['spec'] {
  const hostSet = new Set(hosts);
  const http: HTTPRoute[] = [];
  const gw = new Set<string>();
  for (const rule of spec.rules) {
    const ruleHosts = (rule.hosts ?? []).filter((h) => hostSet.has(h));
    if (ruleHosts.length === 0) continue;
    for (const p of rule.http?.paths ?? []) {
      const r = makeVirtualServiceRoute(ruleHosts, p, gateways, visibilityOf(rule), clusterDomain);
      for (const m of r.match ?? []) for (const g of m.gateways ?? []) gw.add(g);
      http.push(r);
    }
  }
  return { hosts: [...hosts].sort(), gateways: sortedSet(gw), http };
}

function virtualServiceMeta(ing: Ingress, name: string): VirtualService['metadata'] {
  // kmeta.FilterMap drops the keys the filter accepts: only the route labels are carried over.
  const labels: Record<string, string> = {};
  for (const k of [ROUTE_LABEL_KEY, ROUTE_NAMESPACE_LABEL_KEY]) {
    const v = ing.metadata.labels?.[k];
    if (v !== undefined) labels[k] = v;
  }
  labels[INGRESS_LABEL_KEY] = ing.metadata.name;
  return {
    name,
    namespace: ing.metadata.namespace || SYSTEM_NAMESPACE,
    labels,
    ...(ing.metadata.annotations !== undefined ? { annotations: { ...ing.metadata.annotations } } : {}),
    ownerReferences: [{ apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'Ingress', name: ing.metadata.name, controller: true }],
  };
}

const vsObject = (metadata: VirtualService['metadata'], spec: VirtualService['spec']): VirtualService => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata,
  spec,
});

const toGatewayMap = (g: IstioGatewayConfig): GatewayMap => ({ ExternalIP: sortedSet(g.publicGateways), ClusterLocal: sortedSet(g.localGateways) });

/** MakeMeshVirtualService: `<ing>-mesh` for the cluster-local hosts, bound to `mesh` only; undefined when there are none. */
export function makeMeshVirtualService(ing: Ingress, gateways: IstioGatewayConfig, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): VirtualService | undefined {
  let hosts = getHosts(ing.spec).filter((h) => h.endsWith(localSvcSuffix(clusterDomain)));
  // With a local gateway configured the short forms are listed too (knative/serving#6488).
  if (gateways.localGateways.length > 0) hosts = expandedHosts(hosts, clusterDomain);
  if (hosts.length === 0) return undefined;
  const spec = makeVirtualServiceSpec(ing.spec, { ExternalIP: ['mesh'], ClusterLocal: ['mesh'] }, hosts, clusterDomain);
  return vsObject(virtualServiceMeta(ing, childName(ing.metadata.name, '-mesh')), spec);
}

/** MakeIngressVirtualService: `<ing>-ingress` for every (expanded) host, bound to the configured gateways. */
export function makeIngressVirtualService(ing: Ingress, gateways: IstioGatewayConfig, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): VirtualService {
  const spec = makeVirtualServiceSpec(ing.spec, toGatewayMap(gateways), expandedHosts(getHosts(ing.spec), clusterDomain), clusterDomain);
  return vsObject(virtualServiceMeta(ing, childName(ing.metadata.name, '-ingress')), spec);
}

/**
 * MakeVirtualServices: the probe paths are inserted first, then the mesh VirtualService (when
 * there are cluster-local hosts) and the ingress VirtualService (when some rule's visibility has
 * a gateway configured).
 */
export function makeVirtualServices(ing: Ingress, gateways: IstioGatewayConfig, clusterDomain: string = DEFAULT_CLUSTER_DOMAIN): VirtualService[] {
  const probed: Ingress = { ...ing, spec: insertProbe(ing).spec };
  const out: VirtualService[] = [];
  const mesh = makeMeshVirtualService(probed, gateways, clusterDomain);
  if (mesh !== undefined) out.push(mesh);
  let required = 0;
  // An empty visibility counts as public here (getPublicIngressRules).
  if (probed.spec.rules.some((r) => visibilityOf(r) === 'ExternalIP' || visibilityOf(r) === '')) required += new Set(gateways.publicGateways).size;
  if (probed.spec.rules.some((r) => r.visibility === 'ClusterLocal')) required += new Set(gateways.localGateways).size;
  if (required > 0) out.push(makeIngressVirtualService(probed, gateways, clusterDomain));
  return out;
}

export { expandedHosts };
