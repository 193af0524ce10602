import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseDefaults } from '../../src/apis/config/defaults.js';
import { parseDeployment } from '../../src/apis/config/deployment.js';
import { KNSIM_DEFAULT_DOMAIN, lookupDomainForLabels, parseDomain } from '../../src/apis/config/domain.js';
import { parseFeatures } from '../../src/apis/config/features.js';
import { parseIstio } from '../../src/apis/config/istio.js';
import { parseNetwork } from '../../src/apis/config/network.js';
import { parseGoDuration } from '../../src/apis/config/parse.js';
import { INSTALLED_CONFIG_DATA, defaultServingConfig, parseServingConfig } from '../../src/apis/config/serving-config.js';

/**
 * The keys of the `_example` blocks (config/core/configmaps/defaults.yaml, deployment.yaml,
 * networking's config-network.yaml, net-istio's 400-config-istio.yaml), each at the value the
 * block documents: documentation a fresh install does not parse, which must agree with the code
 * defaults. (Example values that are not code defaults, such as revision-cpu-request, are left out.)
 */
const EXAMPLE_DATA: Record<string, Record<string, string>> = {
  'config-defaults': {
    'revision-timeout-seconds': '300',
    'max-revision-timeout-seconds': '600',
    'revision-response-start-timeout-seconds': '300',
    'revision-idle-timeout-seconds': '0',
    'container-name-template': 'user-container',
    'init-container-name-template': 'init-container',
    'container-concurrency': '0',
    'container-concurrency-max-limit': '1000',
    'allow-container-concurrency-zero': 'true',
    'enable-service-links': 'false',
  },
  'config-network': {
    'ingress-class': 'istio.ingress.networking.knative.dev',
    'certificate-class': 'cert-manager.certificate.networking.knative.dev',
    'namespace-wildcard-cert-selector': '',
    'domain-template': '{{.Name}}.{{.Namespace}}.{{.Domain}}',
    'tag-template': '{{.Tag}}-{{.Name}}',
    'auto-tls': 'Disabled',
    'external-domain-tls': 'Disabled',
    'cluster-local-domain-tls': 'Disabled',
    'internal-encryption': 'false',
    'system-internal-tls': 'Disabled',
    'http-protocol': 'Enabled',
    'rollout-duration': '0',
    'autocreate-cluster-domain-claims': 'false',
    'enable-mesh-pod-addressability': 'false',
    'mesh-compatibility-mode': 'auto',
    'default-external-scheme': 'http',
  },
  'config-deployment': {
    ...INSTALLED_CONFIG_DATA['config-deployment'],
    'registries-skipping-tag-resolving': 'kind.local,ko.local,dev.local',
    'digest-resolution-timeout': '10s',
    'progress-deadline': '600s',
    'queue-sidecar-cpu-request': '25m',
    'pod-is-always-schedulable': 'false',
  },
  'config-istio': {
    'gateway.knative-serving.knative-ingress-gateway': 'istio-ingressgateway.istio-system.svc.cluster.local',
    'local-gateway.knative-serving.knative-local-gateway': 'knative-local-gateway.istio-system.svc.cluster.local',
  },
};

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
  it('reads each legacy key Knative still reads when its new key is absent; the new key wins (config.go NewConfigFromMap)', () => {
    const legacy = {
      'ingress.class': 'kourier.ingress.networking.knative.dev',
      'certificate.class': 'other.certificate',
      domainTemplate: '{{.Name}}-{{.Namespace}}.{{.Domain}}',
      tagTemplate: '{{.Name}}-{{.Tag}}',
      rolloutDuration: '60',
      autocreateClusterDomainClaims: 'true',
      defaultExternalScheme: 'https',
      autoTLS: 'Enabled',
      httpProtocol: 'Redirected',
    };
    expect(parseNetwork(legacy)).toMatchObject({
      defaultIngressClass: 'kourier.ingress.networking.knative.dev',
      defaultCertificateClass: 'other.certificate',
      domainTemplate: '{{.Name}}-{{.Namespace}}.{{.Domain}}',
      tagTemplate: '{{.Name}}-{{.Tag}}',
      rolloutDurationSecs: 60,
      autocreateClusterDomainClaims: true,
      defaultExternalScheme: 'https',
      autoTLS: true,
      externalDomainTLS: true,
      httpProtocol: 'redirected',
    });
    expect(parseNetwork({ ...legacy, ...EXAMPLE_DATA['config-network'] })).toEqual(parseNetwork({}));
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
  it('features: flags are case-insensitive; a value Knative would silently ignore is refused (a deliberate difference, docs/cluster.md)', () => {
    expect(parseFeatures({ 'tag-header-based-routing': 'enabled' }).tagHeaderBasedRouting).toBe('Enabled');
    expect(() => parseFeatures({ 'tag-header-based-routing': 'maybe' })).toThrow('failed to parse "tag-header-based-routing": want one of Enabled, Allowed, Disabled, got "maybe" (Knative would keep the default, "Disabled", silently)');
    expect(parseFeatures({}).multiContainer).toBe('Enabled');
  });
  it('deployment: progress-deadline defaults to 600s and must be whole seconds', () => {
    expect(parseDeployment(INSTALLED_CONFIG_DATA['config-deployment']).progressDeadlineMs).toBe(600_000);
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
  it('deployment: the legacy keys (queueSidecarImage, progressDeadline, …) apply unless the new key is present (pkg/deployment/config.go)', () => {
    const legacy = {
      queueSidecarImage: 'old/queue',
      progressDeadline: '120s',
      digestResolutionTimeout: '5s',
      registriesSkippingTagResolving: 'a.local, b.local',
      queueSidecarCPURequest: '50m',
      queueSidecarMemoryLimit: '200Mi',
    };
    expect(parseDeployment(legacy)).toMatchObject({
      queueSidecarImage: 'old/queue',
      progressDeadlineMs: 120_000,
      digestResolutionTimeoutMs: 5000,
      registriesSkippingTagResolving: ['a.local', 'b.local'],
      queueSidecarCPURequest: '50m',
      queueSidecarMemoryLimit: '200Mi',
    });
    // A fresh install carries queue-sidecar-image, so there the legacy image key is ignored, as on a cluster.
    expect(parseDeployment({ ...legacy, ...INSTALLED_CONFIG_DATA['config-deployment'] }).queueSidecarImage).toBe('gcr.io/knative-releases/knative.dev/serving/cmd/queue');
    expect(() => parseDeployment({ ...legacy, progressDeadline: 'soon' })).toThrow('failed to parse "progressDeadline": time: invalid duration "soon"');
  });
  it('the documented `_example` values and a fresh install both parse to the code defaults', () => {
    expect(parseServingConfig(EXAMPLE_DATA)).toEqual(defaultServingConfig());
    expect(defaultServingConfig().defaults).toEqual(parseDefaults({}));
    expect(defaultServingConfig().network).toEqual(parseNetwork({}));
    expect(defaultServingConfig().istio).toEqual(parseIstio({}));
  });
  it('Go durations', () => {
    expect(parseGoDuration('600s')).toBe(600_000);
    expect(parseGoDuration('1m30s')).toBe(90_000);
    expect(parseGoDuration('1.5h')).toBe(5_400_000);
    expect(() => parseGoDuration('10')).toThrow('time: missing unit in duration "10"');
  });
});
