import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { Environment } from '../../src/engine/environment.js';
import type { Event } from '../../src/engine/event.js';
import { NodeCpu, CFS_PERIOD_MS, SystemPodCpu } from '../../src/k8s/cpu.js';
import { quantityValue } from '../../src/k8s/quantity.js';
import { makeNodeAllocatable } from '../../src/k8s/resources.js';
import { Scheduler } from '../../src/k8s/scheduler.js';
import { hey, summarize } from '../calibration/hey-load.js';
import { condition, object } from '../conformance/helpers.js';

/** Runs `cpuMs` jobs on a group and returns when each finished. */
function finishTimes(env: Environment, starts: Array<{ at: number; group: Pick<SystemPodCpu, 'run'> & { end?(ev: Event<any>): void }; cpuMs: number; minWallMs?: number }>): number[] {
  const out: number[] = [];
  starts.forEach((s, i) => {
    env.process(
      (function* () {
        yield* env.timeout(s.at);
        const ev = s.group.run(s.cpuMs, 0, s.minWallMs ?? 0);
        yield ev;
        s.group.end?.(ev);
        out[i] = env.now;
      })(),
    );
  });
  env.run();
  return out;
}

describe('Kubernetes quantities (apimachinery resource.Quantity)', () => {
  it('reads millicores, binary and decimal suffixes and exponents', () => {
    expect(quantityValue('25m')).toBeCloseTo(0.025);
    expect(quantityValue('2')).toBe(2);
    expect(quantityValue('128Mi')).toBe(128 * 2 ** 20);
    expect(quantityValue('1G')).toBe(1e9);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('abc')).toBeNaN();
  });
});

describe('CPU: processor sharing within a node, CFS quota for a limit', () => {
  it('work that fits runs at a full core; more work than cores shares them (10 ms takes longer when the node is busy)', () => {
    const env = new Environment();
    const g = new NodeCpu(env, 1).group('app', 0, 0);
    // One job alone: 10 ms. Four at once on one core: each at a quarter core, all done at 40 ms.
    expect(finishTimes(env, [{ at: 0, group: g, cpuMs: 10 }])).toEqual([10]);
    const env2 = new Environment();
    const g2 = new NodeCpu(env2, 1).group('app', 0, 0);
    const t = finishTimes(env2, [0, 0, 0, 0].map(() => ({ at: 0, group: g2, cpuMs: 10 })));
    // The first found the core idle and runs to its end; the other three share what is left.
    expect(t[0]).toBeCloseTo(10);
    for (const x of t.slice(1)) expect(x).toBeCloseTo(40);
  });

  it("a shared job's end is one event: its waiter's event is due at the end of its wall time, no timeout in between", () => {
    const env = new Environment();
    const g = new NodeCpu(env, 1).group('app', 0, 0);
    // A takes the core (0..10, one timeout, done at 30 by its wall time); B (10 ms of CPU, 30 ms
    // of wall time at least) waits for A's core: the CPU timer at 10 (A's CPU ends), the one at
    // 20 (B's CPU ends), then B's own event at 30.
    const t = finishTimes(env, [
      { at: 0, group: g, cpuMs: 10, minWallMs: 30 },
      { at: 0, group: g, cpuMs: 10, minWallMs: 30 },
    ]);
    expect(t).toEqual([30, 30]);
    // Each process: its start (URGENT), its timeout(0) before run and its own end; then A's
    // timeout, the CPU timers at 10 and 20, and B's event at 30.
    expect(env.eventsProcessed).toBe(2 * 3 + 4);
  });

  it('a later arrival slows the work already shared (recomputed on arrival and departure)', () => {
    const env = new Environment();
    const cpu = new NodeCpu(env, 1);
    const g = cpu.group('app', 0, 0);
    // Two jobs of 10 ms share the core from 0 (both slow after the first is on a full core):
    // job A full core 0..10; B and C (20 ms) arrive at 0 and 5.
    const t = finishTimes(env, [
      { at: 0, group: g, cpuMs: 10 },
      { at: 0, group: g, cpuMs: 10 },
      { at: 5, group: g, cpuMs: 5 },
    ]);
    // A runs alone at a full core: 10. B has no core until A ends (the core is A's), then shares
    // with C from 10: both at half a core; C (5 ms) ends at 20, B then alone ends at 25.
    expect(t[0]).toBeCloseTo(10);
    expect(t[2]).toBeCloseTo(20);
    expect(t[1]).toBeCloseTo(25);
  });

  it('containers share a busy node by their CPU requests (cpu.shares)', () => {
    const env = new Environment();
    const cpu = new NodeCpu(env, 2);
    const fill = cpu.group('fill', 0, 0);
    const small = cpu.group('small', 0.5, 0);
    const big = cpu.group('big', 1.5, 0);
    const t = finishTimes(env, [
      { at: 0, group: fill, cpuMs: 1 },
      { at: 0, group: fill, cpuMs: 1 },
      ...[0, 1, 2, 3].map(() => ({ at: 0, group: small, cpuMs: 10 })),
      ...[0, 1, 2, 3].map(() => ({ at: 0, group: big, cpuMs: 30 })),
    ]);
    // The two fill jobs take both cores until 1 ms; then small gets 0.5 core (4 jobs × 10 ms = 40 ms of work → 80 ms), big 1.5 cores (120 ms → 80 ms).
    for (const x of t.slice(2, 6)) expect(x).toBeCloseTo(81);
    for (const x of t.slice(6)) expect(x).toBeCloseTo(81);
  });

  it('a CPU limit is a CFS quota: 200 ms of work under a 500m limit runs 50 ms of every 100 ms period', () => {
    const env = new Environment();
    const g = new NodeCpu(env, 4).group('limited', 0.5, 0.5);
    expect(CFS_PERIOD_MS).toBe(100);
    // Periods 0–100, 100–200, 200–300: 50 ms each; the last 50 ms in 300–350.
    expect(finishTimes(env, [{ at: 0, group: g, cpuMs: 200 }])[0]).toBeCloseTo(350);
    // A short burst within the quota is not slowed (CFS lets it use a full core).
    const env2 = new Environment();
    const g2 = new NodeCpu(env2, 4).group('limited', 0.5, 0.5);
    expect(finishTimes(env2, [{ at: 0, group: g2, cpuMs: 20 }])[0]).toBeCloseTo(20);
  });

  it('work beside a sleep takes the longer of the two (a Go handler waiting on its goroutines)', () => {
    const env = new Environment();
    const g = new NodeCpu(env, 1).group('app', 0, 0);
    expect(finishTimes(env, [{ at: 0, group: g, cpuMs: 10, minWallMs: 100 }])).toEqual([100]);
  });
});

