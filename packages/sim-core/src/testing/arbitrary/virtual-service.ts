import fc from 'fast-check';
import type { HTTPRoute, HTTPRouteDestination, VirtualService } from '../../apis/istio/v1alpha3.js';
import { toYaml } from '../builders/to-yaml.js';
import { printable } from '../_internals/printable.js';
import { percents } from './percents.js';

export interface VirtualServiceOptions {
  /** The hosts clients use (default `example.com`). */
  hosts?: readonly string[];
  /** Where requests go on to: Knative hosts (`search-service.default.example.com`); at least one. */
  backends: readonly string[];
  name?: string;
  namespace?: string;
  /** Most HTTP rules (default 3). */
  maxRules?: number;
  /** Most weighted destinations in a rule (default 3). */
  maxDestinations?: number;
}

const GATEWAY_SERVICE = 'istio-ingressgateway.istio-system.svc.cluster.local';

/**
 * An Istio VirtualService in front of Knative services, as the knative-routing sample writes
 * one: bound to the Knative ingress gateway, each HTTP rule matching a path prefix, an exact path
 * or a header, and sending the request back through the gateway with its authority rewritten to
 * a backend — or split by weight over several backends (each destination setting the Host).
 * Rule i matches `/r<i>` (or header `x-rule: r<i>`); the last rule may match everything. Valid
 * for Istio's webhook by construction; a counterexample prints as its YAML.
 */
export function virtualService(o: VirtualServiceOptions): fc.Arbitrary<VirtualService> {
  if (o.backends.length === 0) throw new RangeError('virtualService: needs at least one backend');
  const maxDest = Math.max(1, Math.min(o.maxDestinations ?? 3, o.backends.length));
  const rule = fc.record({
    match: fc.constantFrom('prefix', 'exact', 'header'),
    rewriteUri: fc.boolean(),
    split: fc
      .uniqueArray(fc.constantFrom(...o.backends), { minLength: 1, maxLength: maxDest })
      .chain((bs) => fc.tuple(fc.constant(bs), percents({ minLength: bs.length, maxLength: bs.length }))),
  });
  return fc
    .tuple(fc.array(rule, { minLength: 1, maxLength: o.maxRules ?? 3 }), fc.boolean())
    .map(([rules, catchAll]) => {
      const http: HTTPRoute[] = rules.map((r, i) => {
        const path = `/r${i}`;
        const last = i === rules.length - 1 && catchAll;
        const match = last ? undefined : r.match === 'header' ? [{ headers: { 'x-rule': { exact: `r${i}` } } }] : [{ uri: r.match === 'prefix' ? { prefix: path } : { exact: path } }];
        const dest = { host: GATEWAY_SERVICE, port: { number: 80 } };
        const [backends, weights] = r.split;
        const one = backends.length === 1;
        const route: HTTPRouteDestination[] = backends.map((b, j) => ({
          destination: dest,
          weight: weights[j]!,
          ...(one ? {} : { headers: { request: { set: { host: b } } } }),
        }));
        const rewrite = { ...(one ? { authority: backends[0]! } : {}), ...(r.rewriteUri && !last && r.match !== 'header' ? { uri: '/' } : {}) };
        return { ...(match ? { match } : {}), ...(Object.keys(rewrite).length > 0 ? { rewrite } : {}), route };
      });
      const vs: VirtualService = {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: o.name ?? 'entry-route', namespace: o.namespace ?? 'default' },
        spec: { gateways: ['knative-serving/knative-ingress-gateway'], hosts: [...(o.hosts ?? ['example.com'])], http },
      };
      return printable(vs, (v) => toYaml(v));
    });
}
