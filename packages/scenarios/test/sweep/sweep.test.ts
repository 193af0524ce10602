import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  bundleOf,
  checkSweepAgainst,
  combinations,
  findBuiltin,
  loadBundle,
  loadScenarioFile,
  parseSweep,
  runScenario,
  ScenarioError,
  sweepRuns,
  withParameters,
  type Axis,
} from '../../src/index.js';

// Issue 18: the sweep file's form, its matrix, and how a combination's parameters land in a scenario.
const ISSUE_FORM = `
name: window-vs-latency
scenario: scale-from-zero          # a built-in, or a path relative to this file
seeds: 1..8                        # or a list
matrix:
  config:                          # ConfigMap.key: values
    config-autoscaler.stable-window: [30s, 60s]
  annotations:                     # Service name: annotation: values
    autoscale: { autoscaling.knative.dev/target: ["10", "50"] }
`;

const scaleFromZero = () => bundleOf(loadScenarioFile(findBuiltin('scale-from-zero')!.file));
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
};

describe('sweep files', () => {
  it("reads the issue's form: seeds 1..8 and two axes, 4 combinations × 8 seeds = 32 runs", () => {
    const s = parseSweep(ISSUE_FORM, 'w.yaml');
    expect(s.name).toBe('window-vs-latency');
    expect(s.scenario).toBe('scale-from-zero');
    expect(s.seeds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.axes.map((a) => [a.name, a.values])).toEqual([
      ['config.config-autoscaler.stable-window', ['30s', '60s']],
      ['annotations.autoscale.autoscaling.knative.dev/target', ['10', '50']],
    ]);
    const runs = sweepRuns(s);
    expect(runs).toHaveLength(32);
    expect(runs[0]).toEqual({ combination: 0, seed: 1, parameters: { 'config.config-autoscaler.stable-window': '30s', 'annotations.autoscale.autoscaling.knative.dev/target': '10' } });
    expect(runs[31]!.parameters).toEqual({ 'config.config-autoscaler.stable-window': '60s', 'annotations.autoscale.autoscaling.knative.dev/target': '50' });
    checkSweepAgainst(s, scaleFromZero());
  });

  it('takes seeds as a list or one number, and loads and latencies as axes', () => {
    const s = parseSweep('name: x\nscenario: s.yaml\nseeds: [3, 1]\nmatrix:\n  loads: { burst: { rps: [5, 20], burst.every: [10s] } }\n  latencies: { imagePull: ["lognormal(4s,0.4)"] }\n', 'x.yaml');
    expect(s.seeds).toEqual([3, 1]);
    expect(s.axes.map((a) => a.name)).toEqual(['loads.burst.rps', 'loads.burst.burst.every', 'latencies.imagePull']);
    expect(parseSweep('name: x\nscenario: s\nseeds: 7\n', 'x.yaml').seeds).toEqual([7]);
  });

  it('reports every mistake at once, each naming the file and the field', () => {
    const msg = errorOf(() =>
      parseSweep('name: x y\nscenario: 3\nseeds: 8..1\nfoo: 1\nmatrix:\n  config: { stable-window: [30s] }\n  loads: { burst: { rate: [1], rps: ["fast"] } }\n  annotations: { hello: { a: [] } }\n', 'bad.yaml'),
    );
    for (const line of [
      'bad.yaml: $.foo: unknown field',
      'bad.yaml: name: must be a simple name',
      'bad.yaml: $.scenario: must be a non-empty string, got 3',
      'bad.yaml: seeds: the range 8..1 is empty',
      'bad.yaml: matrix.config.stable-window: must be CONFIGMAP.KEY',
      'bad.yaml: matrix.loads.burst.rate: unknown field (allowed: rps, to, concurrency, think, duration, burst.requests, burst.every)',
      'bad.yaml: matrix.loads.burst.rps[0]: must be a number, got "fast"',
      'bad.yaml: matrix.annotations.hello.a: must be a non-empty list of values, got []',
    ]) expect(msg).toContain(line);
    expect(errorOf(() => parseSweep('name: x\nscenario: s\n', 'n.yaml'))).toContain('n.yaml: seeds: required');
    expect(errorOf(() => parseSweep('name: x\nscenario: s\nseeds: [1, 1]\n', 'n.yaml'))).toContain('n.yaml: seeds: lists seed 1 twice');
    expect(errorOf(() => parseSweep('name: [x\n', 'y.yaml'))).toMatch(/^y\.yaml:\d+:\d+: invalid YAML/);
  });

  it('law: the combinations are the product of the axes, each once, the first axis slowest', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 4 }), (sizes) => {
        const axes: Axis[] = sizes.map((n, i) => ({ name: `a${i}`, path: `p${i}`, target: { kind: 'latency', latency: `l${i}` }, values: Array.from({ length: n }, (_, j) => `v${j}`) }));
        const cs = combinations(axes);
        expect(cs).toHaveLength(sizes.reduce((a, b) => a * b, 1));
        expect(new Set(cs.map((c) => JSON.stringify(c))).size).toBe(cs.length);
        if (sizes.length > 0) expect(cs.map((c) => c.a0)).toEqual([...cs.map((c) => c.a0)].sort());
      }),
    );
  });
});

