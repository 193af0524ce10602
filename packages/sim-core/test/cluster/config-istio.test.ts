import { describe, expect, it } from 'vitest';
import { Cluster, type KObject } from '../../src/index.js';
import { HELLO_KSVC } from '../apis/seed-manifests.js';

/**
 * Issue 10.10: config-istio's gateways (`gateway.<ns>.<name>: <service>`, `local-gateway.…`) name
 * the Istio Gateways the VirtualServices bind to AND the Services that are the KIngress's load
 * balancers (knative-extensions/net-istio pkg/reconciler/ingress/ingress.go reconcileIngress:
 * MarkLoadBalancerReady(getLBStatus(gatewayServiceURL(...)))), which the Route's placeholder
 * Service then points at (knative/serving pkg/reconciler/route/resources/service.go MakeK8sService).
 */

const HIGRESS_SVC = 'higress-gateway.higress-system.svc.cluster.local';

/** Seed 004, solution 2, step 3: "Modify the svc in the config-istio to higress-gateway". */
const SEED_004_CONFIG_ISTIO = `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-istio
  namespace: knative-serving
data:
  gateway.knative-serving.knative-ingress-gateway: ${HIGRESS_SVC}
  local-gateway.knative-serving.knative-local-gateway: ${HIGRESS_SVC}
`;

/** …and "Replace the label under the selector of the gateway instance[s] … with the higress-gateway label". */
const higressGateway = (name: string, port: number) => `apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: ${name}, namespace: knative-serving}
spec:
  selector:
    app: higress-gateway
    higress: higress-system-higress-gateway
  servers:
  - port: {number: ${port}, name: http, protocol: HTTP}
    hosts: ["*"]
`;

type LB = { ingress: Array<{ domainInternal?: string }> };
type KIngress = KObject & { status?: { publicLoadBalancer?: LB; privateLoadBalancer?: LB } };
type K8sService = KObject & { spec: { type?: string; externalName?: string } };

const kingress = (c: Cluster, name = 'hello') => c.get<KIngress>({ kind: 'Ingress', name })!;
const placeholder = (c: Cluster, name = 'hello') => c.get<K8sService>({ apiVersion: 'v1', kind: 'Service', name })!;
const lbs = (c: Cluster) => {
  const st = kingress(c).status!;
  return [st.publicLoadBalancer!.ingress[0]!.domainInternal, st.privateLoadBalancer!.ingress[0]!.domainInternal];
};

function helloOn(c: Cluster): Cluster {
  c.apply(HELLO_KSVC);
  c.waitForReady();
  return c;
}

