import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster, type ClientRequest } from '@knsim/sim-core';
import { parseScenario, runScenario, ScenarioError, type RunOptions, type RunResult } from '../../src/index.js';

const HELLO = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest}]\n';
const URL = 'http://hello.default.example.com/';
const TRACE = 'HashOwner,HashApp,HashFunction,Trigger,1,2,3\no,a,f1,http,3,4,5\no,a,f2,timer,1,1,1\n';

/** Runs `steps` (YAML list items) against the hello service on a fresh cluster. */
function run(steps: string, opts: RunOptions = {}): RunResult {
  const d = mkdtempSync(join(tmpdir(), 'knsim-run-'));
  writeFileSync(join(d, 'hello.yaml'), HELLO);
  writeFileSync(join(d, 'd01.csv'), TRACE);
  return runScenario(parseScenario(`name: t\nseed: 11\nmanifests: [{file: hello.yaml}]\nsteps:\n${steps}`, join(d, 't.yaml')), opts);
}

/** Wraps Cluster.send to count each tag's requests in flight at once. */
function watchInFlight(): Map<string, { now: number; max: number }> {
  const byTag = new Map<string, { now: number; max: number }>();
  const send = Cluster.prototype.send;
  vi.spyOn(Cluster.prototype, 'send').mockImplementation(function (this: Cluster, req: ClientRequest) {
    const c = byTag.get(req.tag ?? '') ?? { now: 0, max: 0 };
    byTag.set(req.tag ?? '', c);
    c.now++;
    c.max = Math.max(c.max, c.now);
    const ev = send.call(this, req);
    ev.addCallback(() => c.now--);
    return ev;
  });
  return byTag;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runScenario: loads', () => {
  it('counts every request of an open-loop load: sent, answered, by status and by revision', () => {
    const r = run(`  - load: { name: l, url: "${URL}", rps: 20, arrival: uniform, duration: 5s }\n`);
    const l = r.loads.get('l')!;
    expect(l.sent).toBe(100);
    expect(l.completed).toBe(100);
    expect(l.latencies).toHaveLength(100);
    expect([...l.byStatus]).toEqual([['200', 100]]);
    expect([...l.byRevision]).toEqual([['hello-00001', 100]]);
    expect(l.latencies.every((x) => x > 0)).toBe(true);
  });

  it('a load step lasts its whole duration (and until its answers are in) before the next step starts', () => {
    // One request a second for 10 s: the last is sent at 9 s, but the step is 10 s long.
    const r = run(`  - load: { name: l, url: "${URL}", rps: 1, arrival: uniform, duration: 10s }\n  - request: { name: after, url: "${URL}" }\n`);
    const l = r.loads.get('l')!;
    expect(l.sent).toBe(10);
    expect(l.endMs).toBeGreaterThanOrEqual(l.startMs + 10_000);
    expect(r.requests.get('after')!.startMs).toBeGreaterThanOrEqual(l.endMs);
  });

  it('a background load runs alongside the following steps and is waited for at the end', () => {
    const r = run(
      `  - load: { name: bg, url: "${URL}", rps: 20, duration: 10s, background: true }
  - wait: 3s
  - request: { name: during, url: "${URL}" }
  - load: { name: fg, url: "${URL}", rps: 10, duration: 2s }
`,
    );
    const bg = r.loads.get('bg')!;
    const fg = r.loads.get('fg')!;
    const during = r.requests.get('during')!;
    expect(during.startMs).toBeGreaterThanOrEqual(bg.startMs + 3000);
    expect(during.startMs).toBeLessThan(bg.startMs + 10_000);
    expect(fg.startMs).toBeLessThan(bg.endMs);
    expect(bg.endMs).toBeGreaterThanOrEqual(bg.startMs + 10_000);
    expect(bg.completed).toBe(bg.sent);
    expect(r.simulatedMs).toBeGreaterThanOrEqual(bg.endMs);
  });

  it('a closed loop keeps exactly N requests in flight, never more, and counts them all', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), (n) => {
        const inFlight = watchInFlight();
        const r = run(`  - load: { name: users, url: "${URL}", concurrency: ${n}, duration: 2s }\n`);
        vi.restoreAllMocks();
        const l = r.loads.get('users')!;
        expect(inFlight.get('users')!.max).toBe(n);
        expect(l.completed).toBe(l.sent);
        expect(l.endMs).toBeGreaterThanOrEqual(l.startMs + 2000);
      }),
      { numRuns: 6 },
    );
  });

  it('a closed loop with think time sends about duration / (latency + think) per user', () => {
    const r = run(`  - load: { name: users, url: "${URL}", concurrency: 4, think: 100ms, duration: 10s }\n`);
    const l = r.loads.get('users')!;
    const mean = l.latencies.reduce((a, b) => a + b, 0) / l.latencies.length;
    const perUser = 10_000 / (mean + 100);
    expect(l.sent).toBeGreaterThanOrEqual(4 * Math.floor(perUser));
    expect(l.sent).toBeLessThanOrEqual(4 * Math.ceil(perUser));
  });

  it('replays a trace: each mapped function its minutes from fromMinute, over the replayed window', () => {
    const r = run(`  - load: { name: az, shape: trace, trace: { file: d01.csv, functions: { f1: "${URL}", f2: "${URL}" }, fromMinute: 2, minutes: 2, spread: uniform } }\n`);
    const l = r.loads.get('az')!;
    expect(l.sent).toBe(4 + 5 + 1 + 1);
    expect(l.completed).toBe(l.sent);
    expect(l.endMs).toBeGreaterThanOrEqual(l.startMs + 120_000);
  });

  it('a trace function missing from the file is a mistake naming the step and field', () => {
    const bad = () => run(`  - load: { name: az, shape: trace, trace: { file: d01.csv, functions: { f9: "${URL}" } } }\n`);
    expect(bad).toThrow(ScenarioError);
    expect(bad).toThrow(/t\.yaml: steps\[0\]\.load\.trace\.functions\.f9: no function with HashFunction "f9" in d01\.csv$/);
  });
});

