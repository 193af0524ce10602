import { Cluster } from '@knsim/sim-core';
import { EXIT_FAILED, EXIT_OK } from './errors.js';
import { manifestFiles, readManifest } from './cluster-from-files.js';

export interface ValidateResult {
  valid: boolean;
  errors: string[];
  warnings: string[];
}

/**
 * `knsim validate -f FILE...`: every object is checked as Knative's admission webhook would
 * check it, in order, against a cluster where the earlier valid objects were applied (so a
 * second file that updates a Service is validated as an update, with its immutability rules).
 */
export function runValidate(files: readonly string[]): { result: ValidateResult; exitCode: number } {
  const cluster = new Cluster({ seed: 1 });
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const f of manifestFiles(files)) {
    const text = readManifest(f);
    const r = cluster.validate(text, { file: f === '-' ? '<stdin>' : f });
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }
  return { result: { valid: errors.length === 0, errors, warnings }, exitCode: errors.length === 0 ? EXIT_OK : EXIT_FAILED };
}
