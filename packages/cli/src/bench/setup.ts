import { service, smallCluster } from '@knsim/sim-core/testing';

export interface SetupBenchParams {
  /** Setups measured (after `warmup` unmeasured ones). */
  setups: number;
  /** Revisions of the Service, each applied and waited on until Ready (default 1). */
  revisions: number;
  /** Setup i gets seed `seed + i`, as a property's runs get different seeds. */
  seed: number;
  /**
   * Unmeasured setups first, so that the figure is a suite's steady state, not the JIT's start.
   * V8 keeps optimizing the control plane's code for a few thousand setups (docs/testing.md,
   * "Warm-up"), hence the CLI's default of 4,000.
   */
  warmup: number;
}

/** The first setups of a process, reported apart: what a short suite (200 runs) pays per setup. */
export const COLD_SETUPS = 200;

export interface SetupBenchResult {
  setups: number;
  revisions: number;
  /** Wall ms and CPU ms (user + system) of the measured setups together. */
  wallMs: number;
  cpuMs: number;
  /** Kernel events one setup processed (the last one's; the same for every seed up to timing draws). */
  events: number;
  /** Wall ms of the warm-up setups together, and of its first `COLD_SETUPS` (or all, if fewer). */
  warmupWallMs: number;
  coldSetups: number;
  coldWallMs: number;
}

/**
 * What a property-based test pays before its first request (issue 11, "Cheap enough for hundreds
 * of runs"): the kit's builder, `smallCluster({ seed, manifests: service(...) })`, a fresh cluster
 * with one Knative Service run until Ready. `clock` gives wall and CPU ms, injected so the harness
 * (not the simulation) owns time.
 */
export function runSetupBench(p: SetupBenchParams, clock: { wallMs: () => number; cpuMs: () => number }): SetupBenchResult {
  const manifests = service({ name: 'app', revisions: p.revisions });
  const one = (i: number) => smallCluster({ seed: p.seed + i, record: false, hops: false, manifests }).cluster;
  // Warm-up seeds are ones the measured setups do not use.
  const cold = Math.min(COLD_SETUPS, p.warmup);
  const s0 = clock.wallMs();
  for (let i = 0; i < cold; i++) one(p.setups + i);
  const coldWallMs = clock.wallMs() - s0;
  for (let i = cold; i < p.warmup; i++) one(p.setups + i);
  const warmupWallMs = clock.wallMs() - s0;
  const w0 = clock.wallMs();
  const c0 = clock.cpuMs();
  let events = 0;
  for (let i = 0; i < p.setups; i++) events = one(i).env.eventsProcessed;
  return { setups: p.setups, revisions: p.revisions, wallMs: clock.wallMs() - w0, cpuMs: clock.cpuMs() - c0, events, warmupWallMs, coldSetups: cold, coldWallMs };
}
