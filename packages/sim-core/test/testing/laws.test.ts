import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KnsimTraceEvent, UserHandler } from '../../src/index.js';
import {
  LawViolation,
  advance,
  burst,
  conservation,
  percents,
  sameSeedSameTrace,
  scaleWithinBounds,
  sendN,
  servedByRoutable,
  service,
  smallCluster,
  splitConverges,
  tieOrderIndependent,
} from '../../src/testing/index.js';
import { runs } from './runs.js';

const URL = 'http://app.default.example.com/';
const GATEWAY = { host: 'istio-ingressgateway.istio-system.svc.cluster.local', port: { number: 80 } };

/** A law's violation, or undefined when it held. */
function violation(fn: () => unknown): LawViolation | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof LawViolation) return e;
    throw e;
  }
}

/** A split over `app-v1`, `app-v2`, … with the given percents, each revision tagged `r<i>`. */
const split = (ps: readonly number[]) => ps.map((p, i) => ({ tag: `r${i + 1}`, revisionName: `app-v${i + 1}`, percent: p }));

/**
 * A broken router built from manifests: a VirtualService on canary.example.com that splits by
 * weight over the revisions' tag hosts — but ignores the last target of the block (its weight
 * goes to the first).
 */
function routerIgnoringLastTarget(ps: readonly number[]) {
  const ws = ps.length > 1 ? [ps[0]! + ps.at(-1)!, ...ps.slice(1, -1)] : [...ps];
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'canary', namespace: 'default' },
    spec: {
      gateways: ['knative-serving/knative-ingress-gateway'],
      hosts: ['canary.example.com'],
      http: [{ route: ws.map((w, i) => ({ destination: GATEWAY, weight: w, headers: { request: { set: { host: `r${i + 1}-app.default.example.com` } } } })) }],
    },
  };
}

describe('split convergence', () => {
  it('holds for the Service’s own routing (any block, zeros included)', () => {
    fc.assert(
      fc.property(percents({ minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 10_000 }), (ps, seed) => {
        const { cluster } = smallCluster({ seed, record: false, manifests: service({ name: 'app', revisions: ps.length, traffic: split(ps) }) });
        const report = splitConverges(sendN(cluster, { url: URL }, 300), split(ps));
        expect(report.n).toBe(300);
        for (const t of report.targets) expect(t.bound[0]).toBeLessThanOrEqual(t.bound[1]);
      }),
      { numRuns: runs(6) },
    );
  });

  it('fails on a router that ignores one traffic target, and shrinks to two targets', () => {
    const r = fc.check(
      fc.property(percents({ minLength: 1, maxLength: 3, zero: false }), fc.integer({ min: 1, max: 10_000 }), (ps, seed) => {
        const { cluster } = smallCluster({ seed, record: false, manifests: [...service({ name: 'app', revisions: ps.length, traffic: split(ps) }), routerIgnoringLastTarget(ps) as never] });
        splitConverges(sendN(cluster, { url: 'http://canary.example.com/' }, 200), split(ps));
      }),
      { seed: 7, numRuns: 30 },
    );
    expect(r.failed).toBe(true);
    const [ps] = r.counterexample!;
    expect(ps).toHaveLength(2);
    expect(String(r.errorInstance)).toContain('split convergence: the answers do not follow the traffic block (alpha 0.000001):\n');
    expect(String(r.errorInstance)).toMatch(/\n {2}app-v2: \d+% of 200 → expected [\d.]+, bound \[\d+, \d+\], observed 0 {2}✗/);
  });

  it('reports a revision outside the block, and takes latestRevision targets with `latest`', () => {
    const resp = (revs: string[]) => revs.map((revision) => ({ revision }));
    expect(violation(() => splitConverges(resp(['a', 'a', 'b']), [{ revisionName: 'a', percent: 100 }]))?.message).toContain('b: 0% of 3 → expected 0.0, bound [0, 0], observed 1  ✗');
    expect(splitConverges(resp(['a', 'a']), [{ latestRevision: true, percent: 100 }], { latest: 'a' }).targets).toEqual([{ revision: 'a', percent: 100, expected: 2, bound: [2, 2], observed: 2 }]);
  });
});

