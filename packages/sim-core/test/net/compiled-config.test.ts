import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileRouteConfiguration } from '../../src/net/envoy/compile.js';
import { route } from '../../src/net/envoy/router.js';
import { selectVirtualHost, VHOST_CACHE_LIMIT } from '../../src/net/envoy/virtual-host.js';
import { compileGatewayConfig } from '../../src/net/istio/gateway-config.js';
import { countingRng, gatewayPodLabels, ingressGateway, ingressGatewayService, request, vs } from './fixtures.js';

const pushed = () =>
  compileGatewayConfig({
    podLabels: gatewayPodLabels,
    gateways: [ingressGateway],
    virtualServices: [vs('v', { gateways: ['knative-serving/knative-ingress-gateway'], hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 's' } }] }] })],
    services: [ingressGatewayService],
  }).listeners[0]!;

describe('a compiled route configuration', () => {
  it('owns its vhost-by-authority cache: another compile of the same push starts empty', () => {
    const rc = pushed();
    const a = compileRouteConfiguration(rc);
    const b = compileRouteConfiguration(rc);
    route(a, request('x.example.com'), countingRng());
    expect([...a.vhostByAuthority.keys()]).toEqual(['x.example.com']);
    expect(b.vhostByAuthority.size).toBe(0);
  });

  it('keeps that cache bounded, and answers the same once it has been cleared', () => {
    const c = compileRouteConfiguration(pushed());
    for (let i = 0; i <= VHOST_CACHE_LIMIT; i++) selectVirtualHost(c, `h${i}.example.com`);
    expect(c.vhostByAuthority.size).toBeLessThanOrEqual(VHOST_CACHE_LIMIT);
    expect(selectVirtualHost(c, 'h0.example.com')?.name).toBe('*.example.com:80');
    expect(selectVirtualHost(c, 'example.org')).toBeUndefined();
  });
});

describe('the request path holds no module-level state', () => {
  // Compile when configuration is pushed, read plain compiled data per request (STYLE.md):
  // a Map or WeakMap at module level in the router or the gateway would be a cache nobody owns.
  const src = fileURLToPath(new URL('../../src/', import.meta.url));
  const files = ['net/envoy', 'gateway'].flatMap((d) => readdirSync(`${src}${d}`).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`));

  it.each(files)('%s', (file) => {
    const topLevel = readFileSync(`${src}${file}`, 'utf8')
      .split('\n')
      .filter((line) => /^(export )?(const|let|var) /.test(line));
    expect(topLevel.filter((line) => /new (Weak)?Map\b/.test(line))).toEqual([]);
  });
});
