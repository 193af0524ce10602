import type { Service as K8sService } from '../../apis/core/v1.js';
import type { HTTPIngressPath, Ingress, IngressBackendSplit, IngressRule, IngressTLS, IngressVisibility } from '../../apis/networking/v1alpha1.js';
import { childName } from '../../apis/kmeta.js';
import { deepCopy } from '../../apis/deep-copy.js';
import { systemInternalTLSEnabled } from '../../apis/config/network.js';
import type { ServingConfig } from '../../apis/config/serving-config.js';
import { ServingLabels, type Route } from '../../apis/serving/v1/types.js';
import { domainNameFromTemplate, getDomainsForVisibility, hostnameFromTemplate } from './domains.js';
import { DEFAULT_TARGET, type RevisionTarget, type TrafficConfig } from './traffic.js';
import { dict, setOwn } from '../../apis/dict.js';

/**
 * Route → KIngress and the Route's placeholder Services (knative/serving
 * pkg/reconciler/route/resources/ingress.go, service.go, names/names.go; gateway-routing.md §3.3).
 */

/** Headers the ingress adds so the activator and queue-proxy know the target (activator constants). */
export const REVISION_HEADER = 'Knative-Serving-Revision';
export const NAMESPACE_HEADER = 'Knative-Serving-Namespace';
/** knative.dev/networking pkg/http/header: tag-header-based routing. */
export const ROUTE_TAG_HEADER = 'Knative-Serving-Tag';
export const DEFAULT_ROUTE_HEADER = 'Knative-Serving-Default-Route';

export const INGRESS_CLASS_ANNOTATION = 'networking.knative.dev/ingress.class';
const INGRESS_CLASS_ANNOTATION_ALT = 'networking.knative.dev/ingress-class';
const ROLLOUT_ANNOTATION = 'networking.internal.knative.dev/rollout';
const TAG_TO_HOST_ANNOTATION = 'networking.internal.knative.dev/tag-to-host';
// ExcludedAnnotations (resources/filters.go): never copied from the Route onto the KIngress.
export const EXCLUDED_ANNOTATIONS: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'networking.knative.dev/certificate-class',
  INGRESS_CLASS_ANNOTATION_ALT,
]);

export interface MakeIngressContext {
  config: ServingConfig;
  /** Certificates' TLS blocks (auto-TLS is not simulated: usually empty). */
  tls?: IngressTLS[];
}

/** ingressClassForRoute: the Route's annotation, else config-network's ingress-class. */
export function ingressClassForRoute(config: ServingConfig, route: Route): string {
  const a = route.metadata.annotations ?? {};
  return a[INGRESS_CLASS_ANNOTATION] || a[INGRESS_CLASS_ANNOTATION_ALT] || config.network.defaultIngressClass;
}

/** GetHTTPOption: the Route's http-protocol annotation, else config-network's http-protocol. */
export function getHTTPOption(config: ServingConfig, annotations: Readonly<Record<string, string>> | undefined): 'Enabled' | 'Redirected' | undefined {
  const a = annotations ?? {};
  const proto = a['networking.knative.dev/http-protocol'] || a['networking.knative.dev/httpOption'] || '';
  if (proto !== '') {
    const p = proto.toLowerCase();
    if (p === 'enabled') return 'Enabled';
    if (p === 'redirected') return 'Redirected';
    throw new Error(`incorrect http-protocol annotation: ${p}`);
  }
  if (config.network.httpProtocol === 'enabled') return 'Enabled';
  if (config.network.httpProtocol === 'redirected') return 'Redirected';
  return undefined;
}

/** makeBaseIngressPath: one split per target with percent > 0 (0% targets are dropped). */
function makeBaseIngressPath(ns: string, targets: readonly RevisionTarget[], encryption: boolean): HTTPIngressPath {
  const splits: IngressBackendSplit[] = [];
  for (const t of targets) {
    if (t.percent === 0) continue;
    splits.push({
      serviceNamespace: ns,
      serviceName: t.revisionName,
      // The revision's public K8s Service: 80 for http1, 81 for h2c, 443 with system-internal-tls.
      servicePort: encryption ? 443 : t.protocol === 'h2c' ? 81 : 80,
      percent: t.percent,
      appendHeaders: { [REVISION_HEADER]: t.revisionName, [NAMESPACE_HEADER]: ns },
    });
  }
  return { splits };
}

