import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { closedLoop, svc } from './load-helpers.js';

const URL = 'http://app.default.example.com/';

function readyCluster(yaml: string, opts: ConstructorParameters<typeof Cluster>[0] = {}) {
  const c = new Cluster({ seed: 5, ...opts });
  c.apply(yaml);
  c.waitForReady();
  return c;
}

describe('scale to zero and from zero', () => {
  it('goes to zero after the stable window and grace period once traffic stops, then a request wakes it through the activator', () => {
    const c = readyCluster(svc('app'));
    const rev = c.revision('app-00001');
    const phases: string[] = [];
    c.trace.on('pod.phase', (e) => phases.push(`${e.phase} ${e.ready}`));
    c.runFor(120_000);
    expect(c.pods('app-00001').filter((p) => p.status !== 'Terminated')).toHaveLength(0);
    expect(phases).toContain('Terminating 1/2');
    expect(phases.at(-1)).toBe('Terminated 0/2');
    expect(rev.replicas).toBe(0);
    const r = c.request({ url: URL });
    expect(r.status).toBe(200);
    expect(r.hops.map((h) => h.component)).toContain('activator');
    // the cold start (scheduling, sandbox, containers, app start, probes) is in the latency
    expect(r.latencyMs).toBeGreaterThan(300);
    expect(c.coldStarts('app-00001')).toBe(1);
  });

  it('counts a cold start only when the Deployment scales up from zero, not when the decider changes its mind while the pod still runs', () => {
    // routing-across-services' login-service: requested seconds after it became Ready, its
    // decider had first said 0 (no traffic yet) and then 1; no pod had to start for it.
    const c = readyCluster(svc('app'));
    c.runFor(4000);
    for (let i = 0; i < 3; i++) expect(c.request({ url: URL }).status).toBe(200);
    c.runFor(10_000);
    expect(c.coldStarts('app-00001')).toBe(0);
    c.runFor(120_000);
    expect(c.revision('app-00001').replicas).toBe(0);
    expect(c.request({ url: URL }).status).toBe(200);
    expect(c.coldStarts('app-00001')).toBe(1);
  });

  it('never scales to zero with min-scale 1', () => {
    const c = readyCluster(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '1' } }));
    c.runFor(300_000);
    expect(c.revision('app-00001').readyPods).toHaveLength(1);
  });

  it('answers the first request after scale-to-zero with the cold start in its latency, and a warm one quickly', () => {
    const c = readyCluster(svc('app'));
    c.runFor(120_000);
    const cold = c.request({ url: URL });
    const warm = c.request({ url: URL });
    expect(cold.latencyMs).toBeGreaterThan(10 * warm.latencyMs);
    expect(warm.latencyMs).toBeLessThan(20);
  });
});

describe('steady load', () => {
  it('settles at ceil(C / (CC·U)) pods for concurrency C, containerConcurrency CC and utilization U', () => {
    // CC 10, U 0.7 → 7 per pod; 35 users → 5 pods.
    const c = readyCluster(svc('app', { cc: 10, annotations: { 'knsim.dev/service-time': '100ms' } }));
    closedLoop(c, URL, 35, c.now + 240_000);
    c.runFor(240_000);
    const rev = c.revision('app-00001');
    const tail = rev.timeline.filter((s) => s.tMs > c.now - 60_000);
    for (const s of tail) expect(s.desiredPods).toBe(5);
    expect(rev.readyPods).toHaveLength(5);
  });

  it('reaches Serve mode (activator out of the path) with target-burst-capacity 0, and then warm requests skip the activator', () => {
    const c = readyCluster(svc('app', { annotations: { 'autoscaling.knative.dev/target-burst-capacity': '0' } }));
    const decisions: Array<{ stable: number | null; mode: string; ebc: number }> = [];
    c.trace.on('autoscaler.decision', (e) => decisions.push({ stable: e.inputs.stable, mode: e.result.sksMode, ebc: e.result.excessBurstCapacity }));
    closedLoop(c, URL, 2, c.now + 10_000);
    c.runFor(10_000);
    // every tick is a decision record with its inputs and what it led to
    expect(decisions.length).toBeGreaterThanOrEqual(4);
    expect(decisions.at(-1)!.mode).toBe('Serve');
    expect(decisions.at(-1)!.stable).toBeGreaterThan(0);
    const r = c.request({ url: URL });
    expect(r.hops.map((h) => h.component)).toEqual(['dns', 'gateway', 'queue-proxy', 'app']);
    expect(c.revision('app-00001').activatorInPath).toBe(false);
  });
});

