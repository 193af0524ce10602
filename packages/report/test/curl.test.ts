import { describe, expect, it } from 'vitest';
import { formatCurl, makeCurlOutput, type CurlResponse } from '../src/index.js';

const ok = (body: string, revision: string, latencyMs: number): CurlResponse => ({ status: 200, body, headers: {}, latencyMs, revision, pod: `${revision}-pod`, hops: [{ component: 'app', name: `${revision}-pod`, startMs: 0, endMs: latencyMs }] });
const responses: CurlResponse[] = [ok('v1\n', 'r-00001', 1.0004), ok('v2\n', 'r-00002', 2), { status: 0, body: '', headers: {}, latencyMs: 0.5, revision: null, pod: null, hops: [], error: 'Could not resolve host: x' }];

describe('makeCurlOutput', () => {
  it('rounds each response and counts by status, revision and body, with latency percentiles', () => {
    const out = makeCurlOutput(responses);
    expect(out.responses[0]!.latencyMs).toBe(1);
    expect(out.responses[2]!.error).toBe('Could not resolve host: x');
    expect(out.summary).toEqual({ count: 3, byStatus: { '0': 1, '200': 2 }, byRevision: { 'r-00001': 1, 'r-00002': 1 }, byBody: { '': 1, 'v1\n': 1, 'v2\n': 1 }, latencyMs: { p50: 1, p90: 1.8, p99: 1.98, max: 2 } });
  });
});

describe('formatCurl', () => {
  it('prints bodies on stdout like curl; failures and the counts of several requests on stderr', () => {
    const f = formatCurl(makeCurlOutput(responses), false);
    expect(f.stdout).toBe('v1\nv2\n');
    expect(f.stderr).toBe('curl: Could not resolve host: x\n3 requests: 1× 0, 2× 200; latency p50 1 ms, p99 1.98 ms\nby revision: r-00001 1, r-00002 1\n');
  });

  it('with verbose, every hop of every request', () => {
    const f = formatCurl(makeCurlOutput(responses.slice(0, 1)), true);
    expect(f.stderr).toBe('* request 1: HTTP 200 in 1 ms from r-00001 (r-00001-pod)\n*   app          r-00001-pod                                             0.000 → 1.000 ms\n');
  });
});
