import { describe, expect, it } from 'vitest';
import { Cluster, UserInputError, type ClientResponse, type KnsimTraceEvent } from '../../src/index.js';
import { svc } from '../cluster/load-helpers.js';

/**
 * Issue 15, faults: `Cluster.drainNode`, `kubectl drain NODE`: the node is cordoned
 * (kubectl/pkg/drain: cordon, then evict), its pods are evicted gracefully (SIGTERM, queue-proxy's
 * drain) and the ReplicaSet recreates them on the other nodes. Graceful: no request fails.
 */
describe('draining a node (issue 15, faults)', () => {
  it('the pods on the node drain and are replaced elsewhere, the node gets no new pod, no request fails', () => {
    const c = new Cluster({ seed: 1, nodes: 3 });
    c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '3', 'knsim.dev/service-time': 'const(200ms)' } }));
    c.waitForReady();
    const before = c.pods('app-00001');
    expect(before.map((p) => p.node).sort()).toEqual(['node-1', 'node-2', 'node-3']);
    const phases: KnsimTraceEvent[] = [];
    c.trace.on('pod.phase', (e) => phases.push(e));
    const answers: ClientResponse[] = [];
    let sent = 0;
    for (let i = 0; i < 600; i++) {
      c.env.timeout(i * 100).addCallback(() => {
        sent++;
        c.send({ url: 'http://app.default.example.com/' }).addCallback((e) => answers.push(e.value as ClientResponse));
      });
    }
    c.runFor(5_000);
    const evicted = c.drainNode('node-1');
    expect(evicted).toEqual(before.filter((p) => p.node === 'node-1').map((p) => p.name));
    expect(phases.some((e) => e.type === 'pod.phase' && e.pod === evicted[0] && e.reason === 'Killing: evicted (node drained)')).toBe(true);
    c.runFor(120_000);
    const after = c.pods('app-00001');
    expect(after.filter((p) => p.ready === '2/2')).toHaveLength(3);
    expect(after.map((p) => p.node)).not.toContain('node-1');
    expect(answers).toHaveLength(sent);
    expect(answers.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('an unknown node, or the last schedulable one, is a user error', () => {
    const c = new Cluster({ seed: 2, nodes: 2 });
    expect(() => c.drainNode('node-9')).toThrow(UserInputError);
    c.drainNode('node-1');
    expect(() => c.drainNode('node-2')).toThrow(/cannot drain node-2: it is the last schedulable node/);
  });
});
