import { describe, expect, it } from 'vitest';
import type { HTTPIngressPath, Ingress } from '../../src/apis/networking/v1alpha1.js';
import {
  computeHash,
  expandedHosts,
  marshalIngressSpec,
  getDistinctHostPrefixes,
  insertProbe,
  makeIngressVirtualService,
  makeMeshVirtualService,
  makeVirtualServiceRoute,
  makeVirtualServices,
} from '../../src/net/netistio/virtual-services.js';
import { knativeGateways, kingress } from './fixtures.js';

// Cases transcribed from knative-extensions/net-istio pkg/reconciler/ingress/resources/virtual_service_test.go
// and knative/networking pkg/ingress/ingress_test.go.

const ing = (name: string, namespace: string, rules: Ingress['spec']['rules'], labels?: Record<string, string>): Ingress => ({
  apiVersion: 'networking.internal.knative.dev/v1alpha1',
  kind: 'Ingress',
  metadata: { name, namespace, ...(labels ? { labels } : {}) },
  spec: { rules },
});
const gw = (pub: string[], priv: string[]) => ({ publicGateways: pub, localGateways: priv });
const split = (ns: string, name: string, port: number, percent: number, appendHeaders?: Record<string, string>) => ({
  serviceNamespace: ns,
  serviceName: name,
  servicePort: port,
  percent,
  ...(appendHeaders ? { appendHeaders } : {}),
});

describe('InsertProbe / ComputeHash (knative/networking TestInsertProbe)', () => {
  const base = (appendHeaders?: Record<string, string>): Ingress => ({
    apiVersion: 'networking.internal.knative.dev/v1alpha1',
    kind: 'Ingress',
    metadata: { name: '' },
    spec: { rules: [{ hosts: ['example.com'], http: { paths: [{ splits: [{ serviceName: 'blah', ...(appendHeaders ? { appendHeaders } : {}) } as never] }] } } as never] },
  });
  it('hashes Go json.Marshal(spec) + namespace + name', () => {
    expect(computeHash(base())).toBe('a25000a350642c8abef53078b329bd043e18758f6063c1172d53b04e14fcf5c1');
    expect(computeHash(base({ Foo: 'bar' }))).toBe('6b652c7abed871354affd4a9cb699d33816f24541fac942149b91ad872fe63ca');
  });
  it('escapes strings as Go json.Marshal does (quotes, backslashes, control characters, <>&, U+2028/U+2029), and leaves the rest as it is', () => {
    const spec = (path: string, header: string) => ({ rules: [{ hosts: ['example.com'], http: { paths: [{ path, splits: [{ serviceName: 'blah', appendHeaders: { [header]: 'v' } } as never] }] } } as never] });
    expect(marshalIngressSpec(spec('/plain-path_1.2~é', 'X-Plain'))).toBe(
      '{"rules":[{"hosts":["example.com"],"http":{"paths":[{"path":"/plain-path_1.2~é","splits":[{"serviceNamespace":"","serviceName":"blah","servicePort":0,"appendHeaders":{"X-Plain":"v"}}]}]}}]}',
    );
    expect(marshalIngressSpec(spec('/a"b\\c\n\t\u0001<x>&\u2028\u2029', 'X-<H>'))).toBe(
      '{"rules":[{"hosts":["example.com"],"http":{"paths":[{"path":"/a\\"b\\\\c\\n\\t\\u0001\\u003cx\\u003e\\u0026\\u2028\\u2029","splits":[{"serviceNamespace":"","serviceName":"blah","servicePort":0,"appendHeaders":{"X-\\u003cH\\u003e":"v"}}]}]}}]}',
    );
  });
  it('prepends one probe copy per path; the originals are untouched', () => {
    const i = kingress('hello');
    const { hash, spec } = insertProbe(i);
    const paths = spec.rules[0]!.http.paths;
    expect(paths).toHaveLength(2);
    expect(paths[0]!.headers).toEqual({ 'K-Network-Hash': { exact: 'override' } });
    expect(paths[0]!.appendHeaders).toEqual({ 'K-Network-Hash': hash });
    expect(paths[1]).toEqual(i.spec.rules[0]!.http.paths[0]);
    expect(i.spec.rules[0]!.http.paths).toHaveLength(1);
  });
  it('fails on a rule without an HTTP block', () => {
    expect(() => insertProbe(ing('x', 'ns', [{ hosts: ['example.com'] } as never]))).toThrow(/rule is missing HTTP block/);
  });
});

