import { readFileSync } from 'node:fs';
import { Cluster, type ClientResponse } from '@knsim/sim-core';
import { countBy, latencySummary, round3, roundHops } from '@knsim/report';
import { EXIT_FAILED, EXIT_OK, UserError } from './errors.js';
import { parseHeader, parseSets } from './options.js';

export interface CurlOptions {
  file: string[];
  header: string[];
  request?: string;
  data?: string;
  count: number;
  rps?: number;
  after: number;
  seed: number;
  set: string[];
  json?: boolean;
  verbose?: boolean;
  fromPod?: string;
  readyTimeout: number;
}

export interface CurlOutput {
  responses: Array<Pick<ClientResponse, 'status' | 'body' | 'headers' | 'latencyMs' | 'revision' | 'pod' | 'hops'> & { error?: string }>;
  summary: {
    count: number;
    byStatus: Record<string, number>;
    byRevision: Record<string, number>;
    byBody: Record<string, number>;
    latencyMs: { p50: number; p90: number; p99: number; max: number };
  };
}

/** Reads a manifest file, turning a missing file into a user error naming it. */
export function readManifest(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

/**
 * `knsim curl`: a fresh cluster, each -f file applied in order and waited on until every
 * Knative Service is Ready, then COUNT requests (one after another, or at --rps).
 */
export function runCurl(url: string, o: CurlOptions): { output: CurlOutput; exitCode: number } {
  const headers = o.header.map(parseHeader);
  const cluster = new Cluster({ seed: o.seed, config: parseSets(o.set) });
  for (const f of o.file) {
    const text = readManifest(f);
    const r = cluster.apply(text, { file: f });
    for (const w of r.warnings) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
    cluster.waitForReady({ timeoutMs: o.readyTimeout });
  }
  if (o.after > 0) cluster.runFor(o.after);
  const responses: ClientResponse[] = [];
  const send = () =>
    cluster.send({
      url,
      method: o.request ?? (o.data !== undefined ? 'POST' : 'GET'),
      headers,
      ...(o.data !== undefined ? { body: o.data } : {}),
      ...(o.fromPod !== undefined ? { fromNamespace: o.fromPod } : {}),
    });
  if (o.rps === undefined) {
    for (let i = 0; i < o.count; i++) responses.push(cluster.runUntilDone(send()));
  } else {
    const gap = 1000 / o.rps;
    const start = cluster.now;
    const pending = [];
    for (let i = 0; i < o.count; i++) {
      cluster.runUntil(start + i * gap);
      pending.push(send());
    }
    for (const ev of pending) responses.push(cluster.runUntilDone(ev));
  }
  const output: CurlOutput = {
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
  const bad = responses.some((r) => r.status === 0 || r.status >= 500);
  return { output, exitCode: bad ? EXIT_FAILED : EXIT_OK };
}

export function formatCurl(out: CurlOutput, verbose: boolean): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  out.responses.forEach((r, i) => {
    if (verbose) {
      stderr += `* request ${i + 1}: ${r.status === 0 ? r.error : `HTTP ${r.status}`} in ${r.latencyMs} ms${r.revision ? ` from ${r.revision} (${r.pod})` : ''}\n`;
      for (const h of r.hops) stderr += `*   ${h.component.padEnd(12)} ${h.name.padEnd(48)} ${h.startMs.toFixed(3).padStart(12)} → ${h.endMs.toFixed(3)} ms\n`;
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

