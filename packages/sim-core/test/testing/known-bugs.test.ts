import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterCommands, runClusterModel, scaleWithinBounds, sendN, service, smallCluster } from '../../src/testing/index.js';
import { advanceTo } from '../../src/testing/_internals/advance.js';

/**
 * Bugs of the simulation the kit's laws found: the routing state's one-reconcile lag (fixed by
 * issue 10.2, the labeler reading the Route as stored) and the KPA's zero-delay requeue livelock
 * (fixed by the 1 ns minimum requeue). They stay as regression tests.
 */
describe('bugs the kit found, now regression tests', () => {
  // reconciler/route/reconciler.ts: updateRoutingState() reads the Route's status.traffic from
  // the store before this reconcile has written it (writeStatus comes after), so a revision the
  // Route programs for the first time is marked `reserve` for one reconcile, and the KPA scales
  // it below min-scale ("routingState reserve: decider wants 0, bounds [0, 3]", then back up).
  // Workaround in the kit's tests: min-scale ≤ 1 (a scale from 1 waits for the grace period).
  it('a min-scale 2 revision keeps 2 ready pods from its first programming', () => {
    const annotations = { 'autoscaling.knative.dev/min-scale': '2', 'autoscaling.knative.dev/max-scale': '3' };
    const { events } = smallCluster({ seed: 4, manifests: service({ name: 'app', annotations }) });
    scaleWithinBounds(events, { revision: 'app-v1', minScale: 2, maxScale: 3 });
  });

  // reconciler/revision/runtime.ts reconcile() → autoscaler/kpa.ts handleScaleToZero, 'Active'
  // branch: requeueAfterMs = stableWindow − (now − paStateSince) comes out as ~3e-11 ms when the
  // difference rounds below the window, and requeue() schedules at now + 3e-11, which is `now`
  // in floating point: reconcile('requeue') re-queues itself at the same instant forever. Seen
  // when a new revision gets no request in its first stable window (about one seed in four);
  // here at t=297208.946 ms. Workaround in the kit's tests: pinned seeds that avoid it.
  it('a new revision that gets no request for a minute lets the clock move on', () => {
    const { cluster } = smallCluster({ seed: 1, record: false, manifests: service({ name: 'app' }) });
    cluster.runFor(230_000);
    cluster.apply(service({ name: 'app', revisions: 2 })[1]!);
    cluster.waitForReady();
    advanceTo(cluster, cluster.now + 120_000);
    expect(sendN(cluster, { url: 'http://app.default.example.com/' }, 1)[0]!.status).toBe(200);
  });

  // The model-based test finds the livelock by itself and shrinks it to three commands:
  // [AdvanceTime(198s), NewRevision, AdvanceTime(60s)] (fast-check seed 11).
  it('the model-based test finds no livelock', () => {
    const r = fc.check(
      fc.property(clusterCommands({ maxCommands: 12, kinds: ['new-revision', 'shift-traffic', 'tag', 'burst', 'advance-time'] }), (cmds) => runClusterModel(cmds, { seed: 3 })),
      { seed: 11, numRuns: 40 },
    );
    expect(r.failed, fc.defaultReportMessage(r)).toBe(false);
  });
});
