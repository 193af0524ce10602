import { describe, expect, it } from 'vitest';
import { Cluster, type KnsimTraceEvent } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/**
 * Issue 15, faults: `Cluster.imagePullFailure`. A new pod on a node without the image cannot pull
 * it while the window is open: ErrImagePull, then ImagePullBackOff with kubelet's back-off, 10 s
 * doubling up to 300 s (pkg/kubelet/kubelet.go backOffPeriod, MaxContainerBackOff); the first
 * attempt after the window pulls it. A node that has the image does not pull (IfNotPresent).
 */
/** min-scale 1 on three nodes; then a burst of slow requests makes the KPA add pods, which land on the nodes without the image. */
function scaledUp(seed: number, windowMs: number, runMs: number, requests = 40) {
  const c = new Cluster({ seed, nodes: 3 });
  c.apply(svc('app', { cc: 1, annotations: { 'autoscaling.knative.dev/min-scale': '1', 'knsim.dev/service-time': 'const(5s)' } }));
  c.waitForReady();
  const events: KnsimTraceEvent[] = [];
  c.trace.on('pod.phase', (e) => events.push(e));
  c.trace.on('fault', (e) => events.push(e));
  const first = c.pods('app-00001')[0]!;
  const from = c.now;
  c.imagePullFailure('app-00001', windowMs);
  let answered = 0;
  for (let i = 0; i < requests; i++) c.env.timeout(i * 500).addCallback(() => c.send({ url: 'http://app.default.example.com/' }).addCallback(() => answered++));
  c.runFor(runMs);
  // The pods scheduled after the fault to a node other than the first pod's.
  const fresh = [...new Set(events.flatMap((e) => (e.type === 'pod.phase' && e.reason.startsWith('Scheduled to ') && e.reason !== `Scheduled to ${first.node}` ? [e.pod] : [])))].map((name) => ({ name }));
  const phases = (pod: string) => events.filter((e): e is Extract<KnsimTraceEvent, { type: 'pod.phase' }> => e.type === 'pod.phase' && e.pod === pod);
  return { c, events, from, fresh, phases, answered: () => answered };
}

describe('image pull failure for a window (issue 15, faults)', () => {
  it('a new pod on a node without the image backs off 10 s, 20 s, 40 s, then starts after the window; every request is answered', () => {
    const { events, from, fresh, phases, answered } = scaledUp(1, 60_000, 5 * 60_000);
    expect(fresh.length).toBeGreaterThan(0);
    const mine = phases(fresh[0]!.name);
    const backOffs = mine.filter((e) => e.phase === 'ImagePullBackOff');
    expect(backOffs.map((e) => e.reason.replace(/.*\((\d+) s\)$/, '$1'))).toEqual(['10', '20', '40']);
    expect(mine.filter((e) => e.phase === 'ErrImagePull')).toHaveLength(3);
    const running = mine.find((e) => e.phase === 'Running')!;
    expect(running.t).toBeGreaterThan(from + 60_000);
    expect(events.filter((e) => e.type === 'fault').map((e) => e.type === 'fault' && [e.fault, e.phase, e.t - from])).toEqual([
      ['imagePullFailure', 'start', 0],
      ['imagePullFailure', 'end', 60_000],
    ]);
    expect(answered()).toBe(40);
  });

  it('the back-off is capped at 300 s', () => {
    const { fresh, phases } = scaledUp(2, 20 * 60_000, 30 * 60_000, 2_400);
    const backOffs = phases(fresh[0]!.name)
      .filter((e) => e.phase === 'ImagePullBackOff')
      .map((e) => e.reason.replace(/.*\((\d+) s\)$/, '$1'));
    expect(backOffs.slice(0, 8)).toEqual(['10', '20', '40', '80', '160', '300', '300', '300']);
  });
});
