import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VirtualService } from '../../src/apis/istio/v1alpha3.js';
import { compileListeners, compileRouteConfiguration, type CompiledRoutes } from '../../src/net/envoy/compile.js';
import { findVirtualHost, selectVirtualHost } from '../../src/net/envoy/virtual-host.js';
import { compileGatewayConfig, GatewayConfigCache } from '../../src/net/istio/gateway-config.js';
import { gatewayPodLabels, ingressGateway, ingressGatewayService, localGateway, localGatewayService, vs } from './fixtures.js';

/**
 * Issue 14: Istio's pushes are incremental — a VirtualService that did not change (the same
 * stored object) is not translated or compiled again — and that changes nothing: every push
 * equals a full compile of the same objects. And the first lookup of a Host reads an exact-domain
 * map before searching wildcards, with the answer Envoy's full search gives.
 */
const GATEWAYS = [ingressGateway, localGateway];
const SERVICES = [ingressGatewayService, localGatewayService];
// The pod labels built afresh for every push, as a gateway fleet of another ingress class does.
const input = (virtualServices: readonly VirtualService[]) => ({ podLabels: { ...gatewayPodLabels }, gateways: GATEWAYS, virtualServices, services: SERVICES, domainSuffix: 'cluster.local' });

/** Compiled data as plain JSON: maps as entries, match tests (closures) by their source. */
const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (x instanceof Map ? [...x] : typeof x === 'function' ? `fn ${String(x)}` : x)));

const host = fc.constantFrom('a.example.com', 'b.example.com', '*.example.com', 'a.default.svc.cluster.local', 'c', 'a.example.com');
const vsArb = (i: number) =>
  fc.record({ hosts: fc.uniqueArray(host, { minLength: 1, maxLength: 3 }), local: fc.boolean(), prefix: fc.constantFrom('/', '/api', '/v2'), dest: fc.constantFrom('s1', 's2') }).map(({ hosts, local, prefix, dest }) =>
    vs(`vs-${i}`, {
      gateways: [local ? 'knative-serving/knative-local-gateway' : 'knative-serving/knative-ingress-gateway'],
      hosts,
      http: [{ match: [{ uri: { prefix } }], route: [{ destination: { host: dest } }] }, { route: [{ destination: { host: 'fallback' } }] }],
    }, 'default', i),
  );

describe('incremental Istio pushes', () => {
  it('a push that reuses unchanged VirtualService objects compiles to what a full compile gives', () => {
    const pushes = fc.array(fc.array(fc.option(fc.nat({ max: 5 }), { nil: undefined }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.tuple(vsArb(0), vsArb(1), vsArb(2), vsArb(3)), pushes, fc.infiniteStream(fc.tuple(vsArb(0), vsArb(1), vsArb(2), vsArb(3))), (initial, steps, fresh) => {
        const cache = new GatewayConfigCache();
        const routes: CompiledRoutes = new WeakMap();
        let current: VirtualService[] = [...initial];
        const replacements = fresh[Symbol.iterator]();
        for (const step of steps) {
          // Per slot: keep the same object (undefined), drop it (0), or replace it by a new one.
          const next = replacements.next().value as VirtualService[];
          current = current.flatMap((v, i) => (step[i] === undefined ? [v] : step[i] === 0 ? [] : [next[i]!])).concat(current.length === 0 ? [next[0]!] : []);
          const before = cache.translated;
          const incremental = compileGatewayConfig(input(current), cache);
          const full = compileGatewayConfig(input(current));
          expect(incremental).toEqual(full);
          expect(plain(compileListeners(incremental, routes))).toEqual(plain(compileListeners(full)));
          // Translated again: only objects this cache has not seen (two listener ports each at most).
          expect(cache.translated - before).toBeLessThanOrEqual(2 * current.length);
        }
        // A push of exactly the same objects translates nothing.
        const before = cache.translated;
        compileGatewayConfig(input(current), cache);
        expect(cache.translated).toBe(before);
      }),
      { numRuns: 60 },
    );
  });

  it('the first lookup of a Host (exact-domain map, then wildcards) answers as the full search', () => {
    const domain = fc.constantFrom('a.example.com', 'A.example.com', 'b.example.com', '*.example.com', '*.com', 'a.*', '*', 'x.y');
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(domain, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('a.example.com', 'a.example.com:8080', 'b.example.com', 'c.example.com', 'a.org', 'x.y', 'q'), (vhosts, authority) => {
        const config = compileRouteConfiguration({ name: 'http.8080', port: 8080, kind: 'gateway', virtualHosts: vhosts.map((domains, i) => ({ name: `vh${i}`, domains, routes: [] })) });
        expect(selectVirtualHost(config, authority)?.name).toBe(findVirtualHost(config.virtualHosts, authority)?.name);
      }),
    );
  });
});
