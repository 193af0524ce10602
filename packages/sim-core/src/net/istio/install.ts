/**
 * Names an Istio install gives the gateway Knative uses (istio/istio manifests/charts/gateways/
 * istio-ingress, and net-istio config/203-local-gateway.yaml for the local one): the
 * istio-ingressgateway Deployment's pod labels and the two Services that select its pods.
 * The gateway, the cluster's install and the ingress reconciler all name them.
 */
export const INGRESS_GATEWAY_SERVICE = { namespace: 'istio-system', name: 'istio-ingressgateway' };
export const LOCAL_GATEWAY_SERVICE = { namespace: 'istio-system', name: 'knative-local-gateway' };
export const GATEWAY_POD_LABELS = { istio: 'ingressgateway', app: 'istio-ingressgateway' };
