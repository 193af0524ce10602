import type { Service } from '../../src/apis/core/v1.js';
import type { Gateway, VirtualService } from '../../src/apis/istio/v1alpha3.js';
import type { Ingress } from '../../src/apis/networking/v1alpha1.js';
import { HttpHeaders, type HttpRequest } from '../../src/net/http.js';

/** net-istio config/202-gateway.yaml and 203-local-gateway.yaml. */
export const ingressGateway: Gateway = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'Gateway',
  metadata: { name: 'knative-ingress-gateway', namespace: 'knative-serving' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};

export const localGateway: Gateway = {
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'Gateway',
  metadata: { name: 'knative-local-gateway', namespace: 'knative-serving' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8081, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};

export const ingressGatewayService: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'istio-ingressgateway', namespace: 'istio-system' },
  spec: {
    type: 'LoadBalancer',
    selector: { istio: 'ingressgateway' },
    ports: [
      { name: 'status-port', port: 15021, targetPort: 15021 },
      { name: 'http2', port: 80, targetPort: 8080 },
      { name: 'https', port: 443, targetPort: 8443 },
    ],
  },
};

export const localGatewayService: Service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'knative-local-gateway', namespace: 'istio-system', labels: { 'experimental.istio.io/disable-gateway-port-translation': 'true' } },
  spec: { type: 'ClusterIP', selector: { istio: 'ingressgateway' }, ports: [{ name: 'http2', port: 80, targetPort: 8081 }] },
};

export const gatewayPodLabels = { istio: 'ingressgateway', app: 'istio-ingressgateway' };

/** knative/docs code-samples/serving/knative-routing-go routing.yaml (internal: routing-internal.yaml). */
export function entryRoute(internal = false): VirtualService {
  const svc = (name: string) => (internal ? `${name}.default.svc.cluster.local` : `${name}.default.example.com`);
  const dest = internal ? 'knative-local-gateway.istio-system.svc.cluster.local' : 'istio-ingressgateway.istio-system.svc.cluster.local';
  return {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name: 'entry-route', namespace: 'default' },
    spec: {
      gateways: ['knative-ingress-gateway.knative-serving.svc.cluster.local'],
      hosts: ['example.com'],
      http: [
        { match: [{ uri: { prefix: '/search' } }], rewrite: { authority: svc('search-service') }, route: [{ destination: { host: dest, port: { number: 80 } }, weight: 100 }] },
        { match: [{ uri: { prefix: '/login' } }], rewrite: { authority: svc('login-service') }, route: [{ destination: { host: dest, port: { number: 80 } }, weight: 100 }] },
      ],
    },
  };
}

/** The KIngress Knative Serving makes for a Service `name` in `default` with domain example.com. */
export function kingress(name: string, opts: { clusterLocal?: boolean } = {}): Ingress {
  const rev = `${name}-00001`;
  const paths = [
    {
      splits: [
        {
          serviceNamespace: 'default',
          serviceName: rev,
          servicePort: 80,
          percent: 100,
          appendHeaders: { 'Knative-Serving-Namespace': 'default', 'Knative-Serving-Revision': rev },
        },
      ],
    },
  ];
  const rules: Ingress['spec']['rules'] = [
    { hosts: [`${name}.default`, `${name}.default.svc`, `${name}.default.svc.cluster.local`], visibility: 'ClusterLocal', http: { paths } },
  ];
  if (!opts.clusterLocal) rules.push({ hosts: [`${name}.default.example.com`], visibility: 'ExternalIP', http: { paths } });
  return {
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: 'default',
      labels: { 'serving.knative.dev/route': name, 'serving.knative.dev/routeNamespace': 'default' },
      annotations: { 'networking.knative.dev/ingress.class': 'istio.ingress.networking.knative.dev' },
    },
    spec: { rules, httpOption: 'Enabled' },
  };
}

export const knativeGateways = {
  publicGateways: ['knative-serving/knative-ingress-gateway'],
  localGateways: ['knative-serving/knative-local-gateway'],
};

export function request(authority: string, path = '/', init: Partial<Omit<HttpRequest, 'headers'>> & { headers?: Record<string, string> | Array<[string, string]> } = {}): HttpRequest {
  return {
    method: init.method ?? 'GET',
    scheme: init.scheme ?? 'http',
    authority,
    path,
    headers: new HttpHeaders(init.headers ?? {}),
    body: init.body ?? '',
  };
}

/** An Rng that counts its draws. */
export function countingRng(values: number[] = [0.5]): { next(): number; draws: number } {
  let i = 0;
  return {
    draws: 0,
    next() {
      this.draws++;
      const v = values[i % values.length]!;
      i++;
      return v;
    },
  };
}

export function vs(name: string, spec: VirtualService['spec'], namespace = 'default', creationTimestamp?: number): VirtualService {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name, namespace, ...(creationTimestamp !== undefined ? { creationTimestamp } : {}) },
    spec,
  };
}