describe('ExpandedHosts (TestGetExpandedHosts)', () => {
  it.each([
    [['service.name-space.svc.cluster.local'], ['service.name-space', 'service.name-space.svc', 'service.name-space.svc.cluster.local']],
    [['service.1234.svc.cluster.local'], ['service.1234.svc', 'service.1234.svc.cluster.local']],
    [['service.1-1.svc.cluster.local'], ['service.1-1', 'service.1-1.svc', 'service.1-1.svc.cluster.local']],
    [[`service.${'s'.repeat(64)}.svc.cluster.local`], [`service.${'s'.repeat(64)}.svc`, `service.${'s'.repeat(64)}.svc.cluster.local`]],
    [['foo.bar.example.com'], ['foo.bar.example.com']],
    [['foo.default.example.com', 'foo.default.svc.cluster.local'], ['foo.default', 'foo.default.example.com', 'foo.default.svc', 'foo.default.svc.cluster.local']],
  ])('%j', (hosts, want) => expect(expandedHosts(hosts)).toEqual(want));
});

describe('getDistinctHostPrefixes (TestGetDistinctHostPrefixes)', () => {
  it.each([
    [[], []],
    [['a'], ['a']],
    [['a', 'b'], ['a', 'b']],
    [['a', 'ab', 'abc'], ['a']],
    [['a', 'ab', 'abc', 'xyz', 'xy', 'm'], ['a', 'm', 'xy']],
  ])('%j', (hosts, want) => expect(getDistinctHostPrefixes(hosts)).toEqual(want));
});

describe('MakeVirtualServices metadata (TestMakeVirtualServices_CorrectMetadata)', () => {
  const routeLabels = { 'serving.knative.dev/route': 'test-route', 'serving.knative.dev/routeNamespace': 'test-ns' };
  const rules = (host: string): Ingress['spec']['rules'] => [{ hosts: [host], visibility: 'ExternalIP', http: { paths: [] } }];
  it('mesh and ingress', () => {
    const vss = makeVirtualServices(ing('test', 'knative-serving', rules('test-route.test-ns.svc.cluster.local'), { 'networking.internal.knative.dev/ingress': 'test-ingress', ...routeLabels }), gw(['gateway'], ['private-gateway']));
    expect(vss.map((v) => [v.metadata.name, v.metadata.namespace, v.metadata.labels])).toEqual([
      ['test-mesh', 'knative-serving', { ...routeLabels, 'networking.internal.knative.dev/ingress': 'test' }],
      ['test-ingress', 'knative-serving', { ...routeLabels, 'networking.internal.knative.dev/ingress': 'test' }],
    ]);
  });
  it('ingress only', () => {
    expect(makeVirtualServices(ing('test', 'knative-serving', rules('test-route.test-ns.example.com'), routeLabels), gw(['gateway'], ['private-gateway'])).map((v) => v.metadata.name)).toEqual(['test-ingress']);
  });
  it('mesh only (no gateways), in the Ingress namespace', () => {
    const vss = makeVirtualServices(ing('test-ingress', 'test-ns', rules('test-route.test-ns.svc.cluster.local'), routeLabels), gw([], []));
    expect(vss.map((v) => [v.metadata.name, v.metadata.namespace])).toEqual([['test-ingress-mesh', 'test-ns']]);
  });
  it('long names are shortened with kmeta.ChildName', () => {
    const long = 'a'.repeat(60);
    const [v] = makeVirtualServices(ing(long, 'ns', rules('x.example.com')), knativeGateways);
    expect(v!.metadata.name.length).toBe(63);
    expect(v!.metadata.name.endsWith('-ingress')).toBe(true);
  });
});

describe('gateways (TestMakeVirtualServicesSpec_CorrectGateways, TestMakeMeshVirtualServiceSpec_CorrectGateways)', () => {
  const paths: HTTPIngressPath[] = [{ splits: [split('test', 'test.svc.cluster.local', 8080, 100)] }];
  const g = gw(['knative-serving/knative-ingress-gateway'], ['knative-serving/knative-local-gateway']);
  it.each([
    ['local visibility', [{ hosts: ['test.svc.cluster.local'], visibility: 'ClusterLocal' as const, http: { paths } }], ['knative-serving/knative-local-gateway']],
    ['public visibility', [{ hosts: ['test.example.com'], visibility: 'ExternalIP' as const, http: { paths } }], ['knative-serving/knative-ingress-gateway']],
    [
      'both',
      [
        { hosts: ['test.example.com'], visibility: 'ExternalIP' as const, http: { paths } },
        { hosts: ['test.svc.cluster.local'], visibility: 'ClusterLocal' as const, http: { paths } },
      ],
      ['knative-serving/knative-ingress-gateway', 'knative-serving/knative-local-gateway'],
    ],
  ])('%s', (_, rules, want) => expect(makeIngressVirtualService(ing('i', 'ns', rules), g).spec.gateways).toEqual(want));

  it('the mesh VirtualService is bound to mesh only', () => {
    const i = ing('test-ingress', 'knative-serving', [{ hosts: ['test-route.test-ns.svc.cluster.local'], visibility: 'ExternalIP', http: { paths } }]);
    expect(makeMeshVirtualService(i, gw(['gateway'], ['private-gateway']))!.spec.gateways).toEqual(['mesh']);
  });

  it('ingress VS gateways are the sorted list of configured public gateways', () => {
    const i = ing('t', 'knative-serving', [{ hosts: ['test-route.test-ns.svc.cluster.local'], visibility: 'ExternalIP', http: { paths } }]);
    expect(makeIngressVirtualService(i, gw(['knative-testing/gateway-two', 'knative-testing/gateway-one'], [])).spec.gateways).toEqual(['knative-testing/gateway-one', 'knative-testing/gateway-two']);
  });
});

