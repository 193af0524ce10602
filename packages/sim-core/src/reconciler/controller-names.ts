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
