import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseServingConfig, defaultServingConfig } from '../../src/apis/config/serving-config.js';
import { setRouteSpecDefaults } from '../../src/apis/serving/v1/defaults.js';
import type { Route } from '../../src/apis/serving/v1/types.js';
import { configureTraffic } from '../../src/reconciler/route/traffic.js';
import { makeIngress, makeK8sPlaceholderServices, makeK8sService } from '../../src/reconciler/route/ingress.js';
import { lookups, revision, configuration } from './fixtures.js';

// The gray-release seed after revision-v2.yaml: v1 50 / v2 50 / latest 0, all tagged (gateway-routing.md §3.3).
const SVC = 'stock-service-example';
const v1 = revision(`${SVC}-v1`, SVC, 'True', { service: SVC });
const v2 = revision(`${SVC}-v2`, SVC, 'True', { service: SVC });
for (const r of [v1, v2]) r.metadata.namespace = 'default';
const cfg = configuration(SVC, v2.metadata.name);
const grayLookups = lookups([cfg], [v1, v2]);
const grayRoute = (labels: Record<string, string> = {}): Route => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Route',
  metadata: { name: SVC, namespace: 'default', labels: { 'serving.knative.dev/service': SVC, ...labels } },
  spec: setRouteSpecDefaults(
    {
      traffic: [
        { tag: 'v1', revisionName: v1.metadata.name, percent: 50 },
        { tag: 'v2', revisionName: v2.metadata.name, percent: 50 },
        { tag: 'latest', configurationName: SVC, latestRevision: true, percent: 0 },
      ],
    },
    false,
  ),
});

const split = (rev: string, percent: number) => ({
  serviceNamespace: 'default',
  serviceName: rev,
  servicePort: 80,
  percent,
  appendHeaders: { 'Knative-Serving-Revision': rev, 'Knative-Serving-Namespace': 'default' },
});
const localHosts = (h: string) => [`${h}.default`, `${h}.default.svc`, `${h}.default.svc.cluster.local`];

describe('makeIngress for the gray-release traffic', () => {
  const config = defaultServingConfig();
  const res = configureTraffic(config, grayRoute(), grayLookups);
  const ing = makeIngress(grayRoute(), res.traffic!, { config });

  it('has one ClusterLocal and one ExternalIP rule per traffic name, default first then tags sorted', () => {
    expect(ing.metadata.name).toBe(SVC);
    expect(ing.spec.rules.map((r) => [r.visibility, r.hosts])).toEqual([
      ['ClusterLocal', localHosts(SVC)],
      ['ExternalIP', [`${SVC}.default.example.com`]],
      ['ClusterLocal', localHosts(`latest-${SVC}`)],
      ['ExternalIP', [`latest-${SVC}.default.example.com`]],
      ['ClusterLocal', localHosts(`v1-${SVC}`)],
      ['ExternalIP', [`v1-${SVC}.default.example.com`]],
      ['ClusterLocal', localHosts(`v2-${SVC}`)],
      ['ExternalIP', [`v2-${SVC}.default.example.com`]],
    ]);
  });

  it('splits the default route 50/50 and drops the 0% latest target; tag hosts get their revision at 100%', () => {
    const paths = (i: number) => ing.spec.rules[i]!.http.paths;
    expect(paths(1)).toEqual([{ splits: [split(v1.metadata.name, 50), split(v2.metadata.name, 50)] }]);
    expect(paths(3)).toEqual([{ splits: [split(v2.metadata.name, 100)] }]);
    expect(paths(5)).toEqual([{ splits: [split(v1.metadata.name, 100)] }]);
    expect(ing.metadata.annotations!['networking.knative.dev/ingress.class']).toBe('istio.ingress.networking.knative.dev');
    expect(JSON.parse(ing.metadata.annotations!['networking.internal.knative.dev/tag-to-host']!)).toEqual({
      latest: [`latest-${SVC}.default.svc.cluster.local`, `latest-${SVC}.default.example.com`],
      v1: [`v1-${SVC}.default.svc.cluster.local`, `v1-${SVC}.default.example.com`],
      v2: [`v2-${SVC}.default.svc.cluster.local`, `v2-${SVC}.default.example.com`],
    });
    expect(ing.metadata.labels).toMatchObject({ 'serving.knative.dev/route': SVC, 'serving.knative.dev/routeNamespace': 'default' });
    expect(ing.spec.httpOption).toBe('Enabled');
  });

  it('with tag-header-based-routing, the default path is preceded by one header-matched path per tag', () => {
    const withTags = parseServingConfig({ 'config-features': { 'tag-header-based-routing': 'Enabled' } });
    const i2 = makeIngress(grayRoute(), configureTraffic(withTags, grayRoute(), grayLookups).traffic!, { config: withTags });
    const ext = i2.spec.rules[1]!.http.paths;
    expect(ext.map((p) => p.headers?.['Knative-Serving-Tag']?.exact)).toEqual(['latest', 'v1', 'v2', undefined]);
    expect(ext[3]!.appendHeaders).toEqual({ 'Knative-Serving-Default-Route': 'true' });
    expect(ext[1]!.splits).toEqual([split(v1.metadata.name, 100)]);
    expect(i2.spec.rules[5]!.http.paths[0]!.appendHeaders).toEqual({ 'Knative-Serving-Tag': 'v1' });
  });

  it('placeholder Services: one ExternalName per traffic name, later pointed at the private load balancer', () => {
    const ps = makeK8sPlaceholderServices(config, grayRoute(), res.traffic!);
    expect(ps.map((s) => [s.metadata.name, s.spec.type, s.spec.externalName])).toEqual([
      [SVC, 'ExternalName', `${SVC}.default.example.com`],
      [`latest-${SVC}`, 'ExternalName', `latest-${SVC}.default.example.com`],
      [`v1-${SVC}`, 'ExternalName', `v1-${SVC}.default.example.com`],
      [`v2-${SVC}`, 'ExternalName', `v2-${SVC}.default.example.com`],
    ]);
    const ready = { ...ing, status: { privateLoadBalancer: { ingress: [{ domainInternal: 'knative-local-gateway.istio-system.svc.cluster.local' }] }, publicLoadBalancer: { ingress: [{ domainInternal: 'istio-ingressgateway.istio-system.svc.cluster.local' }] } } };
    const { service } = makeK8sService(config, grayRoute(), '', ready, false);
    expect(service.spec).toEqual({ type: 'ExternalName', externalName: 'knative-local-gateway.istio-system.svc.cluster.local', ports: [{ name: 'http2', port: 80, targetPort: 80 }] });
  });
});

