import { describe, expect, it } from 'vitest';
import { Cluster, type KObject } from '../../src/index.js';
import { ROUTING_SAMPLE, ROUTING_VS } from '../apis/seed-manifests.js';

/**
 * Issue 10.8: the deprecated camelCase keys Knative still reads (knative/networking
 * pkg/config/config.go NewConfigFromMap: "Legacy keys" first, then "New key takes precedence")
 * take effect when the new key is absent, as on a fresh install, whose ConfigMaps hold only
 * `_example` (knative/serving config/core/configmaps/*.yaml, net-istio config/400-config-istio.yaml).
 */

type Routed = KObject & { status?: { url?: string } };
const urlOf = (c: Cluster, name: string) => c.get<Routed>({ kind: 'Service', name })?.status?.url;
const viaGateway = (c: Cluster, host: string, path = '/') => c.request({ url: `http://gateway${path}`, headers: { Host: host } });

/** Seed 000: "If it is {{.Name}}-{{.Namespace}}.{{.Domain}}, you need to change search-service.default into search-service-default … in routing.yaml". */
const DASHED_TEMPLATE = '{{.Name}}-{{.Namespace}}.{{.Domain}}';
const ROUTING_VS_DASHED = ROUTING_VS.replace(/(search|login)-service\.default\./g, '$1-service-default.');

describe('config-network legacy keys (seed 000: domainTemplate)', () => {
  it('domainTemplate alone sets the domain template; seed 000 runs unmodified with the routing.yaml it prescribes', () => {
    const c = new Cluster({ seed: 7, config: { 'config-network': { domainTemplate: DASHED_TEMPLATE } } });
    c.apply(ROUTING_SAMPLE, { file: 'sample.yaml' });
    c.waitForReady();
    expect(urlOf(c, 'search-service')).toBe('http://search-service-default.example.com');
    expect(viaGateway(c, 'login-service-default.example.com').body).toBe('Login Service is called !\n');
    expect(viaGateway(c, 'login-service.default.example.com').status).toBe(404);
    c.apply(ROUTING_VS_DASHED, { file: 'routing.yaml' });
    c.runFor(1000);
    expect(viaGateway(c, 'example.com', '/search').body).toBe('Search Service is called !\n');
    expect(viaGateway(c, 'example.com', '/login').body).toBe('Login Service is called !\n');
  });

  it('the new key wins when both are present', () => {
    const c = new Cluster({ seed: 7, config: { 'config-network': { domainTemplate: DASHED_TEMPLATE, 'domain-template': '{{.Name}}.{{.Namespace}}.{{.Domain}}' } } });
    c.apply(ROUTING_SAMPLE);
    c.waitForReady();
    expect(urlOf(c, 'search-service')).toBe('http://search-service.default.example.com');
  });

  it('a config-network applied later with only the legacy key changes the routes (kubectl apply over the installed ConfigMap)', () => {
    const c = new Cluster({ seed: 7 });
    c.apply(ROUTING_SAMPLE);
    c.waitForReady();
    expect(urlOf(c, 'search-service')).toBe('http://search-service.default.example.com');
    c.apply(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-network, namespace: knative-serving}\ndata:\n  domainTemplate: "${DASHED_TEMPLATE}"\n`);
    c.waitForReady();
    c.runFor(2000);
    expect(urlOf(c, 'search-service')).toBe('http://search-service-default.example.com');
    expect(viaGateway(c, 'search-service-default.example.com').body).toBe('Search Service is called !\n');
  });

  it('tagTemplate, httpProtocol and autocreateClusterDomainClaims take effect alone', () => {
    const c = new Cluster({
      seed: 7,
      config: { 'config-network': { tagTemplate: '{{.Name}}-{{.Tag}}', httpProtocol: 'Redirected', autocreateClusterDomainClaims: 'true' } },
    });
    c.apply(`apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go}]
  traffic:
  - {latestRevision: true, percent: 100, tag: current}
`);
    c.waitForReady();
    const ksvc = c.get<KObject & { status: { traffic: Array<{ url?: string }> } }>({ kind: 'Service', name: 'hello' })!;
    expect(ksvc.status.traffic[0]!.url).toBe('http://hello-current.default.example.com');
    const ing = c.get<KObject & { spec: { httpOption?: string } }>({ kind: 'Ingress', name: 'hello' })!;
    expect(ing.spec.httpOption).toBe('Redirected');
  });
});

describe('a fresh install holds only what Knative installs', () => {
  it('config-istio accepts the new format (external-gateways), which cannot be mixed with installed gateway.* keys', () => {
    const c = new Cluster({ seed: 7 });
    const apply = () => c.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: config-istio, namespace: knative-serving}
data:
  external-gateways: |
    - name: knative-ingress-gateway
      namespace: knative-serving
      service: istio-ingressgateway.istio-system.svc.cluster.local
`);
    expect(apply).not.toThrow();
  });

  it('config-network and config-istio start without data; config-deployment carries the queue-proxy image, as config/core/configmaps/deployment.yaml', () => {
    const c = new Cluster({ seed: 7 });
    const data = (name: string) => c.get<KObject & { data?: Record<string, string> }>({ kind: 'ConfigMap', name, namespace: 'knative-serving' })?.data ?? {};
    expect(data('config-network')).toEqual({});
    expect(data('config-istio')).toEqual({});
    expect(Object.keys(data('config-deployment'))).toEqual(['queue-sidecar-image']);
  });
});