describe('parameters set in a scenario', () => {
  it('sets a ConfigMap key, a latency, a load field and an annotation on the revision template, leaving the base as it was', () => {
    const base = scaleFromZero();
    const before = JSON.stringify(base);
    const s = parseSweep(
      'name: x\nscenario: scale-from-zero\nseeds: [1]\nmatrix:\n  config: { config-autoscaler.stable-window: [30s] }\n  latencies: { imagePull: ["1s"] }\n  loads: { burst: { rps: [9], burst.requests: [50] } }\n  annotations: { autoscale: { autoscaling.knative.dev/target: ["50"], serving.knative.dev/rollout-duration: ["10s"] } }\n',
      'x.yaml',
    );
    const b = withParameters(base, s.axes, combinations(s.axes)[0]!);
    expect(JSON.stringify(base)).toBe(before);
    const loaded = loadBundle(b);
    expect(loaded.spec.cluster).toEqual({ config: { 'config-autoscaler': { 'stable-window': '30s' } }, latencies: { imagePull: '1s' } });
    expect(loaded.spec.steps![1]).toMatchObject({ load: { name: 'burst', rps: 9, burst: { requests: 50, every: '30s' } } });
    const svc = parse(loaded.manifests[0]!.text);
    expect(svc.spec.template.metadata.annotations['autoscaling.knative.dev/target']).toBe('50');
    expect(svc.spec.template.metadata.annotations['knsim.dev/service-time']).toBe('lognormal(100ms,0.3)');
    expect(svc.metadata.annotations['serving.knative.dev/rollout-duration']).toBe('10s');
  });

  it('annotates the Service in every manifest and apply step that applies it, multi-document files included', () => {
    const base = {
      file: 's.yaml',
      spec: { name: 's', manifests: [{ file: 'a.yaml' }], steps: [{ apply: { inline: 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: hello }\nspec: { template: { spec: { containers: [{ image: x }] } } }\n' } }] },
      files: { 'a.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: n }\n---\napiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: { name: hello }\nspec: { template: { spec: { containers: [{ image: x }] } } }\n' },
    };
    const axes = parseSweep('name: x\nscenario: s\nseeds: [1]\nmatrix:\n  annotations: { hello: { autoscaling.knative.dev/min-scale: ["2"] } }\n', 'x.yaml').axes;
    const b = withParameters(base, axes, { 'annotations.hello.autoscaling.knative.dev/min-scale': '2' });
    const docs = b.files['a.yaml']!.split(/^---$/m).map((t) => parse(t));
    expect(docs[0].kind).toBe('Namespace');
    expect(docs[1].spec.template.metadata.annotations).toEqual({ 'autoscaling.knative.dev/min-scale': '2' });
    const step = parse((b.spec as { steps: Array<{ apply: { inline: string } }> }).steps[0]!.apply.inline);
    expect(step.spec.template.metadata.annotations).toEqual({ 'autoscaling.knative.dev/min-scale': '2' });
  });

  it('a parameter has its effect on the run: a lower target gives more pods for the same burst', () => {
    const s = parseSweep('name: x\nscenario: scale-from-zero\nseeds: [3]\nmatrix:\n  annotations: { autoscale: { autoscaling.knative.dev/target: ["5", "100"] } }\n', 'x.yaml');
    const [low, high] = combinations(s.axes).map((p) => runScenario(loadBundle(withParameters(scaleFromZero(), s.axes, p)), { seed: 3 }).revisions.get('autoscale-00001')!.maxReadyPods);
    expect(low!).toBeGreaterThan(high!);
  });
});

describe('a sweep checked against its scenario', () => {
  const check = (matrix: string) => errorOf(() => checkSweepAgainst(parseSweep(`name: x\nscenario: scale-from-zero\nseeds: [1]\nmatrix:\n${matrix}`, 'sw.yaml'), scaleFromZero()));

  it('names the sweep field and the value for a Service or load the scenario does not have', () => {
    expect(check('  annotations: { hello: { autoscaling.knative.dev/target: ["10"] } }\n')).toBe('sw.yaml: matrix.annotations.hello.autoscaling.knative.dev/target[0]: the scenario applies no Knative Service named "hello"');
    expect(check('  loads: { nope: { rps: [1] } }\n')).toBe('sw.yaml: matrix.loads.nope.rps[0]: the scenario has no load named "nope"');
  });

  it("rejects values the scenario, the cluster or Knative's webhook rejects, and keys Knative does not read", () => {
    expect(check('  loads: { burst: { duration: ["soon"] } }\n')).toContain('sw.yaml: matrix.loads.burst.duration[0]: ');
    expect(check('  loads: { burst: { concurrency: [3] } }\n')).toContain('a burst load is open loop: use rps');
    expect(check('  config: { config-autoscaler.stable-windw: [30s] }\n')).toContain('sw.yaml: matrix.config.config-autoscaler.stable-windw[0]: config config-autoscaler: unknown key "stable-windw"');
    expect(check('  config: { config-autoscaler.stable-window: [30s, "fast"] }\n')).toMatch(/^sw\.yaml: matrix\.config\.config-autoscaler\.stable-window\[1\]: /);
    expect(check('  latencies: { imagePull: ["lognormal(4s"] }\n')).toMatch(/^sw\.yaml: matrix\.latencies\.imagePull\[0\]: /);
    expect(check('  annotations: { autoscale: { autoscaling.knative.dev/target: ["10", "-3"] } }\n')).toMatch(/^sw\.yaml: matrix\.annotations\.autoscale\.autoscaling\.knative\.dev\/target\[1\]: service\.yaml: .*target/);
  });
});
