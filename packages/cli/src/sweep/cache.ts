import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stableStringify } from '@knsim/report';
import type { Parameters, ScenarioBundle } from '@knsim/scenarios';
import type { RunRecord } from './merge.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The scenario's content (its spec and every file it names), whatever its path. */
export function scenarioDigest(b: ScenarioBundle): string {
  return sha256(stableStringify({ spec: b.spec, files: b.files }));
}

/** A run's identity: the scenario's content, the parameters, the seed and knsim's version. */
export function runKey(scenario: string, parameters: Parameters, seed: number, version: string): string {
  return sha256(stableStringify({ scenario, parameters, seed, version }));
}

/**
 * Finished runs kept in DIR/runs, one file per run named by its key, so an interrupted sweep
 * picks up where it stopped and a run is never done twice. Only runs that finished are kept: a
 * failed one is tried again next time.
 */
export class RunCache {
  readonly dir: string;
  constructor(out: string) {
    this.dir = join(out, 'runs');
  }

  get(key: string): RunRecord | undefined {
    const file = join(this.dir, `${key}.json`);
    if (!existsSync(file)) return undefined;
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as RunRecord & { key?: string };
      return r.key === key && r.figures !== undefined ? { parameters: r.parameters, seed: r.seed, figures: r.figures } : undefined;
    } catch {
      return undefined; // a file cut short by a crash: run it again
    }
  }

  put(key: string, r: RunRecord): void {
    if (r.figures === undefined) return;
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${key}.json`);
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, stableStringify({ key, parameters: r.parameters, seed: r.seed, figures: r.figures }));
    renameSync(tmp, file);
  }
}
