import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, NotFoundError, UserInputError, type KnsimTraceEvent } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';
import { cluster, killOrDeleteAPod, send, URL } from './fault-fixture.js';

/**
 * Issue 15, faults: an activator or ingress gateway pod restarts (`Cluster.restartActivator`,
 * `restartGateway`), a node is lost without a drain (`loseNode`), the control plane slows down
 * (`slowControlPlane`). Each with the consequences Knative, Kubernetes and Envoy produce:
 * - a restarted proxy resets the connections it held: Envoy answers the activator's requests
 *   503 UC "connection termination" (envoy router.cc; retried only by reset/5xx/gateway-error,
 *   retry_state_impl.cc wouldRetryFromReset); a client of a restarted gateway sees its
 *   connection reset (curl error 56). The pod leaves the endpoints until its readiness probe passes
 *   again (activator: periodSeconds 5, config/core/deployments/activator.yaml);
 * - a lost node's pods answer nothing: requests inside them wait for a deadline or the kernel's
 *   tcp_retries2 give-up, new connections time out (Istio's connectTimeout 10 s; knative.dev/pkg
 *   network.DefaultConnTimeout 200 ms); the node lifecycle controller marks them NotReady after
 *   --node-monitor-grace-period 40 s and evicts them after tolerationSeconds 300
 *   (DefaultTolerationSeconds); the ReplicaSet replaces them.
 */
const UC = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';
const UF = 'upstream connect error or disconnect/reset before headers. reset reason: connection failure';
const UF_TIMEOUT = 'upstream connect error or disconnect/reset before headers. reset reason: connection timeout';


const faultEvents = (c: Cluster) => {
  const out: Array<Extract<KnsimTraceEvent, { type: 'fault' }>> = [];
  c.trace.on('fault', (e) => out.push(e as Extract<KnsimTraceEvent, { type: 'fault' }>));
  return out;
};

