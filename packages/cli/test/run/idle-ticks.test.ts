import { describe, expect, it } from 'vitest';
import { makeSummary, stableStringify } from '@knsim/report';
import { findBuiltin, listBuiltins, loadScenarioFile, runScenario } from '@knsim/scenarios';

/**
 * A revision at zero with no metric data parks its scrape and decider timers (issue 14): the
 * ticks it skips would have decided nothing (ErrNoData) and scraped no pod. The law: the results
 * are the same as ticking every time — the summary byte for byte, and every revision's full
 * timeline (pod phases and burst capacity included) — on every built-in.
 */
describe('parked autoscaler ticks change nothing', () => {
  for (const b of listBuiltins()) {
    it(`${b.name}: the same summary and timelines with and without parking`, async () => {
      const loaded = await loadScenarioFile(findBuiltin(b.name)!.file);
      const parked = runScenario(loaded);
      const ticking = runScenario(loaded, { alwaysTick: true });
      expect(stableStringify(makeSummary(parked))).toBe(stableStringify(makeSummary(ticking)));
      const timelines = (r: typeof parked) => JSON.stringify([...r.revisions].map(([name, rev]) => [name, rev.timeline]));
      expect(timelines(parked)).toBe(timelines(ticking));
      // Parking never adds work: a wake re-arms only the timers that are not pending, so no
      // timer runs that a ticking revision would not run (the built-ins end soon after their
      // revisions go idle; the events it saves are counted in sim-core's
      // test/cluster/scale-cost.test.ts).
      expect(parked.cluster.env.eventsProcessed).toBeLessThanOrEqual(ticking.cluster.env.eventsProcessed);
    });
  }
});