/** makeIngressRules: one ClusterLocal rule for all expanded hosts; one ExternalIP rule per domain. */
function makeIngressRules(domains: readonly string[], ns: string, visibility: IngressVisibility, targets: readonly RevisionTarget[], encryption: boolean): IngressRule[] {
  const base = makeBaseIngressPath(ns, targets, encryption);
  if (visibility === 'ClusterLocal') return [{ hosts: [...domains], visibility, http: { paths: [deepCopy(base)] } }];
  return domains.map((d) => ({ hosts: [d], visibility, http: { paths: [deepCopy(base)] } }));
}

/** The KIngress spec and the tag → primary hosts map (makeIngressSpec). */
export function makeIngressSpec(route: Route, tc: TrafficConfig & { visibility: Readonly<Record<string, IngressVisibility>> }, ctx: MakeIngressContext) {
  const { config } = ctx;
  const ns = route.metadata.namespace ?? 'default';
  const names = Object.keys(tc.targets).sort();
  const encryption = systemInternalTLSEnabled(config.network);
  const tagHeaderRouting = config.features.tagHeaderBasedRouting === 'Enabled';
  const rules: IngressRule[] = [];
  const tagToHost = dict<string[]>();
  for (const name of names) {
    // Every name gets a cluster-local rule; a public one unless the route/tag is cluster-local.
    const visibilities: IngressVisibility[] = ['ClusterLocal'];
    const v = tc.visibility[name];
    if (v === undefined || v === 'ExternalIP') visibilities.push('ExternalIP');
    for (const visibility of visibilities) {
      const domains = getDomainsForVisibility(config, route.metadata, name, visibility);
      const domainRules = makeIngressRules(domains.expanded, ns, visibility, tc.targets[name]!, encryption);
      for (const rule of domainRules) {
        if (!tagHeaderRouting) continue;
        const first = rule.http.paths[0]!;
        first.appendHeaders = { ...(first.appendHeaders ?? {}) };
        if (name === DEFAULT_TARGET) {
          first.appendHeaders[DEFAULT_ROUTE_HEADER] = 'true';
          // Tag paths come first: a request carrying Knative-Serving-Tag is matched before the default.
          const tagPaths = names.slice(1).map((tag) => ({ ...makeBaseIngressPath(ns, tc.targets[tag]!, encryption), headers: { [ROUTE_TAG_HEADER]: { exact: tag } } }));
          rule.http.paths = [...tagPaths, ...rule.http.paths];
        } else {
          first.appendHeaders[ROUTE_TAG_HEADER] = name;
        }
      }
      rules.push(...domainRules);
      if (name !== DEFAULT_TARGET) (tagToHost[name] ??= []).push(domains.primary);
    }
  }
  const httpOption = getHTTPOption(config, route.metadata.annotations);
  return {
    spec: { rules, ...(ctx.tls && ctx.tls.length > 0 ? { tls: ctx.tls } : {}), ...(httpOption ? { httpOption } : {}) },
    tagToHost,
  };
}

/** BuildRollout with no rollout in progress: each latestRevision target with traffic, sorted by (tag, configuration). */
function serializeRollout(tc: TrafficConfig): string {
  const configurations: Array<{ configurationName: string; tag?: string; percent: number; revisions: Array<{ revisionName: string; percent: number }>; stepParams: object }> = [];
  for (const tag of Object.keys(tc.targets)) {
    for (const rt of tc.targets[tag]!) {
      if (!rt.latestRevision || rt.percent === 0) continue;
      configurations.push({
        configurationName: rt.configurationName ?? '',
        ...(tag !== '' ? { tag } : {}),
        percent: rt.percent,
        revisions: [{ revisionName: rt.revisionName, percent: rt.percent }],
        stepParams: {},
      });
    }
  }
  configurations.sort((a, b) => {
    const ta = a.tag ?? '';
    const tb = b.tag ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    return a.configurationName < b.configurationName ? -1 : a.configurationName > b.configurationName ? 1 : 0;
  });
  return JSON.stringify(configurations.length > 0 ? { configurations } : {});
}