describe('runScenario: requests', () => {
  it('records the whole response of a named request: status, body, revision, pod and hops', () => {
    const r = run(`  - request: { name: outside, url: "${URL}" }\n  - request: { name: inside, url: "http://hello.default/", fromNamespace: default, method: POST, body: hi }\n`);
    for (const name of ['outside', 'inside']) {
      const q = r.requests.get(name)!;
      expect(q.status).toBe(200);
      expect(q.body).toContain('Hello World');
      expect(q.revision).toBe('hello-00001');
      expect(q.pod).toMatch(/^hello-00001-deployment-/);
      expect(q.hops.map((h) => h.component)).toContain('queue-proxy');
      expect(q.hops.at(-1)!.component).toBe('app');
    }
    expect(r.requests.get('outside')!.hops.map((h) => h.component)).toContain('gateway');
  });

  it('cluster.clusterDomain sets Kubernetes\' cluster domain; a bad one names the scenario', () => {
    const d = mkdtempSync(join(tmpdir(), 'knsim-run-'));
    writeFileSync(join(d, 'hello.yaml'), HELLO);
    const scenario = (cd: string) => `name: t\ncluster: { clusterDomain: ${cd} }\nmanifests: [{file: hello.yaml}]\nsteps:\n  - request: { name: in, url: "http://hello.default.svc.corp.internal/", fromNamespace: default }\n`;
    const r = runScenario(parseScenario(scenario('corp.internal'), join(d, 't.yaml')));
    expect(r.requests.get('in')!.body).toContain('Hello World');
    expect(() => runScenario(parseScenario(scenario('Corp'), join(d, 't.yaml')))).toThrow(/t\.yaml: cluster: clusterDomain: Invalid value: "Corp"/);
  });
  it("cluster.nodeResources sets each node's allocatable resources: pods that do not fit stay Pending; a bad one names the scenario", () => {
    const d = mkdtempSync(join(tmpdir(), 'knsim-run-'));
    const big = HELLO.replace('spec:\n  template:\n    spec:', 'spec:\n  template:\n    metadata: {annotations: {autoscaling.knative.dev/min-scale: "2"}}\n    spec:').replace('[{image: ghcr.io/knative/helloworld-go:latest}]', '[{image: ghcr.io/knative/helloworld-go:latest, resources: {requests: {cpu: "1"}}}]');
    writeFileSync(join(d, 'hello.yaml'), big);
    const scenario = (nr: string) => `name: t\ncluster: { nodes: 1, nodeResources: ${nr} }\nsteps:\n  - apply: {file: hello.yaml, wait: false}\n  - wait: 20s\n`;
    let pending = 0;
    runScenario(parseScenario(scenario('{cpu: "1500m", pods: "10"}'), join(d, 't.yaml')), {
      traceListeners: [(e) => e.type === 'pod.phase' && e.reason.startsWith('FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu.') && pending++],
    });
    expect(pending).toBeGreaterThan(0);
    expect(() => runScenario(parseScenario(scenario('{cpu: lots}'), join(d, 't.yaml')))).toThrow(/t\.yaml: cluster: nodeResources\.cpu: "lots" is not a positive quantity/);
  });
});

describe('runScenario: progress', () => {
  const steps = `  - load: { name: p, url: "${URL}", rps: 30, duration: 5s }
  - load: { name: c, url: "${URL}", concurrency: 2, duration: 1s, background: true }
  - request: { name: probe, url: "${URL}" }
`;

  it('onProgress sees the simulated clock move forward and, at the end, every answer', () => {
    const calls: Array<[number, number]> = [];
    const r = run(steps, { onProgress: (t, n) => calls.push([t, n]) });
    expect(calls.length).toBeGreaterThan(1);
    for (let i = 1; i < calls.length; i++) {
      expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
      expect(calls[i]![1]).toBeGreaterThanOrEqual(calls[i - 1]![1]);
    }
    const answered = [...r.loads.values()].reduce((a, l) => a + l.completed, 0) + r.requests.size;
    expect(calls.at(-1)).toEqual([r.simulatedMs, answered]);
  });
});

describe('runScenario: revisions', () => {
  it("keeps each revision's timeline, max ready pods and cold starts as plain data, by name", () => {
    const r = run(`  - load: { name: p, url: "${URL}", rps: 30, duration: 5s }\n`);
    expect([...r.revisions.keys()]).toEqual(r.cluster.revisionNames());
    const rt = r.cluster.revision('hello-00001');
    const rev = r.revisions.get('hello-00001')!;
    expect(rev).toEqual({ timeline: rt.timeline, maxReadyPods: rt.maxReadyPods, coldStarts: rt.coldStarts });
    expect(rev.timeline).not.toBe(rt.timeline);
    expect(rev.maxReadyPods).toBeGreaterThanOrEqual(1);
  });
});
