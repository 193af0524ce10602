import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioModule, parseScenario, ScenarioError } from '../../src/index.js';
import { defineScenario } from '../../src/run/schema.js';

const HELLO = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest}]\n';
const TRACE = 'HashOwner,HashApp,HashFunction,Trigger,1,2\no,a,f1,http,3,4\n';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'knsim-scenario-'));
  for (const [k, v] of Object.entries(files)) {
    mkdirSync(join(d, k, '..'), { recursive: true });
    writeFileSync(join(d, k), v);
  }
  return d;
}

/** Every mistake reported for a scenario text, one per line ('' when it is valid). */
function mistakes(text: string): string[] {
  const d = dir({ 'hello.yaml': HELLO, 'd01.csv': TRACE });
  try {
    parseScenario(text, join(d, 'gray.yaml'));
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    // The message names the file as it was given (here an absolute path); compare by its base name.
    return (e as Error).message.split('\n').map((l) => l.replace(`${d}/`, ''));
  }
}

const load = (fields: string) => `name: t\nsteps:\n  - load: { name: l, url: "http://hello.default.example.com/", ${fields} }\n`;

describe('parseScenario: a valid scenario', () => {
  it('reads the issue example: manifests relative to the scenario file (not the working directory), every step kind, in order', () => {
    const d = dir({ 'gray/revision-v1.yaml': HELLO, 'gray/revision-v2.yaml': HELLO.replace('latest', 'v2') });
    const loaded = parseScenario(
      `name: gray-release
description: one line
seed: 7
cluster:
  domain: example.com
  config:
    config-autoscaler: { stable-window: 60s }
manifests:
  - file: revision-v1.yaml
  - inline: |
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: inline}
steps:
  - apply: { file: revision-v2.yaml, wait: false }
  - load:
      name: phase1
      url: http://stock-service-example.default.example.com/
      headers: { x-ca-key: "123456" }
      rps: 50
      arrival: uniform
      duration: 60s
      background: true
  - load: { name: users, url: "http://hello.default.example.com/", concurrency: 20, think: 100ms, duration: 30s, method: POST, body: hi }
  - wait: 90s
  - request: { name: probe-cold, url: http://hello.default.example.com/, method: PUT, headers: { a: b }, body: "x", fromNamespace: default }
  - label: { kind: Service, name: search-service, labels: { networking.knative.dev/visibility: cluster-local, gone: null } }
  - delete: { kind: Service, name: login-service }
`,
      join(d, 'gray', 'scenario.yaml'),
    );
    expect(loaded.spec.name).toBe('gray-release');
    expect(loaded.spec.seed).toBe(7);
    expect(loaded.spec.cluster?.config).toEqual({ 'config-autoscaler': { 'stable-window': '60s' } });
    expect(loaded.manifests.map((m) => m.source)).toEqual(['revision-v1.yaml', `${join(d, 'gray', 'scenario.yaml')} manifests[1]`]);
    expect(loaded.manifests[0]!.text).toBe(HELLO);
    expect(loaded.files.get('revision-v2.yaml')).toContain('v2');
    expect(loaded.spec.steps!.map((s) => Object.keys(s)[0])).toEqual(['apply', 'load', 'load', 'wait', 'request', 'label', 'delete']);
    expect(loaded.spec.steps![5]).toEqual({ label: { kind: 'Service', name: 'search-service', labels: { 'networking.knative.dev/visibility': 'cluster-local', gone: null } } });
  });

  it('accepts every load shape with its own fields', () => {
    expect(mistakes(load('shape: ramp, rps: 1, to: 100, duration: 1m'))).toEqual([]);
    expect(mistakes(load('shape: step, stages: [{rps: 5, duration: 10s}, {rps: 0, duration: 5s}]'))).toEqual([]);
    expect(mistakes(load('shape: burst, burst: { requests: 300, every: 30s, at: 0s }, duration: 60s'))).toEqual([]);
    expect(mistakes('name: t\nsteps:\n  - load: { name: az, shape: trace, trace: { file: d01.csv, functions: { f1: "http://hello.default.example.com/" }, fromMinute: 1, minutes: 2, spread: uniform } }\n')).toEqual([]);
  });

  it('loadScenarioFile reads a file from disk; a missing one is a ScenarioError naming it', () => {
    const d = dir({ 'hello.yaml': HELLO, 's.yaml': 'name: s\nmanifests: [{file: hello.yaml}]\n' });
    expect(loadScenarioFile(join(d, 's.yaml')).manifests).toHaveLength(1);
    expect(() => loadScenarioFile(join(d, 'nope.yaml'))).toThrow(new ScenarioError(`${join(d, 'nope.yaml')}: no such scenario file`));
  });
});