describe('restarting an activator (issue 15, faults)', () => {
  it('with one activator (knsim\'s default): its requests fail 503 UC at once, the revision is served from its pods meanwhile, and it comes back Ready', () => {
    const c = cluster(1);
    expect(c.revision('app-00001').activatorInPath).toBe(true);
    const events = faultEvents(c);
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const t0 = c.now;
    const r = c.restartActivator();
    expect(r.pod).toMatch(/^activator-/);
    expect(r.requestsReset).toBeGreaterThan(0);
    expect(r.readyAtMs).toBeGreaterThan(t0);
    expect(r.readyAtMs).toBeLessThanOrEqual(t0 + 6_000);
    c.runFor(60_000);
    // The requests inside it: reset at once, 503 UC, one per reset connection.
    const uc = load.answers.filter((a) => a.status === 503 && a.body === UC);
    expect(uc).toHaveLength(r.requestsReset);
    for (const a of uc) {
      expect(a.startMs).toBeLessThan(t0);
      expect(a.endMs).toBeLessThan(t0 + 10);
    }
    // Until the endpoints drop it, connections to it are refused (503 UF); then the pods serve.
    const uf = load.answers.filter((a) => a.status === 503 && a.body === UF);
    for (const a of uf) expect(a.startMs).toBeLessThan(t0 + 1_000);
    expect(load.answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    expect(load.answers.filter((a) => a.startMs > t0 + 1_000).every((a) => a.status === 200)).toBe(true);
    expect(load.answers).toHaveLength(load.sent());
    expect(c.revision('app-00001').activatorInPath).toBe(true);
    expect(events.map((e) => [e.fault, e.phase])).toEqual([
      ['restartActivator', 'start'],
      ['restartActivator', 'end'],
    ]);
    expect(events[1]!.t).toBe(r.readyAtMs);
  });

  it('with three activators: only the restarted one\'s requests fail, the others take its share', () => {
    const c = cluster(2, { activators: 3 });
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const r = c.restartActivator();
    c.runFor(60_000);
    const failed = load.answers.filter((a) => a.status !== 200);
    expect(failed.filter((a) => a.body === UC)).toHaveLength(r.requestsReset);
    expect(failed.length).toBeLessThanOrEqual(r.requestsReset + 2);
    expect(load.answers).toHaveLength(load.sent());
  });

  it('with one activator and the revision at zero: while it restarts the gateway has no endpoint for the revision (503 UH); once Ready, a request scales it from zero', () => {
    const c = new Cluster({ seed: 3 });
    c.apply(svc('app'));
    c.waitForReady();
    c.runFor(120_000);
    expect(c.revision('app-00001').readyPods).toHaveLength(0);
    const r = c.restartActivator();
    c.runFor(1_000);
    const during = c.request({ url: URL });
    expect(during.status).toBe(503);
    expect(during.body).toBe('no healthy upstream');
    c.runUntil(r.readyAtMs + 1_000);
    const after = c.request({ url: URL });
    expect(after.status).toBe(200);
  });

  it('an unknown activator pod is NotFound', () => {
    const c = cluster(4);
    expect(() => c.restartActivator('nope')).toThrow(NotFoundError);
    expect(() => c.restartGateway('nope')).toThrow(NotFoundError);
  });
});

describe('restarting an ingress gateway pod (issue 15, faults)', () => {
  it('with one replica (knsim\'s default): the clients of its requests see the connection reset, new connections are refused until it is Ready again', () => {
    const c = cluster(1);
    const events = faultEvents(c);
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const t0 = c.now;
    const r = c.restartGateway();
    expect(r.pod).toMatch(/^istio-ingressgateway-/);
    c.runFor(60_000);
    const reset = load.answers.filter((a) => a.error === 'Recv failure: Connection reset by peer');
    expect(reset).toHaveLength(r.requestsReset);
    expect(reset.length).toBeGreaterThan(0);
    for (const a of reset) expect(a.endMs).toBe(t0);
    const refused = load.answers.filter((a) => a.error === 'Failed to connect to app.default.example.com port 80: Connection refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.startMs).toBeGreaterThanOrEqual(t0);
      expect(a.startMs).toBeLessThan(r.readyAtMs + 1_000);
    }
    expect(load.answers.filter((a) => a.startMs > r.readyAtMs + 1_000).every((a) => a.status === 200)).toBe(true);
    expect(load.answers.filter((a) => a.status !== 200 && a.status !== 0)).toEqual([]);
    expect(load.answers).toHaveLength(load.sent());
    expect(events.map((e) => [e.fault, e.phase])).toEqual([
      ['restartGateway', 'start'],
      ['restartGateway', 'end'],
    ]);
  });

  it('with two replicas: only its own requests fail; the other replica takes the traffic', () => {
    const c = cluster(2, { gatewayReplicas: 2 });
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const r = c.restartGateway();
    c.runFor(60_000);
    const failed = load.answers.filter((a) => a.status !== 200);
    expect(failed.filter((a) => a.error === 'Recv failure: Connection reset by peer')).toHaveLength(r.requestsReset);
    // Refused only while the endpoints still list it (their propagation delay).
    expect(failed.length).toBeLessThanOrEqual(r.requestsReset + 2);
    expect(load.answers).toHaveLength(load.sent());
  });
});

describe('losing a node (issue 15, faults)', () => {
  it('pods served directly: requests inside a lost pod wait for the kernel to give up (924.6 s), new ones time out connecting (503 UF after 10 s) until the pod is NotReady at 40 s; it is evicted and replaced at 340 s', () => {
    const c = cluster(1, { nodes: 3 }, { 'autoscaling.knative.dev/target-burst-capacity': '0' });
    expect(c.revision('app-00001').activatorInPath).toBe(false);
    const events = faultEvents(c);
    const phases: KnsimTraceEvent[] = [];
    c.trace.on('pod.phase', (e) => phases.push(e));
    const victim = c.pods('app-00001').find((p) => p.node === 'node-1')!.name;
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const t0 = c.now;
    const r = c.loseNode('node-1');
    expect(r.pods).toEqual([victim]);
    expect(r.notReadyAtMs).toBe(t0 + 40_000);
    expect(r.evictedAtMs).toBe(t0 + 340_000);
    c.runFor(39_000);
    // The API still shows it Ready: nothing has told Kubernetes.
    expect(c.pods('app-00001').find((p) => p.name === victim)!.status).toBe('Running');
    c.runFor(1_000_000);
    const hung = load.answers.filter((a) => a.startMs < t0 && a.status !== 200);
    expect(hung.length).toBeGreaterThan(0);
    for (const a of hung) {
      expect(a.status).toBe(503);
      expect(a.body).toBe(UC);
      expect(a.endMs).toBeCloseTo(t0 + 924_600, -1);
    }
    const timedOut = load.answers.filter((a) => a.body === UF_TIMEOUT);
    expect(timedOut.length).toBeGreaterThan(0);
    for (const a of timedOut) {
      expect(a.latencyMs).toBeGreaterThanOrEqual(10_000);
      expect(a.startMs).toBeLessThan(t0 + 40_000 + 1_000);
    }
    expect(load.answers.filter((a) => a.status !== 200 && a.body !== UC && a.body !== UF_TIMEOUT)).toEqual([]);
    expect(load.answers).toHaveLength(load.sent());
    // Evicted (Terminating for good: no kubelet confirms) and replaced on another node.
    const pods = c.pods('app-00001');
    expect(pods.find((p) => p.name === victim)!.status).toBe('Terminating');
    // (its READY column keeps the containers' last reported state: MarkPodsNotReady sets only the Ready condition)
    const live = pods.filter((p) => p.status === 'Running' && p.ready === '2/2');
    expect(live.length).toBeGreaterThanOrEqual(2);
    expect(live.every((p) => p.node !== 'node-1')).toBe(true);
    const victimReasons = phases.filter((e) => e.type === 'pod.phase' && e.pod === victim).map((e) => e.type === 'pod.phase' && [e.t - t0, e.reason.split(':')[0]]);
    expect(victimReasons).toEqual([
      [40_000, 'NodeNotReady'],
      [340_000, 'TaintManagerEviction'],
    ]);
    expect(events.map((e) => [e.fault, e.t - t0])).toEqual([
      ['loseNode', 0],
      ['loseNode', 40_000],
      ['loseNode', 340_000],
    ]);
    expect(c.request({ url: URL }).status).toBe(200);
  });

  it('behind the activator: its dials to the lost pod time out (502 i/o timeout), the requests inside end at the revision timeout (504)', () => {
    const c = cluster(2, { nodes: 3 }, { 'knsim.dev/service-time': 'const(2s)' });
    expect(c.revision('app-00001').activatorInPath).toBe(true);
    const load = send(c, 300, 100);
    c.runFor(5_000);
    const t0 = c.now;
    c.loseNode(c.pods('app-00001')[0]!.node!);
    c.runFor(400_000);
    const failed = load.answers.filter((a) => a.status !== 200);
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) {
      if (a.status === 504) {
        expect(a.body).toBe('activator request timeout');
        expect(a.endMs).toBeCloseTo(a.startMs + 300_000, -2);
      } else {
        expect(a.status).toBe(502);
        expect(a.body).toMatch(/^dial tcp [0-9.]+:8012: i\/o timeout$/);
        expect(a.startMs).toBeLessThan(t0 + 41_000);
      }
    }
    expect(load.answers).toHaveLength(load.sent());
  });

  it('refuses an unknown node, a node already lost, and the last schedulable node', () => {
    const c = cluster(3, { nodes: 2 });
    expect(() => c.loseNode('node-9')).toThrow(UserInputError);
    c.loseNode('node-1');
    expect(() => c.loseNode('node-1')).toThrow(/already lost/);
    expect(() => c.loseNode('node-2')).toThrow(/last schedulable node/);
  });
});

