import type { KnsimTraceEvent } from '@knsim/sim-core';
import type { CurlOutput } from './curl.js';
import { explainRequest, indexTrace } from './explain.js';

const rel = (x: number) => `+${x.toFixed(3)} ms`.padStart(13);

/**
 * `knsim curl -v` for teaching: each request's hops with times relative to when it was sent and
 * one line of why each went as it did (the matched route, the SKS mode and excess burst capacity,
 * why the activator buffered and what it waited for), then the response headers.
 */
export function narrateCurl(out: CurlOutput, trace: readonly KnsimTraceEvent[], startMs?: readonly number[]): string {
  const ix = indexTrace(trace);
  // The responses are the last requests sent, in order (anything before them set the cluster up).
  const ids = [...ix.starts.keys()].slice(-out.responses.length);
  // Given the responses' start times, a response is the request that started then (the latest
  // such: a client sends one request at an instant); otherwise the last requests, in order.
  const byStart = new Map<number, number>();
  for (const [id, e] of ix.starts) byStart.set(e.t, id);
  let s = '';
  out.responses.forEach((r, i) => {
    const t = startMs?.[i];
    const id = (t === undefined ? undefined : byStart.get(t)) ?? ids[i];
    const q = id === undefined ? undefined : explainRequest(ix, id);
    s += `* request ${i + 1}: ${q ? `${q.method} ${q.url} → ` : ''}${r.status === 0 ? r.error : `HTTP ${r.status}`} in ${r.latencyMs} ms${r.revision ? ` from ${r.revision} (${r.pod})` : ''}\n`;
    for (const h of q?.hops ?? []) {
      // Envoy's response flags (UF, UT, URX, FI, DI, NR) ride on the response's gateway hop.
      const flags = h.label.startsWith('gateway') ? r.hops.find((x) => x.flags !== undefined && x.name === h.name)?.flags : undefined;
      s += `* ${rel(h.startMs)}  ${h.label.padEnd(18)} ${h.name}${flags ? ` [${flags}]` : ''}  (${(h.endMs - h.startMs).toFixed(3)} ms)\n`;
      s += `*${' '.repeat(16)}why: ${h.why}\n`;
    }
    if (r.status !== 0) {
      s += `< HTTP/1.1 ${r.status}\n`;
      for (const [k, v] of Object.entries(r.headers ?? {})) s += `< ${k}: ${v}\n`;
      s += '<\n';
    }
  });
  return s;
}
