import { describe, expect, it } from 'vitest';
import { Cluster, type KnsimTraceEvent } from '../../src/index.js';
import { openLoop, svc } from './load-helpers.js';

const URL = 'http://app.default.example.com/';

/** A Ready cluster with one Service and a recorder of the events the tests read. */
function cluster(annotations: Record<string, string>, seed = 5) {
  const c = new Cluster({ seed });
  c.apply(svc('app', { annotations }));
  c.waitForReady();
  const events: KnsimTraceEvent[] = [];
  for (const type of ['pa.state', 'kpa.scale', 'sks.mode'] as const) c.trace.on(type, (e) => events.push(e));
  return { c, events };
}

const inactiveAt = (events: KnsimTraceEvent[], after = 0) => events.find((e) => e.type === 'pa.state' && e.state === 'Inactive' && e.t >= after)!.t;
const zeroAt = (events: KnsimTraceEvent[], after = 0) => events.find((e) => e.type === 'kpa.scale' && e.to === 0 && e.t >= after)?.t;

// pkg/reconciler/autoscaling/kpa/controller.go: every PodAutoscaler change (its own status
// writes included), SKS, Service, Metric and KPA-labelled Endpoints change enqueues the PA, so
// the scale-to-zero gate of scaler.go (handleScaleToZero) is re-evaluated as soon as the PA goes
// Inactive and the activator is in the path.
describe('the KPA is re-enqueued by its own status writes and its SKS (kpa/controller.go)', () => {
  for (const tbc of ['0', '50']) {
    it(`target-burst-capacity ${tbc}: the last pod goes the grace period after Inactive, after every burst`, () => {
      const { c, events } = cluster({ 'autoscaling.knative.dev/target-burst-capacity': tbc });
      openLoop(c, URL, 8, 20_000);
      c.runFor(200_000);
      const first = inactiveAt(events);
      // The SKS goes to Proxy when the PA goes Inactive; the grace period (30 s) is counted from then.
      expect(zeroAt(events)! - first).toBeGreaterThanOrEqual(30_000);
      expect(zeroAt(events)! - first).toBeLessThan(31_000);
      // A second burst wakes it, and it goes back to zero the same way.
      const t1 = c.now;
      openLoop(c, URL, 8, 20_000);
      c.runFor(200_000);
      const second = inactiveAt(events, t1);
      expect(zeroAt(events, t1)! - second).toBeGreaterThanOrEqual(30_000);
      expect(zeroAt(events, t1)! - second).toBeLessThan(31_000);
      expect(c.revision('app-00001').readyPods).toHaveLength(0);
    });
  }

  it('the default target-burst-capacity (activator always in the path): zero at the moment the PA goes Inactive', () => {
    const { c, events } = cluster({});
    openLoop(c, URL, 8, 20_000);
    c.runFor(200_000);
    expect(zeroAt(events)).toBe(inactiveAt(events));
  });
});
