import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, NotFoundError, type KnsimTraceEvent } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';
import { cluster, killOrDeleteAPod, send } from './fault-fixture.js';

/**
 * Issue 15, faults: `Cluster.killPod`, a pod that dies at once (`kubectl delete pod
 * --grace-period=0 --force`, or its containers crash). Nothing drains (contrast deletePod): the
 * requests on the pod lose their connection, and the proxy in front answers as it does for a
 * reset — Envoy 503 UC "reset reason: connection termination" (envoy router.cc, retried only by
 * `reset`, `5xx`, `gateway-error`: retry_state_impl.cc wouldRetryFromReset), the activator's
 * reverse proxy 502 with Go's error (knative.dev/pkg network/error_handler.go). The endpoints
 * drop the pod after their propagation delay, and the ReplicaSet replaces it.
 */


describe('killing a pod (issue 15, faults)', () => {
  it('behind the activator: the requests on the pod fail at once with the reverse proxy\'s 502, the pod is replaced, nothing is lost', () => {
    const c = cluster(1);
    const phases: KnsimTraceEvent[] = [];
    c.trace.on('pod.phase', (e) => phases.push(e));
    const [victim, other] = c.pods('app-00001').map((p) => p.name);
    const load = send(c, 100, 100);
    c.runFor(5_000);
    const killedAt = c.now;
    c.killPod('app-00001', victim!);
    // Gone from the API at once: no Terminating phase, no drain.
    expect(c.pods('app-00001').map((p) => p.name)).not.toContain(victim);
    c.runFor(60_000);
    const failed = load.answers.filter((r) => r.status === 502);
    // The requests the pod was working on fail at once, with the reset.
    const reset = failed.filter((r) => r.startMs < killedAt);
    expect(reset.length).toBeGreaterThan(0);
    for (const r of reset) {
      expect(r.body).toMatch(/^read tcp .*: read: connection reset by peer$/);
      expect(r.endMs).toBeLessThan(killedAt + 100);
    }
    // Until the endpoints drop it, the activator still picks the dead address: refused.
    const refused = failed.filter((r) => r.startMs >= killedAt);
    for (const r of refused) expect(r.body).toMatch(/^dial tcp .*: connect: connection refused$/);
    expect(Math.max(...refused.map((r) => r.startMs), killedAt)).toBeLessThan(killedAt + 10_000);
    expect(load.answers.filter((r) => r.status !== 200 && r.status !== 502)).toEqual([]);
    expect(load.answers.filter((r) => r.pod === victim && r.endMs > killedAt)).toEqual([]);
    // Conservation: every request sent got exactly one answer.
    expect(load.answers).toHaveLength(load.sent());
    const pods = c.pods('app-00001');
    expect(pods.filter((p) => p.ready === '2/2')).toHaveLength(2);
    expect(pods.map((p) => p.name)).toContain(other);
    const victimEvents = phases.filter((e) => e.type === 'pod.phase' && e.pod === victim);
    expect(victimEvents.map((e) => e.type === 'pod.phase' && e.reason)).toEqual(['Killing: killed', 'killed: containers killed']);
    expect(victimEvents.every((e) => e.t === killedAt)).toBe(true);
  });

  it('with the activator out of the path: Envoy answers 503 UC (connection termination), not retried by the default policy', () => {
    const c = cluster(2, {}, { 'autoscaling.knative.dev/target-burst-capacity': '0' });
    const [victim] = c.pods('app-00001').map((p) => p.name);
    const load = send(c, 100, 100);
    c.runFor(5_000);
    const killedAt = c.now;
    c.killPod('app-00001', victim!);
    c.runFor(60_000);
    const uc = load.answers.filter((r) => r.status === 503 && r.startMs < killedAt);
    expect(uc.length).toBeGreaterThan(0);
    for (const r of uc) {
      expect(r.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection termination');
      expect(r.endMs).toBeLessThan(killedAt + 100);
    }
    // After the kill, until the endpoints drop the pod: connection failures (503 UF).
    const uf = load.answers.filter((r) => r.status === 503 && r.startMs >= killedAt);
    for (const r of uf) expect(r.body).toBe('upstream connect error or disconnect/reset before headers. reset reason: connection failure');
    expect(Math.max(...uf.map((r) => r.startMs), killedAt)).toBeLessThan(killedAt + 10_000);
    expect(load.answers.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);
    expect(load.answers).toHaveLength(load.sent());
    expect(c.pods('app-00001').filter((p) => p.ready === '2/2')).toHaveLength(2);
  });

  it('an unknown pod is NotFound', () => {
    const c = cluster(3);
    expect(() => c.killPod('app-00001', 'nope')).toThrow(NotFoundError);
  });

  it('conservation under random fault schedules (kill, delete, appErrors, appSlow, imagePullFailure): every request sent ends in exactly one response', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.record({ t: fc.integer({ min: 0, max: 20_000 }), kind: fc.constantFrom('kill', 'delete', 'errors', 'slow', 'pull') }), { minLength: 1, maxLength: 4 }),
        (seed, faults) => {
          const c = new Cluster({ seed, nodes: 3 });
          c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'knsim.dev/service-time': 'const(300ms)' } }));
          c.waitForReady();
          const load = send(c, 200, 100);
          const start = c.now;
          for (const f of [...faults].sort((a, b) => a.t - b.t)) {
            c.runUntil(start + f.t);
            if (f.kind === 'errors') c.appErrors('app-00001', 0.3, 5_000);
            if (f.kind === 'slow') c.appSlow('app-00001', 1_000, 5_000);
            if (f.kind === 'pull') c.imagePullFailure('app-00001', 30_000);
            if (f.kind === 'errors' || f.kind === 'slow' || f.kind === 'pull') continue;
            killOrDeleteAPod(c, seed, f.kind);
          }
          c.runFor(120_000);
          expect(load.answers).toHaveLength(load.sent());
          expect(load.sent()).toBe(200);
          expect(load.answers.filter((r) => ![200, 500, 502, 503, 504].includes(r.status))).toEqual([]);
        },
      ),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 10) },
    );
  });
});
