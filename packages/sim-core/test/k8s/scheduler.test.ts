import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/index.js';
import { Scheduler } from '../../src/k8s/scheduler.js';
import { Environment } from '../../src/engine/environment.js';
import { makeNodeAllocatable } from '../../src/k8s/resources.js';
import { closedLoop, svc } from '../cluster/load-helpers.js';

// kube-scheduler's default scoring (PodTopologySpread weight 2 over hostnames, LeastAllocated,
// ImageLocality scoring 0 for images under 23 MB: pkg/scheduler/framework/plugins/imagelocality).
describe('the scheduler spreads a revision over the nodes (kube-scheduler default scoring)', () => {
  it('places pods of one revision on the node with the fewest of them, then the fewest pods, then the image', () => {
    const s = new Scheduler(new Environment(), 3, makeNodeAllocatable());
    const none = { cpu: 0, memory: 0 };
    const pod = (name: string, key = 'default/a-00001') => ({ name, key, image: 'img', requests: none, scoringRequests: { cpu: 0.2, memory: 4e8 } });
    s.imageCached('node-1', 'img');
    expect([1, 2, 3, 4].map((i) => s.pickNode(pod(`p${i}`)))).toEqual(['node-1', 'node-2', 'node-3', 'node-1']);
    // Another revision goes to the least loaded nodes.
    expect(s.pickNode(pod('q1', 'default/b-00001'))).toBe('node-2');
    // A pod that has gone frees its node.
    s.release('p3');
    expect(s.pickNode(pod('q2', 'default/b-00001'))).toBe('node-3');
  });

  it('a scale-up after the first pod pulled the image spreads to the other nodes, which pull it too', () => {
    const c = new Cluster({ seed: 8 });
    const pulled: string[] = [];
    c.trace.on('pod.phase', (e) => e.reason.includes('image pulled') && pulled.push(e.pod));
    c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/target': '1', 'knsim.dev/service-time': 'const(200ms)' } }));
    c.waitForReady();
    closedLoop(c, 'http://app.default.example.com/', 6, c.now + 30_000);
    c.runFor(30_000);
    const pods = c.pods('app-00001');
    expect(pods.length).toBeGreaterThanOrEqual(6);
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(p.node!, (perNode.get(p.node!) ?? 0) + 1);
    // Spread: no node has more than one pod above another.
    expect(Math.max(...perNode.values()) - Math.min(...perNode.values())).toBeLessThanOrEqual(1);
    expect(perNode.size).toBe(3);
    // The first pod on each node pulled the image.
    const nodeOf = new Map(pods.map((p) => [p.name, p.node]));
    expect(new Set(pulled.map((p) => nodeOf.get(p)).filter(Boolean))).toEqual(new Set(['node-1', 'node-2', 'node-3']));
  });
});
