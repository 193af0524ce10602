import { describe, expect, it } from 'vitest';
import { Cluster, type KObject } from '../../src/index.js';
import { GRAY_V1, GRAY_V2, GRAY_V3, GRAY_V3_2, ROUTING_SAMPLE, ROUTING_VS, HELLO_KSVC } from '../apis/seed-manifests.js';

const ROUTING_INTERNAL = ROUTING_VS.replace(/default\.example\.com/g, 'default.svc.cluster.local').replace(/istio-ingressgateway\.istio-system/g, 'knative-local-gateway.istio-system');

function viaGateway(c: Cluster, host: string, path = '/') {
  return c.request({ url: `http://gateway${path}`, headers: { Host: host } });
}

describe('seed 000: routing across multiple Knative services', () => {
  const c = new Cluster({ seed: 7 });
  c.apply(ROUTING_SAMPLE, { file: 'sample.yaml' });
  c.waitForReady();

  it('answers each service on its own host', () => {
    expect(viaGateway(c, 'search-service.default.example.com').body).toBe('Search Service is called !\n');
    expect(viaGateway(c, 'login-service.default.example.com').body).toBe('Login Service is called !\n');
  });

  it('routes /search and /login under example.com through entry-route, back through the gateway', () => {
    c.apply(ROUTING_VS, { file: 'routing.yaml' });
    c.runFor(1000);
    const r = viaGateway(c, 'example.com', '/search');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Search Service is called !\n');
    // The rewritten request enters the same gateway a second time.
    expect(r.hops.filter((h) => h.component === 'gateway')).toHaveLength(2);
    expect(viaGateway(c, 'example.com', '/login').body).toBe('Login Service is called !\n');
    // A plain prefix: /searchx matches /search too.
    expect(viaGateway(c, 'example.com', '/searchx').body).toBe('Search Service is called !\n');
    const miss = viaGateway(c, 'example.com', '/other');
    expect(miss.status).toBe(404);
    expect(miss.body).toBe('');
  });

  it('makes routing.yaml unroutable once the services are cluster-local, and routing-internal.yaml restores it', () => {
    for (const name of ['search-service', 'login-service']) c.label({ kind: 'Service', name }, { 'networking.knative.dev/visibility': 'cluster-local' });
    c.runFor(2000);
    expect(viaGateway(c, 'example.com', '/search').status).toBe(404);
    expect(viaGateway(c, 'search-service.default.example.com').status).toBe(404);
    c.apply(ROUTING_INTERNAL, { file: 'routing-internal.yaml' });
    c.runFor(1000);
    const r = viaGateway(c, 'example.com', '/search');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Search Service is called !\n');
    expect(viaGateway(c, 'example.com', '/login').body).toBe('Login Service is called !\n');
    // and from inside the cluster, by the cluster-local name
    const inside = c.request({ url: 'http://search-service.default.svc.cluster.local/', fromNamespace: 'default' });
    expect(inside.body).toBe('Search Service is called !\n');
    expect(c.get<KObject & { status: { url: string } }>({ kind: 'Service', name: 'search-service' })!.status.url).toBe('http://search-service.default.svc.cluster.local');
  });
});

describe('seed 002: the life of a request', () => {
  it('passes DNS, the gateway, the activator (small revision), queue-proxy and the app', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    const r = c.request({ url: 'http://hello.default.example.com/' });
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.map((h) => h.component)).toEqual(['dns', 'gateway', 'activator', 'queue-proxy', 'app']);
    expect(r.revision).toBe('hello-00001');
    for (let i = 1; i < r.hops.length; i++) expect(r.hops[i]!.startMs).toBeGreaterThanOrEqual(r.hops[i - 1]!.startMs);
  });

  it('resolves the cluster-local name through CNAME to the local gateway from a pod', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    const trace: string[] = [];
    c.trace.on('dns.query', (e) => trace.push(e.answer));
    const r = c.request({ url: 'http://hello.default/', fromNamespace: 'default' });
    expect(r.body).toBe('Hello World!\n');
    // ndots 5: the search path first (hello.default.default.svc.cluster.local is NXDOMAIN), then the CNAME.
    expect(trace[0]).toContain('hello.default.default.svc.cluster.local NXDOMAIN; hello.default.svc.cluster.local. 30 IN CNAME knative-local-gateway.istio-system.svc.cluster.local.');
    expect(r.hops[1]!.name).toMatch(/:8081$/);
    // `Host: hello` alone is not among the KIngress hosts (hello.default, hello.default.svc, …): Envoy answers 404 NR.
    expect(c.request({ url: 'http://hello/', fromNamespace: 'default' }).status).toBe(404);
  });
});

