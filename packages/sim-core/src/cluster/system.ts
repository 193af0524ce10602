import type { KObject, Service as K8sService } from '../apis/core/v1.js';
import { SYSTEM_NAMESPACE } from '../apis/kinds.js';
import { AddressAllocator } from '../k8s/addresses.js';
import type { EndpointAddress, EndpointsTable } from '../k8s/endpoints.js';
import type { ObjectStore } from '../k8s/object-store.js';
import { INGRESS_GATEWAY_SERVICE, LOCAL_GATEWAY_SERVICE } from '../net/istio/install.js';

/** What installing the system objects writes to. */
export interface SystemInstall {
  readonly store: ObjectStore;
  readonly endpoints: EndpointsTable;
  assignClusterIp(svc: K8sService): K8sService;
  readonly loadBalancerIp: string;
  /** The activator pods, the activator-service's endpoints. */
  readonly activators: readonly EndpointAddress[];
}

function svc(namespace: string, name: string, spec: K8sService['spec'], labels?: Record<string, string>, status?: K8sService['status']): K8sService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, ...(labels ? { labels } : {}) },
    spec,
    ...(status ? { status } : {}),
  };
}

/**
 * What a fresh Knative Serving + net-istio install has besides ConfigMaps: the
 * istio-ingressgateway Service (LoadBalancer; port 80 → Envoy 8080), the knative-local-gateway
 * Service (port 80 → Envoy 8081, with Istio's port translation disabled), the two Istio
 * Gateways net-istio installs (config/202-gateway.yaml, 203-local-gateway.yaml), the
 * activator Service and cluster DNS.
 */
export function installSystem(sys: SystemInstall): void {
  const store = sys.store;
  // Every object here is built afresh for this cluster and kept by no one else: stored as built.
  const put = (s: K8sService) => store.put(sys.assignClusterIp(s), true, true);
  put(svc('default', 'kubernetes', { type: 'ClusterIP', clusterIP: AddressAllocator.KUBERNETES, ports: [{ name: 'https', port: 443, targetPort: 6443 }] }));
  put(
    svc('kube-system', 'kube-dns', {
      type: 'ClusterIP',
      clusterIP: AddressAllocator.KUBE_DNS,
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', port: 53, targetPort: 53 },
      ],
    }),
  );
  put(
    svc(
      INGRESS_GATEWAY_SERVICE.namespace,
      INGRESS_GATEWAY_SERVICE.name,
      {
        type: 'LoadBalancer',
        selector: { istio: 'ingressgateway' },
        ports: [
          { name: 'status-port', port: 15021, targetPort: 15021 },
          { name: 'http2', port: 80, targetPort: 8080 },
          { name: 'https', port: 443, targetPort: 8443 },
        ],
      },
      { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      { loadBalancer: { ingress: [{ ip: sys.loadBalancerIp }] } },
    ),
  );
  put(
    svc(
      LOCAL_GATEWAY_SERVICE.namespace,
      LOCAL_GATEWAY_SERVICE.name,
      { type: 'ClusterIP', selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8081 }] },
      { 'experimental.istio.io/disable-gateway-port-translation': 'true', 'networking.knative.dev/ingress-provider': 'istio' },
    ),
  );
  put(
    svc(SYSTEM_NAMESPACE, 'activator-service', {
      type: 'ClusterIP',
      selector: { app: 'activator' },
      ports: [
        { name: 'http', port: 80, targetPort: 8012 },
        { name: 'http2', port: 81, targetPort: 8013 },
      ],
    }),
  );
  sys.endpoints.set(`${SYSTEM_NAMESPACE}/activator-service`, sys.activators.map((a) => ({ ip: a.ip, pod: a.pod })));
  const gateway = (name: string, port: number): KObject => ({
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { name, namespace: SYSTEM_NAMESPACE, labels: { 'networking.knative.dev/ingress-provider': 'istio' } },
    spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: port, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
  });
  store.put(gateway('knative-ingress-gateway', 80), true, true);
  store.put(gateway('knative-local-gateway', 8081), true, true);
}
