import type { Service } from '../apis/core/v1.js';
import type { Gateway } from '../apis/istio/v1alpha3.js';
import { ISTIO_INGRESS_CLASS } from '../apis/config/network.js';
import { GATEWAY_POD_LABELS } from './istio/install.js';

/**
 * The network layers config-network's `ingress-class` selects (knative.dev/networking
 * config/config-network.yaml), and the gateway each one runs:
 *
 * - `istio.ingress.networking.knative.dev` (net-istio): KIngress → VirtualServices, pushed by
 *   istiod to istio-ingressgateway (istio-system).
 * - `kourier.ingress.networking.knative.dev` (knative-extensions/net-kourier): the controller
 *   programs its Envoy (3scale-kourier-gateway, kourier-system) from the KIngresses directly,
 *   no VirtualService objects (pkg/generator/ingress_translator.go): the external listener 8080
 *   (Service `kourier`, port 80) serves the public rules, the internal listener 8081 (Service
 *   `kourier-internal`, port 80) every rule (caches.go: internal virtual hosts get all rules).
 * - `higress` (alibaba/higress pkg/ingress/kube/kingress): Higress's own KIngress controller
 *   converts them to its internal Istio configuration (ConvertGateway: a port-80 server per rule
 *   host, ConvertHTTPRoute: net-istio's route translation) for higress-gateway (higress-system);
 *   ClusterLocal rules are served on port 8081 as well (gateway-routing reference 5.3). Its
 *   status syncer gives every KIngress the higress-gateway Service as both load balancers
 *   (status.go updateStatus).
 *
 * The data plane of all three is Envoy; each class's names show in traces (pods, gateways).
 */
export const KOURIER_INGRESS_CLASS = 'kourier.ingress.networking.knative.dev';
export const HIGRESS_INGRESS_CLASS = 'higress';

export interface GatewayInstallSpec {
  readonly ingressClass: string;
  /** The Deployment: its pods are `<deployment>-<hash>-<suffix>`. */
  readonly deployment: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  /** The ports its Envoys listen on. */
  readonly ports: readonly number[];
  /** Envoy's `server` response header. */
  readonly serverName: string;
}

export const ISTIO_GATEWAY: GatewayInstallSpec = {
  ingressClass: ISTIO_INGRESS_CLASS,
  deployment: 'istio-ingressgateway',
  namespace: 'istio-system',
  podLabels: GATEWAY_POD_LABELS,
  ports: [8080, 8081],
  serverName: 'istio-envoy',
};

/** A non-Istio class's gateway: its Deployment, Services and how its controller lays out the KIngress rules. */
export interface ClassGatewaySpec extends GatewayInstallSpec {
  /** Services the install creates (LoadBalancer ones get an external IP). */
  services(): Service[];
  /** The in-memory Gateways its controller binds rules to. */
  gateways(): Gateway[];
  /** Gateway names (ns/name) for public and for cluster-local rules. */
  readonly publicGateways: readonly string[];
  readonly localGateways: readonly string[];
  /** The Services whose hostnames the KIngress status gives as public and private load balancers. */
  readonly publicService: string;
  readonly privateService: string;
  /** Whether it also serves Istio Gateways and VirtualServices that select its pods (Higress with enableIstioAPI). */
  readonly servesIstioApi: boolean;
}

const svc = (namespace: string, name: string, type: 'LoadBalancer' | 'ClusterIP', selector: Record<string, string>, ports: Array<[string, number, number]>): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace, labels: { ...selector } },
  spec: { type, selector: { ...selector }, ports: ports.map(([n, port, targetPort]) => ({ name: n, port, targetPort })) },
});

const gateway = (namespace: string, name: string, selector: Record<string, string>, port: number): Gateway => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'Gateway',
  metadata: { name, namespace },
  spec: { selector: { ...selector }, servers: [{ port: { number: port, name: `http-${port}`, protocol: 'HTTP' }, hosts: ['*'] }] },
});

const KOURIER_LABELS = { app: '3scale-kourier-gateway' };
export const KOURIER_GATEWAY: ClassGatewaySpec = {
  ingressClass: KOURIER_INGRESS_CLASS,
  deployment: '3scale-kourier-gateway',
  namespace: 'kourier-system',
  podLabels: KOURIER_LABELS,
  ports: [8080, 8081],
  serverName: 'envoy',
  services: () => [
    svc('kourier-system', 'kourier', 'LoadBalancer', KOURIER_LABELS, [['http2', 80, 8080], ['https', 443, 8443]]),
    svc('kourier-system', 'kourier-internal', 'ClusterIP', KOURIER_LABELS, [['http2', 80, 8081]]),
  ],
  gateways: () => [gateway('kourier-system', 'kourier-external', KOURIER_LABELS, 8080), gateway('kourier-system', 'kourier-internal', KOURIER_LABELS, 8081)],
  publicGateways: ['kourier-system/kourier-external', 'kourier-system/kourier-internal'],
  localGateways: ['kourier-system/kourier-internal'],
  publicService: 'kourier.kourier-system',
  privateService: 'kourier-internal.kourier-system',
  servesIstioApi: false,
};

/** higress-gateway's labels (the seed: `app: higress-gateway`, `higress: higress-system-higress-gateway`). */
export const HIGRESS_LABELS: Readonly<Record<string, string>> = { app: 'higress-gateway', higress: 'higress-system-higress-gateway' };
export const HIGRESS_GATEWAY: ClassGatewaySpec = {
  ingressClass: HIGRESS_INGRESS_CLASS,
  deployment: 'higress-gateway',
  namespace: 'higress-system',
  podLabels: HIGRESS_LABELS,
  ports: [80, 8081],
  serverName: 'istio-envoy',
  services: () => [svc('higress-system', 'higress-gateway', 'LoadBalancer', { ...HIGRESS_LABELS }, [['http2', 80, 80], ['https', 443, 443], ['http-local', 8081, 8081]])],
  gateways: () => [gateway('higress-system', 'higress-kingress-80', { ...HIGRESS_LABELS }, 80), gateway('higress-system', 'higress-kingress-8081', { ...HIGRESS_LABELS }, 8081)],
  publicGateways: ['higress-system/higress-kingress-80'],
  localGateways: ['higress-system/higress-kingress-80', 'higress-system/higress-kingress-8081'],
  publicService: 'higress-gateway.higress-system',
  privateService: 'higress-gateway.higress-system',
  servesIstioApi: true,
};

export const CLASS_GATEWAYS: ReadonlyMap<string, ClassGatewaySpec> = new Map([
  [KOURIER_INGRESS_CLASS, KOURIER_GATEWAY],
  [HIGRESS_INGRESS_CLASS, HIGRESS_GATEWAY],
]);
