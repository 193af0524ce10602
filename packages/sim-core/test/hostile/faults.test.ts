import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, NotFoundError, type ClientResponse, type KnsimTraceEvent } from '../../src/index.js';
import { closedLoop, svc } from '../cluster/load-helpers.js';

/**
 * Issue 15, faults: `Cluster.deletePod`, `kubectl delete pod` of a revision's pod. Kubernetes
 * terminates it gracefully (SIGTERM; queue-proxy drains: pkg/queue/sharedmain drainSleepDuration)
 * and the ReplicaSet replaces it; requests in flight finish. Conservation: every request sent
 * gets exactly one answer.
 */
const URL = 'http://app.default.example.com/';

function cluster(seed: number) {
  const c = new Cluster({ seed });
  c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '2', 'knsim.dev/service-time': 'const(20ms)' } }));
  c.waitForReady();
  return c;
}

describe('deleting a pod (issue 15, faults)', () => {
  it('the pod drains and stops, a replacement starts and becomes Ready, and no request is lost', () => {
    const c = cluster(1);
    const phases: KnsimTraceEvent[] = [];
    c.trace.on('pod.phase', (e) => phases.push(e));
    const before = c.pods('app-00001').map((p) => p.name);
    expect(before).toHaveLength(2);
    const out = closedLoop(c, URL, 4, c.now + 60_000);
    c.runFor(5_000);
    c.deletePod('app-00001', before[0]!);
    c.runFor(60_000);
    const after = c.pods('app-00001');
    expect(after.map((p) => p.name)).not.toContain(before[0]);
    expect(after.filter((p) => p.ready === '2/2')).toHaveLength(2);
    expect(phases.some((e) => e.type === 'pod.phase' && e.pod === before[0] && e.reason === 'Killing: deleted')).toBe(true);
    expect(phases.some((e) => e.type === 'pod.phase' && e.pod === before[0] && e.phase === 'Terminated')).toBe(true);
    expect(out.length).toBeGreaterThan(1000);
    expect(out.every((r) => r.status === 200)).toBe(true);
  });

  it('an unknown pod is NotFound', () => {
    const c = cluster(2);
    expect(() => c.deletePod('app-00001', 'nope')).toThrow(NotFoundError);
    expect(() => c.deletePod('nope-00001', 'nope')).toThrow(NotFoundError);
  });

  it('conservation under random delete schedules: every request sent ends in exactly one response', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 4 }), (seed, times) => {
        const c = cluster(seed);
        const sent: Array<Promise<never> | ReturnType<Cluster['send']>> = [];
        const answers: ClientResponse[] = [];
        const start = c.now;
        for (let i = 0; i < 200; i++) {
          c.runUntil(start + i * 100);
          const ev = c.send({ url: URL });
          ev.addCallback((e) => answers.push(e.value as ClientResponse));
          sent.push(ev);
          for (const t of times) {
            if (t >= i * 100 && t < (i + 1) * 100) {
              const live = c.pods('app-00001').filter((p) => p.status === 'Running');
              if (live.length > 0) c.deletePod('app-00001', live[seed % live.length]!.name);
            }
          }
        }
        c.runFor(120_000);
        expect(answers).toHaveLength(sent.length);
        // Graceful deletion loses nothing: every answer is the app's.
        expect(answers.filter((r) => r.status !== 200)).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 10) },
    );
  });
});
