import { describe, expect, it } from 'vitest';
import { Cluster, UserInputError, type KnsimTraceEvent } from '../../src/index.js';
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

  it('the default target-burst-capacity (activator always in the path): zero one KPA reconcile after the PA goes Inactive', () => {
    const { c, events } = cluster({});
    openLoop(c, URL, 8, 20_000);
    c.runFor(200_000);
    expect(zeroAt(events)! - inactiveAt(events)).toBeGreaterThanOrEqual(0);
    expect(zeroAt(events)! - inactiveAt(events)).toBeLessThan(100);
  });
});

// pkg/reconciler/route/route.go and pkg/reconciler/labeler/labels.go: the labeler labels the
// revisions a Route lists in its status and spec traffic (and the latest created revision of a
// latestRevision target) from the Route as stored, so a served revision's routingState never
// passes through `reserve`, and a revision that no Route ever listed stays `pending`.
describe('routingState follows the labeler (labeler/labels.go)', () => {
  for (const min of [3, 10, 100]) {
    it(`min-scale ${min}: no pod is taken away while the Route is programmed, and the Service is Ready with min-scale pods`, () => {
      const c = new Cluster({ seed: 4 });
      const downs: string[] = [];
      let readyPodsWhenReady = -1;
      c.trace.on('kpa.scale', (e) => e.to < e.from && downs.push(`${e.from} -> ${e.to}: ${e.reason}`));
      c.trace.on('condition', (e) => {
        if (e.kind === 'Service' && e.condition === 'Ready' && e.status === 'True' && readyPodsWhenReady < 0) readyPodsWhenReady = c.revision('app-00001').readyPods.length;
      });
      c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': String(min) } }));
      c.waitForReady();
      openLoop(c, URL, 5, 30_000);
      c.runFor(30_000);
      expect(downs).toEqual([]);
      expect(readyPodsWhenReady).toBeGreaterThanOrEqual(min);
    });
  }

  it('a revision no Route lists (traffic pinned to the first) stays pending, so its min-scale holds (reserve would drop it)', () => {
    const c = new Cluster({ seed: 4 });
    c.apply(svc('app'));
    c.waitForReady();
    const v2 = svc('app', { image: 'example.com/app:v2', annotations: { 'autoscaling.knative.dev/min-scale': '1' } });
    c.apply(v2.replace('spec:\n  template:', 'spec:\n  traffic:\n    - revisionName: app-00001\n      percent: 100\n  template:'));
    c.runFor(180_000);
    expect(c.revision('app-00002').readyPods).toHaveLength(1);
  });
});

// revision/resources/deploy.go makes the Deployment with the initial scale; the KPA patches it
// to min-scale when it first reconciles the PodAutoscaler (kpa.go, scaler.go).
describe('the Deployment starts at the initial scale (revision/resources/deploy.go)', () => {
  it('min-scale 3: one pod first, then the KPA asks for three a reconcile later', () => {
    const c = new Cluster({ seed: 4 });
    const scales: Array<{ t: number; from: number; to: number }> = [];
    let created = -1;
    c.trace.on('revision.created', (e) => (created = e.t));
    c.trace.on('kpa.scale', (e) => scales.push({ t: e.t, from: e.from, to: e.to }));
    c.apply(svc('app', { annotations: { 'autoscaling.knative.dev/min-scale': '3' } }));
    c.runFor(1_000);
    expect(scales[0]!.from).toBe(1);
    expect(scales[0]!.to).toBe(3);
    expect(scales[0]!.t).toBeGreaterThan(created);
  });
});

