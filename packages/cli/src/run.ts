import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseDuration, type KnsimTraceEvent } from '@knsim/sim-core';
import { findBuiltin, listBuiltins, loadScenarioFile, loadScenarioModule, startScenario, ScenarioError, type LoadedScenario, type RunResult } from '@knsim/scenarios';
import { CheckSubjectError, evaluateChecks, makeSummary, renderReport, stableStringify, unaccountedErrors, type ReportRun, type SummaryJson } from '@knsim/report';
import { UserError } from './errors.js';
import { writeAtomic, writeChromeTrace } from './output-files.js';

export { writeAtomic, writeChromeTrace } from './output-files.js';
import { makeProgress, progressWanted } from './progress.js';
import { driveSlices, listenForInterrupt } from './interrupt.js';
import { EventLog } from './inspect/events.js';
import { saveObjects } from './inspect/source.js';

export interface RunCliOptions {
  seed?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  /** Write report.html (and the run.json and trace.jsonl.gz it is made from) beside summary.json; default true. */
  report?: boolean;
  /** Write the run's trace here in the Chrome trace-event format (Perfetto). */
  trace?: string;
  /** The scenario argument as the user typed it, for the report's reproduce command (default: `arg`). */
  command?: string;
}

/** Files a run writes beside summary.json for its report; `knsim report DIR` reads them back. */
export const RUN_FILE = 'run.json';
export const TRACE_FILE = 'trace.jsonl.gz';
export const REPORT_FILE = 'report.html';

/** A shell word: as is when it is plain, else single-quoted. */
export const shellWord = (w: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

/** A scenario file (YAML, or a .js/.mjs module), or the name of a built-in. */
export async function resolveScenario(arg: string): Promise<LoadedScenario> {
  try {
    if (existsSync(arg)) return /\.m?[jt]s$/.test(arg) ? await loadScenarioModule(arg) : loadScenarioFile(arg);
    const b = findBuiltin(arg);
    if (b) return loadScenarioFile(b.file);
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message);
    throw e;
  }
  const names = listBuiltins().map((x) => x.name);
  throw new UserError(`no scenario file or built-in scenario named ${JSON.stringify(arg)} (built-ins: ${names.join(', ')})`);
}

/** The simulated time a scenario's steps plan (waits and load windows), for progress; 0 when unknown. */
export function plannedMs(loaded: LoadedScenario): number {
  let ms = 0;
  for (const st of loaded.spec.steps ?? []) {
    try {
      if ('wait' in st) ms += parseDuration(st.wait);
      else if ('load' in st && !st.load.background) {
        const l = st.load;
        if (l.stages) ms += l.stages.reduce((a, x) => a + parseDuration(x.duration), 0);
        else if (l.duration) ms += parseDuration(l.duration);
        else if (l.trace) ms += (l.trace.minutes ?? 1) * 60_000;
      }
    } catch {
      // a malformed duration is the runner's to report
    }
  }
  return ms;
}

/** What the report is made of, from a run: the scenario, the reproduce command, the steps and the manifests. */
export function reportRun(result: RunResult, command: string): ReportRun {
  return { scenario: result.scenario, description: result.description, seed: result.seed, command, simulatedMs: result.simulatedMs, steps: result.steps, manifests: result.manifests };
}

/**
 * The trace as the run saves it: one JSON event a line, gzipped (deterministic: the same events
 * give the same bytes). Gzipped in members of 10,000 lines, concatenated (a valid gzip file), so a
 * long run's trace never has to be one string.
 */
export function encodeTrace(events: readonly KnsimTraceEvent[]): Buffer {
  const members: Buffer[] = [];
  for (let i = 0; i < events.length || i === 0; i += 10_000) {
    members.push(gzipSync(events.slice(i, i + 10_000).map((e) => `${JSON.stringify(e)}\n`).join(''), { level: 9 }));
  }
  return Buffer.concat(members);
}

/** Writes summary.json into DIR through a temporary file, so a failed run leaves nothing half written. */
function writeSummary(dir: string, summary: SummaryJson): string {
  const file = join(dir, 'summary.json');
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, stableStringify(summary));
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // there was no directory to leave it in
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR' ? 'it (or a parent) exists and is not a directory'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied'
      : code === 'ENOSPC' ? 'no space left on the device'
      : (e as Error).message;
    throw new UserError(`--out ${dir}: cannot write summary.json there: ${why}`);
  }
  return file;
}