describe('parseScenario: mistakes name the file, the step and the field', () => {
  it('collects every mistake of the file and reports them together', () => {
    const m = mistakes(`name: t
colour: red
steps:
  - wait: 0s
  - wait: -5s
  - load: { name: l, url: "http://x/", rps: fast, duration: 1m }
  - teleport: { to: mars }
  - request: { url: "http://x/" }
`);
    expect(m).toEqual([
      'gray.yaml: $.colour: unknown field (allowed: name, description, seed, cluster, manifests, steps, checks)',
      'gray.yaml: steps[0].wait: must be a duration > 0, got "0s"',
      'gray.yaml: steps[1].wait: must be a duration > 0, got "-5s"',
      'gray.yaml: steps[2].load.rps: must be a number > 0, got "fast"',
      'gray.yaml: steps[3]: unknown step kind "teleport" (want one of apply, load, wait, request, label, delete, fault)',
      'gray.yaml: steps[4].request.name: required',
    ]);
  });

  it('rejects wrong types and unknown keys at every level', () => {
    expect(mistakes('name: t\ncluster: { domain: 5 }\n')).toEqual(['gray.yaml: cluster.domain: must be a string, got 5']);
    expect(mistakes('name: t\ncluster: { config: { config-autoscaler: { stable-window: [60s] } } }\n')).toEqual(['gray.yaml: cluster.config.config-autoscaler.stable-window: must be a string, got ["60s"]']);
    expect(mistakes('name: t\nsteps:\n  - wait: 90\n')).toEqual(['gray.yaml: steps[0].wait: must be a duration with its unit, such as "90s" or "90ms", got the number 90']);
    expect(mistakes(load('rps: 5, duration: 30'))).toEqual(['gray.yaml: steps[0].load.duration: must be a duration with its unit, such as "30s" or "30ms", got the number 30']);
    expect(mistakes('name: t\nsteps:\n  - { wait: 1s, request: { name: r, url: "http://x/" } }\n')[0]).toMatch(/^gray\.yaml: steps\[0\]: must be a map with one of apply, load/);
    expect(mistakes(load('rps: 5, duration: 1s, speed: 3'))).toEqual([expect.stringMatching(/^gray\.yaml: steps\[0\]\.load\.speed: unknown field/)]);
    expect(mistakes(load('rps: 5, duration: 1s, background: yes please'))).toEqual(['gray.yaml: steps[0].load.background: must be true or false, got "yes please"']);
    expect(mistakes(load('rps: 5, duration: 1s, headers: { x-n: 1 }'))).toEqual(['gray.yaml: steps[0].load.headers.x-n: must be a string, got 1']);
  });

  it('a manifests or steps that is not a list is a mistake, not a crash', () => {
    expect(mistakes('name: t\nmanifests: { file: hello.yaml }\n')).toEqual(['gray.yaml: manifests: must be a list, got {"file":"hello.yaml"}']);
    expect(mistakes('name: t\nsteps: { wait: 1s }\n')).toEqual(['gray.yaml: steps: must be a list, got {"wait":"1s"}']);
  });

  it('rejects bad Go durations with Go\'s message', () => {
    expect(mistakes(load('rps: 5, duration: 10 seconds'))).toEqual(['gray.yaml: steps[0].load.duration: time: unknown unit " seconds" in duration "10 seconds"']);
    expect(mistakes(load('rps: 5, duration: "10"'))).toEqual(['gray.yaml: steps[0].load.duration: time: missing unit in duration "10"']);
  });

  it('open and closed loop: exactly one of rps and concurrency; think only for a closed loop', () => {
    expect(mistakes(load('rps: 5, concurrency: 3, duration: 1s'))).toEqual(['gray.yaml: steps[0].load: set either rps (open loop) or concurrency (closed loop), not both']);
    expect(mistakes(load('duration: 1s'))).toEqual(['gray.yaml: steps[0].load: needs rps (open loop) or concurrency (closed loop)']);
    expect(mistakes(load('rps: 5, think: 1s, duration: 1s'))).toEqual(['gray.yaml: steps[0].load.think: only a closed loop (concurrency) has a think time']);
    expect(mistakes(load('concurrency: 2.5, duration: 1s'))).toEqual(['gray.yaml: steps[0].load.concurrency: must be a whole number >= 1, got 2.5']);
    expect(mistakes(load('rps: 0, duration: 1s'))).toEqual(['gray.yaml: steps[0].load.rps: must be a number > 0, got 0']);
    expect(mistakes(load('rps: 5'))).toEqual(['gray.yaml: steps[0].load.duration: required']);
  });

  it('each shape requires its own fields and refuses the others\'', () => {
    expect(mistakes(load('shape: ramp, rps: 1, duration: 1m'))).toEqual(['gray.yaml: steps[0].load.to: required for a ramp (the final rate)']);
    expect(mistakes(load('shape: step, duration: 1m'))).toEqual(['gray.yaml: steps[0].load.stages: a step load needs a non-empty list of {rps, duration}']);
    expect(mistakes(load('shape: step, stages: [{rps: 5}]'))).toEqual(['gray.yaml: steps[0].load.stages[0].duration: required']);
    expect(mistakes(load('shape: burst, rps: 1, duration: 1m'))).toEqual(['gray.yaml: steps[0].load.burst: a burst load needs burst: {requests, every, at?}']);
    expect(mistakes(load('shape: burst, burst: { requests: 0, every: 0s }, duration: 1m'))).toEqual([
      'gray.yaml: steps[0].load.burst.requests: must be a whole number >= 1, got 0',
      'gray.yaml: steps[0].load.burst.every: must be a duration > 0, got "0s"',
    ]);
    expect(mistakes(load('shape: ramp, concurrency: 3, to: 5, rps: 1, duration: 1m'))).toContain('gray.yaml: steps[0].load.concurrency: a ramp load is open loop: use rps');
    expect(mistakes(load('rps: 5, duration: 1s, to: 9'))).toEqual(['gray.yaml: steps[0].load.to: only a ramp has a final rate']);
    expect(mistakes(load('rps: 5, duration: 1s, shape: sine'))).toEqual(['gray.yaml: steps[0].load.shape: must be constant, ramp, step, burst or trace, got "sine"']);
  });

  it('a trace load names a missing trace file, an unmapped function table and bad minutes', () => {
    const m = mistakes('name: t\nsteps:\n  - load: { name: az, shape: trace, trace: { file: d02.csv, functions: {}, fromMinute: 0, spread: bursty } }\n');
    expect(m).toEqual([
      expect.stringMatching(/^gray\.yaml: steps\[0\]\.load\.trace\.file: file "d02\.csv" does not exist \(looked for .*d02\.csv\)$/),
      'gray.yaml: steps[0].load.trace.functions: needs a map of HashFunction to URL',
      'gray.yaml: steps[0].load.trace.fromMinute: must be a whole number >= 1, got 0',
      'gray.yaml: steps[0].load.trace.spread: must be uniform or poisson, got "bursty"',
    ]);
  });

  it('manifests and apply steps: files that do not exist, neither or both of file and inline', () => {
    expect(mistakes('name: t\nmanifests: [{file: v9.yaml}]\n')).toEqual([expect.stringMatching(/^gray\.yaml: manifests\[0\]\.file: file "v9\.yaml" does not exist/)]);
    expect(mistakes('name: t\nmanifests: [{file: hello.yaml, inline: "x: 1"}]\n')).toEqual(['gray.yaml: manifests[0]: needs exactly one of file and inline']);
    expect(mistakes('name: t\nsteps:\n  - apply: {}\n')).toEqual(['gray.yaml: steps[0].apply: needs exactly one of file and inline']);
    expect(mistakes('name: t\nsteps:\n  - apply: { file: hello.yaml, wait: "no" }\n')).toEqual(['gray.yaml: steps[0].apply.wait: must be true or false, got "no"']);
  });

  it('label and delete need kind and name; label needs labels; duplicate names are refused', () => {
    expect(mistakes('name: t\nsteps:\n  - label: { kind: Service, name: s }\n')).toEqual(['gray.yaml: steps[0].label.labels: required']);
    expect(mistakes('name: t\nsteps:\n  - delete: { name: s }\n')).toEqual(['gray.yaml: steps[0].delete.kind: required']);
    expect(mistakes('name: t\nsteps:\n  - label: { kind: Service, name: s, labels: { a: 1 } }\n')).toEqual(['gray.yaml: steps[0].label.labels.a: must be a string or null, got 1']);
    const dup = `name: t\nsteps:\n  - load: { name: l, url: "http://x/", rps: 1, duration: 1s }\n  - load: { name: l, url: "http://x/", rps: 1, duration: 1s }\n`;
    expect(mistakes(dup)).toEqual(['gray.yaml: steps[1].load.name: another load is already named "l"']);
  });

  it('names the line and column of malformed YAML, and of a duplicated key', () => {
    expect(mistakes('name: t\nsteps:\n  - wait: 1s\n   - wait: 2s\n')[0]).toMatch(/^gray\.yaml:4:\d+: invalid YAML: /);
    expect(mistakes('name: t\nseed: 1\nseed: 2\n')[0]).toMatch(/^gray\.yaml:3:1: invalid YAML: Map keys must be unique/);
  });

  it('a scenario that is not a map is refused as a whole', () => {
    expect(mistakes('- just\n- a list\n')).toEqual(['gray.yaml: a scenario must be a map with name, manifests and steps']);
  });
});

describe('loadScenarioModule', () => {
  it('loads a .mjs module\'s default export with the same checks and relative paths', async () => {
    const d = dir({ 'hello.yaml': HELLO, 'm.mjs': `export default ${JSON.stringify(defineScenario({ name: 'm', manifests: [{ file: 'hello.yaml' }], steps: [{ wait: '1s' }] }))};\n` });
    const loaded = await loadScenarioModule(join(d, 'm.mjs'));
    expect(loaded.spec.name).toBe('m');
    expect(loaded.manifests[0]!.text).toBe(HELLO);
  });

  it('reports the mistakes of a module\'s scenario, naming the module; and a module that does not load', async () => {
    const d = dir({ 'bad.mjs': 'export const scenario = { name: "b", steps: [{ wait: "soon" }] };\n', 'broken.mjs': 'export default {\n' });
    await expect(loadScenarioModule(join(d, 'bad.mjs'))).rejects.toThrow(`${join(d, 'bad.mjs')}: steps[0].wait: time: invalid duration "soon"`);
    await expect(loadScenarioModule(join(d, 'broken.mjs'))).rejects.toThrow(new RegExp(`^${join(d, 'broken.mjs').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot load the module`));
  });
});