/** MakeIngress: the KIngress `<route>` owned by the Route. */
export function makeIngress(route: Route, tc: TrafficConfig & { visibility: Readonly<Record<string, IngressVisibility>> }, ctx: MakeIngressContext): Ingress {
  const { spec, tagToHost } = makeIngressSpec(route, tc, ctx);
  const ns = route.metadata.namespace ?? 'default';
  const annotations: Record<string, string> = {
    [INGRESS_CLASS_ANNOTATION]: ingressClassForRoute(ctx.config, route),
    [ROLLOUT_ANNOTATION]: serializeRollout(tc),
  };
  for (const [k, v] of Object.entries(route.metadata.annotations ?? {})) if (!EXCLUDED_ANNOTATIONS.has(k)) setOwn(annotations, k, v);
  if (Object.keys(tagToHost).length > 0) {
    const sorted: Record<string, string[]> = {};
    for (const k of Object.keys(tagToHost).sort()) setOwn(sorted, k, tagToHost[k]!);
    annotations[TAG_TO_HOST_ANNOTATION] = JSON.stringify(sorted);
  }
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'Ingress',
    metadata: {
      name: childName(route.metadata.name, ''),
      namespace: ns,
      labels: { ...(route.metadata.labels ?? {}), [ServingLabels.route]: route.metadata.name, [ServingLabels.routeNamespace]: ns },
      annotations,
      ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Route', name: route.metadata.name, controller: true }],
    },
    spec,
  };
}

/** makeServiceObjectMeta: named by the host name, labelled with the route (and its visibility label). */
function placeholderMeta(route: Route, hostname: string) {
  const labels: Record<string, string> = {};
  const vis = route.metadata.labels?.[ServingLabels.visibility];
  if (vis !== undefined) labels[ServingLabels.visibility] = vis;
  labels[ServingLabels.route] = route.metadata.name;
  return {
    name: hostname,
    namespace: route.metadata.namespace ?? 'default',
    labels,
    ...(route.metadata.annotations ? { annotations: { ...route.metadata.annotations } } : {}),
    ownerReferences: [{ apiVersion: 'serving.knative.dev/v1', kind: 'Route', name: route.metadata.name, controller: true }],
  };
}

/**
 * MakeK8sPlaceholderService: before the KIngress has a load balancer, `<route>` (or
 * `<tag>-<route>`) is an ExternalName Service pointing at the route's own domain name.
 */
export function makeK8sPlaceholderService(config: ServingConfig, route: Route, tag: string): K8sService {
  const hostname = hostnameFromTemplate(config, route.metadata.name, tag);
  const domainName = domainNameFromTemplate(config, route.metadata, hostname);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: placeholderMeta(route, hostname),
    spec: { type: 'ExternalName', externalName: domainName, ports: [{ name: 'http2', port: 80, targetPort: 80 }] },
  };
}

/** One placeholder per traffic name (reconcilePlaceholderServices), sorted by name. */
export function makeK8sPlaceholderServices(config: ServingConfig, route: Route, tc: TrafficConfig): K8sService[] {
  return Object.keys(tc.targets)
    .sort()
    .map((name) => makeK8sPlaceholderService(config, route, name));
}

/**
 * MakeK8sService: once the KIngress reports its load balancers, the placeholder points at the
 * private one (net-istio: `knative-local-gateway.istio-system.svc.cluster.local`), so
 * `<route>.<ns>.svc.cluster.local` resolves (CNAME) to the local gateway. An IP load balancer
 * gives a headless Service whose Endpoints the caller creates with that IP.
 */
export function makeK8sService(config: ServingConfig, route: Route, tag: string, ingress: Ingress, isPrivate: boolean): { service: K8sService; endpointIP?: string } {
  const priv = ingress.status?.privateLoadBalancer;
  let lb = ingress.status?.publicLoadBalancer;
  if (isPrivate || (priv && priv.ingress.length !== 0)) lb = priv;
  if (!lb || lb.ingress.length === 0) throw new Error('failed to fetch loadbalancer domain/IP from ingress status');
  if (lb.ingress.length > 1) throw new Error(`more than one ingress are specified in status(LoadBalancer) of Ingress ${ingress.metadata.name}`);
  const balancer = lb.ingress[0]!;
  const hostname = hostnameFromTemplate(config, route.metadata.name, tag);
  const metadata = placeholderMeta(route, hostname);
  const ports = [{ name: 'http2', port: 80, targetPort: 80 }];
  if (balancer.ip) return { service: { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ClusterIP', clusterIP: 'None', ports } }, endpointIP: balancer.ip };
  if (balancer.domainInternal) return { service: { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ExternalName', externalName: balancer.domainInternal, ports } } };
  if (balancer.domain) return { service: { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ExternalName', externalName: balancer.domain, ports } } };
  if (balancer.meshOnly) return { service: { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }] } } };
  throw new Error('failed to fetch loadbalancer domain/IP from ingress status');
}
