import { describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/apis/istio/v1alpha3.js';
import { compileRouteConfiguration } from '../../src/net/envoy/compile.js';
import { route } from '../../src/net/envoy/router.js';
import { compileGatewayConfig, compileMeshConfig, listenerFor, listenerPort } from '../../src/net/istio/gateway-config.js';
import { intersectHosts, resolveGatewayName, resolveShortnameToFQDN } from '../../src/net/istio/hosts.js';
import { countingRng, gatewayPodLabels, ingressGateway, ingressGatewayService, localGateway, localGatewayService, request, vs } from './fixtures.js';

const compile = (virtualServices: ReturnType<typeof vs>[], gateways: Gateway[] = [ingressGateway, localGateway]) =>
  compileGatewayConfig({ podLabels: gatewayPodLabels, gateways, virtualServices, services: [ingressGatewayService, localGatewayService] });

describe('names and hosts', () => {
  it('resolveGatewayName: name, ./name, ns/name, legacy FQDN, mesh', () => {
    expect(resolveGatewayName('gw', 'default')).toBe('default/gw');
    expect(resolveGatewayName('./gw', 'default')).toBe('default/gw');
    expect(resolveGatewayName('knative-serving/gw', 'default')).toBe('knative-serving/gw');
    expect(resolveGatewayName('knative-ingress-gateway.knative-serving.svc.cluster.local', 'default')).toBe('knative-serving/knative-ingress-gateway');
    expect(resolveGatewayName('mesh', 'default')).toBe('mesh');
  });

  it('short names are expanded with the VirtualService namespace; dotted names are kept', () => {
    expect(resolveShortnameToFQDN('reviews', 'foo')).toBe('reviews.foo.svc.cluster.local');
    expect(resolveShortnameToFQDN('search-service.default', 'foo')).toBe('search-service.default');
    // istiod's --domain (the cluster domain) replaces cluster.local.
    expect(resolveShortnameToFQDN('reviews', 'foo', 'corp.internal')).toBe('reviews.foo.svc.corp.internal');
  });

  it('host intersection keeps the more specific name; *.example.com does not cover example.com', () => {
    expect(intersectHosts('example.com', '*')).toBe('example.com');
    expect(intersectHosts('*.example.com', 'a.example.com')).toBe('a.example.com');
    expect(intersectHosts('a.b.example.com', '*.example.com')).toBe('a.b.example.com');
    expect(intersectHosts('example.com', '*.example.com')).toBeUndefined();
  });
});

describe('compileGatewayConfig', () => {
  it('translates Gateway port 80 to 8080 via istio-ingressgateway; the local gateway Service opts out', () => {
    expect(listenerPort(80, gatewayPodLabels, [ingressGatewayService, localGatewayService])).toBe(8080);
    expect(listenerPort(8081, gatewayPodLabels, [ingressGatewayService, localGatewayService])).toBe(8081);
  });

  it('a listener with no bound VirtualService answers everything with 404 (blackhole)', () => {
    const cfg = compile([]);
    expect(cfg.listeners.map((l) => l.virtualHosts.map((v) => v.name))).toEqual([['blackhole:8080'], ['blackhole:8081']]);
    const d = route(compileRouteConfiguration(cfg.listeners[0]!), request('anything'), countingRng());
    expect(d.kind === 'local' && [d.response.status, d.response.responseFlags]).toEqual([404, 'NR']);
  });

  it('a VirtualService without gateways binds to mesh only', () => {
    const cfg = compile([vs('m', { hosts: ['example.com'], http: [{ route: [{ destination: { host: 's' } }] }] })]);
    expect(listenerFor(cfg, 8080)!.virtualHosts[0]!.name).toBe('blackhole:8080');
  });

  it('routes of several VirtualServices for one host are concatenated by creation order, catch-alls last', () => {
    const cfg = compile([
      vs('b-late', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['example.com'], http: [{ match: [{ uri: { prefix: '/late' } }], route: [{ destination: { host: 'late' } }] }] }, 'default', 20),
      vs('a-all', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['example.com'], http: [{ route: [{ destination: { host: 'all' } }] }] }, 'default', 10),
      vs('c-early', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['example.com'], http: [{ match: [{ uri: { prefix: '/early' } }], route: [{ destination: { host: 'early' } }] }] }, 'default', 10),
    ]);
    const vh = listenerFor(cfg, 8080)!.virtualHosts.find((v) => v.name === 'example.com:80')!;
    expect(vh.routes.map((r) => r.virtualService.name)).toEqual(['c-early', 'b-late', 'a-all']);
    const d = route(compileRouteConfiguration(listenerFor(cfg, 8080)!), request('example.com', '/late'), countingRng());
    expect(d.kind === 'forward' && d.cluster.host).toBe('late.default.svc.cluster.local');
  });

  it('a catch-all match ends the VirtualService: later routes are never emitted', () => {
    const cfg = compile([
      vs('v', {
        gateways: ['knative-serving/knative-ingress-gateway'],
        hosts: ['example.com'],
        http: [{ match: [{ uri: { prefix: '/' } }, { uri: { prefix: '/never' } }], route: [{ destination: { host: 'a' } }] }, { route: [{ destination: { host: 'b' } }] }],
      }),
    ]);
    expect(listenerFor(cfg, 8080)!.virtualHosts[0]!.routes.map((r) => r.name)).toEqual(['default/v#0.0']);
  });

  it('match.gateways and match.port filter at configuration time', () => {
    const cfg = compile([
      vs('v', {
        gateways: ['knative-serving/knative-ingress-gateway', 'knative-serving/knative-local-gateway'],
        hosts: ['*'],
        http: [
          { match: [{ gateways: ['knative-serving/knative-local-gateway'], uri: { prefix: '/local' } }], route: [{ destination: { host: 'local' } }] },
          { match: [{ port: 80, uri: { prefix: '/p80' } }], route: [{ destination: { host: 'p80' } }] },
        ],
      }),
    ]);
    expect(listenerFor(cfg, 8080)!.virtualHosts[0]!.routes.map((r) => r.name)).toEqual(['default/v#1.0']);
    expect(listenerFor(cfg, 8081)!.virtualHosts[0]!.routes.map((r) => r.name)).toEqual(['default/v#0.0']);
  });

  it('server hosts with a namespace only admit VirtualServices from it', () => {
    const gw: Gateway = { ...ingressGateway, spec: { ...ingressGateway.spec, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['team-a/*'] }] } };
    const mk = (ns: string) => vs('v', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['example.com'], http: [{ route: [{ destination: { host: 's' } }] }] }, ns);
    expect(compile([mk('team-a')], [gw]).listeners[0]!.virtualHosts[0]!.name).toBe('example.com:80');
    expect(compile([mk('team-b')], [gw]).listeners[0]!.virtualHosts[0]!.name).toBe('blackhole:8080');
  });

  it('tls.httpsRedirect answers plain HTTP with a 301 to https', () => {
    const gw: Gateway = { ...ingressGateway, spec: { ...ingressGateway.spec, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'], tls: { httpsRedirect: true } }] } };
    const cfg = compile([vs('v', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['example.com'], http: [{ route: [{ destination: { host: 's' } }] }] })], [gw]);
    const d = route(compileRouteConfiguration(cfg.listeners[0]!), request('example.com', '/a?b=1'), countingRng());
    expect(d.kind === 'local' && [d.response.status, d.response.headers.get('location')]).toEqual([301, 'https://example.com/a?b=1']);
  });
});

describe('compileMeshConfig (sidecars)', () => {
  const meshVs = vs('hello-mesh', { gateways: ['mesh'], hosts: ['hello.default.svc.cluster.local'], http: [{ match: [{ authority: { prefix: 'hello.default' } }], route: [{ destination: { host: 'hello-00001.default.svc.cluster.local', port: { number: 80 } } }] }] });
  it('routes hosts of mesh-bound VirtualServices and passes other hosts through', () => {
    const cfg = compileRouteConfiguration(compileMeshConfig({ virtualServices: [meshVs], port: 80, sourceNamespace: 'default' }));
    const d = route(cfg, request('hello.default.svc.cluster.local'), countingRng());
    expect(d.kind === 'forward' && d.cluster.host).toBe('hello-00001.default.svc.cluster.local');
    const p = route(cfg, request('other.default.svc.cluster.local:8080'), countingRng());
    expect(p).toMatchObject({ kind: 'passthrough', cluster: { host: 'other.default.svc.cluster.local', port: 8080 } });
  });
});