describe('a slow control plane (issue 15, faults)', () => {
  /** How long after a kill connections to the dead pod are still refused (until the endpoints drop it). */
  function refusedAfterKill(slow: boolean): number {
    const c = cluster(5, {}, { 'autoscaling.knative.dev/target-burst-capacity': '0', 'knsim.dev/service-time': 'const(20ms)' });
    const load = send(c, 400, 25);
    c.runFor(1_000);
    if (slow) c.slowControlPlane(5_000, 2_000, 60_000);
    const t0 = c.now;
    c.killPod('app-00001', c.pods('app-00001')[0]!.name);
    c.runFor(30_000);
    expect(load.answers).toHaveLength(load.sent());
    const uf = load.answers.filter((a) => a.body === UF);
    return Math.max(0, ...uf.map((a) => a.startMs - t0));
  }

  it('slow endpoint propagation: a killed pod keeps getting connections for the extra delay', () => {
    expect(refusedAfterKill(false)).toBeLessThan(200);
    expect(refusedAfterKill(true)).toBeGreaterThan(1_900);
  });

  it('slow Istio pushes: a new Service is Ready (its route pushed) later by at least the extra delay, and only inside the window', () => {
    const readyAfter = (slowMs: number, forMs = 60_000) => {
      const c = new Cluster({ seed: 6 });
      if (slowMs > 0) c.slowControlPlane(slowMs, 0, forMs);
      const t0 = c.now;
      c.apply(svc('app'));
      c.waitForReady();
      return c.now - t0;
    };
    const base = readyAfter(0);
    expect(readyAfter(5_000)).toBeGreaterThanOrEqual(base + 5_000);
    // A window that closed before the push changes nothing.
    expect(readyAfter(5_000, 1)).toBe(base);
  });

  it('refuses negative or infinite delays and durations', () => {
    const c = new Cluster();
    expect(() => c.slowControlPlane(-1, 0, 1_000)).toThrow(UserInputError);
    expect(() => c.slowControlPlane(0, Infinity, 1_000)).toThrow(UserInputError);
    expect(() => c.slowControlPlane(0, 0, 0)).toThrow(UserInputError);
  });
});

