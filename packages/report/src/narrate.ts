import type { KnsimTraceEvent } from '@knsim/sim-core';
import type { CurlOutput } from './curl.js';
import { explainRequest, indexTrace } from './explain.js';

const rel = (x: number) => `+${x.toFixed(3)} ms`.padStart(13);

/**
 * `knsim curl -v` for teaching: each request's hops with times relative to when it was sent and
 * one line of why each went as it did (the matched route, the SKS mode and excess burst capacity,
 * why the activator buffered and what it waited for), then the response headers.
 */
export function narrateCurl(out: CurlOutput, trace: readonly KnsimTraceEvent[]): string {
  const ix = indexTrace(trace);
  // The responses are the last requests sent, in order (anything before them set the cluster up).
  const ids = [...ix.starts.keys()].slice(-out.responses.length);
  let s = '';
  out.responses.forEach((r, i) => {
    const q = ids[i] === undefined ? undefined : explainRequest(ix, ids[i]!);
    s += `* request ${i + 1}: ${q ? `${q.method} ${q.url} → ` : ''}${r.status === 0 ? r.error : `HTTP ${r.status}`} in ${r.latencyMs} ms${r.revision ? ` from ${r.revision} (${r.pod})` : ''}\n`;
    for (const h of q?.hops ?? []) {
      s += `* ${rel(h.startMs)}  ${h.label.padEnd(18)} ${h.name}  (${(h.endMs - h.startMs).toFixed(3)} ms)\n`;
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
