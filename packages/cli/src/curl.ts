import { readFileSync } from 'node:fs';
import { Cluster, type ClientResponse, type KnsimTraceEvent } from '@knsim/sim-core';
import { makeCurlOutput, type CurlOutput } from '@knsim/report';
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
  /** Collects the run's trace (from the cluster's creation) for -v and --trace. */
  trace?: KnsimTraceEvent[];
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
  if (o.trace) cluster.trace.on('*', (e) => o.trace!.push(e));
  for (const w of cluster.warnings) process.stderr.write(`Warning: ${w}\n`);
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
  const output = makeCurlOutput(responses);
  const bad = responses.some((r) => r.status === 0 || r.status >= 500);
  return { output, exitCode: bad ? EXIT_FAILED : EXIT_OK };
}
