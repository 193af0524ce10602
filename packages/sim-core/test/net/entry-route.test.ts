import { describe, expect, it } from 'vitest';
import { compileGatewayConfig, listenerFor } from '../../src/net/istio/gateway-config.js';
import { compileListeners } from '../../src/net/envoy/compile.js';
import { route, type RouteDecision } from '../../src/net/envoy/router.js';
import { makeVirtualServices } from '../../src/net/netistio/virtual-services.js';
import {
  countingRng,
  entryRoute,
  gatewayPodLabels,
  ingressGateway,
  ingressGatewayService,
  knativeGateways,
  kingress,
  localGateway,
  localGatewayService,
  request,
} from './fixtures.js';

// Seed 000 (knative-routing-go) and reference §2.3: the hop-by-hop trace of GET /search.
function gatewayConfig(opts: { internal?: boolean; clusterLocal?: boolean } = {}) {
  const vss = [
    ...makeVirtualServices(kingress('search-service', opts), knativeGateways),
    ...makeVirtualServices(kingress('login-service', opts), knativeGateways),
    entryRoute(opts.internal),
  ];
  return compileListeners(
    compileGatewayConfig({
      podLabels: gatewayPodLabels,
      gateways: [ingressGateway, localGateway],
      virtualServices: vss,
      services: [ingressGatewayService, localGatewayService],
    }),
  );
}

function forward(d: RouteDecision) {
  if (d.kind !== 'forward') throw new Error(`expected forward, got ${d.kind}: ${JSON.stringify(d)}`);
  return d;
}

describe('knative-routing-go entry-route (routing.yaml)', () => {
  const cfg = gatewayConfig();
  const l8080 = listenerFor(cfg, 8080)!;
  const l8081 = listenerFor(cfg, 8081)!;

  it('listens on 8080 (Gateway port 80 translated) and 8081 (translation disabled)', () => {
    expect(cfg.listeners.map((l) => l.name)).toEqual(['http.8080', 'http.8081']);
  });

  it('hop 1: /search with Host example.com is rewritten to the search host and sent back to the ingress gateway', () => {
    const rng = countingRng();
    const d = forward(route(l8080, request('example.com', '/search'), rng));
    expect(d.vhost).toBe('example.com:80');
    expect(d.virtualService).toEqual({ name: 'entry-route', namespace: 'default' });
    expect(d.routeIndex).toBe(0);
    expect(d.request.authority).toBe('search-service.default.example.com');
    expect(d.request.path).toBe('/search');
    expect(d.cluster).toEqual({ host: 'istio-ingressgateway.istio-system.svc.cluster.local', port: 80 });
    // entry-route sets no retries and no timeout: the mesh default (2 retries), no timeout.
    expect(d.retries?.numRetries).toBe(2);
    expect(d.timeoutMs).toBeUndefined();
    expect(rng.draws).toBe(0);
  });

  it('/searchx matches the plain-string prefix too; the port in Host is ignored for the vhost', () => {
    expect(forward(route(l8080, request('example.com', '/searchx'), countingRng())).request.authority).toBe('search-service.default.example.com');
    expect(forward(route(l8080, request('EXAMPLE.com:8080', '/login?x=1'), countingRng())).request.authority).toBe('login-service.default.example.com');
  });

  it('/other → 404 NR with an empty body', () => {
    const d = route(l8080, request('example.com', '/other'), countingRng());
    expect(d.kind).toBe('local');
    if (d.kind !== 'local') return;
    expect(d.response.status).toBe(404);
    expect(d.response.responseFlags).toBe('NR');
    expect(d.response.body).toBe('');
  });

  it('hop 2: the rewritten request reaches the revision through search-service-ingress', () => {
    const d = forward(route(l8080, request('search-service.default.example.com', '/search'), countingRng()));
    expect(d.virtualService.name).toBe('search-service-ingress');
    expect(d.cluster).toEqual({ host: 'search-service-00001.default.svc.cluster.local', port: 80 });
    expect(d.request.headers.get('knative-serving-revision')).toBe('search-service-00001');
    expect(d.request.headers.get('knative-serving-namespace')).toBe('default');
    // net-istio's `retries: {}` turns Istio's default retries off.
    expect(d.retries).toBeNull();
  });

  it('the K-Network-Hash probe route answers the prober, not normal requests', () => {
    const probe = forward(route(l8080, request('search-service.default.example.com', '/healthz', { headers: { 'K-Network-Hash': 'override' } }), countingRng()));
    expect(probe.request.headers.get('k-network-hash')).toMatch(/^[0-9a-f]{64}$/);
    const normal = forward(route(l8080, request('search-service.default.example.com', '/healthz'), countingRng()));
    expect(normal.request.headers.has('k-network-hash')).toBe(false);
  });

  it('entry-route is invisible on the local gateway listener', () => {
    const d = route(l8081, request('example.com', '/search'), countingRng());
    expect(d.kind === 'local' && d.response.status).toBe(404);
  });
});

describe('cluster-local services (routing-internal.yaml)', () => {
  it('routing.yaml no longer reaches a cluster-local service: its public host has no route', () => {
    const l8080 = listenerFor(gatewayConfig({ clusterLocal: true }), 8080)!;
    const hop1 = forward(route(l8080, request('example.com', '/search'), countingRng()));
    const hop2 = route(l8080, { ...hop1.request }, countingRng());
    expect(hop2.kind === 'local' && hop2.response.responseFlags).toBe('NR');
  });

  it('routing-internal.yaml goes through the local gateway and matches the short authority prefix', () => {
    const cfg = gatewayConfig({ clusterLocal: true, internal: true });
    const hop1 = forward(route(listenerFor(cfg, 8080)!, request('example.com', '/search'), countingRng()));
    expect(hop1.cluster).toEqual({ host: 'knative-local-gateway.istio-system.svc.cluster.local', port: 80 });
    expect(hop1.request.authority).toBe('search-service.default.svc.cluster.local');
    // knative-local-gateway:80 → pod 8081.
    const hop2 = forward(route(listenerFor(cfg, 8081)!, hop1.request, countingRng()));
    expect(hop2.cluster.host).toBe('search-service-00001.default.svc.cluster.local');
    expect(hop2.vhost).toBe('search-service.default.svc.cluster.local:8081');
  });

  it('the public gateway has vhosts for the short names but no route for them', () => {
    const l8080 = listenerFor(gatewayConfig(), 8080)!;
    const d = route(l8080, request('search-service.default', '/'), countingRng());
    expect(d.kind === 'local' && d.vhost).toBe('search-service.default:80');
    expect(d.kind === 'local' && d.response.responseFlags).toBe('NR');
  });
});
