import { describe, expect, it } from 'vitest';
import { Environment } from '../../../src/engine/environment.js';
import { TraceBus } from '../../../src/trace/bus.js';
import type { KnsimTraceEvent } from '../../../src/trace/events.js';
import { EndpointsTable, type EndpointAddress } from '../../../src/k8s/endpoints.js';
import { RevisionEndpointsPublisher, type ActivatorEndpointsListener } from '../../../src/reconciler/revision/endpoints.js';
import type { RevisionRuntime } from '../../../src/reconciler/revision/runtime.js';

/** A revision in Serve mode with `n` ready pods (what the publisher reads of a runtime). */
function fakeRevision(): { rt: RevisionRuntime; setPods(n: number): void } {
  let pods: Array<{ ip: string; name: string; k8sReady: boolean }> = [];
  const rt = {
    key: 'default/app-00001',
    namespace: 'default',
    name: 'app-00001',
    activatorInPath: false,
    activatorSubset: [] as string[],
    get readyPods() {
      return pods;
    },
    privateEndpoints: () => ({ ready: pods, notReady: [] }),
  };
  return {
    rt: rt as unknown as RevisionRuntime,
    setPods: (n) => {
      pods = Array.from({ length: n }, (_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}`, name: `pod-${i}`, k8sReady: true }));
    },
  };
}

/** A publisher with a fixed propagation delay, counting what the data plane receives. */
function publisher(propagationMs: number) {
  const env = new Environment();
  const table = new EndpointsTable();
  let sets = 0;
  let addresses = 0;
  const counting = Object.assign(Object.create(table) as EndpointsTable, {
    set(key: string, a: EndpointAddress[]) {
      sets++;
      addresses += a.length;
      table.set(key, a);
    },
  });
  const activator: ActivatorEndpointsListener = { ip: '10.1.0.1', name: 'activator', updateSubset: () => {}, updateEndpoints: () => {} };
  const p = new RevisionEndpointsPublisher(env, counting, [activator], new TraceBus<KnsimTraceEvent>(), () => propagationMs);
  return { env, table, p, counts: () => ({ sets, addresses }) };
}

describe('RevisionEndpointsPublisher', () => {
  it('coalesces the changes of one instant into one publish, carrying the state after the last', () => {
    const { env, table, p, counts } = publisher(15);
    const { rt, setPods } = fakeRevision();
    for (let n = 1; n <= 50; n++) {
      setPods(n);
      p.publish(rt);
    }
    env.run();
    // the public and the private Service, once each
    expect(counts().sets).toBe(2);
    expect(table.get('default/app-00001')!.addresses).toHaveLength(50);
  });

  it('delivers a scale-up of P pods ready within a fixed window in a publish per propagation window: O(P) work, not P²', () => {
    // Pods of a scale-up become ready within the spread of their start-up latencies, whatever
    // their number: here P pods within 300 ms, evenly.
    const work = (pods: number) => {
      const { env, table, p, counts } = publisher(15);
      const { rt, setPods } = fakeRevision();
      for (let n = 1; n <= pods; n++) {
        env.timeoutAt((300 * n) / pods).addCallback(() => {
          setPods(n);
          p.publish(rt);
        });
      }
      env.run();
      expect(table.get('default/app-00001')!.addresses).toHaveLength(pods);
      const { sets, addresses } = counts();
      // two Services (public and private) per publish
      return { publishes: sets / 2, addresses: addresses / 2 };
    };
    const small = work(100);
    const large = work(1000);
    // at most one publish per 15 ms window of the 300 ms, whatever P (a publish per pod: P)
    expect(small.publishes).toBeLessThanOrEqual(300 / 15 + 1);
    expect(large.publishes).toBeLessThanOrEqual(300 / 15 + 1);
    // addresses delivered grow as P (a publish per pod: P(P+1)/2, 100× for 10× the pods)
    expect(large.addresses / small.addresses).toBeLessThan(15);
  });

  it('drops a sync on its way when the revision is forgotten', () => {
    const { env, table, p } = publisher(15);
    const { rt, setPods } = fakeRevision();
    setPods(3);
    p.publish(rt);
    p.forget(rt.key);
    env.run();
    expect(table.get('default/app-00001')).toBeUndefined();
  });
});