describe('seed 003: traffic splitting and gray release', () => {
  const c = new Cluster({ seed: 11 });
  const bodies = (n: number, host = 'stock-service-example.default.example.com') => {
    const out: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const r = viaGateway(c, host);
      out[r.body] = (out[r.body] ?? 0) + 1;
    }
    return out;
  };

  it('v1 gets all traffic', () => {
    const w = c.apply(GRAY_V1, { file: 'revision-v1.yaml' }).warnings;
    expect(w.join('\n')).toContain('deprecated');
    c.waitForReady();
    expect(bodies(20)).toEqual({ 'Welcome to the v1 app!\n': 20 });
  });

  it('v2 splits 50/50, and each tag host reaches its revision', () => {
    c.apply(GRAY_V2, { file: 'revision-v2.yaml' });
    c.waitForReady();
    const b = bodies(400);
    expect(Object.keys(b).sort()).toEqual(['Welcome to the v1 app!\n', 'Welcome to the v2 app!\n']);
    // binomial(400, 0.5): 5 standard deviations is ±50
    expect(Math.abs(b['Welcome to the v1 app!\n']! - 200)).toBeLessThan(50);
    expect(bodies(5, 'v1-stock-service-example.default.example.com')).toEqual({ 'Welcome to the v1 app!\n': 5 });
    expect(bodies(5, 'v2-stock-service-example.default.example.com')).toEqual({ 'Welcome to the v2 app!\n': 5 });
    expect(bodies(5, 'latest-stock-service-example.default.example.com')).toEqual({ 'Welcome to the v2 app!\n': 5 });
  });

  it('revision-v3.yaml creates v3; kubectl apply drops the traffic block the file no longer has, so v3 takes all traffic', () => {
    c.apply(GRAY_V3, { file: 'revision-v3.yaml' });
    c.waitForReady();
    expect(c.revisionNames()).toEqual(['stock-service-example-v1', 'stock-service-example-v2', 'stock-service-example-v3']);
    expect(bodies(10)).toEqual({ 'Welcome to the v3 app!\n': 10 });
  });

  it('revision-v3-2.yaml splits 40/30/30 without creating a revision', () => {
    c.apply(GRAY_V3_2, { file: 'revision-v3-2.yaml' });
    c.waitForReady();
    expect(c.revisionNames()).toHaveLength(3);
    const b = bodies(600);
    const share = (v: string) => (b[`Welcome to the ${v} app!\n`] ?? 0) / 600;
    expect(Math.abs(share('v1') - 0.4)).toBeLessThan(0.1);
    expect(Math.abs(share('v2') - 0.3)).toBeLessThan(0.1);
    expect(Math.abs(share('v3') - 0.3)).toBeLessThan(0.1);
    expect(bodies(3, 'v3-stock-service-example.default.example.com')).toEqual({ 'Welcome to the v3 app!\n': 3 });
  });

  it('rolls back by pointing all traffic at v1', () => {
    c.apply(GRAY_V3_2.replace(/percent: 40/, 'percent: 100').replace(/percent: 30/g, 'percent: 0'), { file: 'rollback.yaml' });
    c.waitForReady();
    expect(bodies(30)).toEqual({ 'Welcome to the v1 app!\n': 30 });
  });

  it('rejects a split that does not sum to 100 with Knative\'s message, changing nothing', () => {
    expect(() => c.apply(GRAY_V2.replace('percent: 50\n  - tag: latest', 'percent: 40\n  - tag: latest'), { file: 'bad.yaml' })).toThrow(/Traffic targets sum to 90, want 100: spec.traffic/);
    expect(bodies(5)).toEqual({ 'Welcome to the v1 app!\n': 5 });
  });
});

describe('DomainMapping and registered apps', () => {
  it('serves a Service on a mapped custom domain once its ClusterDomainClaim exists', () => {
    const c = new Cluster({ seed: 2 });
    c.apply(HELLO_KSVC);
    c.waitForReady();
    c.apply(`apiVersion: networking.internal.knative.dev/v1alpha1
kind: ClusterDomainClaim
metadata:
  name: hello.mycorp.dev
spec:
  namespace: default
---
apiVersion: serving.knative.dev/v1beta1
kind: DomainMapping
metadata:
  name: hello.mycorp.dev
  namespace: default
spec:
  ref:
    name: hello
    kind: Service
    apiVersion: serving.knative.dev/v1
`);
    c.runFor(2000);
    const r = c.request({ url: 'http://hello.mycorp.dev/' });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!\n');
    const dm = c.get<KObject & { status: { conditions: Array<{ type: string; status: string }> } }>({ kind: 'DomainMapping', name: 'hello.mycorp.dev' })!;
    expect(dm.status.conditions.find((x) => x.type === 'Ready')!.status).toBe('True');
  });

  it('runs a handler registered for an image', () => {
    const c = new Cluster({ seed: 2 });
    c.registerApp('echo', (req) => ({ status: 201, body: `you asked for ${req.path}`, delayMs: 5 }));
    c.apply(HELLO_KSVC.replace('ghcr.io/knative/helloworld-go:latest', 'example.com/team/echo:1.0'));
    c.waitForReady();
    const r = c.request({ url: 'http://hello.default.example.com/x?y=1' });
    expect(r.status).toBe(201);
    expect(r.body).toBe('you asked for /x?y=1');
  });
});
