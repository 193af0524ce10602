import { expandedHosts } from '../../apis/networking/hosts.js';
import type { ObjectMeta } from '../../apis/core/v1.js';
import type { IngressVisibility } from '../../apis/networking/v1alpha1.js';
import { executeGoTemplate } from '../../apis/config/template.js';
import { lookupDomainForLabels } from '../../apis/config/domain.js';
import { DEFAULT_DOMAIN_TEMPLATE } from '../../apis/config/network.js';
import { parseGoTemplate } from '../../apis/config/template.js';
import type { ServingConfig } from '../../apis/config/serving-config.js';
import { fullyQualifiedDomainNameError } from '../../apis/k8s-validation.js';
import { ServingLabels, VISIBILITY_CLUSTER_LOCAL } from '../../apis/serving/v1/types.js';
import { dict } from '../../apis/dict.js';

/**
 * Host names of a Route and its tags (knative/serving pkg/reconciler/route/domains/domains.go,
 * visibility/visibility.go; knative.dev/networking pkg/ingress ExpandedHosts).
 */

/** domains.ErrDomainName: reported on the Route as AllTrafficAssigned=False, reason ErrorConfig. */
export class DomainNameError extends Error {
  override name = 'DomainNameError';
  constructor(detail: string) {
    super(`domain name error: ${detail}`);
  }
}

const DEFAULT_DOMAIN_TEMPLATE_PARSED = parseGoTemplate('domain-template', DEFAULT_DOMAIN_TEMPLATE);

type Meta = Pick<ObjectMeta, 'name' | 'namespace' | 'labels' | 'annotations'>;

/** HostnameFromTemplate: the route name, or tag-template(`{{.Tag}}-{{.Name}}`) for a tag. */
export function hostnameFromTemplate(config: ServingConfig, name: string, tag: string): string {
  if (tag === '') return name;
  try {
    return executeGoTemplate(config.network.tagTemplateParsed, { Name: name, Tag: tag });
  } catch (e) {
    throw new DomainNameError(`error executing the TagTemplate: ${(e as Error).message}`);
  }
}

/**
 * DomainNameFromTemplate: domain-template over {Name, Namespace, Domain, Annotations, Labels},
 * where Domain comes from config-domain; a cluster-local route always uses the default template
 * (so its host is a resolvable `<name>.<ns>.svc.cluster.local`). The result must be an FQDN.
 */
export function domainNameFromTemplate(config: ServingConfig, meta: Meta, name: string): string {
  const labels = meta.labels ?? {};
  const domain = lookupDomainForLabels(config.domain, labels);
  const clusterLocal = labels[ServingLabels.visibility] === VISIBILITY_CLUSTER_LOCAL;
  const templ = clusterLocal ? DEFAULT_DOMAIN_TEMPLATE_PARSED : config.network.domainTemplateParsed;
  let host: string;
  try {
    host = executeGoTemplate(templ, {
      Name: name,
      Namespace: meta.namespace ?? '',
      Domain: domain,
      Annotations: meta.annotations,
      Labels: meta.labels,
    });
  } catch (e) {
    throw new DomainNameError(`error executing the DomainTemplate: ${(e as Error).message}`);
  }
  const err = fullyQualifiedDomainNameError('url', host);
  if (err) throw new DomainNameError(`invalid domain name ${JSON.stringify(host)}: ${err}`);
  return host;
}

/** labels.SetVisibility on a copy: add or drop the cluster-local label. */
export function withVisibility<T extends Meta>(meta: T, clusterLocal: boolean): T {
  const labels = { ...(meta.labels ?? {}) };
  if (clusterLocal) labels[ServingLabels.visibility] = VISIBILITY_CLUSTER_LOCAL;
  else delete labels[ServingLabels.visibility];
  return { ...meta, labels };
}



export interface Domains {
  primary: string;
  /** Sorted; for ClusterLocal the expanded set. */
  expanded: string[];
}

/** GetDomainsForVisibility: the host(s) of one traffic name (`""` or a tag) at one visibility. */
export function getDomainsForVisibility(config: ServingConfig, route: Meta & { name: string }, targetName: string, visibility: IngressVisibility): Domains {
  const hostname = hostnameFromTemplate(config, route.name, targetName);
  const clusterLocal = visibility === 'ClusterLocal';
  const primary = domainNameFromTemplate(config, withVisibility(route, clusterLocal), hostname);
  return { primary, expanded: clusterLocal ? expandedHosts([primary], config.domain.clusterDomain) : [primary] };
}

/** visibility.go routeVisibility: ClusterLocal when the route's domain is `svc.<cluster domain>`. */
export function routeVisibility(config: ServingConfig, route: Meta): IngressVisibility {
  return lookupDomainForLabels(config.domain, route.labels) === `svc.${config.domain.clusterDomain}` ? 'ClusterLocal' : 'ExternalIP';
}

/**
 * GetVisibility: per traffic name ("" and each tag), ClusterLocal when the route is, or when the
 * tag's placeholder Service (`<tag>-<route>`) carries the visibility label. `placeholderLabels`
 * maps existing placeholder Service names to their labels.
 */
/** Placeholder Services' labels by Service name: a record, or a lookup (the informer's). */
export type PlaceholderLabels = Readonly<Record<string, Readonly<Record<string, string>> | undefined>> | ((name: string) => Readonly<Record<string, string>> | undefined);

export function getVisibility(
  config: ServingConfig,
  route: Meta & { name: string },
  trafficNames: Iterable<string>,
  placeholderLabels: PlaceholderLabels = {},
): Record<string, IngressVisibility> {
  const def = routeVisibility(config, route);
  const out = dict<IngressVisibility>();
  for (const tt of [...new Set(['', ...trafficNames])].sort()) {
    const hostname = hostnameFromTemplate(config, route.name, tt);
    // IsObjectLocalVisibility: any non-empty visibility label value counts.
    const labels = typeof placeholderLabels === 'function' ? placeholderLabels(hostname) : placeholderLabels[hostname];
    const local = (labels?.[ServingLabels.visibility] ?? '') !== '';
    out[tt] = local || def === 'ClusterLocal' ? 'ClusterLocal' : 'ExternalIP';
  }
  return out;
}

/** updateRouteStatusURL: `<scheme>://<host>`; cluster-local routes are always http. */
export function routeStatusURL(config: ServingConfig, route: Meta & { name: string }, visibility: Readonly<Record<string, IngressVisibility>>): string {
  const clusterLocal = visibility[''] === 'ClusterLocal';
  const host = domainNameFromTemplate(config, withVisibility(route, clusterLocal), route.name);
  return `${clusterLocal ? 'http' : config.network.defaultExternalScheme}://${host}`;
}

/** status.address.url: always the in-cluster name of the route's placeholder Service. */
export function routeStatusAddressURL(config: ServingConfig, route: Meta & { name: string }): string {
  return `http://${route.name}.${route.namespace ?? 'default'}.svc.${config.domain.clusterDomain}`;
}

export { expandedHosts };
