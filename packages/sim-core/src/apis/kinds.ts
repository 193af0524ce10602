import type { ConfigMap, KObject, Service as K8sService } from './core/v1.js';
import type { Ingress } from './networking/v1alpha1.js';
import type { Gateway, VirtualService } from './istio/v1alpha3.js';
import type { WasmPlugin } from './higress/v1alpha1.js';
import type { ClusterDomainClaim, Configuration, DomainMapping, Revision, Route, Service as KService } from './serving/v1/types.js';
import { UserInputError } from './errors.js';

/**
 * The kinds knsim stores, as `group/Kind` (the core group is empty: `/Service`), the name a
 * typed object store is keyed by. One definition, so a controller's `get(KROUTE, …)` returns a
 * Route without a cast.
 */
export const KSVC = 'serving.knative.dev/Service';
export const KCONFIG = 'serving.knative.dev/Configuration';
export const KREVISION = 'serving.knative.dev/Revision';
export const KROUTE = 'serving.knative.dev/Route';
export const KDOMAINMAPPING = 'serving.knative.dev/DomainMapping';
export const KINGRESS = 'networking.internal.knative.dev/Ingress';
export const KCLUSTERDOMAINCLAIM = 'networking.internal.knative.dev/ClusterDomainClaim';
export const VIRTUALSERVICE = 'networking.istio.io/VirtualService';
export const GATEWAY = 'networking.istio.io/Gateway';
export const WASMPLUGIN = 'extensions.higress.io/WasmPlugin';
export const K8SSERVICE = '/Service';
export const CONFIGMAP = '/ConfigMap';

/** The namespace Knative Serving is installed in (its ConfigMaps, the activator). */
export const SYSTEM_NAMESPACE = 'knative-serving';

/** Each stored kind's object type. */
export interface KindMap {
  [KSVC]: KService;
  [KCONFIG]: Configuration;
  [KREVISION]: Revision;
  [KROUTE]: Route;
  [KDOMAINMAPPING]: DomainMapping;
  [KINGRESS]: Ingress;
  [KCLUSTERDOMAINCLAIM]: ClusterDomainClaim;
  [VIRTUALSERVICE]: VirtualService;
  [GATEWAY]: Gateway;
  [WASMPLUGIN]: WasmPlugin;
  [K8SSERVICE]: K8sService;
  [CONFIGMAP]: ConfigMap;
}

/** `serving.knative.dev/Service`, `/Service` (core), `networking.istio.io/VirtualService`: a known kind, or any other group/kind string. */
export type GroupKind = keyof KindMap | (string & {});

/** The object type stored under a group/kind (KObject for kinds knsim does not model). */
export type ObjectOf<K extends GroupKind> = K extends keyof KindMap ? KindMap[K] : KObject;

export function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

export function groupKindOf(obj: { apiVersion: string; kind: string }): GroupKind {
  return `${groupOf(obj.apiVersion)}/${obj.kind}`;
}

/** kubectl's resource names, for messages like `services.serving.knative.dev "x" not found`. */
export const RESOURCE_NAMES: Readonly<Record<string, string>> = {
  [KSVC]: 'services.serving.knative.dev',
  [KCONFIG]: 'configurations.serving.knative.dev',
  [KREVISION]: 'revisions.serving.knative.dev',
  [KROUTE]: 'routes.serving.knative.dev',
  [KDOMAINMAPPING]: 'domainmappings.serving.knative.dev',
  [KINGRESS]: 'ingresses.networking.internal.knative.dev',
  [VIRTUALSERVICE]: 'virtualservices.networking.istio.io',
  [GATEWAY]: 'gateways.networking.istio.io',
  [WASMPLUGIN]: 'wasmplugins.extensions.higress.io',
  [K8SSERVICE]: 'services',
  [CONFIGMAP]: 'configmaps',
  [KCLUSTERDOMAINCLAIM]: 'clusterdomainclaims.networking.internal.knative.dev',
};

/** A reference to an object by kind, name and namespace (default `default`). */
export interface ObjectRef {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

/** `ksvc`, `Service` (Knative's unless apiVersion v1), `vs`, … → group/kind. */
export function groupKindForRef(ref: ObjectRef): GroupKind {
  if (ref.apiVersion !== undefined) return groupKindOf({ apiVersion: ref.apiVersion, kind: ref.kind });
  switch (ref.kind.toLowerCase()) {
    case 'ksvc':
    case 'service':
    case 'services':
    case 'kservice':
      return KSVC;
    case 'configuration':
    case 'config':
      return KCONFIG;
    case 'revision':
    case 'rev':
      return KREVISION;
    case 'route':
      return KROUTE;
    case 'domainmapping':
      return KDOMAINMAPPING;
    case 'ingress':
    case 'kingress':
      return KINGRESS;
    case 'virtualservice':
    case 'vs':
      return VIRTUALSERVICE;
    case 'gateway':
    case 'gw':
      return GATEWAY;
    case 'wasmplugin':
    case 'wasmplugins':
      return WASMPLUGIN;
    case 'configmap':
    case 'cm':
      return CONFIGMAP;
    default:
      throw new UserInputError(`unknown kind ${JSON.stringify(ref.kind)} (want Service, Configuration, Revision, Route, DomainMapping, VirtualService, Gateway, WasmPlugin, ConfigMap)`);
  }
}
