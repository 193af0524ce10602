import { describe, expect, it } from 'vitest';
import { Cluster, type KObject } from '../../src/index.js';
import { HELLO_KSVC, helloKnativeWith } from '../apis/seed-manifests.js';

/**
 * Issue 13: config-network's `ingress-class` selects the network layer as in Knative
 * (knative.dev/networking config/config-network.yaml `ingress-class`): net-istio (VirtualService
 * objects, istio-ingressgateway), Kourier (its Envoy programmed from the KIngress, no
 * VirtualServices: net-kourier pkg/generator/ingress_translator.go) and Higress (its KIngress
 * controller, alibaba/higress pkg/ingress/kube/kingress/controller.go, status.go). The same
 * Knative Services route the same way under each; each class's own gateway shows in the hops.
 */

const CLASSES = [
  ['istio.ingress.networking.knative.dev', /^istio-ingressgateway-/, 'istio-ingressgateway.istio-system.svc.cluster.local'],
  ['kourier.ingress.networking.knative.dev', /^3scale-kourier-gateway-/, 'kourier.kourier-system.svc.cluster.local'],
  ['higress', /^higress-gateway-/, 'higress-gateway.higress-system.svc.cluster.local'],
] as const;

const TAGGED = helloKnativeWith(`  - revisionName: hello-00001
    percent: 50
    tag: blue
  - latestRevision: true
    percent: 50
`);

function outcomes(cls: string) {
  const c = new Cluster({ seed: 7, config: { 'config-network': { 'ingress-class': cls } } });
  c.apply(HELLO_KSVC);
  c.waitForReady();
  c.apply(TAGGED);
  c.waitForReady();
  const bodies = new Map<string, number>();
  const gateways = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com' } });
    bodies.set(`${r.status} ${r.body}`, (bodies.get(`${r.status} ${r.body}`) ?? 0) + 1);
    gateways.add(r.hops.find((h) => h.component === 'gateway')!.name);
  }
  const tag = c.request({ url: 'http://gateway/', headers: { Host: 'blue-hello.default.example.com' } });
  const local = c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' });
  const unknown = c.request({ url: 'http://gateway/', headers: { Host: 'nope.default.example.com' } });
  const ing = c.get<KObject & { status: { publicLoadBalancer: { ingress: Array<{ domainInternal: string }> } } }>({ kind: 'Ingress', name: 'hello' })!;
  return {
    c,
    bodies: [...bodies.keys()].sort(),
    share: (bodies.get('200 Hello World!\n') ?? 0) / 200,
    gateways: [...gateways],
    tag: `${tag.status} ${tag.body}`,
    local: `${local.status} ${local.body}`,
    unknown: unknown.status,
    lb: ing.status.publicLoadBalancer.ingress[0]!.domainInternal,
  };
}

describe('ingress classes route the same Knative Services the same way', () => {
  it.each(CLASSES)('%s', (cls, pod, lb) => {
    const o = outcomes(cls);
    expect(o.bodies).toEqual(['200 Hello Knative!\n', '200 Hello World!\n']);
    expect(Math.abs(o.share - 0.5)).toBeLessThan(0.15);
    expect(o.tag).toBe('200 Hello World!\n');
    // In-cluster, through the class's private load balancer (split too).
    expect(['200 Hello Knative!\n', '200 Hello World!\n']).toContain(o.local);
    expect(o.unknown).toBe(404);
    expect(o.gateways.every((g) => pod.test(g))).toBe(true);
    expect(o.lb).toBe(lb);
    const vs = o.c.get({ kind: 'VirtualService', name: 'hello-ingress' });
    if (cls === 'istio.ingress.networking.knative.dev') expect(vs).toBeDefined();
    else expect(vs).toBeUndefined();
  });

  it('Kourier\'s Envoy answers as `server: envoy`, Istio\'s and Higress\'s as istio-envoy', () => {
    const server = (cls: string) => {
      const c = new Cluster({ seed: 7, config: { 'config-network': { 'ingress-class': cls } } });
      c.apply(HELLO_KSVC);
      c.waitForReady();
      return c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com' } }).headers['server'];
    };
    expect(CLASSES.map(([cls]) => server(cls))).toEqual(['istio-envoy', 'envoy', 'istio-envoy']);
  });

  it('patching config-network\'s ingress-class (the seed\'s kubectl patch) moves a running Service to the new class: its VirtualServices go and Higress serves it', () => {
    const c = new Cluster({ seed: 7 });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    expect(c.get({ kind: 'VirtualService', name: 'hello-ingress' })).toBeDefined();
    c.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: config-network, namespace: knative-serving}
data:
  ingress-class: "higress"
`);
    c.runFor(5000);
    expect(c.get({ kind: 'VirtualService', name: 'hello-ingress' })).toBeUndefined();
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com' } });
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.find((h) => h.component === 'gateway')!.name).toMatch(/^higress-gateway-/);
  });

  it('a class no controller serves leaves the Route not ready, naming the classes knsim runs', () => {
    const c = new Cluster({ seed: 7, config: { 'config-network': { 'ingress-class': 'contour.ingress.networking.knative.dev' } } });
    c.apply(HELLO_KSVC);
    expect(() => c.waitForReady({ timeoutMs: 20_000 })).toThrow(/no controller for ingress class "contour.ingress.networking.knative.dev" \(knsim implements istio.ingress.networking.knative.dev, kourier.ingress.networking.knative.dev, higress\)/);
  });
});
