import type { ClientResponse } from '@knsim/sim-core';
import { countBy, latencySummary, round3, roundHops } from './stats.js';

/** A response as `knsim curl` reports it. */
export type CurlResponse = Pick<ClientResponse, 'status' | 'body' | 'headers' | 'latencyMs' | 'revision' | 'pod' | 'hops' | 'error'>;

export interface CurlOutput {
  responses: CurlResponse[];
  summary: {
    count: number;
    byStatus: Record<string, number>;
    byRevision: Record<string, number>;
    byBody: Record<string, number>;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
  };
}

/** `knsim curl --json`: each response with its times rounded, then counts by status, revision and body, and latency percentiles. */
export function makeCurlOutput(responses: readonly CurlResponse[]): CurlOutput {
  return {
    responses: responses.map((r) => ({
      status: r.status,
      body: r.body,
      headers: r.headers,
      latencyMs: round3(r.latencyMs),
      revision: r.revision,
      pod: r.pod,
      hops: roundHops(r.hops),
      ...(r.error !== undefined ? { error: r.error } : {}),
    })),
    summary: {
      count: responses.length,
      byStatus: countBy(responses, (r) => String(r.status)),
      byRevision: countBy(responses, (r) => r.revision),
      byBody: countBy(responses, (r) => r.body),
      latencyMs: (({ p50, p90, p99, max }) => ({ p50, p90, p99, max }))(latencySummary(responses.map((r) => r.latencyMs))),
    },
  };
}

/** What `knsim curl` prints: the bodies on stdout, like curl; failures, hops (verbose) and the counts of several requests on stderr. */
export function formatCurl(out: CurlOutput, verbose: boolean): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  out.responses.forEach((r, i) => {
    if (verbose) {
      stderr += `* request ${i + 1}: ${r.status === 0 ? r.error : `HTTP ${r.status}`} in ${r.latencyMs} ms${r.revision ? ` from ${r.revision} (${r.pod})` : ''}\n`;
      for (const h of r.hops) stderr += `*   ${h.component.padEnd(12)} ${h.name.padEnd(48)} ${h.startMs.toFixed(3).padStart(12)} → ${h.endMs.toFixed(3)} ms${h.flags ? ` [${h.flags}]` : ''}\n`;
    }
    if (r.status === 0) stderr += `curl: ${r.error}\n`;
    else stdout += r.body;
  });
  if (out.responses.length > 1) {
    const s = out.summary;
    stderr += `${s.count} requests: ${Object.entries(s.byStatus).map(([k, v]) => `${v}× ${k}`).join(', ')}; latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms\n`;
    if (Object.keys(s.byRevision).length > 0) stderr += `by revision: ${Object.entries(s.byRevision).map(([k, v]) => `${k} ${v}`).join(', ')}\n`;
  }
  return { stdout, stderr };
}
