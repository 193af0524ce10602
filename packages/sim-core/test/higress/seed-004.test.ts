import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { HELLO_KSVC, helloKnativeWith } from '../apis/seed-manifests.js';

/**
 * Issue 13, seed 004 (Higress in front of Knative) end to end: solution 1 (config-network
 * `ingress-class: higress`, Higress's KIngress controller) and its verification — traffic
 * splitting 50/50, key-rate-limit at 2 per minute for `x-ca-key: 123456`, key-auth allowing only
 * consumer2 (alibaba/higress plugins/wasm-go/extensions/key-auth/main.go,
 * plugins/wasm-cpp/extensions/key_rate_limit/plugin.cc, bucket.cc).
 */

export const SEED_004_SOLUTION_1 = `apiVersion: v1
kind: ConfigMap
metadata: {name: config-network, namespace: knative-serving}
data:
  ingress-class: "higress"
---
apiVersion: v1
kind: ConfigMap
metadata: {name: config-domain, namespace: knative-serving}
data:
  example.com: ""
`;

// kn service update hello --env TARGET=Knative; kn service update hello --traffic hello-00001=50 --traffic @latest=50
const HELLO_SPLIT = helloKnativeWith(`  - revisionName: hello-00001
    percent: 50
  - latestRevision: true
    percent: 50
`);

export const KEY_RATE_LIMIT = `apiVersion: extensions.higress.io/v1alpha1
kind: WasmPlugin
metadata:
  name: key-rate-limit
  namespace: higress-system
spec:
  defaultConfig:
    _rules_:
    # Rule 2: Match by domain name to take effect.
    - _match_domain_:
      - "hello.default.example.com"
      limit_by_header: x-ca-key
      limit_keys:
      - key: 123456
        query_per_minute: 2
  url: oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-rate-limit:1.0.0
`;

export const KEY_AUTH = `apiVersion: extensions.higress.io/v1alpha1
kind: WasmPlugin
metadata:
  name: key-auth
  namespace: higress-system
spec:
  defaultConfig:
    consumers:
    - credential: 2bda943c-ba2b-11ec-ba07-00163e1250b5
      name: consumer1
    - credential: c8c8e9ca-558e-4a2d-bb62-e700dcc40e35
      name: consumer2
    keys:
    - apikey
    in_query: true
    _rules_:
    - _match_domain_:
      - "hello.default.example.com"
      allow:
      - consumer2
  url: oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0
`;

function higressCluster(): Cluster {
  const c = new Cluster({ seed: 4 });
  c.apply(SEED_004_SOLUTION_1);
  c.apply(HELLO_KSVC);
  c.waitForReady();
  return c;
}

const HOST = { Host: 'hello.default.example.com' };

describe('seed 004 solution 1: Higress as the KIngress class', () => {
  it('serves hello through higress-gateway, with no VirtualService objects', () => {
    const c = higressCluster();
    const r = c.request({ url: 'http://gateway/', headers: HOST });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!\n');
    expect(r.hops.find((h) => h.component === 'gateway')!.name).toMatch(/^higress-gateway-[a-z0-9]+-[a-z0-9]{5}:80$/);
    expect(c.get({ kind: 'VirtualService', name: 'hello-ingress' })).toBeUndefined();
    const ing = c.get<{ status: { publicLoadBalancer: unknown } } & import('../../src/index.js').KObject>({ kind: 'Ingress', name: 'hello' })!;
    expect(ing.status.publicLoadBalancer).toEqual({ ingress: [{ domainInternal: 'higress-gateway.higress-system.svc.cluster.local' }] });
    // In-cluster: the placeholder points at higress-gateway, whose port 80 serves the cluster-local hosts too.
    const inCluster = c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' });
    expect(inCluster.body).toBe('Hello World!\n');
  });

  it('splits hello 50/50 between World and Knative', () => {
    const c = higressCluster();
    c.apply(HELLO_SPLIT);
    c.waitForReady();
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const b = c.request({ url: 'http://gateway/', headers: HOST }).body;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['Hello Knative!\n', 'Hello World!\n']);
    // Binomial(400, 0.5): 4 standard deviations is ±40.
    expect(Math.abs(counts.get('Hello World!\n')! - 200)).toBeLessThan(40);
  });

  it('key-rate-limit at 2 per minute for x-ca-key 123456: the third request in the minute is 429 Too many requests; other keys pass', () => {
    const c = higressCluster();
    c.apply(KEY_RATE_LIMIT);
    c.runFor(1000);
    const send = (key: string) => c.request({ url: 'http://gateway/', headers: { ...HOST, 'x-ca-key': key } });
    expect(send('123456').status).toBe(200);
    expect(send('123456').status).toBe(200);
    const third = send('123456');
    expect(third.status).toBe(429);
    expect(third.body).toBe('Too many requests');
    expect(third.hops.map((h) => h.component)).toContain('wasm');
    // An unlisted key and no key at all are not limited.
    expect(send('other').status).toBe(200);
    expect(c.request({ url: 'http://gateway/', headers: HOST }).status).toBe(200);
    // The window refills a minute after the first tick.
    c.runFor(60_000);
    expect(send('123456').status).toBe(200);
  });

  it('key-auth allowing only consumer2: no key 401, consumer1 403, consumer2 200 with X-Mse-Consumer', () => {
    const c = higressCluster();
    c.apply(KEY_AUTH);
    c.runFor(1000);
    const none = c.request({ url: 'http://gateway/', headers: HOST });
    expect(none.status).toBe(401);
    expect(none.body).toBe('Request denied by Key Auth check. No Key Authentication information found.');
    expect(none.headers['www-authenticate']).toBe('Key realm=MSE Gateway');
    const consumer1 = c.request({ url: 'http://gateway/?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5', headers: HOST });
    expect(consumer1.status).toBe(403);
    expect(consumer1.body).toBe('Request denied by Key Auth check. Unauthorized consumer.');
    const consumer2 = c.request({ url: 'http://gateway/?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35', headers: HOST });
    expect(consumer2.status).toBe(200);
    expect(consumer2.body).toBe('Hello World!\n');
    const two = c.request({ url: 'http://gateway/?apikey=a&apikey=b', headers: HOST });
    expect(two.status).toBe(401);
    expect(two.body).toBe('Request denied by Key Auth check. Muti Key Authentication information found.');
  });

  it('authentication runs before rate limiting: a request key-auth denies takes no token', () => {
    const c = higressCluster();
    c.apply(KEY_AUTH);
    c.apply(KEY_RATE_LIMIT);
    c.runFor(1000);
    const ok = '?apikey=c8c8e9ca-558e-4a2d-bb62-e700dcc40e35';
    const send = (q: string) => c.request({ url: `http://gateway/${q}`, headers: { ...HOST, 'x-ca-key': '123456' } });
    for (let i = 0; i < 5; i++) expect(send('').status).toBe(401);
    expect(send(ok).status).toBe(200);
    expect(send(ok).status).toBe(200);
    expect(send(ok).status).toBe(429);
  });
});
