import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findBuiltin, listBuiltins, loadScenarioFile, loadScenarioModule, runScenario, ScenarioError, type LoadedScenario } from '@knsim/scenarios';
import { CheckSubjectError, evaluateChecks, makeSummary, stableStringify, unaccountedErrors, type SummaryJson } from '@knsim/report';
import { UserError } from './errors.js';

export interface RunCliOptions {
  seed?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
}

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

export async function runCli(arg: string, o: RunCliOptions): Promise<{ summary: SummaryJson; file?: string; failures: RunFailures }> {
  const loaded = await resolveScenario(arg);
  const tty = process.stderr.isTTY && !o.quiet && !o.json;
  let result;
  try {
    result = runScenario(loaded, {
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(tty ? { onProgress: (ms: number, n: number) => process.stderr.write(`\r  simulated ${(ms / 1000).toFixed(0).padStart(6)} s, ${n} requests answered   `) } : {}),
    });
  } catch (e) {
    if (e instanceof ScenarioError) throw new UserError(e.message);
    throw e;
  } finally {
    if (tty) process.stderr.write('\n');
  }
  if (!o.quiet) for (const w of new Set(result.warnings)) process.stderr.write(`${w.startsWith('Warning:') ? w : `Warning: ${w}`}\n`);
  const summary = makeSummary(result);
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
  if (o.json) return { summary, failures };
  const dir = resolve(o.out ?? join('knsim-out', summary.scenario));
  const file = writeSummary(dir, summary);
  return { summary, file, failures };
}
