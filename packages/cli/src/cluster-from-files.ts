import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '@knsim/sim-core';
import { FileReadError, MAX_MANIFEST_BYTES, readTextFd, readTextFile } from '@knsim/scenarios';
import { UserError } from './errors.js';
import { parseLatencies, parseSets } from './options.js';

/** How `knsim curl`, `get`, `describe` and `dig` build their cluster from `-f` files. */
export interface BuildOptions {
  file: string[];
  seed: number;
  set: string[];
  /** `--latency NAME=DISTRIBUTION`: overrides of the calibrated latencies (docs/cluster.md). */
  latency?: string[];
  after: number;
  readyTimeout: number;
  /** Called once the cluster exists, before anything is applied (to listen to its trace). */
  onCluster?: (cluster: Cluster) => void;
}

/** Reads a manifest file, turning a missing file into a user error naming it; `-` is standard input. */
export function readManifest(file: string): string {
  try {
    // Bounded, so `-f /dev/zero` (or an endless stdin) ends with a message.
    return file === '-' ? readTextFd(0, 'standard input', MAX_MANIFEST_BYTES) : readTextFile(file, MAX_MANIFEST_BYTES);
  } catch (e) {
    if (e instanceof FileReadError) throw new UserError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${file === '-' ? 'standard input' : file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
}

const MANIFEST_EXT = /\.(ya?ml|json)$/i;

/**
 * The files behind `-f` arguments, as kubectl expands them: `-` is standard input, a folder is
 * every .yaml, .yml and .json file in it (not its subfolders) in name order.
 */
export function manifestFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let dir = false;
    try {
      dir = a !== '-' && statSync(a).isDirectory();
    } catch {
      // a missing file is reported by readManifest, naming it
    }
    if (!dir) {
      out.push(a);
      continue;
    }
    const names = readdirSync(a)
      .filter((n) => MANIFEST_EXT.test(n))
      .sort();
    if (names.length === 0) throw new UserError(`${a}: no .yaml, .yml or .json files in this folder`);
    out.push(...names.map((n) => join(a, n)));
  }
  return out;
}

/**
 * A fresh cluster, each file applied in order and waited on until its Knative objects are Ready,
 * then `after` ms of simulated time. Returns it and how many objects the files held.
 */
export function buildCluster(o: BuildOptions): { cluster: Cluster; applied: number } {
  const config = parseSets(o.set);
  for (const [name, data] of Object.entries(config)) {
    const doc = Object.keys(data).find((k) => k.startsWith('_'));
    // Knative reads a key starting with `_` (`_example`) as documentation: setting one does nothing.
    if (doc !== undefined) throw new UserError(`--set: config ${name}: key ${JSON.stringify(doc)} starts with "_", which Knative reads as documentation (like _example), so it has no effect`);
  }
  const cluster = new Cluster({ seed: o.seed, config, latencies: parseLatencies(o.latency ?? []) });
  o.onCluster?.(cluster);
  // A setting knsim accepts must have its effect: an override of a ConfigMap or key nothing reads
  // (a misspelt key, a ConfigMap knsim does not simulate) is the user's mistake, not a warning
  // (issue 15; an applied ConfigMap's unknown keys stay warnings, as Knative ignores them).
  if (cluster.warnings.length > 0) throw new UserError(`--set: ${cluster.warnings[0]}`);
  let applied = 0;
  for (const f of manifestFiles(o.file)) {
    const text = readManifest(f);
    const r = cluster.apply(text, { file: f === '-' ? '<stdin>' : f });
    applied += r.applied.length;
    for (const w of r.warnings) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
    cluster.waitForReady({ timeoutMs: o.readyTimeout });
  }
  if (o.after > 0) cluster.runFor(o.after);
  return { cluster, applied };
}