describe('conservation and recovery under random fault schedules (issue 15)', () => {
  it('every request sent ends in exactly one response or client error; after the faults end, the Service answers 200 again', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.constantFrom(1, 2),
        fc.array(
          fc.record({
            t: fc.integer({ min: 0, max: 20_000 }),
            kind: fc.constantFrom('kill', 'delete', 'errors', 'slow', 'pull', 'restartActivator', 'restartGateway', 'loseNode', 'slowControlPlane'),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (seed, replicas, faults) => {
          const c = new Cluster({ seed, nodes: 4, activators: replicas, gatewayReplicas: replicas });
          c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'knsim.dev/service-time': 'const(300ms)' } }));
          c.waitForReady();
          const load = send(c, 200, 100);
          const start = c.now;
          let lost = 0;
          for (const f of [...faults].sort((a, b) => a.t - b.t)) {
            c.runUntil(start + f.t);
            if (f.kind === 'errors') c.appErrors('app-00001', 0.3, 5_000);
            else if (f.kind === 'slow') c.appSlow('app-00001', 1_000, 5_000);
            else if (f.kind === 'pull') c.imagePullFailure('app-00001', 30_000);
            else if (f.kind === 'restartActivator') c.restartActivator();
            else if (f.kind === 'restartGateway') c.restartGateway();
            else if (f.kind === 'slowControlPlane') c.slowControlPlane(5_000, 2_000, 10_000);
            else if (f.kind === 'loseNode') {
              if (lost < 2) c.loseNode(`node-${1 + lost++}`);
            } else killOrDeleteAPod(c, seed, f.kind);
          }
          // Past every deadline: the kernel's give-up on a lost node's connections (924.6 s).
          c.runFor(1_000_000);
          expect(load.sent()).toBe(200);
          expect(load.answers).toHaveLength(200);
          expect(load.answers.filter((r) => ![0, 200, 500, 502, 503, 504].includes(r.status))).toEqual([]);
          // Recovery: with every fault over, the Service answers 200 again.
          expect(c.request({ url: URL }).status).toBe(200);
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 8) },
    );
  });
});
