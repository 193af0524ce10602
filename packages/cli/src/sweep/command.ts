import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { renderSweepReport } from '@knsim/report';
import { bundleOf, checkSweepAgainst, parseSweep, ScenarioError, sweepRuns, type Parameters, type ScenarioBundle, type SweepSpec } from '@knsim/scenarios';
import { UserError } from '../errors.js';
import { resolveScenario, shellWord } from '../run.js';
import { RunCache, runKey, scenarioDigest } from './cache.js';
import { KNSIM_VERSION } from '../version.js';
import { mergeSweep, type RunRecord, type SweepJson } from './merge.js';
import { defaultWorkers, runLocally } from './pool.js';
import { Progress } from './progress.js';
import { runOnQueue } from './queue.js';


export interface SweepCliOptions {
  workers?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  /** redis://[:password@]host:port[/db]: run on a BullMQ queue instead of local threads. */
  queue?: string;
  /** Write report.html beside sweep.json; default true. */
  report?: boolean;
}

/** A sweep file read, checked and checked against its scenario: nothing runs before all of it is valid. */
export interface PreparedSweep {
  sweep: SweepSpec;
  bundle: ScenarioBundle;
  /** The scenario's name (its `name:`). */
  scenario: string;
  digest: string;
}

export async function prepareSweep(file: string): Promise<PreparedSweep> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`${file}: no such sweep file`);
  try {
    const sweep = parseSweep(readFileSync(file, 'utf8'), file);
    const beside = resolve(dirname(file), sweep.scenario);
    let loaded;
    try {
      loaded = await resolveScenario(existsSync(beside) ? beside : sweep.scenario);
    } catch (e) {
      if (e instanceof UserError) throw new UserError(`${file}: scenario: ${e.message}`);
      throw e;
    }
    const bundle = bundleOf(loaded);
    checkSweepAgainst(sweep, bundle);
    return { sweep, bundle, scenario: loaded.spec.name, digest: scenarioDigest(bundle) };
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message);
    throw e;
  }
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export interface SweepOutcome {
  json: SweepJson;
  dir: string;
  files: string[];
  total: number;
  /** Runs found in DIR's cache, not run again. */
  cached: number;
  failed: number;
  failedChecks: number;
}

export async function runSweepCli(file: string, o: SweepCliOptions): Promise<SweepOutcome> {
  const p = await prepareSweep(file);
  const { sweep, bundle, digest } = p;
  const dir = resolve(o.out ?? join('knsim-out', sweep.name));
  const cache = new RunCache(dir);
  const keyOf = (parameters: Parameters, seed: number) => runKey(digest, parameters, seed, KNSIM_VERSION);
  const runs = sweepRuns(sweep);
  const results = new Map<string, RunRecord>();
  const pending: Array<{ key: string; parameters: Parameters; seed: number }> = [];
  for (const r of runs) {
    const key = keyOf(r.parameters, r.seed);
    const hit = cache.get(key);
    if (hit) results.set(key, hit);
    else pending.push({ key, parameters: r.parameters, seed: r.seed });
  }
  const cached = runs.length - pending.length;
  mkdirSync(dir, { recursive: true });
  const progress = new Progress(runs.length, cached, !!process.stderr.isTTY && !o.quiet && !o.json);
  const record = (i: number, r: { figures?: RunRecord['figures']; error?: string }) => {
    const t = pending[i]!;
    const rec: RunRecord = { parameters: t.parameters, seed: t.seed, ...(r.figures ? { figures: r.figures } : { error: r.error ?? 'unknown error' }) };
    results.set(t.key, rec);
    cache.put(t.key, rec);
    progress.tick();
  };
  try {
    if (o.queue !== undefined) {
      await runOnQueue(o.queue, { prepared: p, version: KNSIM_VERSION, tasks: pending, onResult: record, log: o.quiet || o.json ? () => {} : (m) => process.stderr.write(`${m}\n`) });
    } else {
      await runLocally(pending, { bundle, axes: sweep.axes }, o.workers ?? defaultWorkers(), record);
    }
  } finally {
    progress.end();
  }
  const merged = mergeSweep(sweep, p.scenario, results, keyOf);
  const jsonFile = join(dir, 'sweep.json');
  const csvFile = join(dir, 'sweep.csv');
  writeAtomic(jsonFile, merged.text);
  writeAtomic(csvFile, merged.csv);
  const files = [jsonFile, csvFile];
  if (o.report !== false) {
    // Workers, the queue and --out change no figure, so the command names the sweep file alone.
    const reportFile = join(dir, 'report.html');
    writeAtomic(reportFile, renderSweepReport({ sweep: merged.json, command: `knsim sweep ${shellWord(file)}` }));
    files.push(reportFile);
  }
  const failed = merged.json.runs.filter((r) => r.error !== undefined).length;
  const failedChecks = merged.json.runs.filter((r) => typeof r['checks.failed'] === 'number' && (r['checks.failed'] as number) > 0).length;
  return { json: merged.json, dir, files, total: runs.length, cached, failed, failedChecks };
}

/** A few lines after a sweep: what ran, where it went, and each combination's headline figures. */
export function formatSweep(r: SweepOutcome): string {
  const lines = [`sweep ${r.json.sweep} (scenario ${r.json.scenario}): ${r.total} runs, ${r.json.combinations.length} combination(s) × ${r.json.seeds.length} seed(s)${r.cached > 0 ? `, ${r.cached} from an earlier invocation` : ''}${r.failed > 0 ? `, ${r.failed} FAILED` : ''}`];
  const headline = (name: string) => /^(loads\..+\.latencyMs\.p99|requests\..+\.latencyMs)$/.test(name) || name === 'coldStarts' || name === 'maxReadyPods' || name === 'checks.failed';
  for (const c of r.json.combinations) {
    const params = Object.entries(c.parameters).map(([k, v]) => `${k}=${v}`).join(' ') || '(no parameters)';
    const figs = Object.entries(c)
      .filter(([k]) => headline(k))
      .map(([k, v]) => {
        const a = v as { mean: number; ci95: [number, number] | null };
        return `${k} ${a.mean}${a.ci95 ? ` [${a.ci95[0]}, ${a.ci95[1]}]` : ''}`;
      });
    lines.push(`  ${params}: ${figs.join(', ')}${c.failed > 0 ? ` (${c.failed} failed)` : ''}`);
  }
  lines.push(`wrote ${r.files.join(', ')}`);
  return lines.join('\n');
}
