import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type RunOptions, type RunResult } from '@knsim/scenarios';
import { formatSummary, makeSummary, stableStringify } from '@knsim/report';

const HELLO = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest}]\n';
const URL = 'http://hello.default.example.com/';

/** Runs `steps` (YAML list items) against the hello service on a fresh cluster. */
function run(steps: string, opts: RunOptions = {}): RunResult {
  return runScenario(parseScenario(`name: t\nseed: 11\nmanifests: [{inline: ${JSON.stringify(HELLO)}}]\nsteps:\n${steps}`, 't.yaml'), opts);
}

// What `knsim run` writes: the report's summary of a scenario's result.
describe('summary.json', () => {
  const steps = `  - load: { name: p, url: "${URL}", rps: 30, duration: 5s }
  - load: { name: c, url: "${URL}", concurrency: 2, duration: 1s, background: true }
  - request: { name: probe, url: "${URL}" }
`;

  it('is byte-identical for the same seed and differs for another seed', () => {
    const a = stableStringify(makeSummary(run(steps, { seed: 5 })));
    const b = stableStringify(makeSummary(run(steps, { seed: 5 })));
    const c = stableStringify(makeSummary(run(steps, { seed: 6 })));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('has the documented shape, keys sorted, counts matching the run', () => {
    const r = run(steps);
    const s = makeSummary(r);
    expect(Object.keys(s).sort()).toEqual(['loads', 'requests', 'revisions', 'scenario', 'seed', 'simulatedMs']);
    expect(Object.keys(s.loads)).toEqual(['c', 'p']);
    for (const l of Object.values(s.loads)) {
      expect(Object.values(l.byStatus).reduce((a, b) => a + b, 0)).toBe(l.completed);
      expect(Object.keys(l.latencyMs).sort()).toEqual(['max', 'mean', 'p50', 'p90', 'p99']);
      expect(l.latencyMs.p50).toBeLessThanOrEqual(l.latencyMs.p99);
      expect(l.latencyMs.p99).toBeLessThanOrEqual(l.latencyMs.max);
    }
    expect(s.requests.probe!.status).toBe(200);
    expect(s.revisions['hello-00001']!.maxReadyPods).toBeGreaterThanOrEqual(1);
    const text = formatSummary(s);
    expect(text).toMatch(/^scenario t \(seed 11\)/);
    expect(text).toMatch(/load p: \d+\/\d+ answered/);
    expect(text).toMatch(/request probe: 200 /);
  });
});
