import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultServingConfig, parseServingConfig } from '../../src/apis/config/serving-config.js';
import { FieldError } from '../../src/apis/field-error.js';
import {
  validateConfiguration,
  validateDomainMapping,
  validateRevision,
  validateRoute,
  validateService,
  validateK8sObjectMetaLabels,
  validateTrafficList,
} from '../../src/apis/serving/v1/validation.js';
import { setServiceDefaults } from '../../src/apis/serving/v1/defaults.js';
import type { Configuration, DomainMapping, Revision, RevisionSpec, Route, Service, TrafficTarget } from '../../src/apis/serving/v1/types.js';

// Cases transcribed from knative/serving pkg/apis/serving/v1/{route,service,configuration,revision}_validation_test.go
// and v1beta1/domainmapping_validation_test.go; messages and paths are compared as the webhook prints them.

const config = defaultServingConfig();
const DNS1035 =
  "[a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')]";

const route = (traffic: TrafficTarget[], name = 'valid'): Route => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Route',
  metadata: { name, namespace: 'default' },
  spec: { traffic },
});
const routeErr = (r: Route) => validateRoute(r, { config })?.toString();

describe('validateRoute (route_validation_test.go)', () => {
  it('accepts a single revision target at 100%', () => {
    expect(routeErr(route([{ revisionName: 'foo', percent: 100 }]))).toBeUndefined();
  });

  it.each<[string, TrafficTarget[], string]>([
    ['sum below 100', [{ revisionName: 'foo', percent: 90 }], 'Traffic targets sum to 90, want 100: spec.traffic'],
    [
      'both revision and configuration',
      [{ revisionName: 'foo', configurationName: 'bar', percent: 100 }],
      'expected exactly one, got both: spec.traffic[0].configurationName, spec.traffic[0].revisionName',
    ],
    ['neither', [{ percent: 100 }], 'expected exactly one, got neither: spec.traffic[0].configurationName, spec.traffic[0].revisionName'],
    ['percent out of bounds', [{ revisionName: 'foo', percent: 101 }], 'Traffic targets sum to 101, want 100: spec.traffic\nexpected 0 <= 101 <= 100: spec.traffic[0].percent'],
    [
      'latestRevision true with a revision',
      [{ revisionName: 'bar', latestRevision: true, percent: 100 }],
      'may not set revisionName "bar" when latestRevision is true: spec.traffic[0].latestRevision',
    ],
    [
      'latestRevision false without a revision',
      [{ configurationName: 'bar', latestRevision: false, percent: 100 }],
      'may not set revisionName "" when latestRevision is false: spec.traffic[0].latestRevision',
    ],
    [
      'duplicate tags',
      [
        { tag: 'foo', revisionName: 'bar', percent: 50 },
        { tag: 'foo', revisionName: 'baz', percent: 50 },
      ],
      'Multiple definitions for "foo": spec.traffic[0].tag, spec.traffic[1].tag',
    ],
    ['invalid tag', [{ tag: 'foo@', revisionName: 'bar', percent: 100 }], `invalid value: not a DNS 1035 label: ${DNS1035}: spec.traffic.tag[0]`],
    ['url in spec', [{ tag: 'foo', revisionName: 'bar', percent: 100, url: 'http://foo.bar' }], 'must not set the field(s): spec.traffic[0].url'],
    [
      'invalid revision name',
      [{ revisionName: 'b ar', percent: 100 }],
      `invalid key name "b ar": spec.traffic[0].revisionName\nname part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  ])('%s', (_name, traffic, want) => {
    expect(routeErr(route(traffic))).toBe(want);
  });

  it('names: dots and over-long names are not DNS-1035 labels', () => {
    expect(routeErr(route([{ revisionName: 'foo', percent: 90 }], 'do.not.use.dots'))).toBe(
      `Traffic targets sum to 90, want 100: spec.traffic\nnot a DNS 1035 label: ${DNS1035}: metadata.name`,
    );
    expect(routeErr(route([{ revisionName: 'foo', percent: 100 }], 'a'.repeat(64)))).toBe('not a DNS 1035 label: [must be no more than 63 characters]: metadata.name');
  });

  it('a service label needs a matching owner reference', () => {
    const r = route([{ revisionName: 'foo', percent: 100 }]);
    r.metadata.labels = { 'serving.knative.dev/service': 'absent' };
    expect(routeErr(r)).toBe('missing field(s): metadata.labels.serving.knative.dev/service');
  });

  it('property: any list of valid targets whose percents sum to 100 passes, any other sum fails with the sum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 6 }), (percents) => {
        const sum = percents.reduce((a, b) => a + b, 0);
        const err = validateTrafficList(
          percents.map((p, i) => ({ revisionName: `r-${i}`, percent: p })),
          { inSpec: true, hasDefaultConfigurationName: false },
        );
        if (sum === 100) expect(err).toBeUndefined();
        else expect(err?.toString()).toBe(`Traffic targets sum to ${sum}, want 100: `);
      }),
    );
  });
});

const spec = (over: Partial<RevisionSpec> = {}): RevisionSpec => ({ containers: [{ image: 'helloworld:foo' }], ...over });
const service = (s: Partial<Service['spec']> = {}, meta: Partial<Service['metadata']> = {}): Service => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'valid', namespace: 'default', ...meta },
  spec: { template: { spec: spec() }, traffic: [{ latestRevision: true, percent: 100 }], ...s },
});
const svcErr = (s: Service, old?: Service) => validateService(s, { config, ...(old ? { old } : {}) })?.toString();

describe('validateService and the revision template', () => {
  it('accepts a minimal service', () => expect(svcErr(service())).toBeUndefined());

  it('rejects configurationName inside a Service', () => {
    expect(svcErr(service({ traffic: [{ configurationName: 'foo', percent: 100 }] }))).toBe('must not set the field(s): spec.traffic[0].configurationName');
  });

  it('BYO revision names need the `<service>-` prefix', () => {
    const s = service({ template: { metadata: { name: 'foo' }, spec: spec() } }, { name: 'byo-name' });
    expect(svcErr(s)).toBe('invalid value: "foo" must have prefix "byo-name-": spec.template.metadata.name');
    const bad = service({ template: { metadata: { name: 'byo-name-.bar' }, spec: spec() } }, { name: 'byo-name' });
    expect(svcErr(bad)).toBe(`invalid value: not a DNS 1035 label: ${DNS1035}: spec.template.metadata.name`);
  });

  it('timeoutSeconds is bounded by max-revision-timeout-seconds, also when reconfigured', () => {
    expect(svcErr(service({ template: { spec: spec({ timeoutSeconds: 601 }) } }))).toBe('expected 0 <= 601 <= 600: spec.template.spec.timeoutSeconds');
    const small = parseServingConfig({ 'config-defaults': { 'revision-timeout-seconds': '30', 'max-revision-timeout-seconds': '50' } });
    expect(validateService(service({ template: { spec: spec({ timeoutSeconds: 100 }) } }), { config: small })?.toString()).toBe(
      'expected 0 <= 100 <= 50: spec.template.spec.timeoutSeconds',
    );
  });

  it('containerConcurrency is bounded by container-concurrency-max-limit and allow-container-concurrency-zero', () => {
    expect(svcErr(service({ template: { spec: spec({ containerConcurrency: -10 }) } }))).toBe('expected 0 <= -10 <= 1000: spec.template.spec.containerConcurrency');
    const noZero = parseServingConfig({ 'config-defaults': { 'allow-container-concurrency-zero': 'false' } });
    expect(validateService(service({ template: { spec: spec({ containerConcurrency: 0 }) } }), { config: noZero })?.toString()).toBe(
      'expected 1 <= 0 <= 1000: spec.template.spec.containerConcurrency',
    );
  });

  it('autoscaling annotations belong on the template, not the Service', () => {
    expect(svcErr(service({}, { annotations: { 'autoscaling.knative.dev/foo': 'bar' } }))).toBe(
      'invalid key name "autoscaling.knative.dev/foo": metadata.annotations\nautoscaling annotations must be put under "spec.template.metadata.annotations" to work',
    );
  });

  it('rollout-duration must be a whole-second Go duration', () => {
    expect(svcErr(service({}, { annotations: { 'serving.knative.dev/rollout-duration': 'CLXXXIIIs' } }))).toBe(
      'invalid value: CLXXXIIIs: metadata.annotations.serving.knative.dev/rollout-duration',
    );
    expect(svcErr(service({}, { annotations: { 'serving.knative.dev/rollout-duration': '1.5s' } }))).toBe(
      'rollout-duration=1.5s is not at second precision: metadata.annotations.serving.knative.dev/rollout-duration',
    );
  });

  it.each<[string, RevisionSpec, string]>([
    ['no containers', { containers: [] }, 'missing field(s): spec.template.spec.containers'],
    ['missing image', { containers: [{ name: 'c' }] }, 'missing field(s): spec.template.spec.containers[0].image'],
    ['reserved env var', spec({ containers: [{ image: 'i', env: [{ name: 'PORT', value: '1' }] }] }), '"PORT" is a reserved environment variable: spec.template.spec.containers[0].env[0].name'],
    [
      'reserved port',
      spec({ containers: [{ image: 'i', ports: [{ containerPort: 8012 }] }] }),
      'invalid value: 8012 is a reserved port: spec.template.spec.containers[0].ports.containerPort\n8012 is a reserved port, please use a different value',
    ],
    [
      'port name',
      spec({ containers: [{ image: 'i', ports: [{ name: 'foo', containerPort: 8080 }] }] }),
      "Port name foo is not allowed: spec.template.spec.containers[0].ports\nName must be empty, or one of: 'h2c', 'http1'",
    ],
    ['reserved container name', spec({ containers: [{ image: 'i', name: 'queue-proxy' }] }), '"queue-proxy" is a reserved container name: spec.template.spec.containers[0].name'],
    ['two containers without a port', spec({ containers: [{ image: 'a', name: 'a' }, { image: 'b', name: 'b' }] }), 'missing field(s): spec.template.spec.containers[*].ports'],
    [
      'two ports',
      spec({ containers: [{ image: 'a', name: 'a', ports: [{ containerPort: 8080 }] }, { image: 'b', name: 'b', ports: [{ containerPort: 9000 }] }] }),
      'more than one container port is set: spec.template.spec.containers[*].ports\nOnly a single port is allowed across all containers',
    ],
    [
      'aggressive probe with a timeout',
      spec({ containers: [{ image: 'i', readinessProbe: { tcpSocket: {}, periodSeconds: 0, timeoutSeconds: 1, successThreshold: 1 } }] }),
      'timeoutSeconds is disallowed when periodSeconds is zero: spec.template.spec.containers[0].readinessProbe.timeoutSeconds',
    ],
    [
      'probe on another port name',
      spec({ containers: [{ image: 'i', readinessProbe: { httpGet: { port: 'admin' }, successThreshold: 1 } }] }),
      'invalid value: admin: spec.template.spec.containers[0].readinessProbe.httpGet.port\nProbe port must match container port',
    ],
    ['disallowed container field', spec({ containers: [{ image: 'i', stdin: true, tty: true }] }), 'must not set the field(s): spec.template.spec.containers[0].stdin, spec.template.spec.containers[0].tty'],
    ['disallowed pod field', spec({ hostNetwork: true }), 'must not set the field(s): spec.template.spec.hostNetwork'],
  ])('%s', (_name, s, want) => {
    expect(svcErr(service({ template: { spec: s } }))).toBe(want);
  });

  it('the autoscaling-annotation hook sees the template annotations and reports under metadata.annotations', () => {
    const s = service({ template: { metadata: { annotations: { 'autoscaling.knative.dev/minScale': 'x' } }, spec: spec() } });
    const seen: unknown[] = [];
    const err = validateService(s, {
      config,
      validateAutoscalingAnnotations: (a) => {
        seen.push(a);
        return FieldError.of('invalid value: x', ['autoscaling.knative.dev/minScale']);
      },
    });
    expect(seen).toEqual([{ 'autoscaling.knative.dev/minScale': 'x' }]);
    expect(err?.toString()).toBe('invalid value: x: spec.template.metadata.annotations.autoscaling.knative.dev/minScale');
  });
});

describe('updates', () => {
  it('a changed template under the same BYO name is rejected with the diff', () => {
    const old = service({ template: { metadata: { name: 'valid-byo' }, spec: spec({ containers: [{ image: 'helloworld:bar' }] }) } });
    const next = service({ template: { metadata: { name: 'valid-byo' }, spec: spec({ containers: [{ image: 'helloworld:foo' }] }) } });
    expect(svcErr(next, old)).toBe(
      'Saw the following changes without a name change (-old +new): spec.template.metadata.name\n{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Image:\n\t-: "helloworld:bar"\n\t+: "helloworld:foo"\n',
    );
    const renamed = service({ template: { metadata: { name: 'valid-byo2' }, spec: spec({ containers: [{ image: 'helloworld:foo' }] }) } });
    expect(svcErr(renamed, old)).toBeUndefined();
  });

  it('the creator annotation is immutable', () => {
    const old = service({}, { annotations: { 'serving.knative.dev/creator': 'alice' } });
    const next = service({}, { annotations: { 'serving.knative.dev/creator': 'mallory' } });
    expect(svcErr(next, old)).toBe('annotation value is immutable: metadata.annotations.serving.knative.dev/creator');
  });

  it('a Revision spec is immutable', () => {
    const rev = (image: string): Revision => ({ apiVersion: 'serving.knative.dev/v1', kind: 'Revision', metadata: { name: 'valid', namespace: 'default' }, spec: spec({ containers: [{ image }] }) });
    expect(validateRevision(rev('helloworld'), { config, old: rev('busybox') })?.toString()).toBe(
      'Immutable fields changed (-old +new): spec\n{v1.RevisionSpec}.PodSpec.Containers[0].Image:\n\t-: "busybox"\n\t+: "helloworld"\n',
    );
    expect(validateRevision(rev('busybox'), { config, old: rev('busybox') })).toBeUndefined();
  });
});

describe('validateConfiguration', () => {
  it('checks BYO prefix against the configuration name and the service label owner', () => {
    const cfg: Configuration = {
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Configuration',
      metadata: { name: 'byo-name', namespace: 'default', labels: { 'serving.knative.dev/service': 'svc' } },
      spec: { template: { metadata: { name: 'foo' }, spec: spec() } },
    };
    expect(validateConfiguration(cfg, { config })?.toString()).toBe(
      'invalid value: "foo" must have prefix "byo-name-": spec.template.metadata.name\nmissing field(s): metadata.labels.serving.knative.dev/service',
    );
  });
});

describe('validateDomainMapping (domainmapping_validation_test.go)', () => {
  const dm = (name: string, ref: DomainMapping['spec']['ref'] = { name: 'foo', kind: 'Service', apiVersion: 'serving.knative.dev/v1', namespace: 'ns' }): DomainMapping => ({
    apiVersion: 'serving.knative.dev/v1beta1',
    kind: 'DomainMapping',
    metadata: { name, namespace: 'ns' },
    spec: { ref },
  });
  const err = (d: DomainMapping) => validateDomainMapping(d, { config })?.toString();

  it('accepts a valid mapping', () => expect(err(dm('foo.example.com'))).toBeUndefined());
  it('requires a fully qualified name', () => {
    expect(err(dm('invalid'))).toBe('invalid name "invalid": name: Invalid value: "invalid": should be a domain with at least two segments separated by dots: metadata.name');
  });
  it('rejects names in the cluster-local domain', () => {
    expect(err(dm('foo.svc.cluster.local'))).toBe('invalid name "foo.svc.cluster.local": must not be a subdomain of cluster local domain "cluster.local": metadata.name');
  });
  it('requires ref fields and the same namespace', () => {
    expect(err(dm('foo.example.com', {}))).toBe('missing field(s): spec.ref.apiVersion, spec.ref.kind, spec.ref.name');
    expect(err(dm('foo.example.com', { name: 'foo', kind: 'Service', apiVersion: 'serving.knative.dev/v1', namespace: 'other' }))).toBe(
      'mismatched namespaces: spec.ref.namespace\nparent namespace: "ns" does not match ref: "other"',
    );
  });
});

describe('defaults feed validation', () => {
  it('a defaulted Service gets one 100% latest target and the config-defaults timeouts, and validates', () => {
    const s = setServiceDefaults(service({ traffic: [] }), { config });
    expect(s.spec.traffic).toEqual([{ percent: 100, latestRevision: true }]);
    expect(s.spec.template.spec).toMatchObject({ timeoutSeconds: 300, containerConcurrency: 0 });
    // The response-start default (300s) is only applied when shorter than the request timeout.
    expect('responseStartTimeoutSeconds' in s.spec.template.spec).toBe(false);
    expect(s.spec.template.spec.containers[0]).toMatchObject({ name: 'user-container', readinessProbe: { tcpSocket: {}, successThreshold: 1 } });
    expect(svcErr(s)).toBeUndefined();
  });
});

describe('API-server label syntax', () => {
  it('rejects label values that are not valid label values', () => {
    expect(validateK8sObjectMetaLabels({ labels: { app: 'ok', bad: 'has space' } })?.toString()).toBe(
      `Invalid value: "has space": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?'): metadata.labels`,
    );
    expect(validateK8sObjectMetaLabels({ labels: { 'networking.knative.dev/visibility': 'cluster-local' } })).toBeUndefined();
  });
});
