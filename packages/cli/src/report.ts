import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { KnsimTraceEvent } from '@knsim/sim-core';
import { renderReport, type ReportRun, type SummaryJson } from '@knsim/report';
import { UserError } from './errors.js';
import { REPORT_FILE, RUN_FILE, TRACE_FILE, writeAtomic } from './run.js';

/** Reads a JSON file a run wrote, naming the file in a user error when it is missing or not JSON. */
function readJson<T>(file: string): T {
  if (!existsSync(file)) throw new UserError(`${file}: no such file (knsim run --out DIR writes it; a run with --no-report or --json does not)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new UserError(`${file}: not JSON (${(e as Error).message})`);
  }
}

/** The trace a run saved: gzipped JSON lines. */
export function readTrace(file: string): KnsimTraceEvent[] {
  if (!existsSync(file)) throw new UserError(`${file}: no such file (knsim run --out DIR writes it; a run with --no-report or --json does not)`);
  let text: string;
  try {
    text = gunzipSync(readFileSync(file)).toString('utf8');
  } catch (e) {
    throw new UserError(`${file}: not a gzipped trace (${(e as Error).message})`);
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as KnsimTraceEvent;
      } catch {
        throw new UserError(`${file}: line ${i + 1} is not JSON`);
      }
    });
}

/** `knsim report DIR`: renders DIR/report.html again from what the run saved there (summary.json, run.json, trace.jsonl.gz). */
export function runReport(dirArg: string): string {
  const dir = resolve(dirArg);
  if (!existsSync(dir)) throw new UserError(`${dirArg}: no such directory`);
  const summary = readJson<SummaryJson>(join(dir, 'summary.json'));
  const run = readJson<ReportRun>(join(dir, RUN_FILE));
  const trace = readTrace(join(dir, TRACE_FILE));
  return writeAtomic(join(dir, REPORT_FILE), renderReport({ run, summary, trace }));
}
