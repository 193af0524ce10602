import type { Ingress, IngressTLS } from '../../apis/networking/v1alpha1.js';
import { childName } from '../../apis/kmeta.js';
import type { ServingConfig } from '../../apis/config/serving-config.js';
import { ServingLabels, type ClusterDomainClaim, type DomainMapping } from '../../apis/serving/v1/types.js';
import { EXCLUDED_ANNOTATIONS, INGRESS_CLASS_ANNOTATION, getHTTPOption } from '../route/ingress.js';
import { setOwn } from '../../apis/dict.js';

/**
 * DomainMapping → KIngress (knative/serving pkg/reconciler/domainmapping/reconciler.go
 * resolveRef, resources/ingress.go MakeIngress, resources/domainclaim.go).
 */

/** knative.dev/networking pkg/http/header OriginalHostKey. */
export const ORIGINAL_HOST_HEADER = 'K-Original-Host';

export type ResolveRefResult =
  | { ok: true; host: string; backendServiceName: string }
  /** MarkReferenceNotResolved(message): ReferenceResolved=False, reason ResolveFailed. */
  | { ok: false; message: string };

/**
 * resolveRef: the ref's Addressable URL must be `http(s)://{name}.{namespace}.svc.{cluster domain}`
 * with no path, in the mapping's namespace; `name` is the backend K8s Service. `resolvedURL` is
 * what the URI resolver found: the ref's status.address.url, `null` when the object exists but
 * has no address yet, `undefined` when the object does not exist.
 */
export function resolveRef(config: ServingConfig, dm: DomainMapping, resolvedURL: string | null | undefined): ResolveRefResult {
  const r = dm.spec.ref;
  if (resolvedURL === undefined) {
    const group = (r.apiVersion ?? '').includes('/') ? (r.apiVersion ?? '').split('/')[0] : '';
    const resource = `${(r.kind ?? '').toLowerCase()}s${group ? `.${group}` : ''}`;
    return { ok: false, message: `failed to get object ${r.namespace ?? ''}/${r.name ?? ''}: ${resource} ${JSON.stringify(r.name ?? '')} not found` };
  }
  if (resolvedURL === null) {
    return { ok: false, message: `address not set for &{Kind:${r.kind ?? ''} Namespace:${r.namespace ?? ''} Name:${r.name ?? ''} APIVersion:${r.apiVersion ?? ''} Group:}` };
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/i.exec(resolvedURL);
  const host = m?.[2] ?? '';
  const path = m?.[3] ?? '';
  if (path.replace(/\/$/, '') !== '') return { ok: false, message: `resolved URI ${JSON.stringify(resolvedURL)} contains a path` };
  const requiredSuffix = `.svc.${config.domain.clusterDomain}`;
  const parts = host.endsWith(requiredSuffix) ? host.slice(0, -requiredSuffix.length).split('.') : [];
  if (!host.endsWith(requiredSuffix) || parts.length !== 2) {
    return { ok: false, message: `resolved URI ${JSON.stringify(resolvedURL)} must be of the form {name}.{namespace}${requiredSuffix}` };
  }
  if (parts[1] !== (dm.metadata.namespace ?? 'default')) return { ok: false, message: `resolved URI ${JSON.stringify(resolvedURL)} must be in same namespace as DomainMapping` };
  return { ok: true, host, backendServiceName: parts[0]! };
}

/**
 * reconcileDomainClaim: a ClusterDomainClaim named like the mapping must exist and name the
 * mapping's namespace; with autocreate-cluster-domain-claims it is created (makeDomainClaim).
 */
export function checkDomainClaim(
  config: ServingConfig,
  dm: DomainMapping,
  claim: ClusterDomainClaim | undefined,
): { ok: true; create?: ClusterDomainClaim } | { ok: false; message: string } {
  const ns = dm.metadata.namespace ?? 'default';
  if (claim) {
    if (claim.spec?.namespace !== ns) return { ok: false, message: `namespace ${JSON.stringify(ns)} does not own ClusterDomainClaim for ${JSON.stringify(dm.metadata.name)}` };
    return { ok: true };
  }
  if (!config.network.autocreateClusterDomainClaims) {
    return { ok: false, message: `no ClusterDomainClaim found for domain ${JSON.stringify(dm.metadata.name)} (and autocreate-cluster-domain-claims property is not true)` };
  }
  return {
    ok: true,
    create: { apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'ClusterDomainClaim', metadata: { name: dm.metadata.name }, spec: { namespace: ns } },
  };
}

/**
 * MakeIngress: one ExternalIP rule for host = the mapping's name, rewriting the Host header to
 * the target's cluster-local host and sending 100% to the target's K8s Service on port 80
 * (which, for a Knative Service, is the ExternalName placeholder to the local gateway).
 */
export function makeDomainMappingIngress(config: ServingConfig, dm: DomainMapping, backendServiceName: string, hostName: string, tls: IngressTLS[] = []): Ingress {
  const ns = dm.metadata.namespace ?? 'default';
  const annotations: Record<string, string> = { [INGRESS_CLASS_ANNOTATION]: config.network.defaultIngressClass };
  for (const [k, v] of Object.entries(dm.metadata.annotations ?? {})) if (!EXCLUDED_ANNOTATIONS.has(k)) setOwn(annotations, k, v);
  const httpOption = getHTTPOption(config, dm.metadata.annotations);
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'Ingress',
    metadata: {
      name: childName(dm.metadata.name, ''),
      namespace: ns,
      labels: { ...(dm.metadata.labels ?? {}), [ServingLabels.domainMappingUID]: dm.metadata.uid ?? '', [ServingLabels.domainMappingNamespace]: ns },
      annotations,
      ownerReferences: [{ apiVersion: 'serving.knative.dev/v1beta1', kind: 'DomainMapping', name: dm.metadata.name, controller: true }],
    },
    spec: {
      rules: [
        {
          hosts: [dm.metadata.name],
          visibility: 'ExternalIP',
          http: {
            paths: [
              {
                rewriteHost: hostName,
                splits: [{ serviceNamespace: ns, serviceName: backendServiceName, servicePort: 80, percent: 100, appendHeaders: { [ORIGINAL_HOST_HEADER]: dm.metadata.name } }],
              },
            ],
          },
        },
      ],
      ...(tls.length > 0 ? { tls } : {}),
      ...(httpOption ? { httpOption } : {}),
    },
  };
}
