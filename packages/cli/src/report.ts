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

/** The trace a run saved: gzipped JSON lines, read a line at a time (a long run's trace is larger than a string may be). */
export function readTrace(file: string): KnsimTraceEvent[] {
  if (!existsSync(file)) throw new UserError(`${file}: no such file (knsim run --out DIR writes it; a run with --no-report or --json does not)`);
  let data: Buffer;
  try {
    data = gunzipSync(readFileSync(file));
  } catch (e) {
    throw new UserError(`${file}: not a gzipped trace (${(e as Error).message})`);
  }
  const events: KnsimTraceEvent[] = [];
  for (let start = 0, line = 1; start < data.length; line++) {
    const nl = data.indexOf(10, start);
    const end = nl < 0 ? data.length : nl;
    if (end > start) {
      try {
        events.push(JSON.parse(data.toString('utf8', start, end)) as KnsimTraceEvent);
      } catch {
        throw new UserError(`${file}: line ${line} is not JSON`);
      }
    }
    start = end + 1;
  }
  return events;
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
