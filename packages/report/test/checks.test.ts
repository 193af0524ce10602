import { describe, expect, it } from 'vitest';
import { CheckSubjectError, evaluateChecks, formatChecks, formatSummary, makeSummary, unaccountedErrors, type CheckInput, type RunRecord } from '../src/index.js';

const record: RunRecord = {
  scenario: 'gate',
  seed: 1,
  simulatedMs: 60_000,
  loads: new Map([
    ['split', { startMs: 0, endMs: 1000, sent: 4, completed: 4, byStatus: new Map([['200', 3], ['503', 1]]), byRevision: new Map([['v1', 1], ['v2', 2]]), latencies: [1, 2, 3, 400] }],
    ['lost', { startMs: 0, endMs: 1000, sent: 1, completed: 1, byStatus: new Map([['0', 1]]), byRevision: new Map(), latencies: [5] }],
  ]),
  requests: new Map([['probe', { status: 502, body: '', latencyMs: 7, revision: null, pod: null, hops: [] }]]),
  revisions: new Map([['v1', { timeline: [], maxReadyPods: 3, coldStarts: 1 }]]),
  podWatch: new Map([
    [
      'v1',
      [
        { tMs: 0, pod: 'p1', ready: '2/2', status: 'Running' },
        { tMs: 1, pod: 'p2', ready: '2/2', status: 'Running' },
        { tMs: 9, pod: 'p1', ready: '2/2', status: 'Terminating' },
      ],
    ],
  ]),
};
const summary = makeSummary(record);
const check = (c: Omit<CheckInput, 'label' | 'unit'> & { unit?: string }): CheckInput => ({ unit: '', label: `${c.subject} ${c.name} ${c.metric}`, ...c });

describe('evaluateChecks', () => {
  it('reads each metric from the summary and compares it with its bounds', () => {
    const results = evaluateChecks(summary, [
      check({ subject: 'load', name: 'split', metric: 'share', revision: 'v2', min: 40, max: 60, unit: '%' }),
      check({ subject: 'load', name: 'split', metric: 'status5xx', max: 0 }),
      check({ subject: 'load', name: 'split', metric: 'maxMs', max: 500, unit: ' ms' }),
      check({ subject: 'load', name: 'lost', metric: 'noAnswer', min: 1, max: 1 }),
      check({ subject: 'revision', name: 'v1', metric: 'readyPodsAtEnd', max: 0 }),
      check({ subject: 'revision', name: 'v1', metric: 'maxReadyPods', max: 3 }),
      check({ subject: 'request', name: 'probe', metric: 'status', min: 200, max: 299 }),
    ]);
    expect(results.map((r) => [r.observed, r.ok])).toEqual([
      [50, true],
      [1, false],
      [400, true],
      [1, true],
      [1, false],
      [3, true],
      [502, false],
    ]);
    expect(results[0]).toEqual({ check: 'load split share', observed: 50, min: 40, max: 60, unit: '%', ok: true });
  });

  it('a share of a load nothing answered observes nothing and fails; a subject the run lacks is the scenario’s mistake', () => {
    const empty = makeSummary({ ...record, loads: new Map([['none', { startMs: 0, endMs: 0, sent: 0, completed: 0, byStatus: new Map(), byRevision: new Map(), latencies: [] }]]) });
    expect(evaluateChecks(empty, [check({ subject: 'load', name: 'none', metric: 'share', revision: 'v1', min: 0 })])[0]).toMatchObject({ observed: null, ok: false });
    expect(() => evaluateChecks(summary, [check({ subject: 'load', name: 'split', metric: 'completed', min: 1 }), check({ subject: 'revision', name: 'v9', metric: 'coldStarts', max: 0 })])).toThrow(
      new CheckSubjectError(1, 'no revision named "v9" in the run ("v1")'),
    );
  });

  it('prints ✓ and ✗ with the observed value, and the summary counts them', () => {
    const results = evaluateChecks(summary, [check({ subject: 'load', name: 'split', metric: 'share', revision: 'v2', min: 40, unit: '%' }), check({ subject: 'load', name: 'split', metric: 'status5xx', max: 0 })]);
    expect(formatChecks(results)).toBe('✓ load split share (observed 50%)\n✗ load split status5xx (observed 1)');
    expect(formatSummary({ ...summary, checks: results }).split('\n').slice(-3)).toEqual(['checks: 1 passed, 1 failed', '  ✓ load split share (observed 50%)', '  ✗ load split status5xx (observed 1)']);
  });
});

describe('unaccountedErrors: the rule for curl, for scenarios', () => {
  it('names each load and request that got a 5xx or no answer the scenario did not account for', () => {
    expect(unaccountedErrors(summary, { loads: [], requests: [] })).toEqual([
      'load lost got 1× no answer and no check covers it: add a check such as {load: lost, noAnswer: {max: N}}, or expect5xx: true on the load if that is its point',
      'load split got 1× 503 and no check covers it: add a check such as {load: split, status5xx: {max: N}}, or expect5xx: true on the load if that is its point',
      'request probe got 502 and no check covers it: add {request: probe, status: {min: …, max: …}}, or expect5xx: true on the request',
    ]);
    expect(unaccountedErrors(summary, { loads: ['split', 'lost'], requests: ['probe'] })).toEqual([]);
  });
});
