import { describe, expect, it } from 'vitest';
import { hashStrings, type KnsimTraceEvent } from '@knsim/sim-core';
import { parseScenario, runScenario } from '../../src/index.js';

const HELLO = 'apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec:\n  template:\n    spec:\n      containers: [{image: ghcr.io/knative/helloworld-go:latest}]\n';
const SCENARIO = `name: t
seed: 4
manifests: [{inline: ${JSON.stringify(HELLO)}}]
steps:
  - request: { name: first, url: "http://hello.default.example.com/" }
  - wait: 90s
  - apply: { inline: ${JSON.stringify(HELLO.replace(':latest', ':v2'))} }
  - load: { name: steady, url: "http://hello.default.example.com/", rps: 20, duration: 3s }
`;

const record = () => {
  const events: KnsimTraceEvent[] = [];
  const r = runScenario(parseScenario(SCENARIO, 't.yaml'), { traceListeners: [(e) => events.push(e)] });
  return { r, events };
};

// The library API the CLI's report and --trace use: RunOptions.traceListeners (docs/api.md).
describe('runScenario traceListeners', () => {
  it('get every event of the run in time order, from the first manifest on, the requests with their hops', () => {
    const { r, events } = record();
    expect(events[0]!.type).toBe('object.applied');
    for (let i = 1; i < events.length; i++) expect(events[i]!.t).toBeGreaterThanOrEqual(events[i - 1]!.t);
    const ends = events.filter((e) => e.type === 'request.end');
    expect(ends.length).toBe(1 + r.loads.get('steady')!.completed);
    expect(ends.filter((e) => e.tag === 'first')).toHaveLength(1);
    expect(events.some((e) => e.type === 'autoscaler.decision')).toBe(true);
  });

  it('see the same trace for the same seed (a recorded trace is reproducible)', () => {
    const a = record().events.map((e) => JSON.stringify(e));
    const b = record().events.map((e) => JSON.stringify(e));
    expect(a.length).toBeGreaterThan(100);
    expect(hashStrings(a)).toBe(hashStrings(b));
  });

  it('come with the steps in order, their times, and every manifest applied', () => {
    const { r } = record();
    expect(r.steps.map((s) => [s.index, s.kind, s.name ?? null])).toEqual([[0, 'request', 'first'], [1, 'wait', null], [2, 'apply', null], [3, 'load', 'steady']]);
    expect(r.steps[1]!.endMs - r.steps[1]!.startMs).toBe(90_000);
    for (let i = 1; i < r.steps.length; i++) expect(r.steps[i]!.startMs).toBe(r.steps[i - 1]!.endMs);
    expect(r.steps[3]!.what).toBe('load steady: 20 rps for 3s against http://hello.default.example.com/');
    expect(r.manifests.map((m) => m.source)).toEqual(['t.yaml manifests[0]', 't.yaml steps[2].apply.inline']);
    expect(r.manifests[1]!.tMs).toBe(r.steps[2]!.startMs);
  });
});