describe("CPU of a system pod (the gateway's Envoy, the activator): its cores in arrival order", () => {
  it('runs each piece to its end on the core that frees first: a busy activator queues, it does not share', () => {
    // One core, three 1 ms pieces at once: 1, 2, 3 ms (shared, the two waiting would both end at 3).
    const env = new Environment();
    const cpu = new SystemPodCpu(env, 'activator', 1);
    expect(finishTimes(env, [0, 0, 0].map((at) => ({ at, group: cpu, cpuMs: 1 })))).toEqual([1, 2, 3]);
    // Two cores, four pieces: two at a time.
    const env2 = new Environment();
    const gw = new SystemPodCpu(env2, 'gateway', 2);
    expect(finishTimes(env2, [0, 0, 0, 0].map((at) => ({ at, group: gw, cpuMs: 1 })))).toEqual([1, 1, 2, 2]);
    expect(gw.usedMs).toBe(4);
  });

  it('an idle core starts the work at once, and the wall time a piece waits beside it still counts', () => {
    const env = new Environment();
    const cpu = new SystemPodCpu(env, 'activator', 1);
    // Free core at 5: ends at 6. Busy until 6 at 5.5: starts at 6, ends at 7, but takes 3 ms of wall time at least.
    expect(
      finishTimes(env, [
        { at: 5, group: cpu, cpuMs: 1 },
        { at: 5.5, group: cpu, cpuMs: 1, minWallMs: 3 },
        { at: 20, group: cpu, cpuMs: 1 },
      ]),
    ).toEqual([6, 8.5, 21]);
  });
});

describe('scheduling by requests (kube-scheduler NodeResourcesFit)', () => {
  const pod = (name: string, cpu: number) => ({ name, key: 'default/a-00001', image: 'img', requests: { cpu, memory: 0 }, scoringRequests: { cpu, memory: 2e8 } });

  it('a pod that fits on no node stays Pending with the FitError message, and is placed when room is freed', () => {
    const s = new Scheduler(new Environment(), 3, makeNodeAllocatable({ cpu: '4', memory: '8Gi' }));
    expect(['p1', 'p2', 'p3'].map((n) => s.pickNode(pod(n, 3)))).toEqual(['node-1', 'node-2', 'node-3']);
    expect(s.pickNode(pod('p4', 3))).toBeNull();
    expect(s.unschedulableMessage(pod('p4', 3))).toBe('0/3 nodes are available: 3 Insufficient cpu.');
    s.release('p2');
    expect(s.pickNode(pod('p4', 3))).toBe('node-2');
  });

  it('a cluster whose pods request more CPU than the nodes have leaves the rest Pending (FailedScheduling)', () => {
    const c = new Cluster({ seed: 3, nodes: 2, nodeResources: { cpu: '2' } });
    const reasons: string[] = [];
    c.trace.on('pod.phase', (e) => reasons.push(e.reason));
    c.apply(`apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: big
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "3"
    spec:
      containers:
      - image: example.com/app:v1
        resources:
          requests:
            cpu: 1500m
`);
    c.runFor(30_000);
    expect(c.revision('big-00001').readyPods.length).toBe(2);
    expect(reasons).toContain('FailedScheduling: 0/2 nodes are available: 2 Insufficient cpu.');
    const pending = c.pods('big-00001').filter((p) => p.node === null);
    expect(pending.length).toBe(1);
  });

  it('bad nodeResources are the user\'s mistake, named by field', () => {
    expect(() => new Cluster({ nodeResources: { cpu: 'lots' } })).toThrow(/nodeResources.cpu: "lots" is not a positive quantity/);
    expect(() => new Cluster({ nodeResources: { gpu: 1 } as never })).toThrow(/nodeResources.gpu: unknown field/);
  });
});

