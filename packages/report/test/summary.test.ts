import { describe, expect, it } from 'vitest';
import { formatSummary, makeSummary, stableStringify, type RunRecord } from '../src/index.js';

// A run's results as plain data: the report needs no cluster.
const record: RunRecord = {
  scenario: 'hand-made',
  seed: 7,
  simulatedMs: 12_000.00049,
  loads: new Map([['steady', { startMs: 0, endMs: 10_000, sent: 3, completed: 3, byStatus: new Map([['200', 2], ['503', 1]]), byRevision: new Map([['b-00001', 1], ['a-00001', 1]]), latencies: [3, 1, 2] }]]),
  requests: new Map([['probe', { status: 200, body: 'hi\n', latencyMs: 1.23456, revision: 'a-00001', pod: 'a-pod', hops: [{ component: 'gateway', name: 'gw', startMs: 0.00049, endMs: 1.23456 }] }]]),
  revisions: new Map([['a-00001', { timeline: [{ tMs: 2000.0004, desiredPods: 1, readyPods: 1, panic: false, activatorInPath: true }], maxReadyPods: 1, coldStarts: 1 }]]),
  podWatch: new Map([['a-00001', [{ tMs: 100.0001, pod: 'a-pod', ready: '0/2', status: 'Pending' }]]]),
};

describe('makeSummary', () => {
  it('rounds times to a microsecond, sorts every map, and lists the pod watch with its revision', () => {
    const s = makeSummary(record);
    expect(s.simulatedMs).toBe(12_000);
    expect(s.loads.steady).toEqual({ startMs: 0, endMs: 10_000, sent: 3, completed: 3, byStatus: { '200': 2, '503': 1 }, byRevision: { 'a-00001': 1, 'b-00001': 1 }, latencyMs: { p50: 2, p90: 2.8, p99: 2.98, max: 3, mean: 2 } });
    expect(Object.keys(s.loads.steady!.byRevision)).toEqual(['a-00001', 'b-00001']);
    expect(s.requests.probe).toEqual({ status: 200, body: 'hi\n', latencyMs: 1.235, revision: 'a-00001', pod: 'a-pod', hops: [{ component: 'gateway', name: 'gw', startMs: 0, endMs: 1.235 }] });
    expect(s.revisions['a-00001']).toEqual({ timeline: [{ tMs: 2000, desiredPods: 1, readyPods: 1, panic: false, activatorInPath: true }], maxReadyPods: 1, coldStarts: 1, pods: [{ tMs: 100, pod: 'a-pod', ready: '0/2', status: 'Pending' }] });
  });

  it('prints the same bytes for the same record, keys sorted at every depth', () => {
    const text = stableStringify(makeSummary(record));
    expect(text).toBe(stableStringify(makeSummary(record)));
    expect(text.indexOf('"loads"')).toBeLessThan(text.indexOf('"requests"'));
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('formats a few lines for a person', () => {
    expect(formatSummary(makeSummary(record)).split('\n').slice(0, 4)).toEqual([
      'scenario hand-made (seed 7): 12.0 s simulated',
      'load steady: 3/3 answered (2× 200, 1× 503); latency p50 2 ms, p99 2.98 ms, max 3 ms; a-00001 33.3%, b-00001 33.3%',
      'request probe: 200 "hi\\n" in 1.235 ms via gateway (a-00001)',
      // The pods at the end are the pod watch's (its one pod is Pending), not the last timeline sample.
      'revision a-00001: max 1 ready pods, 1 cold start (scale-up from zero), at the end 0 ready',
    ]);
  });
});