describe('config-istio gateway overrides (seed 004, solution 2)', () => {
  it('the KIngress load balancers and the placeholder ExternalName Service follow the configured gateway Service', () => {
    const c = new Cluster({ seed: 4 });
    c.apply(SEED_004_CONFIG_ISTIO);
    helloOn(c);
    expect(lbs(c)).toEqual([HIGRESS_SVC, HIGRESS_SVC]);
    expect(placeholder(c).spec).toMatchObject({ type: 'ExternalName', externalName: HIGRESS_SVC });
  });

  it('the default install points both at the Istio gateways', () => {
    const c = helloOn(new Cluster({ seed: 4 }));
    expect(lbs(c)).toEqual(['istio-ingressgateway.istio-system.svc.cluster.local', 'knative-local-gateway.istio-system.svc.cluster.local']);
    expect(placeholder(c).spec.externalName).toBe('knative-local-gateway.istio-system.svc.cluster.local');
  });

  it('a config-istio change re-reconciles existing KIngresses, and the Route re-points its placeholder', () => {
    const c = helloOn(new Cluster({ seed: 4 }));
    c.apply(SEED_004_CONFIG_ISTIO);
    c.runFor(5000);
    expect(lbs(c)).toEqual([HIGRESS_SVC, HIGRESS_SVC]);
    expect(placeholder(c).spec.externalName).toBe(HIGRESS_SVC);
  });

  it('config-istio naming higress-gateway installs Higress (issue 13): it serves the Istio Gateways that select its pods, so hello answers once the seed edits their selectors', () => {
    const c = new Cluster({ seed: 4 });
    c.apply(SEED_004_CONFIG_ISTIO);
    helloOn(c);
    // The Gateways still select istio-ingressgateway's pods: Higress (which external DNS now
    // leads to, config-istio's public gateway Service) has no route for hello yet.
    expect(c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' }).status).toBe(404);
    expect(c.request({ url: 'http://hello.default.example.com/' }).status).toBe(404);
    // With the seed's Gateway edits they select Higress's pods, and Higress serves hello.
    c.apply(`${higressGateway('knative-ingress-gateway', 80)}---\n${higressGateway('knative-local-gateway', 8081)}`);
    c.runFor(1000);
    const r = c.request({ url: 'http://hello.default.example.com/' });
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.find((h) => h.component === 'gateway')!.name).toMatch(/^higress-gateway-.*:80$/);
    // In-cluster clients dial higress-gateway:80, Higress's port 80; knative-local-gateway's
    // server is port 8081 there (no port translation), so the cluster-local host is not on it.
    expect(c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' }).status).toBe(404);
  });

  it('a gateway Service that exists carries the in-cluster traffic: the local gateway pointed at istio-ingressgateway reaches its port 80 listener', () => {
    const c = new Cluster({ seed: 4, config: { 'config-istio': { 'local-gateway.knative-serving.knative-local-gateway': 'istio-ingressgateway.istio-system.svc.cluster.local' } } });
    helloOn(c);
    expect(placeholder(c).spec.externalName).toBe('istio-ingressgateway.istio-system.svc.cluster.local');
    const r = c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' });
    // Through istio-ingressgateway:80 → Envoy 8080, whose routes are the public ones only (the
    // cluster-local rule is bound to knative-local-gateway): Envoy answers 404, as on a cluster.
    expect(r.hops.find((h) => h.component === 'gateway')!.name).toMatch(/:8080$/);
    expect(r.status).toBe(404);
  });

  it('a Service added for the configured gateway, selecting the gateway pods, serves the cluster-local route', () => {
    const c = new Cluster({ seed: 4 });
    c.apply(`apiVersion: v1
kind: Service
metadata:
  name: higress-gateway
  namespace: higress-system
  labels: {experimental.istio.io/disable-gateway-port-translation: "true"}
spec:
  selector: {istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8081}]
`);
    c.apply(SEED_004_CONFIG_ISTIO);
    helloOn(c);
    const answers: string[] = [];
    c.trace.on('dns.query', (e) => answers.push(e.answer));
    const r = c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' });
    expect(answers[0]).toContain(`hello.default.svc.cluster.local. 30 IN CNAME ${HIGRESS_SVC}.`);
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.find((h) => h.component === 'gateway')!.name).toMatch(/:8081$/);
  });
});

describe('config-istio label-selected gateways (new format)', () => {
  it('a KIngress whose labels match a gateway selector binds to that gateway and reports its Service', () => {
    const c = new Cluster({
      seed: 4,
      config: {
        'config-istio': {
          'external-gateways': `
- name: knative-ingress-gateway
  namespace: knative-serving
  service: istio-ingressgateway.istio-system.svc.cluster.local
- name: special-gateway
  namespace: knative-serving
  service: special.istio-system.svc.cluster.local
  labelSelector:
    matchExpressions:
    - {key: team, operator: In, values: [special]}
`,
        },
      },
    });
    c.apply(HELLO_KSVC.replace('metadata:\n  name: hello', 'metadata:\n  name: hello\n  labels: {team: special}'));
    c.runFor(10_000);
    const vs = c.get<KObject & { spec: { gateways: string[] } }>({ kind: 'VirtualService', name: 'hello-ingress' })!;
    expect(vs.spec.gateways).toEqual(['knative-serving/knative-local-gateway', 'knative-serving/special-gateway']);
    expect(kingress(c).status!.publicLoadBalancer!.ingress).toEqual([{ domainInternal: 'special.istio-system.svc.cluster.local' }]);
  });
});
