import { Cluster, type ClientResponse } from '@knsim/sim-core';
import { FileReadError, MAX_MANIFEST_BYTES, readTextFile } from '@knsim/scenarios';
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
}

/** Reads a manifest file (bounded: `-f /dev/zero` ends), turning a missing file into a user error naming it. */
export function readManifest(file: string): string {
  try {
    return readTextFile(file, MAX_MANIFEST_BYTES);
  } catch (e) {
    if (e instanceof FileReadError) throw new UserError(e.message);
    throw e;
  }
}

/**
 * `knsim curl`: a fresh cluster, each -f file applied in order and waited on until every
 * Knative Service is Ready, then COUNT requests (one after another, or at --rps).
 */
export function runCurl(url: string, o: CurlOptions): { output: CurlOutput; exitCode: number } {
  const headers = o.header.map(parseHeader);
  const cluster = new Cluster({ seed: o.seed, config: parseSets(o.set) });
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
