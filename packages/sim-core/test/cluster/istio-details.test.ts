import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { ROUTING_SAMPLE, ROUTING_VS } from '../apis/seed-manifests.js';
import { gatewayName } from '../../src/net/netistio/gateways.js';

const viaGateway = (c: Cluster, host: string, path = '/') => c.request({ url: `http://gateway${path}`, headers: { Host: host } });

// pilot/pkg/networking/core/route/route.go GetDestinationCluster: a destination without `port`
// goes to its Service's only port, else to the listener's port (the Gateway server's, 80 here);
// Istio's validation does not require it (pkg/config/validation: the Service's ports are not
// known to it).
describe('a VirtualService destination without port (Istio GetDestinationCluster)', () => {
  it("seed 000's routing.yaml with the port blocks removed routes as before", () => {
    const c = new Cluster({ seed: 7 });
    c.apply(ROUTING_SAMPLE, { file: 'sample.yaml' });
    c.waitForReady();
    const noPorts = ROUTING_VS.replace(/\n\s*port:\n\s*number: 80/g, '');
    expect(noPorts).not.toContain('number: 80');
    c.apply(noPorts, { file: 'routing.yaml' });
    c.runFor(1000);
    // istio-ingressgateway has three ports (15021, 80, 443): the Gateway server's port 80 is taken.
    const r = viaGateway(c, 'example.com', '/search');
    expect(r.status).toBe(200);
    expect(r.body).toBe('Search Service is called !\n');
    expect(viaGateway(c, 'example.com', '/login').body).toBe('Login Service is called !\n');
  });
});

const HELLO = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go:latest}]
`;

function helloWith(httpProtocol: string): Cluster {
  const c = new Cluster({ seed: 1, config: { 'config-network': { 'http-protocol': httpProtocol } } });
  c.apply(HELLO);
  c.waitForReady();
  return c;
}

// Knative's route reconciler sets the KIngress's httpOption from config-network's http-protocol
// (pkg/reconciler/route/resources GetHTTPOption: Disabled is deprecated and maps to none);
// net-istio (pkg/reconciler/ingress/ingress.go shouldReconcileHTTPServer, resources/gateway.go
// MakeHTTPServer and MakeIngressGateways) gives a public Redirected Ingress its own Gateway whose
// port-80 server has tls.httpsRedirect, so Envoy answers plain HTTP with a 301 to https.
describe("config-network's http-protocol (net-istio's HTTP server)", () => {
  it('Redirected: plain HTTP to an external host gets 301 to https, cluster-local traffic is served', () => {
    const c = helloWith('Redirected');
    const r = c.request({ url: 'http://hello.default.example.com/path?q=1' });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://hello.default.example.com/path?q=1');
    expect(c.request({ url: 'http://hello.default.svc.cluster.local/', fromNamespace: 'default' }).status).toBe(200);
    // The Ingress's own Gateway, bound by its VirtualService.
    const gw = c.get({ kind: 'Gateway', namespace: 'default', name: gatewayName('hello', { namespace: 'istio-system', name: 'istio-ingressgateway' }) }) as unknown as { spec: { servers: Array<{ tls?: { httpsRedirect?: boolean }; hosts: string[] }> } } | undefined;
    expect(gw?.spec.servers[0]).toMatchObject({ hosts: ['hello.default.example.com'], tls: { httpsRedirect: true } });
  });

  it('Disabled (deprecated) and Enabled: plain HTTP is served through the default Gateway', () => {
    for (const p of ['Disabled', 'Enabled']) {
      const r = helloWith(p).request({ url: 'http://hello.default.example.com/' });
      expect(r.status).toBe(200);
      expect(r.body).toBe('Hello World!\n');
    }
  });
});