// knative.dev/pkg/controller: a reconcile that returns an error is requeued with client-go's
// DefaultControllerRateLimiter (5 ms doubling to 1000 s per key); domainmapping/reconciler.go
// returns an error while no ClusterDomainClaim names the domain.
describe('failed reconciles are retried with back-off (knative.dev/pkg/controller)', () => {
  const dm = `apiVersion: serving.knative.dev/v1beta1
kind: DomainMapping
metadata:
  name: app.example.org
spec:
  ref:
    name: app
    kind: Service
    apiVersion: serving.knative.dev/v1
`;
  const claim = `apiVersion: networking.internal.knative.dev/v1alpha1
kind: ClusterDomainClaim
metadata:
  name: app.example.org
spec:
  namespace: default
`;

  it('a DomainMapping applied before its ClusterDomainClaim becomes Ready and answers once the claim exists', () => {
    const c = new Cluster({ seed: 3, config: { 'config-network': { 'autocreate-cluster-domain-claims': 'false' } } });
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    c.trace.on('reconcile.retry', (e) => e.controller === 'domainmapping' && retries.push({ attempt: e.attempt, delayMs: e.delayMs }));
    c.apply(svc('app'));
    c.apply(dm);
    // Waiting for everything fails on the DomainMapping, which stays False for want of its claim.
    expect(() => c.waitForReady()).toThrow(/^DomainMapping default\/app.example.org is not Ready: DomainAlreadyClaimed: no ClusterDomainClaim found/);
    c.waitForReady({ names: ['app'] });
    expect(c.request({ url: 'http://app.example.org/' }).status).toBe(404);
    // 5 ms, 10 ms, 20 ms, …: each retry waits twice as long as the one before.
    expect(retries.slice(0, 4).map((r) => r.delayMs)).toEqual([5, 10, 20, 40]);
    // The controller lists claims but does not watch them (domainmapping/controller.go): the next
    // retry finds it, at most one back-off (here about 20 s, the time spent failing) later.
    c.apply(claim);
    c.runFor(45_000);
    expect(c.get({ kind: 'DomainMapping', name: 'app.example.org' })!.status).toMatchObject({ conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]) });
    expect(c.request({ url: 'http://app.example.org/' }).status).toBe(200);
  });
});

describe('smaller control-loop details (issue 10.4)', () => {
  // revision_lifecycle.go PropagateAutoscalerStatus: the Revision's Active condition is the
  // PodAutoscaler's (kpa.go computeActiveCondition: Inactive "NoTraffic").
  it('a Revision has the Active condition: True while it serves, False NoTraffic at zero', () => {
    const c = new Cluster({ seed: 2 });
    c.apply(svc('app'));
    c.waitForReady();
    const active = () => (c.get({ kind: 'Revision', name: 'app-00001' })!.status as { conditions: Array<{ type: string; status: string; reason?: string; message?: string }> }).conditions.find((x) => x.type === 'Active');
    expect(active()).toMatchObject({ status: 'True' });
    c.runFor(120_000);
    expect(active()).toMatchObject({ status: 'False', reason: 'NoTraffic', message: 'The target is not receiving traffic.' });
    expect(c.get({ kind: 'Revision', name: 'app-00001' })!.status).toMatchObject({ conditions: expect.arrayContaining([expect.objectContaining({ type: 'Ready', status: 'True' })]) });
  });

  it("a deleted revision's endpoints are not re-delivered by an update still on its way", () => {
    const c = new Cluster({ seed: 2 });
    c.apply(svc('app'));
    c.waitForReady();
    let deletedAt = Infinity;
    const late: number[] = [];
    c.trace.on('object.deleted', (e) => e.kind === 'Revision' && (deletedAt = Math.min(deletedAt, e.t)));
    c.trace.on('endpoints', (e) => e.service === 'app-00001' && e.t >= deletedAt && late.push(e.t));
    c.delete({ kind: 'Service', name: 'app' });
    c.runFor(60_000);
    expect(deletedAt).toBeLessThan(Infinity);
    expect(late).toEqual([]);
  });

  it('a bad gatewayReplicas is a user error', () => {
    expect(() => new Cluster({ gatewayReplicas: 0 })).toThrow(UserInputError);
    expect(() => new Cluster({ gatewayReplicas: 1.5 })).toThrow(/gatewayReplicas must be a whole number >= 1, got 1.5/);
  });
});