describe('mesh hosts (TestMakeMeshVirtualServiceSpecCorrectHosts)', () => {
  const i = ing('test-ingress', 'knative-serving', [{ hosts: ['test-route.test-ns.svc.cluster.local'], visibility: 'ExternalIP', http: { paths: [{ splits: [split('test', 'x', 8080, 100)] }] } }]);
  it('expanded when a cluster-local gateway is configured', () => {
    expect(makeMeshVirtualService(i, gw([], ['cluster-local']))!.spec.hosts).toEqual(['test-route.test-ns', 'test-route.test-ns.svc', 'test-route.test-ns.svc.cluster.local']);
  });
  it('not expanded for mesh only', () => {
    expect(makeMeshVirtualService(i, gw([], []))!.spec.hosts).toEqual(['test-route.test-ns.svc.cluster.local']);
  });
  it('another cluster domain: its svc hosts are the mesh hosts, matched by their short form, and destinations are in it', () => {
    const corp = ing('test-ingress', 'knative-serving', [{ hosts: ['test-route.test-ns.svc.corp.internal'], visibility: 'ClusterLocal', http: { paths: [{ splits: [split('test-ns', 'v1', 80, 100)] }] } }]);
    const [mesh, ingress] = makeVirtualServices(corp, gw([], ['cluster-local']), 'corp.internal');
    expect(mesh!.spec.hosts).toEqual(['test-route.test-ns', 'test-route.test-ns.svc', 'test-route.test-ns.svc.corp.internal']);
    const route = ingress!.spec.http!.at(-1)!;
    expect(route.match!.map((m) => m.authority)).toEqual([{ prefix: 'test-route.test-ns' }]);
    expect(route.route![0]!.destination.host).toBe('v1.test-ns.svc.corp.internal');
    // With the default domain, the same host is not cluster-local: no mesh VirtualService.
    expect(makeMeshVirtualService(corp, gw([], ['cluster-local']))).toBeUndefined();
  });
});

