import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, scenarioFiles, ScenarioError } from '../../src/core.js';

/** Issue 15: what a scenario file writes never reaches a prototype, and an alias bomb is a clear error. */
const HELLO = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec: {template: {spec: {containers: [{image: ghcr.io/knative/helloworld-go:latest}]}}}
`;
const scenario = (body: string) => `name: s\nmanifests: [{file: hello.yaml}]\n${body}`;
const files = scenarioFiles({ 'hello.yaml': HELLO });

const polluted = () => (({}) as Record<string, unknown>)['knsim.dev/response'] !== undefined;

describe('scenario keys never reach a prototype (issue 15, security)', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`cluster.config with a ConfigMap named ${key} is refused, naming it`, () => {
      const loaded = parseScenario(scenario(`cluster:\n  config:\n    ${key}: {knsim.dev/response: pwned}\nsteps: []\n`), 's.yaml', files);
      expect(() => runScenario(loaded)).toThrow(new RegExp(`unknown ConfigMap "${key}"`));
      expect(polluted()).toBe(false);
    });

    it(`cluster.latencies.${key} is an unknown latency`, () => {
      const loaded = parseScenario(scenario(`cluster:\n  latencies:\n    ${key}: "const(1ms)"\nsteps: []\n`), 's.yaml', files);
      expect(() => runScenario(loaded)).toThrow(new RegExp(`latencies\\.${key}: unknown latency`));
    });

    it(`a request header ${key} and a step named ${key} are ordinary`, () => {
      const loaded = parseScenario(scenario(`steps:\n  - request: {name: ${JSON.stringify(key)}, url: "http://hello.default.example.com/", headers: {${JSON.stringify(key)}: "v"}}\n`), 's.yaml', files);
      const r = runScenario(loaded);
      expect(r.requests.get(key)!.status).toBe(200);
      expect(polluted()).toBe(false);
      expect(() => parseScenario(scenario(`steps:\n  - ${key}: {}\n`), 's.yaml', files)).toThrow(new RegExp(`unknown step kind "${key}"`));
    });
  }

  it('an alias bomb is a ScenarioError naming the file', () => {
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(() => parseScenario(`name: s\n${bomb}steps: []\n`, 's.yaml', files)).toThrow(ScenarioError);
    expect(() => parseScenario(`name: s\n${bomb}steps: []\n`, 's.yaml', files)).toThrow('s.yaml: invalid YAML: yaml: document contains excessive aliasing');
  });
});

describe('trace replay of very large counts (issue 15)', () => {
  it('a minute of ten billion invocations streams its arrivals in order instead of allocating them', async () => {
    const { traceArrivals } = await import('../../src/core.js');
    const { RngStreams } = await import('@knsim/sim-core');
    const gen = traceArrivals(new RngStreams(1).fork('t'), 'poisson', [1e10], 0);
    let prev = -1;
    for (let i = 0; i < 1000; i++) {
      const t = gen.next().value as number;
      expect(t).toBeGreaterThanOrEqual(prev);
      expect(t).toBeLessThan(60_000);
      prev = t;
    }
    // The first of 1e10 uniform arrivals in a minute comes within microseconds.
    expect(prev).toBeLessThan(0.01);
  });
});

describe('closed-loop users against an address that refuses at once (issue 15)', () => {
  it('do not livelock: a user whose answer took no time waits 1 ms before resending', () => {
    const loaded = parseScenario('name: s\nsteps:\n  - load: {name: refused, url: "http://10.9.9.9/", concurrency: 3, duration: 1s, expect5xx: true}\n', 's.yaml', files);
    const r = runScenario(loaded);
    const load = r.loads.get('refused')!;
    // 3 users × 1000 ms / 1 ms each.
    expect(load.sent).toBe(3000);
    expect(load.completed).toBe(3000);
  });
});

describe('enormous work is refused up front (issue 15)', () => {
  it('rps 1e7 for a minute, a million users', () => {
    expect(() => parseScenario('name: s\nsteps:\n  - load: {name: big, url: "http://x.example.com/", rps: 1e7, duration: 60s}\n', 's.yaml', files)).toThrow(
      "s.yaml: steps[0].load: plans about 6.0e+8 requests, beyond knsim's limit of 1e+8 per load (docs/limits.md)",
    );
    expect(() => parseScenario('name: s\nsteps:\n  - load: {name: big, url: "http://x.example.com/", concurrency: 1000000, duration: 60s}\n', 's.yaml', files)).toThrow(
      /concurrency: must be at most 100000 users/,
    );
  });

  it('rps: .inf and a seed above 2^53 say what they are (not "got null")', () => {
    expect(() => parseScenario('name: s\nsteps:\n  - load: {name: l, url: "http://x.example.com/", rps: .inf, duration: 1s}\n', 's.yaml', files)).toThrow('s.yaml: steps[0].load.rps: must be a number > 0, got .inf');
    expect(() => parseScenario('name: s\nseed: 9007199254740993\nsteps: []\n', 's.yaml', files)).toThrow(/seed: must be a whole number of at most 2\^53-1 in size/);
  });
});

describe('fault steps (issue 15)', () => {
  const APP = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: app}
spec: {template: {metadata: {annotations: {autoscaling.knative.dev/min-scale: "2"}}, spec: {containers: [{image: example.com/app:1}]}}}
`;
  const appFiles = scenarioFiles({ 'app.yaml': APP, 'slow.yaml': APP.replace('min-scale: "2"', 'min-scale: "2", knsim.dev/service-time: "const(500ms)"') });

  it('deletePod: the pod drains, a replacement starts, the fault is recorded, and every request is answered', () => {
    const loaded = parseScenario(
      'name: f\nmanifests: [{file: app.yaml}]\nsteps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 40s, background: true}\n  - wait: 10s\n  - fault: {deletePod: {revision: app-00001}}\n  - wait: 35s\n',
      'f.yaml',
      appFiles,
    );
    const r = runScenario(loaded);
    expect(r.faults).toHaveLength(1);
    const f = r.faults[0]!;
    expect(f).toMatchObject({ fault: 'deletePod', revision: 'app-00001' });
    const watch = r.podWatch.get('app-00001')!;
    expect(watch.some((w) => w.pod === f.pod && w.status === 'Terminating' && w.tMs === f.tMs)).toBe(true);
    expect(new Set(watch.filter((w) => w.tMs >= f.tMs && w.status === 'Pending').map((w) => w.pod)).size).toBe(1);
    const l = r.loads.get('l')!;
    expect(l.completed).toBe(l.sent);
    expect([...l.byStatus.keys()]).toEqual(['200']);
  });

  it('killPod: the requests on the pod fail at once (no drain), a replacement starts, the fault is recorded, every request is answered', () => {
    const loaded = parseScenario(
      'name: f\nmanifests: [{file: slow.yaml}]\nsteps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 40s, background: true}\n  - wait: 10s\n  - fault: {killPod: {revision: app-00001}}\n  - wait: 35s\n',
      'f.yaml',
      appFiles,
    );
    const r = runScenario(loaded);
    expect(r.faults).toHaveLength(1);
    const f = r.faults[0]!;
    expect(f).toMatchObject({ fault: 'killPod', revision: 'app-00001' });
    expect(r.steps[2]!.what).toBe('fault: kill pod (the oldest of app-00001)');
    const watch = r.podWatch.get('app-00001')!;
    // No Terminating: the pod is gone at once.
    expect(watch.some((w) => w.pod === f.pod && w.status === 'Terminating')).toBe(false);
    expect(watch.filter((w) => w.pod === f.pod && w.tMs >= f.tMs)).toEqual([]);
    expect(new Set(watch.filter((w) => w.tMs >= f.tMs && w.status === 'Pending').map((w) => w.pod)).size).toBe(1);
    const l = r.loads.get('l')!;
    expect(l.completed).toBe(l.sent);
    expect([...l.byStatus.keys()].sort()).toContain('200');
    expect([...l.byStatus.keys()].filter((s) => s !== '200').length).toBeGreaterThan(0);
  });

  it('appErrors and appSlow: windows of 500s and of slow answers, recorded with their end, then recovery', () => {
    const loaded = parseScenario(
      'name: f\nmanifests: [{file: app.yaml}]\nsteps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 40s, background: true}\n  - wait: 5s\n  - fault: {appErrors: {revision: app-00001, fraction: 0.5, duration: 10s}}\n  - wait: 15s\n  - fault: {appSlow: {revision: app-00001, latency: 2s, duration: 5s}}\n  - wait: 25s\n',
      'f.yaml',
      appFiles,
    );
    const r = runScenario(loaded);
    expect(r.faults.map((f) => [f.fault, f.endMs! - f.tMs])).toEqual([
      ['appErrors', 10_000],
      ['appSlow', 5_000],
    ]);
    expect(r.steps[2]!.what).toBe('fault: app-00001 answers 500 to 0.5 of requests for 10s');
    const l = r.loads.get('l')!;
    expect(l.completed).toBe(l.sent);
    const errors = l.byStatus.get('500') ?? 0;
    expect(errors).toBeGreaterThan(150);
    expect(errors).toBeLessThan(350);
    expect(l.latencies.some((ms) => ms >= 2_000)).toBe(true);
  });

  it('imagePullFailure: recorded with its end; a malformed one names its field', () => {
    const r = runScenario(parseScenario('name: f\nmanifests: [{file: app.yaml}]\nsteps:\n  - fault: {imagePullFailure: {revision: app-00001, duration: 30s}}\n  - wait: 40s\n', 'f.yaml', appFiles));
    expect(r.faults.map((f) => [f.fault, f.revision, f.endMs! - f.tMs])).toEqual([['imagePullFailure', 'app-00001', 30_000]]);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {imagePullFailure: {revision: a}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.imagePullFailure\.duration: required/);
  });

  it('drainNode: the node\'s pods drain and are replaced elsewhere, recorded with the evicted pods, every request answered 200', () => {
    const r = runScenario(
      parseScenario(
        'name: f\nmanifests: [{file: app.yaml}]\nsteps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 60s, background: true}\n  - wait: 5s\n  - fault: {drainNode: {node: node-1}}\n  - wait: 60s\n',
        'f.yaml',
        appFiles,
      ),
    );
    const f = r.faults[0]!;
    expect(f).toMatchObject({ fault: 'drainNode', node: 'node-1' });
    expect(f.pods!.length).toBeGreaterThan(0);
    expect(r.steps[2]!.what).toBe('fault: drain node-1');
    expect(r.cluster.pods('app-00001').map((p) => p.node)).not.toContain('node-1');
    const l = r.loads.get('l')!;
    expect(l.completed).toBe(l.sent);
    expect([...l.byStatus.keys()]).toEqual(['200']);
    expect(() => runScenario(parseScenario('name: f\nsteps:\n  - fault: {drainNode: {node: node-7}}\n', 'f.yaml', appFiles))).toThrow(/steps\[0\]\.fault\.drainNode: .*nodes "node-7" not found/);
  });

  const loadThen = (fault: string, wait = '60s') =>
    `name: f\nmanifests: [{file: app.yaml}]\nsteps:\n  - load: {name: l, url: "http://app.default.example.com/", rps: 50, duration: 30s, background: true}\n  - wait: 5s\n  - fault: ${fault}\n  - wait: ${wait}\n`;

  it('restartActivator and restartGateway: recorded with the pod, the requests reset and when it is Ready again; the load counts their failures; every request answered', () => {
    for (const [fault, kind, status] of [
      ['{restartActivator: {}}', 'restartActivator', '503'],
      ['{restartGateway: {}}', 'restartGateway', '0'],
    ] as const) {
      const r = runScenario(parseScenario(loadThen(fault), 'f.yaml', appFiles));
      const f = r.faults[0]!;
      expect(f.fault).toBe(kind);
      expect(f.pod).toMatch(kind === 'restartActivator' ? /^activator-/ : /^istio-ingressgateway-/);
      expect(f.requestsReset).toBeGreaterThanOrEqual(0);
      expect(f.endMs! - f.tMs).toBeGreaterThan(0);
      expect(f.endMs! - f.tMs).toBeLessThan(6_000);
      expect(r.steps[2]!.what).toBe(kind === 'restartActivator' ? 'fault: restart activator (the first)' : 'fault: restart gateway (the first of istio-ingressgateway)');
      const l = r.loads.get('l')!;
      expect(l.completed).toBe(l.sent);
      if (kind === 'restartGateway') expect(l.byStatus.get(status) ?? 0).toBeGreaterThan(0);
    }
    expect(() => runScenario(parseScenario('name: f\nsteps:\n  - fault: {restartGateway: {pod: nope}}\n', 'f.yaml', appFiles))).toThrow(/steps\[0\]\.fault\.restartGateway: .*pods "nope" not found/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {restartActivator: {pod: 3}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.restartActivator\.pod: /);
  });

  it('loseNode: recorded with the pods on the node and when they went NotReady and were evicted', () => {
    const r = runScenario(parseScenario(loadThen('{loseNode: {node: node-1}}', '400s'), 'f.yaml', appFiles));
    const f = r.faults[0]!;
    expect(f).toMatchObject({ fault: 'loseNode', node: 'node-1' });
    expect(f.notReadyMs! - f.tMs).toBe(40_000);
    expect(f.evictedMs! - f.tMs).toBe(340_000);
    expect(r.steps[2]!.what).toBe('fault: lose node-1 (no drain)');
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {loseNode: {}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.loseNode\.node: required/);
  });

  it('slowControlPlane: recorded with its end; malformed delays name their field', () => {
    const r = runScenario(parseScenario(loadThen('{slowControlPlane: {istioPush: 5s, endpoints: 2s, duration: 20s}}'), 'f.yaml', appFiles));
    expect(r.faults.map((f) => [f.fault, f.endMs! - f.tMs])).toEqual([['slowControlPlane', 20_000]]);
    expect(r.steps[2]!.what).toBe('fault: slow control plane (Istio push +5s, endpoints +2s) for 20s');
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {slowControlPlane: {istioPush: fast, duration: 1s}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.slowControlPlane\.istioPush: /);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {slowControlPlane: {istioPush: 1s}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.slowControlPlane\.duration: required/);
  });

  it('26 revisions idle for 720 h: runs to the end with bounded records (issue 15, docs/limits.md)', () => {
    const names = Array.from({ length: 26 }, (_, i) => `s${String.fromCharCode(97 + i)}`);
    const manifests = names.map((n) => `  - inline: |\n      apiVersion: serving.knative.dev/v1\n      kind: Service\n      metadata: {name: ${n}}\n      spec:\n        template:\n          spec:\n            containers: [{image: app}]\n`).join('');
    const steps = names.map((n) => `  - request: {name: r${n}, url: "http://${n}.default.example.com/"}\n`).join('');
    const r = runScenario(parseScenario(`name: idle\nmanifests:\n${manifests}steps:\n${steps}  - wait: 720h\n`, 'f.yaml', appFiles));
    expect(r.simulatedMs).toBeGreaterThan(720 * 3_600_000);
    expect([...r.requests.values()].every((x) => x.status === 200)).toBe(true);
    expect(r.revisions.size).toBe(26);
    for (const rev of r.revisions.values()) expect(rev.timeline.length).toBeLessThan(200);
    for (const lines of r.podWatch.values()) expect(lines.length).toBeLessThan(20);
  });

  it('a malformed app fault names its field', () => {
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {appErrors: {revision: a, fraction: 2, duration: 1s}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.appErrors\.fraction: must be a number from 0 to 1, got 2/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {appSlow: {revision: a, duration: 1s}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.appSlow\.latency: required/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {appErrors: {revision: a, fraction: 0.1, duration: 1s, pod: x}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.appErrors\.pod: unknown field/);
  });

  it('a fault on a revision that does not exist, or a malformed fault, is a ScenarioError naming the step', () => {
    expect(() => runScenario(parseScenario('name: f\nsteps:\n  - fault: {deletePod: {revision: nope-00001}}\n', 'f.yaml', appFiles))).toThrow(/f\.yaml: steps\[0\]\.fault\.deletePod: revision default\/nope-00001 not found/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {killNode: {}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault\.killNode: unknown field \(allowed: deletePod, killPod, appErrors, appSlow, imagePullFailure, drainNode, loseNode, restartActivator, restartGateway, slowControlPlane\)/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault: must have one fault \(deletePod, killPod, appErrors, appSlow, imagePullFailure, drainNode, loseNode, restartActivator, restartGateway, slowControlPlane\)/);
    expect(() => parseScenario('name: f\nsteps:\n  - fault: {deletePod: {revision: a}, killPod: {revision: a}}\n', 'f.yaml', appFiles)).toThrow(/steps\[0\]\.fault: must have exactly one fault, got deletePod, killPod/);
  });
});
