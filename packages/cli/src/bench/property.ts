import fc from 'fast-check';
import { percents, sendN, service, smallCluster, splitConverges } from '@knsim/sim-core/testing';

export interface PropertyBenchParams {
  /** Runs of the property, each on a fresh cluster. */
  runs: number;
  /** Requests each run sends. */
  requests: number;
  /** fast-check's seed for the property (the runs' clusters get theirs from it). */
  seed: number;
  /** Called after each run of the property with the runs done (the CLI's progress line). */
  onProgress?: (done: number, runs: number) => void;
}

export interface PropertyBenchResult {
  runs: number;
  requests: number;
  /** Per run: building the cluster and bringing both revisions to Ready, in ms of wall time. */
  setupMs: number[];
  /** Per run: the `new Cluster()` part of setup. */
  clusterMs: number[];
  /** The property held on every run. */
  held: boolean;
  /** fast-check's report when it did not. */
  failure?: string;
}

const URL = 'http://canary.default.example.com/';

/**
 * The canary-split property as a user writes it with `@knsim/sim-core/testing` (docs/testing.md,
 * example 1): for any two-way split and any seed, a fresh cluster with a two-revision Service
 * answers `requests` requests in the configured proportions, within the exact binomial bound.
 * `now` is the wall clock, injected so the harness (not the simulation) owns time.
 */
export function runPropertyBench(p: PropertyBenchParams, now: () => number): PropertyBenchResult {
  const setupMs: number[] = [];
  const clusterMs: number[] = [];
  const property = fc.property(percents({ minLength: 2, maxLength: 2, zero: false }), fc.integer({ min: 1, max: 0x7fffffff }), ([p1, p2], seed) => {
    const traffic = [
      { revisionName: 'canary-v1', percent: p1! },
      { revisionName: 'canary-v2', percent: p2! },
    ];
    const t0 = now();
    const { cluster } = smallCluster({ seed, record: false, hops: false, manifests: service({ name: 'canary', revisions: 2, traffic }) });
    setupMs.push(now() - t0);
    splitConverges(sendN(cluster, { url: URL }, p.requests), traffic);
    p.onProgress?.(setupMs.length, p.runs);
  });
  // The clusterMs sample: the constructor alone, measured apart so the property's timing is untouched.
  const r = fc.check(property, { numRuns: p.runs, seed: p.seed, endOnFailure: true });
  for (let i = 0; i < Math.min(p.runs, 200); i++) {
    const t0 = now();
    smallCluster({ seed: i + 1, record: false, hops: false });
    clusterMs.push(now() - t0);
  }
  return { runs: r.numRuns, requests: p.requests, setupMs, clusterMs, held: !r.failed, ...(r.failed ? { failure: fc.defaultReportMessage(r) ?? 'failed' } : {}) };
}