describe('routes', () => {
  it('TestMakeMeshVirtualServiceSpec_CorrectRoutes', () => {
    const i = ing('test-ingress', 'knative-serving', [
      { hosts: ['test-route.test-ns.svc.cluster.local'], visibility: 'ClusterLocal', http: { paths: [{ path: '/pets/', splits: [split('test-ns', 'v2-service', 80, 100, { ugh: 'blah' })], appendHeaders: { foo: 'bar' } }] } },
      { hosts: ['v1.domain.com'], visibility: 'ClusterLocal', http: { paths: [{ path: '/pets/', splits: [split('test-ns', 'v1-service', 80, 100)], appendHeaders: { foo: 'baz' } }] } },
    ]);
    expect(makeMeshVirtualService(i, gw(['gateway'], ['private-gateway']))!.spec.http).toEqual([
      {
        retries: {},
        match: [{ uri: { prefix: '/pets/' }, authority: { prefix: 'test-route.test-ns' }, gateways: ['mesh'] }],
        route: [{ destination: { host: 'v2-service.test-ns.svc.cluster.local', port: { number: 80 } }, weight: 100, headers: { request: { set: { ugh: 'blah' } } } }],
        headers: { request: { set: { foo: 'bar' } } },
      },
    ]);
  });

  it('TestMakeIngressVirtualServiceSpec_CorrectRoutes (second rule given ExternalIP: the webhook defaults an empty visibility)', () => {
    const i = ing('test-ingress', 'knative-serving', [
      {
        hosts: ['domain.com', 'test-route.test-ns.svc.cluster.local'],
        visibility: 'ExternalIP',
        http: { paths: [{ path: '/pets/', splits: [split('test-ns', 'v2-service', 80, 100, { ugh: 'blah' })], appendHeaders: { foo: 'bar' } }] },
      },
      { hosts: ['v1.domain.com'], visibility: 'ExternalIP', http: { paths: [{ path: '/pets/', splits: [split('test-ns', 'v1-service', 80, 100)], appendHeaders: { foo: 'baz' } }] } },
    ]);
    const http = makeIngressVirtualService(i, gw(['gateway.public'], ['gateway.private'])).spec.http!;
    expect(http[0]!.match).toEqual([
      { uri: { prefix: '/pets/' }, authority: { prefix: 'domain.com' }, gateways: ['gateway.public'] },
      { uri: { prefix: '/pets/' }, authority: { prefix: 'test-route.test-ns' }, gateways: ['gateway.public'] },
    ]);
    expect(http[1]).toEqual({
      retries: {},
      match: [{ uri: { prefix: '/pets/' }, authority: { prefix: 'v1.domain.com' }, gateways: ['gateway.public'] }],
      route: [{ destination: { host: 'v1-service.test-ns.svc.cluster.local', port: { number: 80 } }, weight: 100 }],
      headers: { request: { set: { foo: 'baz' } } },
    });
  });

  it('TestMakeVirtualServiceRoute_RewriteHost', () => {
    const r = makeVirtualServiceRoute(['a.vanity.url', 'another.vanity.url'], { rewriteHost: 'the.target.host', splits: [split('the-ns', 'the-svc', 8080, 100)] }, { ExternalIP: ['gateway-1'] }, 'ExternalIP');
    expect(r).toEqual({
      retries: {},
      match: [
        { gateways: ['gateway-1'], authority: { prefix: 'a.vanity.url' } },
        { gateways: ['gateway-1'], authority: { prefix: 'another.vanity.url' } },
      ],
      rewrite: { authority: 'the.target.host' },
      route: [{ destination: { host: 'the-svc.the-ns.svc.cluster.local', port: { number: 8080 } }, weight: 100 }],
    });
  });

  it('TestMakeVirtualServiceRoute_Vanilla: header matches on every host match', () => {
    const r = makeVirtualServiceRoute(['a.com', 'b.org'], { headers: { 'my-header': { exact: 'my-header-value' } }, splits: [split('test-ns', 'revision-service', 80, 100)] }, { ExternalIP: ['gateway-1'] }, 'ExternalIP');
    expect(r.match).toEqual([
      { gateways: ['gateway-1'], authority: { prefix: 'a.com' }, headers: { 'my-header': { exact: 'my-header-value' } } },
      { gateways: ['gateway-1'], authority: { prefix: 'b.org' }, headers: { 'my-header': { exact: 'my-header-value' } } },
    ]);
  });

  it('TestMakeVirtualServiceRoute_Internal: one match for a.default, a.default.svc, a.default.svc.cluster.local', () => {
    const r = makeVirtualServiceRoute(['a.default', 'a.default.svc', 'a.default.svc.cluster.local'], { splits: [split('test-ns', 'revision-service', 80, 100)] }, { ExternalIP: ['gateway-1'] }, 'ExternalIP');
    expect(r.match).toEqual([{ gateways: ['gateway-1'], authority: { prefix: 'a.default' } }]);
  });

  it('TestMakeVirtualServiceRoute_TwoTargets', () => {
    const r = makeVirtualServiceRoute(['test.org'], { splits: [split('test-ns', 'revision-service', 80, 90), split('test-ns', 'new-revision-service', 81, 10)] }, { ExternalIP: ['knative-testing/gateway-1'] }, 'ExternalIP');
    expect(r.route).toEqual([
      { destination: { host: 'revision-service.test-ns.svc.cluster.local', port: { number: 80 } }, weight: 90 },
      { destination: { host: 'new-revision-service.test-ns.svc.cluster.local', port: { number: 81 } }, weight: 10 },
    ]);
  });

  it('the full KIngress of a Knative Service: per rule, the probe route before the normal one; no timeout', () => {
    const [mesh, ingress] = makeVirtualServices(kingress('hello'), knativeGateways);
    expect(mesh!.spec.hosts).toEqual(['hello.default', 'hello.default.svc', 'hello.default.svc.cluster.local']);
    expect(ingress!.spec.hosts).toEqual(['hello.default', 'hello.default.example.com', 'hello.default.svc', 'hello.default.svc.cluster.local']);
    expect(ingress!.spec.gateways).toEqual(['knative-serving/knative-ingress-gateway', 'knative-serving/knative-local-gateway']);
    expect(ingress!.spec.http!.map((h) => h.match!.map((m) => [m.authority!.prefix, m.gateways, m.headers?.['K-Network-Hash']?.exact ?? '']))).toEqual([
      // InsertProbe works rule by rule: each rule's probe paths come before its own paths.
      [['hello.default', ['knative-serving/knative-local-gateway'], 'override']],
      [['hello.default', ['knative-serving/knative-local-gateway'], '']],
      [['hello.default.example.com', ['knative-serving/knative-ingress-gateway'], 'override']],
      [['hello.default.example.com', ['knative-serving/knative-ingress-gateway'], '']],
    ]);
    expect(ingress!.spec.http!.every((h) => h.timeout === undefined && JSON.stringify(h.retries) === '{}')).toBe(true);
  });
});
