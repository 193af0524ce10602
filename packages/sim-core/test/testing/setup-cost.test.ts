import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../src/engine/distributions.js';
import { TraceRecorder } from '../../src/trace/bus.js';
import type { KnsimTraceEvent } from '../../src/trace/events.js';
import { burst, service, smallCluster } from '../../src/testing/index.js';
import { runs } from './runs.js';

/**
 * Issue 11, "Cheap enough for hundreds of runs": what a property's setup (a fresh cluster, a
 * Service, Ready) costs, counted rather than timed, and the laws its savings must keep — a
 * cluster built after any others is the cluster built first (nothing one leaves behind reaches
 * the next).
 */
describe('setting up a small cluster', () => {
  it('copies fewer objects in and out of the store: a one-revision Service from nothing to Ready', () => {
    const { cluster } = smallCluster({ seed: 5, record: false, manifests: service({ name: 'app' }) });
    const stats = cluster.controlPlaneStats();
    // Measured: 71 before (the Service reconciler read its Service, Configuration and Route as
    // copies; a child it owns was copied twice on its way in), 49 after.
    expect(stats.objectsCopied).toBeLessThanOrEqual(50);
    expect(stats.reconciles).toEqual({ configuration: 2, ingress: 1, route: 4, service: 5 });
  });

  it('parses a latency distribution once for every cluster, and it cannot be changed', () => {
    const a = parseDistribution('lognormal(8ms,0.4)');
    expect(parseDistribution('lognormal(8ms,0.4)')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => {
      (a as { mean: number }).mean = 1;
    }).toThrow(TypeError);
    expect(() => parseDistribution('lognormal(8ms)')).toThrow('lognormal takes 2 arguments, got 1');
  });

  it('a cluster built after others, with other seeds, manifests and options, is the cluster built first', () => {
    const trace = (seed: number, split: number) => {
      const { cluster, events } = smallCluster({ seed, manifests: service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v1', percent: split }, { revisionName: 'app-v2', percent: 100 - split }] }) });
      burst(cluster, { url: 'http://app.default.example.com/' }, 20);
      return JSON.stringify(events);
    };
    const others = fc.array(
      fc.record({ seed: fc.integer({ min: 1, max: 1000 }), split: fc.integer({ min: 0, max: 100 }), latency: fc.constantFrom('lognormal(8ms,0.4)', 'lognormal(20ms,0.3)', '5ms'), stableWindow: fc.constantFrom('6s', '60s') }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 100 }), others, (seed, split, between) => {
        const first = trace(seed, split);
        for (const o of between) {
          const { cluster } = smallCluster({ seed: o.seed, latencies: { reconcile: o.latency }, config: { 'config-autoscaler': { 'stable-window': o.stableWindow } }, manifests: service({ name: 'app', revisions: 2, traffic: [{ revisionName: 'app-v1', percent: o.split }, { revisionName: 'app-v2', percent: 100 - o.split }] }) });
          new TraceRecorder<KnsimTraceEvent>(cluster.trace);
          burst(cluster, { url: 'http://app.default.example.com/' }, 5);
        }
        expect(trace(seed, split)).toBe(first);
      }),
      { numRuns: runs(4) },
    );
  });
});