describe('conservation', () => {
  it('holds: every request of any burst ends exactly once', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 10_000 }), (bursts, seed) => {
        const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app' }) });
        for (const n of bursts) burst(cluster, { url: URL }, n);
        burst(cluster, { url: 'http://nowhere.example.org/' }, 1);
        const report = conservation(events, { sent: bursts.reduce((a, b) => a + b, 1) });
        expect(report.byStatus['0']).toBe(1);
      }),
      { numRuns: runs(5) },
    );
  });

  it('fails on a lossy trace (a recorder that drops one answer, or sees one twice), and shrinks to one request', () => {
    const r = fc.check(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.boolean(), (n, k, twice) => {
        const { cluster, events } = smallCluster({ seed: 3, manifests: service({ name: 'app' }) });
        burst(cluster, { url: URL }, n);
        const ends = events.filter((e) => e.type === 'request.end');
        const doctored: KnsimTraceEvent[] = twice ? [...events, ends[k % ends.length]!] : events.filter((e) => e !== ends[k % ends.length]);
        conservation(doctored);
      }),
      { seed: 1, numRuns: 10 },
    );
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toBe(1);
    expect(String(r.errorInstance)).toMatch(/conservation: request 1 answered twice|conservation: 1 request\(s\) never answered: 1/);
  });
});

describe('served only by routable revisions', () => {
  it('holds through a rollout that shifts traffic under load', () => {
    fc.assert(
      fc.property(percents({ minLength: 2, maxLength: 2 }), fc.integer({ min: 1, max: 10_000 }), (ps, seed) => {
        const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app', revisions: 2, traffic: split(ps) }) });
        const load = Array.from({ length: 40 }, (_, i) => {
          cluster.runFor(50);
          if (i === 10) cluster.apply(service({ name: 'app', revisions: 2, traffic: split([...ps].reverse()) }).at(-1)!);
          return cluster.send({ url: URL });
        });
        cluster.waitForReady();
        cluster.env.run({ until: cluster.env.allOf(load) });
        expect(servedByRoutable(events).checked).toBe(40);
      }),
      { numRuns: runs(5) },
    );
  });

  it('fails on a VirtualService that sends a host to a revision outside the traffic block, and shrinks to one request', () => {
    const legacy = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        gateways: ['knative-serving/knative-ingress-gateway'],
        hosts: ['legacy.example.com'],
        http: [{ route: [{ destination: { host: 'app-v1.default.svc.cluster.local', port: { number: 80 } }, headers: { request: { set: { 'Knative-Serving-Revision': 'app-v1', 'Knative-Serving-Namespace': 'default' } } } }] }],
      },
    };
    const r = fc.check(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 20 }), (legacyRequests, others) => {
        const { cluster, events } = smallCluster({ seed: 5, manifests: [...service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v2', percent: 100 }] }), legacy as never] });
        sendN(cluster, { url: URL }, others);
        sendN(cluster, { url: 'http://legacy.example.com/' }, legacyRequests);
        servedByRoutable(events);
      }),
      { seed: 1, numRuns: 10 },
    );
    expect(r.failed).toBe(true);
    expect(r.counterexample).toEqual([1, 0]);
    expect(String(r.errorInstance)).toContain('was answered by app-v1, which was in no traffic block');
  });
});