const SERVICE = (limits: string) => `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: autoscale-go
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/min-scale: "1"
        autoscaling.knative.dev/max-scale: "1"
    spec:
      containers:
      - image: ghcr.io/knative/autoscale-go:latest
${limits}`;

describe('the app\'s CPU and memory on its pod', () => {
  it('CPU-bound requests slow each other down on one pod (processor sharing), sleeps do not', () => {
    const lat = (query: string, c: number) => {
      const cl = new Cluster({ seed: 5, nodes: 1, nodeResources: { cpu: '1' } });
      cl.apply(SERVICE(''));
      cl.waitForReady();
      return summarize(hey(cl, `http://autoscale-go.default.example.com/?${query}`, { c, durationMs: 10_000 }), 10_000);
    };
    // prime=4000000 is ~100 ms of CPU (docs/calibration.md): 8 at once on one core take ~8 times as long.
    const one = lat('prime=4000000', 1);
    const eight = lat('prime=4000000', 8);
    expect(one.p50).toBeGreaterThan(0.1);
    expect(eight.p50 / one.p50).toBeGreaterThan(6);
    // A sleep takes no CPU: 8 sleepers are as fast as one.
    expect(lat('sleep=100', 8).p50).toBeLessThan(0.11);
  });

  it('memory over the container\'s limit: OOMKilled (137), the requests inside fail with 502, kubelet restarts it under CrashLoopBackOff', () => {
    const c = new Cluster({ seed: 2 });
    const reasons: string[] = [];
    c.trace.on('pod.phase', (e) => reasons.push(e.reason));
    c.apply(SERVICE('        resources:\n          limits:\n            memory: 256Mi\n'));
    c.waitForReady();
    const rs = hey(c, 'http://autoscale-go.default.example.com/?bloat=100&sleep=500', { c: 3, durationMs: 40_000 });
    const s = summarize(rs, 40_000);
    expect(s.statuses['502']).toBeGreaterThan(0);
    expect(reasons.some((r) => r === 'Container user-container OOMKilled (exit code 137)')).toBe(true);
    expect(reasons).toContain('BackOff: Back-off restarting failed container user-container');
    // kubectl get pod -o yaml: lastState.terminated of the user container.
    const pod = c.inspect().objects.find((o) => o.kind === 'Pod' && o.metadata.name.startsWith('autoscale-go-00001')) as unknown as { status: { containerStatuses: Array<{ name: string; lastState?: { terminated?: { reason: string; exitCode: number } } }> } };
    const user = pod.status.containerStatuses.find((x) => x.name === 'user-container')!;
    expect(user.lastState?.terminated).toEqual({ reason: 'OOMKilled', exitCode: 137 });
    expect(c.pods('autoscale-go-00001')[0]!.restarts).toBeGreaterThanOrEqual(2);
    // The Revision had been Ready: Knative's PropagateAutoscalerStatus (revision_lifecycle.go)
    // re-marks ContainerHealthy True on every reconcile once the scale target is initialized, so
    // the exit check of reconcile_resources.go never sticks; the Revision stays Ready.
    const rev = object(c, 'Revision', 'autoscale-go-00001');
    expect(['Ready', 'ContainerHealthy', 'ResourcesAvailable'].map((t) => condition(rev, t)?.status)).toEqual(['True', 'True', 'True']);
  });

  it('within the limit nothing is killed', () => {
    const c = new Cluster({ seed: 2 });
    c.apply(SERVICE('        resources:\n          limits:\n            memory: 512Mi\n'));
    c.waitForReady();
    const s = summarize(hey(c, 'http://autoscale-go.default.example.com/?bloat=100&sleep=500', { c: 3, durationMs: 10_000 }), 10_000);
    expect(s.statuses).toEqual({ 200: s.requests });
    expect(c.pods('autoscale-go-00001')[0]!.restarts).toBe(0);
  });
});
