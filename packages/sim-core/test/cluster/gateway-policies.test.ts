import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { HELLO_KSVC } from '../apis/seed-manifests.js';

/**
 * A VirtualService of the user's in front of the `hello` Knative Service, as in the routing
 * seed: `shop.example.com` rewritten to hello's host and sent back into the gateway, with the
 * given route policies (YAML lines at the route's indentation).
 */
function entryRoute(policies: string): string {
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

function cluster(vs: string): Cluster {
  const c = new Cluster({ seed: 11 });
  c.apply(HELLO_KSVC, { file: 'hello.yaml' });
  c.waitForReady();
  c.apply(vs, { file: 'entry.yaml' });
  c.runFor(1000);
  return c;
}

describe('route policies at the ingress gateway', () => {
  it('applies the route\'s response header operations to the upstream\'s response', () => {
    const c = cluster(
      entryRoute(`headers:
      response:
        set:
          x-served-by: entry
        remove:
        - content-type`),
    );
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'shop.example.com' } });
    expect(r.status).toBe(200);
    expect(r.body).toBe('Hello World!\n');
    expect(r.headers['x-served-by']).toBe('entry');
    expect(r.headers['content-type']).toBeUndefined();
    // Straight to the Knative host, no entry route: the app's own headers.
    const direct = c.request({ url: 'http://gateway/', headers: { Host: 'hello.default.example.com' } });
    expect(direct.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(direct.headers['x-served-by']).toBeUndefined();
  });

  it('answers 504 "upstream request timeout" with the route\'s response headers when its timeout passes', () => {
    const c = cluster(
      entryRoute(`timeout: 1ms
    headers:
      response:
        set:
          x-served-by: entry`),
    );
    const r = c.request({ url: 'http://gateway/', headers: { Host: 'shop.example.com' } });
    expect(r.status).toBe(504);
    expect(r.body).toBe('upstream request timeout');
    expect(r.headers['x-served-by']).toBe('entry');
  });
});
