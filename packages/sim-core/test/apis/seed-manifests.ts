/**
 * The manifests of the seed documents (/work/shared/seeds), with the indentation the copies lost
 * reconstructed. They must parse, default and validate unmodified.
 */

/** Seed 003 (Alibaba gray release): revision-v1.yaml. serving.knative.dev/v1alpha1, BYO names. */
export const GRAY_V1 = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: stock-service-example
  namespace: default
spec:
  template:
    metadata:
      name: stock-service-example-v1
    spec:
      containers:
      - image: registry.cn-hangzhou.aliyuncs.com/knative-sample/rest-api-go:v1
        env:
        - name: RESOURCE
          value: v1
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 0
          periodSeconds: 3
`;

/** revision-v2.yaml: v1 50 / v2 50 / latest 0, all tagged. */
export const GRAY_V2 = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: stock-service-example
  namespace: default
spec:
  template:
    metadata:
      name: stock-service-example-v2
    spec:
      containers:
      - image: registry.cn-hangzhou.aliyuncs.com/knative-sample/rest-api-go:v1
        env:
        - name: RESOURCE
          value: v2
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 0
          periodSeconds: 3
  traffic:
  - tag: v1
    revisionName: stock-service-example-v1
    percent: 50
  - tag: v2
    revisionName: stock-service-example-v2
    percent: 50
  - tag: latest
    latestRevision: true
    percent: 0
`;

/** revision-v3.yaml: a third revision, no traffic block (so the route defaults to 100% latest). */
export const GRAY_V3 = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: stock-service-example
  namespace: default
spec:
  template:
    metadata:
      name: stock-service-example-v3
    spec:
      containers:
      - image: registry.cn-hangzhou.aliyuncs.com/knative-sample/rest-api-go:v1
        env:
        - name: RESOURCE
          value: v3
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 0
          periodSeconds: 3
`;

/** revision-v3-2.yaml: 40 / 30 / 30, template unchanged. */
export const GRAY_V3_2 = `apiVersion: serving.knative.dev/v1alpha1
kind: Service
metadata:
  name: stock-service-example
  namespace: default
spec:
  template:
    metadata:
      name: stock-service-example-v3
    spec:
      containers:
      - image: registry.cn-hangzhou.aliyuncs.com/knative-sample/rest-api-go:v1
        env:
        - name: RESOURCE
          value: v3
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 0
          periodSeconds: 3
  traffic:
  - tag: v1
    revisionName: stock-service-example-v1
    percent: 40
  - tag: v2
    revisionName: stock-service-example-v2
    percent: 30
  - tag: v3
    revisionName: stock-service-example-v3
    percent: 30
  - tag: latest
    latestRevision: true
    percent: 0
`;

/** Seed 000 / gateway-routing.md §2.2: knative-routing-go sample.yaml. */
export const ROUTING_SAMPLE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: search-service
  namespace: default
spec:
  template:
    spec:
      containers:
      - image: github.com/knative/docs/code-samples/serving/knative-routing-go
        env:
        - name: SERVICE_NAME
          value: Search Service
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 3
---
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: login-service
  namespace: default
spec:
  template:
    spec:
      containers:
      - image: github.com/knative/docs/code-samples/serving/knative-routing-go
        env:
        - name: SERVICE_NAME
          value: Login Service
        readinessProbe:
          httpGet:
            path: /
          initialDelaySeconds: 3
`;

/** routing.yaml (verbatim except comments). */
export const ROUTING_VS = `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: entry-route
  namespace: default
spec:
  gateways:
  - knative-ingress-gateway.knative-serving.svc.cluster.local
  hosts:
  - example.com
  http:
  - match:
    - uri:
        prefix: "/search"
    rewrite:
      authority: search-service.default.example.com
    route:
    - destination:
        host: istio-ingressgateway.istio-system.svc.cluster.local
        port:
          number: 80
      weight: 100
  - match:
    - uri:
        prefix: "/login"
    rewrite:
      authority: login-service.default.example.com
    route:
    - destination:
        host: istio-ingressgateway.istio-system.svc.cluster.local
        port:
          number: 80
      weight: 100
`;

/** Seed 004 (Higress): config-domain edit, ingress-class patch, config-istio entries, `kn service create hello`. */
export const HIGRESS_CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-domain
  namespace: knative-serving
data:
  example.com: ""
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-network
  namespace: knative-serving
data:
  ingress-class: "higress"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: config-istio
  namespace: knative-serving
data:
  gateway.knative-serving.knative-ingress-gateway: higress-gateway.higress-system.svc.cluster.local
  local-gateway.knative-serving.knative-local-gateway: higress-gateway.higress-system.svc.cluster.local
`;

/** What `kn service create hello --image ghcr.io/knative/helloworld-go:latest --port 8080 --env TARGET=World` submits. */
export const HELLO_KSVC = `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
        ports:
        - containerPort: 8080
        env:
        - name: TARGET
          value: World
`;

/**
 * A VirtualService of the user's in front of the `hello` Knative Service, as in the routing
 * seed: `shop.example.com` rewritten to hello's host and sent back into the gateway, with the
 * given route policies (YAML lines at the route's indentation).
 */
export function entryRoute(policies: string): string {
  return `apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata:
  name: entry
  namespace: default
spec:
  gateways:
  - knative-serving/knative-ingress-gateway
  hosts:
  - shop.example.com
  http:
  - ${policies.trimStart()}
    rewrite:
      authority: hello.default.example.com
    route:
    - destination:
        host: istio-ingressgateway.istio-system.svc.cluster.local
        port:
          number: 80
`;
}

/** `kn service update hello --env TARGET=Knative` with a traffic block (YAML lines under `traffic:`). */
export const helloKnativeWith = (traffic: string) => `${HELLO_KSVC.replace('value: World', 'value: Knative')}  traffic:\n${traffic}`;
