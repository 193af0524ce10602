import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/index.js';
import { advance, burst, conservation, percents, sameSeedSameTrace, sendN, servedByRoutable, service, smallCluster, splitConverges } from '../../src/testing/index.js';

const URL = 'http://app.default.example.com/';

/** A random workload: bursts of requests at random times. */
const workload = fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 90_000 }), n: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 6 });

describe('laws of the scaling stack', () => {
  it('keeps desired and live pods within [min-scale, max-scale] while reachable, and answers every request exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 }), workload, fc.integer({ min: 1, max: 1000 }), (minScale, extra, wl, seed) => {
        const maxScale = minScale + extra;
        const annotations = { 'autoscaling.knative.dev/min-scale': String(minScale), 'autoscaling.knative.dev/max-scale': String(maxScale), 'knsim.dev/service-time': '300ms' };
        const { cluster: c, events } = smallCluster({ seed, manifests: service({ name: 'app', annotations, revisions: [{ containerConcurrency: 2 }] }) });
        const t0 = c.now;
        let sent = 0;
        for (const b of [...wl].sort((x, y) => x.atMs - y.atMs)) {
          advance(c, Math.max(0, t0 + b.atMs - c.now));
          for (let i = 0; i < b.n; i++) c.send({ url: URL });
          sent += b.n;
        }
        advance(c, t0 + 400_000 - c.now);
        for (const s of c.revision('app-v1').timeline) {
          expect(s.desiredPods).toBeLessThanOrEqual(maxScale);
          expect(s.readyPods).toBeLessThanOrEqual(maxScale);
          // initial scale 1 may hold one pod before the first decision
          if (s.tMs > 70_000) expect(s.desiredPods).toBeGreaterThanOrEqual(minScale);
        }
        // every request ended, with exactly one response (a status; 0 would mean no HTTP answer)
        const { byStatus } = conservation(events, { sent });
        expect(Object.keys(byStatus).filter((s) => !['200', '503', '504'].includes(s))).toEqual([]);
      }),
      { numRuns: 12 },
    );
  });

  it('reproduces the same trace from the same seed, and a different one from another seed', () => {
    const run = (seed: number) => {
      const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app', annotations: { 'knsim.dev/service-time': 'exp(50ms)' }, revisions: [{ containerConcurrency: 3 }] }) });
      burst(cluster, { url: URL }, 50);
      advance(cluster, 150_000);
      return events;
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const a = sameSeedSameTrace(run, seed);
        expect(sameSeedSameTrace(run, seed + 1).hash).not.toBe(a.hash);
      }),
      { numRuns: 4 },
    );
  });
});

describe('laws of routing', () => {
  it('converges to the configured split within a binomial bound', () => {
    fc.assert(
      fc.property(percents({ minLength: 2, maxLength: 2, zero: false }), fc.integer({ min: 1, max: 10_000 }), (ps, seed) => {
        const traffic = ps.map((p, i) => ({ revisionName: `app-v${i + 1}`, percent: p }));
        // v1 then v2, each the latest when created, then the split
        const { cluster: c } = smallCluster({ seed, record: false, manifests: service({ name: 'app', revisions: 2, traffic }) });
        const responses = burst(c, { url: URL }, 400);
        splitConverges(responses, traffic);
        expect(responses.every((r) => r.status === 200)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('never sends traffic to a revision that is not Ready: a failing new revision leaves traffic on the old one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const { cluster: c, events } = smallCluster({ seed, config: { 'config-deployment': { 'progress-deadline': '20s' } }, manifests: service({ name: 'app' }) });
        // v2 answers its readiness probe with 500: it never becomes Ready
        const bad = service({ name: 'app', revisions: [{}, { annotations: { 'knsim.dev/status': '500' } }] })[1]!;
        (bad.spec.template.spec.containers[0] as { readinessProbe?: unknown }).readinessProbe = { httpGet: { path: '/' } };
        c.apply(bad);
        for (let i = 0; i < 60; i++) {
          c.send({ url: URL });
          advance(c, 500);
        }
        advance(c, 30_000);
        servedByRoutable(events);
        expect([...new Set(events.flatMap((e) => (e.type === 'request.end' && e.revision ? [e.revision] : [])))]).toEqual(['app-v1']);
        const svcObj = c.get<KObject & { status: { conditions: Array<{ type: string; status: string }>; latestReadyRevisionName: string } }>({ kind: 'Service', name: 'app' })!;
        expect(svcObj.status.latestReadyRevisionName).toBe('app-v1');
        expect(svcObj.status.conditions.find((x) => x.type === 'Ready')!.status).toBe('False');
        expect(sendN(c, { url: URL }, 1)[0]!.revision).toBe('app-v1');
      }),
      { numRuns: 3 },
    );
  });
});
