/**
 * The names a net-istio install fixes: the istio-ingressgateway Service (LoadBalancer) and the
 * knative-local-gateway Service, both selecting the ingress gateway's pods by these labels
 * (net-istio config/200-*.yaml, Istio's default ingress gateway).
 */
export const INGRESS_GATEWAY_SERVICE = { namespace: 'istio-system', name: 'istio-ingressgateway' } as const;
export const LOCAL_GATEWAY_SERVICE = { namespace: 'istio-system', name: 'knative-local-gateway' } as const;
export const GATEWAY_POD_LABELS: Readonly<Record<string, string>> = { istio: 'ingressgateway', app: 'istio-ingressgateway' };