/** What makes `knsim run` exit 1: failed checks are in the summary; these are the other reasons, one line each. */
export interface RunFailures {
  /** Loads and requests that got 5xx (or no answer) the scenario did not account for. */
  unaccounted: string[];
  failedChecks: number;
}

export async function runCli(arg: string, o: RunCliOptions): Promise<{ summary: SummaryJson; file?: string; report?: string; steps: RunResult['steps']; failures: RunFailures; interrupted?: boolean }> {
  const loaded = await resolveScenario(arg);
  const progress = progressWanted(o) ? makeProgress((s) => process.stderr.write(s)) : undefined;
  const planned = plannedMs(loaded);
  const wantReport = !o.json && o.report !== false;
  const events: KnsimTraceEvent[] = [];
  const record = wantReport || o.trace !== undefined;
  let result: RunResult;
  const objectEvents = new EventLog();
  // Ctrl-C stops the run between two slices; what happened until then is written, marked incomplete.
  const interrupt = listenForInterrupt();
  try {
    const run = startScenario(loaded, {
      onCluster: (c) => objectEvents.attach(c.trace),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(record ? { traceListeners: [(e: KnsimTraceEvent) => events.push(e)] } : {}),
      ...(progress ? { onProgress: (ms: number, n: number) => progress.update(planned > 0 ? ms / planned : 0, `${(ms / 1000).toFixed(0)} s simulated, ${n} requests answered`) } : {}),
    });
    await driveSlices(run.slices, () => interrupt.requested);
    result = run.result();
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message);
    throw e;
  } finally {
    interrupt.dispose();
    progress?.done();
  }
  const command = `knsim run ${shellWord(o.command ?? arg)} --seed ${result.seed}`;
  if (!o.quiet) for (const w of new Set(result.warnings)) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
  const summary = makeSummary(result);
  if (result.complete === false) {
    // Stopped by Ctrl-C: the summary of what ran (complete: false) and the objects; no checks
    // (they would judge half a run) and no report.
    if (o.json) return { summary, steps: result.steps, failures: { unaccounted: [], failedChecks: 0 }, interrupted: true };
    const dir = resolve(o.out ?? join('knsim-out', summary.scenario));
    const file = writeSummary(dir, summary);
    saveObjects(dir, result.cluster, objectEvents);
    return { summary, file, steps: result.steps, failures: { unaccounted: [], failedChecks: 0 }, interrupted: true };
  }
  // Checks read the summary; only a scenario that declares some gets the key (summaries of the
  // others stay as they were, byte for byte).
  if (loaded.checks.length > 0) {
    try {
      summary.checks = evaluateChecks(summary, loaded.checks);
    } catch (e) {
      if (e instanceof CheckSubjectError) throw new UserError(`${loaded.file}: checks[${e.index}].${loaded.checks[e.index]!.subject}: ${e.message}`);
      throw e;
    }
  }
  const failures: RunFailures = { unaccounted: unaccountedErrors(summary, loaded.errorsAccountedFor), failedChecks: (summary.checks ?? []).filter((c) => !c.ok).length };
  if (o.trace !== undefined) writeChromeTrace(o.trace, events, { scenario: summary.scenario, seed: String(summary.seed), command });
  if (o.json) return { summary, steps: result.steps, failures };
  const dir = resolve(o.out ?? join('knsim-out', summary.scenario));
  const file = writeSummary(dir, summary);
  // The final objects and their events, for `knsim get/describe --from DIR`.
  saveObjects(dir, result.cluster, objectEvents);
  if (!wantReport) return { summary, file, steps: result.steps, failures };
  const run = reportRun(result, command);
  writeAtomic(join(dir, RUN_FILE), stableStringify(run));
  writeAtomic(join(dir, TRACE_FILE), encodeTrace(events));
  const report = writeAtomic(join(dir, REPORT_FILE), renderReport({ run, summary, trace: events }));
  return { summary, file, report, steps: result.steps, failures };
}

