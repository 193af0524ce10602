import fc from 'fast-check';
import { percents, sendN, service, smallCluster, splitConverges } from '@knsim/sim-core/testing';

export interface PropertyBenchParams {
  /** Runs of the property, each on a fresh cluster. */
  runs: number;
  /** Requests each run sends. */
  requests: number;
  /** fast-check's seed for the property (the runs' clusters get theirs from it). */
  seed: number;
  /**
   * Unmeasured runs of the property first (fast-check seed `seed + 1`), so that the measured runs
   * show a suite's steady state rather than V8's warm-up; 0 (the CLI's default) measures a fresh
   * process, as one property file in a fresh test worker runs.
   */
  warmup?: number;
  /** Called after each run of the property with the runs done (the CLI's progress line). */
  onProgress?: (done: number, runs: number) => void;
}

export interface PropertyBenchResult {
  runs: number;
  /** Warm-up runs, and their wall ms together (0 and 0 without a warm-up). */
  warmup: number;
  warmupMs: number;
  /**
   * Wall ms and CPU ms (user + system, every thread of the process) of the measured runs. The CPU
   * figure includes V8's background threads (its optimizing compiler, the garbage collector's
   * helpers), which run beside the simulation while the JIT warms up.
   */
  wallMs: number;
  cpuMs: number;
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
 * `clock` gives wall and CPU ms, injected so the harness (not the simulation) owns time.
 */
export function runPropertyBench(p: PropertyBenchParams, clock: { wallMs: () => number; cpuMs: () => number }): PropertyBenchResult {
  const now = clock.wallMs;
  const setupMs: number[] = [];
  const clusterMs: number[] = [];
  const warmup = p.warmup ?? 0;
  // `record`: the measured runs keep their setup times and report progress; warm-up runs do not.
  const canarySplit = (record: boolean) =>
    fc.property(percents({ minLength: 2, maxLength: 2, zero: false }), fc.integer({ min: 1, max: 0x7fffffff }), ([p1, p2], seed) => {
      const traffic = [
        { revisionName: 'canary-v1', percent: p1! },
        { revisionName: 'canary-v2', percent: p2! },
      ];
      const t0 = now();
      const { cluster } = smallCluster({ seed, record: false, hops: false, manifests: service({ name: 'canary', revisions: 2, traffic }) });
      if (record) setupMs.push(now() - t0);
      splitConverges(sendN(cluster, { url: URL }, p.requests), traffic);
      if (record) p.onProgress?.(setupMs.length, p.runs);
    });
  let warmupMs = 0;
  if (warmup > 0) {
    const w0 = now();
    const w = fc.check(canarySplit(false), { numRuns: warmup, seed: p.seed + 1, endOnFailure: true });
    warmupMs = now() - w0;
    if (w.failed) return { runs: 0, warmup, warmupMs, wallMs: 0, cpuMs: 0, requests: p.requests, setupMs, clusterMs, held: false, failure: `in the warm-up: ${fc.defaultReportMessage(w) ?? 'failed'}` };
  }
  const t0 = now();
  const c0 = clock.cpuMs();
  const r = fc.check(canarySplit(true), { numRuns: p.runs, seed: p.seed, endOnFailure: true });
  const wallMs = now() - t0;
  const cpuMs = clock.cpuMs() - c0;
  // The clusterMs sample: the constructor alone, measured apart so the property's timing is untouched.
  for (let i = 0; i < Math.min(p.runs, 200); i++) {
    const t0 = now();
    smallCluster({ seed: i + 1, record: false, hops: false });
    clusterMs.push(now() - t0);
  }
  return { runs: r.numRuns, warmup, warmupMs, wallMs, cpuMs, requests: p.requests, setupMs, clusterMs, held: !r.failed, ...(r.failed ? { failure: fc.defaultReportMessage(r) ?? 'failed' } : {}) };
}
