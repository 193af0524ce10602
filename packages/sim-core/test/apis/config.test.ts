import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDefaults } from '../../src/apis/config/defaults.js';
import { parseDeployment } from '../../src/apis/config/deployment.js';
import { KNSIM_DEFAULT_DOMAIN, lookupDomainForLabels, parseDomain } from '../../src/apis/config/domain.js';
import { parseFeatures } from '../../src/apis/config/features.js';
import { parseIstio } from '../../src/apis/config/istio.js';
import { parseNetwork } from '../../src/apis/config/network.js';
import { parseGoDuration } from '../../src/apis/config/parse.js';
import { KNATIVE_DEFAULTS, defaultServingConfig, parseServingConfig } from '../../src/apis/config/serving-config.js';

describe('config-defaults (defaults_test.go)', () => {
  it('has Knative defaults', () => {
    expect(parseDefaults({})).toMatchObject({ revisionTimeoutSeconds: 300, maxRevisionTimeoutSeconds: 600, containerConcurrency: 0, containerConcurrencyMaxLimit: 1000 });
  });
  it('response-start timeout follows revision-timeout-seconds', () => {
    expect(parseDefaults({ 'revision-timeout-seconds': '123' }).revisionResponseStartTimeoutSeconds).toBe(123);
  });
  it('rejects inconsistent values with Knative messages', () => {
    expect(() => parseDefaults({ 'revision-timeout-seconds': '700' })).toThrow('revision-timeout-seconds (700) cannot be greater than max-revision-timeout-seconds (600)');
    expect(() => parseDefaults({ 'container-concurrency': '2000' })).toThrow('expected 0 <= 2000 <= 1000: container-concurrency');
    expect(() => parseDefaults({ 'revision-timeout-seconds': 'abc' })).toThrow('failed to parse "revision-timeout-seconds": strconv.ParseInt: parsing "abc": invalid syntax');
  });
});

describe('config-network', () => {
  it('defaults ingress class, templates and scheme', () => {
    expect(parseNetwork({})).toMatchObject({
      defaultIngressClass: 'istio.ingress.networking.knative.dev',
      domainTemplate: '{{.Name}}.{{.Namespace}}.{{.Domain}}',
      tagTemplate: '{{.Tag}}-{{.Name}}',
      defaultExternalScheme: 'http',
      httpProtocol: 'enabled',
      autocreateClusterDomainClaims: false,
      clusterLocalDomainTLS: 'disabled',
    });
  });
  it('takes the Higress seed patch and validates templates and protocols', () => {
    expect(parseNetwork({ 'ingress-class': 'higress' }).defaultIngressClass).toBe('higress');
    expect(parseNetwork({ 'http-protocol': 'Redirected' }).httpProtocol).toBe('redirected');
    expect(() => parseNetwork({ 'http-protocol': 'bogus' })).toThrow('httpProtocol bogus in config-network ConfigMap is not supported');
    expect(() => parseNetwork({ 'domain-template': '{{.Name}}.{{.Namespace}}.{{.Domain}}/path' })).toThrow('domain template has url path: /path');
    expect(() => parseNetwork({ 'domain-template': '{{.Name}}.{{.NotAField}}' })).toThrow(/can't evaluate field NotAField/);
  });
});

describe('config-domain (domain_test.go)', () => {
  it('falls back to the chosen default domain (knsim: example.com, Knative: svc.cluster.local)', () => {
    expect(Object.keys(parseDomain({}).domains)).toEqual([KNSIM_DEFAULT_DOMAIN]);
    expect(Object.keys(parseDomain({}, { defaultDomain: 'svc.cluster.local' }).domains)).toEqual(['svc.cluster.local']);
  });
  it('picks the most specific matching selector, ties to the smallest domain, cluster-local wins', () => {
    const d = parseDomain({
      'default.com': '',
      'prod.com': 'selector:\n  app: prod\n',
      'aprod.com': 'selector:\n  app: prod\n',
      'team.prod.com': 'selector:\n  app: prod\n  team: x\n',
    });
    expect(lookupDomainForLabels(d, {})).toBe('default.com');
    expect(lookupDomainForLabels(d, { app: 'prod' })).toBe('aprod.com');
    expect(lookupDomainForLabels(d, { app: 'prod', team: 'x' })).toBe('team.prod.com');
    expect(lookupDomainForLabels(d, { app: 'prod', 'networking.knative.dev/visibility': 'cluster-local' })).toBe('svc.cluster.local');
  });
  it('property: the chosen domain always matches the labels and no matching entry is more specific', () => {
    const d = parseDomain({ 'a.com': '', 'b.com': 'selector: {x: "1"}', 'c.com': 'selector: {y: "1"}', 'd.com': 'selector: {x: "1", y: "1"}' });
    fc.assert(
      fc.property(fc.record({ x: fc.constantFrom('0', '1'), y: fc.constantFrom('0', '1') }), (labels) => {
        const dom = lookupDomainForLabels(d, labels);
        const sel = d.domains[dom]!.selector;
        expect(Object.entries(sel).every(([k, v]) => labels[k as 'x' | 'y'] === v)).toBe(true);
        for (const e of Object.values(d.domains)) {
          const matches = Object.entries(e.selector).every(([k, v]) => labels[k as 'x' | 'y'] === v);
          if (matches) expect(Object.keys(e.selector).length).toBeLessThanOrEqual(Object.keys(sel).length);
        }
      }),
    );
  });
});

describe('config-features, config-deployment, config-istio', () => {
  it('features: flags are case-insensitive; unknown values keep the default', () => {
    expect(parseFeatures({ 'tag-header-based-routing': 'enabled' }).tagHeaderBasedRouting).toBe('Enabled');
    expect(parseFeatures({ 'tag-header-based-routing': 'maybe' }).tagHeaderBasedRouting).toBe('Disabled');
    expect(parseFeatures({}).multiContainer).toBe('Enabled');
  });
  it('deployment: progress-deadline defaults to 600s and must be whole seconds', () => {
    expect(parseDeployment(KNATIVE_DEFAULTS['config-deployment']).progressDeadlineMs).toBe(600_000);
    expect(() => parseDeployment({ 'queue-sidecar-image': 'q', 'progress-deadline': '1.5s' })).toThrow('progress-deadline must be rounded to a whole second, was: 1.5s');
    expect(() => parseDeployment({})).toThrow('queue-sidecar-image cannot be empty or unset');
  });
  it('istio: the Higress seed points both gateways at higress-gateway', () => {
    const cfg = parseIstio({
      'gateway.knative-serving.knative-ingress-gateway': 'higress-gateway.higress-system.svc.cluster.local',
      'local-gateway.knative-serving.knative-local-gateway': 'higress-gateway.higress-system.svc.cluster.local',
    });
    expect(cfg.ingressGateways).toEqual([{ namespace: 'knative-serving', name: 'knative-ingress-gateway', serviceURL: 'higress-gateway.higress-system.svc.cluster.local' }]);
    expect(cfg.localGateways[0]!.serviceURL).toBe('higress-gateway.higress-system.svc.cluster.local');
    expect(parseIstio({}).localGateways[0]!.serviceURL).toBe('knative-local-gateway.istio-system.svc.cluster.local');
  });
  it('KNATIVE_DEFAULTS parse back to the code defaults', () => {
    expect(parseServingConfig(KNATIVE_DEFAULTS)).toEqual(defaultServingConfig());
    expect(parseServingConfig(KNATIVE_DEFAULTS).defaults).toEqual(parseDefaults({}));
  });
  it('Go durations', () => {
    expect(parseGoDuration('600s')).toBe(600_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
  });
});