describe('makeIngress for cluster-local routes', () => {
  const config = defaultServingConfig();
  it('a route labelled cluster-local gets only ClusterLocal rules and an in-cluster URL', () => {
    const r = grayRoute({ 'networking.knative.dev/visibility': 'cluster-local' });
    const res = configureTraffic(config, r, grayLookups);
    expect(res.url).toBe(`http://${SVC}.default.svc.cluster.local`);
    const ing = makeIngress(r, res.traffic!, { config });
    expect(ing.spec.rules.every((x) => x.visibility === 'ClusterLocal')).toBe(true);
    expect(ing.spec.rules.map((x) => x.hosts[0])).toEqual([`${SVC}.default`, `latest-${SVC}.default`, `v1-${SVC}.default`, `v2-${SVC}.default`]);
  });

  it('a tag whose placeholder Service is labelled cluster-local loses only its public rule', () => {
    const r = grayRoute();
    const res = configureTraffic(config, r, grayLookups, { [`v1-${SVC}`]: { 'networking.knative.dev/visibility': 'cluster-local' } });
    expect(res.statusTraffic?.find((t) => t.tag === 'v1')?.url).toBe(`http://v1-${SVC}.default.svc.cluster.local`);
    const ing = makeIngress(r, res.traffic!, { config });
    expect(ing.spec.rules.filter((x) => x.hosts.some((h) => h.startsWith('v1-'))).map((x) => x.visibility)).toEqual(['ClusterLocal']);
  });

  it("a domain of svc.cluster.local from config-domain makes the route cluster-local (Knative's own default)", () => {
    const knative = parseServingConfig({}, { defaultDomain: 'svc.cluster.local' });
    const res = configureTraffic(knative, grayRoute(), grayLookups);
    expect(Object.values(res.traffic!.visibility)).toEqual(['ClusterLocal', 'ClusterLocal', 'ClusterLocal', 'ClusterLocal']);
  });
});

describe('ingress laws', () => {
  const config = defaultServingConfig();
  it('splits never reference a 0% target and every non-empty path totals 100', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.boolean(), (p, tagHeader) => {
        const c = tagHeader ? parseServingConfig({ 'config-features': { 'tag-header-based-routing': 'Enabled' } }) : config;
        const r = grayRoute();
        r.spec.traffic = setRouteSpecDefaults(
          { traffic: [{ tag: 'v1', revisionName: v1.metadata.name, percent: p }, { tag: 'v2', revisionName: v2.metadata.name, percent: 100 - p }, { tag: 'latest', configurationName: SVC, percent: 0 }] },
          false,
        ).traffic;
        const ing = makeIngress(r, configureTraffic(c, r, grayLookups).traffic!, { config: c });
        for (const rule of ing.spec.rules) {
          for (const path of rule.http.paths) {
            expect(path.splits.every((s) => s.percent > 0)).toBe(true);
            expect(path.splits.reduce((a, s) => a + s.percent, 0)).toBe(100);
          }
        }
      }),
    );
  });
});