describe('panic', () => {
  it('enters panic on a burst and never scales down while panicking', () => {
    const c = readyCluster(svc('app', { cc: 10, annotations: { 'knsim.dev/service-time': '200ms', 'autoscaling.knative.dev/min-scale': '1' } }));
    const decisions: Array<{ t: number; panicking: boolean; want: number }> = [];
    c.trace.on('autoscaler.decision', (e) => e.result.scaleValid && decisions.push({ t: e.t, panicking: e.result.panicking, want: e.result.desiredPodCount }));
    closedLoop(c, URL, 200, c.now + 20_000);
    c.runFor(120_000);
    expect(decisions.some((d) => d.panicking)).toBe(true);
    for (let i = 1; i < decisions.length; i++) {
      if (decisions[i]!.panicking && decisions[i - 1]!.panicking) expect(decisions[i]!.want).toBeGreaterThanOrEqual(decisions[i - 1]!.want);
    }
    // and it leaves panic once the panic threshold has not been exceeded for a stable window
    expect(decisions.at(-1)!.panicking).toBe(false);
  });
});

describe('queue-proxy limits and timeouts', () => {
  it('answers 503 "pending request queue full" only when a pod\'s queue (10×CC) overflows', () => {
    // TBC 0 puts the pods straight behind the gateway (no activator buffering), one pod only.
    const c = readyCluster(svc('app', { cc: 1, annotations: { 'autoscaling.knative.dev/target-burst-capacity': '0', 'autoscaling.knative.dev/max-scale': '1', 'knsim.dev/service-time': '1s' } }));
    closedLoop(c, URL, 1, c.now + 5_000);
    c.runFor(5_000);
    expect(c.revision('app-00001').activatorInPath).toBe(false);
    const burst = Array.from({ length: 15 }, () => c.send({ url: URL }));
    c.runFor(60_000);
    const statuses = burst.map((e) => e.value.status);
    // 1 executing + 10 queued are admitted (the closed-loop user holds at most one more slot).
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((s) => s === 503).length).toBeLessThanOrEqual(5);
    expect(burst.find((e) => e.value.status === 503)!.value.body).toBe('pending request queue full');
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });

  it('buffers the same burst in the activator instead (no 503) when the activator is in the path', () => {
    const c = readyCluster(svc('app', { cc: 1, annotations: { 'autoscaling.knative.dev/max-scale': '1', 'knsim.dev/service-time': '1s' } }));
    const burst = Array.from({ length: 15 }, () => c.send({ url: URL }));
    c.runFor(60_000);
    expect(burst.map((e) => e.value.status)).toEqual(Array(15).fill(200));
  });

  it('gives 504 when a request outlives timeoutSeconds', () => {
    const c = readyCluster(svc('app', { timeoutSeconds: 1, annotations: { 'knsim.dev/service-time': '3s' } }));
    const r = c.request({ url: URL });
    expect(r.status).toBe(504);
    expect(r.body).toBe('activator request timeout');
    expect(r.latencyMs).toBeGreaterThanOrEqual(1000);
    expect(r.latencyMs).toBeLessThan(1100);
    const d = readyCluster(svc('app', { timeoutSeconds: 1, annotations: { 'knsim.dev/service-time': '3s', 'autoscaling.knative.dev/target-burst-capacity': '0' } }));
    closedLoop(d, URL, 1, d.now + 4000);
    d.runFor(6000);
    const direct = d.request({ url: URL });
    expect(direct.hops.map((h) => h.component)).not.toContain('activator');
    expect(direct.status).toBe(504);
    expect(direct.body).toBe('request timeout');
  });
});


describe('latencies per cluster and per revision', () => {
  it('lets a revision override any latency with knsim.dev/latency.<name>, and rejects unknown names', () => {
    // The sandbox (ContainerCreating until the image pull starts) takes 5 s when overridden.
    const creating = (opts: ConstructorParameters<typeof Cluster>[0], ann: Record<string, string>) => {
      const c = new Cluster({ seed: 5, ...opts });
      const at: Record<string, number> = {};
      c.trace.on('pod.phase', (e) => (at[e.phase] ??= e.t));
      c.apply(svc('app', { annotations: ann }));
      c.waitForReady();
      return at.Running! - at.ContainerCreating!;
    };
    expect(creating({}, { 'knsim.dev/latency.sandboxCreation': '5s' })).toBeGreaterThanOrEqual(5000);
    expect(creating({ latencies: { sandboxCreation: '5s' } }, {})).toBeGreaterThanOrEqual(5000);
    expect(creating({ latencies: { sandboxCreation: '5s', imagePull: '1ms' } }, { 'knsim.dev/latency.sandboxCreation': '10ms' })).toBeLessThan(1000);
    expect(() => new Cluster().apply(svc('app', { annotations: { 'knsim.dev/latency.warpDrive': '1s' } }))).toThrow(/unknown latency "warpDrive"/);
  });
});
