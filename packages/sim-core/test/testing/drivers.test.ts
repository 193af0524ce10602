import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, burst, closedLoop, configuration, drive, loadPattern, openLoop, runUntilQuiet, sendN, service, smallCluster, toYaml, LawViolation } from '../../src/testing/index.js';
import { runs } from './runs.js';

const URL = 'http://app.default.example.com/';

describe('builders', () => {
  it('service(): one Service per revision, BYO names, the traffic block on the last', () => {
    const objs = service({ name: 'app', revisions: [{ annotations: { a: '1' } }, { image: 'x/y:z' }], annotations: { b: '2' }, traffic: [{ revisionName: 'app-v1', percent: 100 }] });
    expect(objs.map((o) => o.spec.template.metadata!.name)).toEqual(['app-v1', 'app-v2']);
    expect(objs.map((o) => o.spec.template.spec.containers[0]!.image)).toEqual(['example.com/app:v1', 'x/y:z']);
    expect(objs[0]!.spec.template.metadata!.annotations).toEqual({ a: '1', b: '2' });
    expect(objs[0]!.spec.traffic).toBeUndefined();
    expect(objs[1]!.spec.traffic).toEqual([{ revisionName: 'app-v1', percent: 100 }]);
    expect(toYaml(objs)).toMatch(/^# apply 1 of 2\napiVersion: serving.knative.dev\/v1\n[\s\S]*---\n# apply 2 of 2\n/);
  });

  it('configuration(): Configurations then a Route, latestRevision as configurationName; smallCluster waits for the Route', () => {
    const objs = configuration({ name: 'cfg', revisions: 2, traffic: [{ latestRevision: true, percent: 60 }, { tag: 'old', revisionName: 'cfg-v1', percent: 40 }] });
    expect(objs.map((o) => o.kind)).toEqual(['Configuration', 'Configuration', 'Route']);
    expect(objs[2]!.spec).toEqual({ traffic: [{ latestRevision: true, configurationName: 'cfg', percent: 60 }, { tag: 'old', revisionName: 'cfg-v1', percent: 40 }] });
    const { cluster } = smallCluster({ seed: 2, manifests: objs });
    const revs = sendN(cluster, { url: 'http://cfg.default.example.com/' }, 50).map((r) => r.revision);
    expect(new Set(revs)).toEqual(new Set(['cfg-v1', 'cfg-v2']));
    expect(sendN(cluster, { url: 'http://old-cfg.default.example.com/' }, 1)[0]!.revision).toBe('cfg-v1');
  });

  it('smallCluster(): the same seed gives the same cluster; record: false records nothing', () => {
    const a = smallCluster({ seed: 9, manifests: service({ name: 'app' }) });
    const b = smallCluster({ seed: 9, manifests: service({ name: 'app' }) });
    expect(a.cluster.now).toBe(b.cluster.now);
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    expect(smallCluster({ seed: 9, record: false, manifests: service({ name: 'app' }) }).events).toEqual([]);
  });
});

describe('drivers', () => {
  const ready = (seed = 1) => smallCluster({ seed, record: false, manifests: service({ name: 'app', annotations: { 'autoscaling.knative.dev/min-scale': '1' } }) }).cluster;

  it('sendN sends one after another; burst at one instant', () => {
    const c = ready();
    const seq = sendN(c, { url: URL }, 5);
    for (let i = 1; i < 5; i++) expect(seq[i]!.startMs).toBeGreaterThanOrEqual(seq[i - 1]!.endMs);
    const b = burst(c, { url: URL }, 5);
    expect(new Set(b.map((r) => r.startMs)).size).toBe(1);
    expect(b.every((r) => r.status === 200)).toBe(true);
  });

  it('openLoop: evenly spaced at the rate for the duration (and a ramp follows its integral), Poisson from the cluster seed', () => {
    const c = ready();
    const t0 = c.now;
    const u = openLoop(c, { url: URL }, { rps: 20, durationMs: 2000 });
    expect(u).toHaveLength(40);
    expect(u[0]!.startMs - t0).toBeCloseTo(25, 6);
    expect(c.now).toBeGreaterThanOrEqual(t0 + 2000);
    expect(openLoop(c, { url: URL }, { rps: 0, toRps: 20, durationMs: 4000 })).toHaveLength(40);
    const p1 = openLoop(ready(3), { url: URL }, { rps: 50, durationMs: 2000, arrival: 'poisson' }).map((r) => r.startMs);
    const p2 = openLoop(ready(3), { url: URL }, { rps: 50, durationMs: 2000, arrival: 'poisson' }).map((r) => r.startMs);
    expect(p1).toEqual(p2);
  });

  it('closedLoop: each user waits for its answer and thinks; none starts after the duration', () => {
    const c = ready();
    const t0 = c.now;
    const rs = closedLoop(c, { url: URL }, { users: 3, durationMs: 1000, thinkMs: 100 });
    expect(rs.length).toBeGreaterThan(3);
    expect(rs.every((r) => r.startMs < t0 + 1000)).toBe(true);
  });

  it('drive: any load pattern is answered in full, within its bounds', () => {
    fc.assert(
      fc.property(loadPattern({ maxRequests: 30, maxDurationMs: 5000 }), fc.integer({ min: 1, max: 1000 }), (p, seed) => {
        const rs = drive(ready(seed), { url: URL }, p);
        expect(rs.every((r) => r.status === 200)).toBe(true);
        if (p.kind === 'constant') expect(rs.length).toBe(Math.round((p.rps * p.durationMs) / 1000));
        if (p.kind === 'burst') expect(rs.length).toBe(p.requests * p.bursts);
      }),
      { numRuns: runs(10) },
    );
  });

  it('runUntilQuiet: returns once nothing but timers happened for the quiet time', () => {
    const c = ready();
    burst(c, { url: URL }, 30);
    const { lastChangeMs } = runUntilQuiet(c, { quietMs: 5000 });
    expect(c.now).toBeGreaterThanOrEqual(lastChangeMs + 5000);
    expect(() => runUntilQuiet(c, { quietMs: 5000, maxMs: 1000 })).toThrow(/still busy after 1000 ms/);
  });

  it('advance: moves the clock; a livelock fails as a LawViolation instead of hanging', () => {
    const c = ready();
    const t = c.now;
    advance(c, 1234);
    expect(c.now).toBe(t + 1234);
    const spin = () => c.env.timeout(0).addCallback(spin);
    c.env.timeout(10).addCallback(spin);
    expect(() => advance(c, 1000)).toThrow(LawViolation);
  });
});
