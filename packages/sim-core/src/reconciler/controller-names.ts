/**
 * The controllers' names, the work-queue keys' prefixes. Knative names its controllers the same
 * way (`service`, `configuration`, `route`, `domainmapping`; net-istio's `ingress`).
 */
export const Controller = {
  service: 'service',
  configuration: 'configuration',
  route: 'route',
  domainMapping: 'domainmapping',
  ingress: 'ingress',
} as const;

/**
 * The informer indexes the controllers register on the object store (client-go Indexers) and
 * find their dependents by, within a namespace.
 */
/** Routes by the configurations their spec's traffic names. */
export const ROUTE_CONFIGURATION_INDEX = 'route.configuration';
/** Routes by the revisions their spec's and status's traffic name. */
export const ROUTE_REVISION_INDEX = 'route.revision';
/** Revisions by their `serving.knative.dev/configuration` label. */
export const REVISION_CONFIGURATION_INDEX = 'revision.configuration';
/** DomainMappings by the name of the Service they reference. */
export const DOMAINMAPPING_REF_INDEX = 'domainmapping.ref';