describe('scale bounds', () => {
  // min-scale ≤ 1 here: above it, a known routing-state bug makes the law fail (known-bugs.test.ts).
  it('holds: min-scale ≤ ready ≤ max-scale under bursts and idle time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }), fc.integer({ min: 1, max: 10_000 }), (min, extra, bursts, seed) => {
        const annotations = { 'autoscaling.knative.dev/min-scale': String(min), 'autoscaling.knative.dev/max-scale': String(min + extra), 'knsim.dev/service-time': '200ms' };
        const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app', annotations, revisions: [{ containerConcurrency: 1 }] }) });
        for (const n of bursts) {
          burst(cluster, { url: URL }, n);
          advance(cluster, 20_000);
        }
        advance(cluster, 150_000);
        const r = scaleWithinBounds(events, { revision: 'app-v1', minScale: min, maxScale: min + extra });
        expect(r.maxReadyWhileRoutable).toBeLessThanOrEqual(min + extra);
      }),
      { numRuns: runs(5) },
    );
  });

  it('fails on a Service whose min-scale annotation has a typo (so Knative ignores it), and shrinks to min-scale 1', () => {
    const r = fc.check(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 400 }), (min, idleSeconds) => {
        const { cluster, events } = smallCluster({ seed: 2, manifests: service({ name: 'app', annotations: { 'autoscaling.knative.dev/min_scale': String(min) } }) });
        advance(cluster, idleSeconds * 1000);
        scaleWithinBounds(events, { revision: 'app-v1', minScale: min });
      }),
      { seed: 1, numRuns: 20 },
    );
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toBe(1);
    expect(String(r.errorInstance)).toMatch(/scale bounds: app-v1 left \[1, ∞\] while routable:\n  t=[\d.]+ ms: 0 ready pods < min-scale 1/);
  });
});

describe('same seed, same trace', () => {
  const run = (calls: { n: number }, requests: number) => (seed: number) => {
    // An app whose latency depends on state outside the cluster: the second run is slower.
    const { cluster, events } = smallCluster({ seed, apps: { app: () => ({ status: 200, body: 'ok', delayMs: 5 * calls.n++ }) }, manifests: service({ name: 'app' }) });
    sendN(cluster, { url: URL }, requests);
    return events;
  };

  it('holds for a cluster whose every input comes from its seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const build = (s: number) => {
          const { cluster, events } = smallCluster({ seed: s, manifests: service({ name: 'app', annotations: { 'knsim.dev/service-time': 'exp(30ms)' } }) });
          burst(cluster, { url: URL }, 20);
          return events;
        };
        expect(sameSeedSameTrace(build, seed).events).toBeGreaterThan(100);
      }),
      { numRuns: runs(3) },
    );
  });

  it('fails on an app with state outside the cluster, showing the first different event, and shrinks to one request', () => {
    const r = fc.check(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 100 }), (n, seed) => void sameSeedSameTrace(run({ n: 0 }, n), seed)),
      { seed: 1, numRuns: 10 },
    );
    expect(r.failed).toBe(true);
    expect(r.counterexample![0]).toBe(1);
    expect(String(r.errorInstance)).toMatch(/same seed, same trace: seed 1 gave two traces .* they first differ at event \d+:\n  first run: {2}\{"type":"request.end"/);
  });
});

describe('tie-order independence', () => {
  const observe = (stateful: boolean, n: number) => (o: { seed: number; tieShuffle: boolean }) => {
    let count = 0;
    const apps: Record<string, UserHandler> = stateful ? { app: () => ({ status: 200, body: String(count++) }) } : {};
    const { cluster } = smallCluster({ ...o, record: false, apps, manifests: service({ name: 'app', annotations: { 'autoscaling.knative.dev/min-scale': '1' } }) });
    const responses = burst(cluster, { url: URL }, n);
    // The statuses and which revision answered: what a correct cluster keeps whatever the tie order.
    return stateful ? responses.map((r) => r.body) : { statuses: responses.map((r) => r.status).sort(), revisions: [...new Set(responses.map((r) => r.revision))].sort() };
  };

  it('holds for what a burst observes (statuses, revisions)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 20 }), (seed, n) => void tieOrderIndependent(observe(false, n), seed)),
      { numRuns: runs(4) },
    );
  });

  it('fails on an app that numbers requests in the order it sees them, for some permutation of ties', () => {
    const r = fc.check(fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 2, max: 6 }), (seed, n) => void tieOrderIndependent(observe(true, n), seed)), { seed: 1, numRuns: 30 });
    expect(r.failed).toBe(true);
    expect(r.counterexample![1]).toBeLessThanOrEqual(3);
    expect(String(r.errorInstance)).toMatch(/tie-order independence: seed \d+ observed differently when ties were shuffled:\n {2}in order: \[/);
  });
});
