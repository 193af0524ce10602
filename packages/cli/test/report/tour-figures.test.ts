import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KnsimTraceEvent } from '@knsim/sim-core';
import { findBuiltin, loadScenarioFile, runScenario } from '@knsim/scenarios';
import { makeCurlOutput, makeSummary, narrateCurl } from '@knsim/report';

// docs/tour.md quotes runs of the built-ins; these keep its figures true (the screenshots are
// refreshed by the browser test with UPDATE_TOUR=1).
const tour = readFileSync(join(import.meta.dirname, '../../../../docs/tour.md'), 'utf8').replace(/\s+/g, ' ');
const run = (name: string, events?: KnsimTraceEvent[]) => runScenario(loadScenarioFile(findBuiltin(name)!.file), events ? { traceListeners: [(e) => events.push(e)] } : {});

describe('docs/tour.md quotes its runs', () => {
  it('life-of-a-request: the cold and warm latencies and the activator narration of the cold request', () => {
    const events: KnsimTraceEvent[] = [];
    const r = run('life-of-a-request', events);
    const s = makeSummary(r);
    expect(tour).toContain(`The cold request took ${s.requests.cold!.latencyMs.toFixed(1)} ms, the warm one ${s.requests.warm!.latencyMs.toFixed(1)} ms`);
    const cold = r.requests.get('cold')!;
    const lines = narrateCurl(makeCurlOutput([cold]), events, [cold.startMs]).split('\n').filter((l) => / activator /.test(l) || /why: SKS Proxy/.test(l));
    expect(lines.length).toBe(2);
    for (const l of lines) expect(tour).toContain(l.replace(/\s+/g, ' '));
  });

  it('scale-from-zero: the burst percentiles and the pods panic reached', () => {
    const s = makeSummary(run('scale-from-zero'));
    const p = s.loads.burst!.latencyMs;
    expect(tour).toContain(`p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms`);
    expect(tour).toContain(`scaled straight to ${s.revisions['autoscale-00001']!.maxReadyPods} pods`);
  });
});
