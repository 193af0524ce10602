import { defaultGateways, type IstioConfig, type IstioGateway } from '../../apis/config/istio.js';
import type { Service } from '../../apis/core/v1.js';
import { labelSelectorAsSelector } from '../../apis/core/label-selector.js';
import type { Gateway, Server } from '../../apis/istio/v1alpha3.js';
import type { Ingress, LoadBalancerIngressStatus } from '../../apis/networking/v1alpha1.js';

/** net-istio resources/gateway.go httpServerPortName. */
const HTTP_SERVER_PORT_NAME = 'http-server';

/** The label net-istio puts on the Gateways it makes for one Ingress (networking.IngressLabelKey). */
export const INGRESS_LABEL = 'networking.internal.knative.dev/ingress';

/** adler32, as Go's hash/adler32.Checksum. */
function adler32(s: string): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    a = (a + s.charCodeAt(i)) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The KIngress has a rule reachable from outside the cluster (net-istio isIngressPublic). */
export function isIngressPublic(ing: Ingress): boolean {
  return (ing.spec.rules ?? []).some((r) => r.visibility === 'ExternalIP');
}

/**
 * net-istio shouldReconcileHTTPServer: an Ingress gets Gateways of its own for plain HTTP when
 * it is public and its HTTP option is Redirected (the default Gateways cannot redirect), or
 * when it has TLS (not simulated).
 */
export function shouldReconcileHTTPServer(ing: Ingress): boolean {
  return isIngressPublic(ing) && ing.spec.httpOption === 'Redirected';
}

/** resources.MakeHTTPServer: port 80 for the Ingress's public hosts, redirecting to https when Redirected. */
export function makeHTTPServer(httpOption: Ingress['spec']['httpOption'], hosts: readonly string[]): Server {
  return {
    hosts: [...hosts],
    port: { name: HTTP_SERVER_PORT_NAME, number: 80, protocol: 'HTTP' },
    ...(httpOption === 'Redirected' ? { tls: { httpsRedirect: true } } : {}),
  };
}

/** resources.GatewayName: `<ingress>-<adler32 of "<namespace>/<name>" of the gateway Service>`. */
export function gatewayName(ingress: string, gatewayService: { namespace: string; name: string }): string {
  return `${ingress}-${adler32(`${gatewayService.namespace}/${gatewayService.name}`)}`;
}

/**
 * resources.MakeIngressGateways: one Gateway per ingress gateway Service, in the Ingress's
 * namespace, named `<ingress>-<adler32 of "ns/service">`, owned by the Ingress, selecting the
 * gateway Service's pods, with the given servers.
 */
export function makeIngressGateways(ing: Ingress, gatewayServices: readonly Service[], servers: readonly Server[]): Gateway[] {
  const ns = ing.metadata.namespace ?? 'default';
  return gatewayServices.map((svc) => ({
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'Gateway',
    metadata: {
      name: gatewayName(ing.metadata.name, { namespace: svc.metadata.namespace ?? 'default', name: svc.metadata.name }),
      namespace: ns,
      labels: { [INGRESS_LABEL]: ing.metadata.name },
      ownerReferences: [{ apiVersion: 'networking.internal.knative.dev/v1alpha1', kind: 'Ingress', name: ing.metadata.name, controller: true }],
    },
    spec: { selector: { ...(svc.spec.selector ?? {}) }, servers: servers.map((s) => ({ ...s })) },
  }));
}

/** getPublicHosts: the hosts of the Ingress's public rules, sorted and unique. */
export function publicHosts(ing: Ingress): string[] {
  return [...new Set((ing.spec.rules ?? []).filter((r) => r.visibility === 'ExternalIP').flatMap((r) => r.hosts ?? []))].sort();
}

/** The gateways config-istio gives one KIngress, by visibility. */
export interface IngressGateways {
  ExternalIP: IstioGateway[];
  ClusterLocal: IstioGateway[];
}

/** filterGateway: the gateways with a label selector that matches the KIngress's labels. */
function selectedGateways(gws: readonly IstioGateway[], labels: Readonly<Record<string, string>>): IstioGateway[] {
  return gws.filter((g) => g.labelSelector !== undefined && labelSelectorAsSelector(g.labelSelector)(labels));
}

/**
 * GatewaysFromContext (knative-extensions/net-istio pkg/reconciler/ingress/resources/gateway.go):
 * for each visibility, the configured gateways whose label selector matches the KIngress's
 * labels, or else the default gateway (the one without a selector).
 */
export function gatewaysForIngress(cfg: IstioConfig, labels: Readonly<Record<string, string>> | undefined): IngressGateways {
  const l = labels ?? {};
  const pick = (gws: readonly IstioGateway[]) => {
    const selected = selectedGateways(gws, l);
    return selected.length > 0 ? selected : defaultGateways(gws);
  };
  return { ExternalIP: pick(cfg.ingressGateways), ClusterLocal: pick(cfg.localGateways) };
}

/**
 * The KIngress's load balancer for one visibility (net-istio pkg/reconciler/ingress/ingress.go
 * gatewayServiceURL and getLBStatus): the first gateway's Service as `domainInternal`, which the
 * Route's placeholder Service then points at; with no gateway the ingress is reached through the
 * mesh only.
 */
export function loadBalancerStatus(gateways: readonly IstioGateway[]): LoadBalancerIngressStatus[] {
  const url = gateways[0]?.serviceURL ?? '';
  return url === '' ? [{ meshOnly: true }] : [{ domainInternal: url }];
}
