import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster, TraceRecorder, type KnsimTraceEvent, type KObject } from '../../src/index.js';
import { svc } from './load-helpers.js';

const URL = 'http://app.default.example.com/';

/** A random workload: bursts of requests at random times. */
const workload = fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 90_000 }), n: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 6 });

function runWorkload(seed: number, yaml: string, wl: Array<{ atMs: number; n: number }>, horizonMs: number) {
  const c = new Cluster({ seed });
  c.apply(yaml);
  c.waitForReady();
  const t0 = c.now;
  const sent: Array<ReturnType<Cluster['send']>> = [];
  for (const b of [...wl].sort((x, y) => x.atMs - y.atMs)) {
    c.runUntil(Math.max(c.now, t0 + b.atMs));
    for (let i = 0; i < b.n; i++) sent.push(c.send({ url: URL }));
  }
  c.runUntil(t0 + horizonMs);
  return { c, sent };
}

describe('laws of the scaling stack', () => {
  it('keeps desired and live pods within [min-scale, max-scale] while reachable, and answers every request exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 }), workload, fc.integer({ min: 1, max: 1000 }), (minScale, extra, wl, seed) => {
        const maxScale = minScale + extra;
        const yaml = svc('app', { cc: 2, annotations: { 'autoscaling.knative.dev/min-scale': String(minScale), 'autoscaling.knative.dev/max-scale': String(maxScale), 'knsim.dev/service-time': '300ms' } });
        const { c, sent } = runWorkload(seed, yaml, wl, 400_000);
        const rev = c.revision('app-00001');
        for (const s of rev.timeline) {
          expect(s.desiredPods).toBeLessThanOrEqual(maxScale);
          expect(s.readyPods).toBeLessThanOrEqual(maxScale);
          // initial scale 1 may hold one pod before the first decision
          if (s.tMs > 70_000) expect(s.desiredPods).toBeGreaterThanOrEqual(minScale);
        }
        // every request ended, with exactly one response (a status; 0 would mean no HTTP answer)
        for (const e of sent) {
          expect(e.processed).toBe(true);
          expect([200, 503, 504]).toContain(e.value.status);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('reproduces the same pod timeline and trace from the same seed, and a different one from another seed', () => {
    const once = (seed: number) => {
      const c = new Cluster({ seed });
      const rec = new TraceRecorder<KnsimTraceEvent>(c.trace);
      c.apply(svc('app', { cc: 3, annotations: { 'knsim.dev/service-time': 'exp(50ms)' } }));
      c.waitForReady();
      for (let i = 0; i < 50; i++) c.send({ url: URL });
      c.runFor(150_000);
      return { hash: rec.hash(), pods: rec.events.filter((e) => e.type === 'pod.phase').map((e) => JSON.stringify(e)) };
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const a = once(seed);
        const b = once(seed);
        expect(a.hash).toBe(b.hash);
        expect(a.pods).toEqual(b.pods);
        expect(once(seed + 1).hash).not.toBe(a.hash);
      }),
      { numRuns: 4 },
    );
  });
});

function splitYaml(percents: number[]): string {
  const targets = percents.map((p, i) => `  - revisionName: app-v${i + 1}\n    percent: ${p}`).join('\n');
  return `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: app
spec:
  template:
    metadata:
      name: app-v${percents.length}
    spec:
      containers:
        - image: example.com/app:v1
  traffic:
${targets}
`;
}

describe('laws of routing', () => {
  it('converges to the configured split within a binomial bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 10_000 }), (p1, seed) => {
        const c = new Cluster({ seed });
        // create v1 then v2, each as the latest, then split
        c.apply(splitYaml([100]).replace(/  traffic:\n.*\n.*\n/s, ''));
        c.waitForReady();
        c.apply(splitYaml([p1, 100 - p1]));
        c.waitForReady();
        const n = 400;
        const evs = Array.from({ length: n }, () => c.send({ url: URL }));
        c.runFor(30_000);
        const k = evs.filter((e) => e.value.revision === 'app-v1').length;
        const p = p1 / 100;
        const sd = Math.sqrt(n * p * (1 - p));
        expect(Math.abs(k - n * p)).toBeLessThanOrEqual(5 * sd + 1);
        expect(evs.every((e) => e.value.status === 200)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  it('never sends traffic to a revision that is not Ready: a failing new revision leaves traffic on the old one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (seed) => {
        const c = new Cluster({ seed, config: { 'config-deployment': { 'progress-deadline': '20s' } } });
        const served = new Set<string>();
        c.trace.on('request.end', (e) => e.revision && served.add(e.revision));
        c.apply(svc('app'));
        c.waitForReady();
        // v2 answers its readiness probe with 500: it never becomes Ready
        const bad = svc('app', { annotations: { 'knsim.dev/status': '500' } }).replace('image: example.com/app:v1', 'image: example.com/app:v2\n          readinessProbe:\n            httpGet:\n              path: /');
        c.apply(bad);
        for (let i = 0; i < 60; i++) {
          c.send({ url: URL });
          c.runFor(500);
        }
        c.runFor(30_000);
        expect([...served]).toEqual(['app-00001']);
        const svcObj = c.get<KObject & { status: { conditions: Array<{ type: string; status: string }>; latestReadyRevisionName: string } }>({ kind: 'Service', name: 'app' })!;
        expect(svcObj.status.latestReadyRevisionName).toBe('app-00001');
        expect(svcObj.status.conditions.find((x) => x.type === 'Ready')!.status).toBe('False');
      }),
      { numRuns: 3 },
    );
  });
});
