import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManifestError, manifestObjects, parseManifests } from '../../src/apis/manifest.js';
import { configuration, configurationSpec, service, serviceSpec, virtualService } from '../../src/testing/index.js';
import { admitServingObject } from '../../src/apis/serving/v1/admission.js';
import { defaultServingConfig } from '../../src/apis/config/serving-config.js';
import type { Service } from '../../src/apis/serving/v1/types.js';
import { GRAY_V1, GRAY_V2, GRAY_V3, GRAY_V3_2, HELLO_KSVC, HIGRESS_CONFIG, ROUTING_SAMPLE, ROUTING_VS } from './seed-manifests.js';

const config = defaultServingConfig();

function errorOf(text: string): ManifestError {
  try {
    parseManifests(text, 'm.yaml');
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error('expected a ManifestError');
}

describe('parseManifests on the seed manifests', () => {
  it('accepts the gray-release v1alpha1 Services as v1, with a deprecation warning, and each validates on create', () => {
    for (const text of [GRAY_V1, GRAY_V2, GRAY_V3, GRAY_V3_2]) {
      const { objects, warnings } = parseManifests(text, 'revision.yaml');
      expect(objects).toHaveLength(1);
      expect(objects[0]!.apiVersion).toBe('serving.knative.dev/v1');
      expect(warnings).toEqual(['Warning: serving.knative.dev/v1alpha1 Service is deprecated; knsim converts it to serving.knative.dev/v1 Service']);
      expect(admitServingObject(objects[0] as Service, { config }).error).toBeUndefined();
    }
  });

  it('admits the gray-release sequence as updates: v1 → v2 → v3 rename the template, v3-2 only changes traffic', () => {
    const parse = (t: string) => parseManifests(t).objects[0] as Service;
    let stored = admitServingObject(parse(GRAY_V1), { config }).object;
    for (const next of [GRAY_V2, GRAY_V3]) {
      const res = admitServingObject(parse(next), { config, old: stored });
      expect(res.error).toBeUndefined();
      stored = res.object;
    }
    // kubectl apply sends only what changed since the stored object: the unchanged template stays as stored.
    const v32 = parse(GRAY_V3_2);
    const applied: Service = { ...stored, spec: { ...stored.spec, traffic: v32.spec.traffic! } };
    const res = admitServingObject(applied, { config, old: stored });
    expect(res.error).toBeUndefined();
    expect(res.object.spec.traffic?.map((t) => [t.tag, t.percent])).toEqual([['v1', 40], ['v2', 30], ['v3', 30], ['latest', 0]]);
  });

  it('rejects replacing v3 with the undefaulted v3-2 template: the BYO name is unchanged but the template differs', () => {
    const parse = (t: string) => parseManifests(t).objects[0] as Service;
    const stored = admitServingObject(parse(GRAY_V3), { config }).object;
    const err = admitServingObject(parse(GRAY_V3_2), { config, old: stored }).error!;
    expect(err.toString()).toContain('Saw the following changes without a name change (-old +new): spec.template.metadata.name\n');
    expect(err.toString()).toContain('{*v1.RevisionTemplateSpec}.Spec.PodSpec.Containers[0].Name:\n\t-: "user-container"\n');
  });

  it('parses the knative-routing-go sample (two ksvcs) and its VirtualService, defaulting the namespace', () => {
    const { objects } = parseManifests(`${ROUTING_SAMPLE}---\n${ROUTING_VS}`);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/search-service', 'Service/login-service', 'VirtualService/entry-route']);
    for (const o of objects.slice(0, 2)) expect(admitServingObject(o as Service, { config }).error).toBeUndefined();
  });

  it('parses the Higress ConfigMaps and the kn-created hello Service', () => {
    const { objects } = parseManifests(`${HIGRESS_CONFIG}---\n${HELLO_KSVC}`);
    expect(objects.map((o) => o.metadata.name)).toEqual(['config-domain', 'config-network', 'config-istio', 'hello']);
    expect(objects[3]!.metadata.namespace).toBe('default');
    expect(admitServingObject(objects[3] as Service, { config }).error).toBeUndefined();
  });
});

describe('parseManifests errors and edge cases', () => {
  it('skips empty documents and comment-only documents', () => {
    expect(parseManifests('---\n# nothing\n---\n\n').objects).toEqual([]);
    expect(parseManifests('').objects).toEqual([]);
  });

  it('reports malformed YAML with file, line and column', () => {
    const e = errorOf('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
    expect(e.file).toBe('m.yaml');
    expect(e.line).toBeGreaterThanOrEqual(4);
    expect(e.message).toMatch(/^m\.yaml:\d+:\d+: error converting YAML to JSON/);
  });

  it('names the missing apiVersion, kind and metadata.name at the document', () => {
    expect(errorOf('kind: ConfigMap\nmetadata: {name: a}\n').reason).toBe('error validating data: apiVersion not set');
    expect(errorOf('apiVersion: v1\nmetadata: {name: a}\n').reason).toBe('error validating data: kind not set');
    const e = errorOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n');
    expect(e.reason).toBe('error validating data: metadata.name not set for ConfigMap');
    expect(e.line).toBe(8);
  });

  it('rejects unknown kinds and unserved versions, naming them', () => {
    const e = errorOf('apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: key-auth}\n');
    expect(e.reason).toContain('no matches for kind "WasmPlugin" in version "extensions.istio.io/v1alpha1"');
    expect(e.line).toBe(2);
    expect(errorOf('apiVersion: serving.knative.dev/v2\nkind: Service\nmetadata: {name: a}\n').reason).toBe(
      'no matches for kind "Service" in version "serving.knative.dev/v2"',
    );
  });

  it('rejects unquoted non-string ConfigMap data like the API server', () => {
    const e = errorOf('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config-defaults}\ndata:\n  container-concurrency: 10\n');
    expect(e.reason).toContain('cannot unmarshal number into Go struct field ConfigMap.data of type string');
    expect(e.line).toBe(5);
  });

  it('does not give cluster-scoped ClusterDomainClaims a namespace', () => {
    const { objects } = parseManifests('apiVersion: networking.internal.knative.dev/v1alpha1\nkind: ClusterDomainClaim\nmetadata: {name: foo.example.org}\nspec: {namespace: default}\n');
    expect(objects[0]!.metadata.namespace).toBeUndefined();
  });
});

describe('v1alpha1 conversion', () => {
  const conv = (spec: string) => parseManifests(`apiVersion: serving.knative.dev/v1alpha1\nkind: Service\nmetadata: {name: s}\nspec:\n${spec}`).objects[0] as Service;

  it('runLatest becomes 100% to the latest revision', () => {
    const s = conv('  runLatest:\n    configuration:\n      revisionTemplate:\n        spec:\n          container: {image: busybox}\n');
    expect(s.spec.traffic).toEqual([{ percent: 100, latestRevision: true }]);
    expect(s.spec.template.spec.containers).toEqual([{ image: 'busybox' }]);
  });

  it('release with two revisions becomes current/candidate/latest tags', () => {
    const s = conv('  release:\n    revisions: [s-00001, "@latest"]\n    rolloutPercent: 10\n    configuration:\n      template:\n        spec:\n          containers: [{image: busybox}]\n');
    expect(s.spec.traffic).toEqual([
      { revisionName: 's-00001', percent: 90, tag: 'current' },
      { percent: 10, tag: 'candidate', latestRevision: true },
      { tag: 'latest', latestRevision: true },
    ]);
  });

  it('refuses manual mode like Knative did', () => {
    expect(() => conv('  manual: {}\n')).toThrow(/manual mode cannot be migrated forward\./);
  });
});

describe('manifestObjects: objects without the YAML parser', () => {
  // Cluster.apply takes objects as well as text; objects skip the YAML parser (setup speed) and
  // must come out exactly as their JSON text would.
  const viaText = (objs: readonly unknown[]) => parseManifests(objs.map((o) => JSON.stringify(o)).join('\n---\n'), 'f.yaml');
  const broken = fc.oneof(
    fc.constant({ kind: 'Service', metadata: { name: 'x' } }),
    fc.constant({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
    fc.constant({ apiVersion: 'serving.knative.dev/v2', kind: 'Service', metadata: { name: 's' } }),
    fc.constant({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { n: 1 } }),
    fc.constant({ apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: {} }),
  );
  const valid = fc.oneof(
    serviceSpec({ annotations: true }).map((s) => service(s)),
    configurationSpec().map((s) => configuration(s)),
    virtualService({ backends: ['a.default.example.com'] }).map((v) => [v]),
    fc.constant(parseManifests(GRAY_V1).objects),
  );

  it('gives what parsing the objects’ JSON text gives, for valid objects (deprecated versions too)', () => {
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 3 }).map((xs) => xs.flat()), (objs) => {
        expect(manifestObjects(objs, 'f.yaml')).toEqual(viaText(objs));
      }),
    );
  });

  it('gives undefined when any object has a mistake, so the caller reports it from the text', () => {
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 2 }).map((xs) => xs.flat()), broken, fc.nat(), (objs, bad, i) => {
        const all: unknown[] = [...objs];
        all.splice(i % (all.length + 1), 0, bad);
        expect(manifestObjects(all, 'f.yaml')).toBeUndefined();
        expect(() => viaText(all)).toThrow(ManifestError);
      }),
    );
  });
});
