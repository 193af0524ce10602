import { stableStringify, type SweepJson } from '@knsim/report';
import { sweepRuns, type Parameters, type SweepSpec } from '@knsim/scenarios';
import { aggregate, type Aggregate } from './stats.js';
import type { Figures } from './figures.js';

export type { SweepJson };

/** A finished run: its figures, or the error it ended with. */
export interface RunRecord {
  parameters: Parameters;
  seed: number;
  figures?: Figures;
  error?: string;
}

/**
 * The sweep's results as sweep.json and sweep.csv. Runs are looked up by (combination, seed), so
 * the order they finished in, the worker that ran them and how the work was split change nothing:
 * the same runs give the same bytes. A figure a run lacks (a status it never got, a revision it
 * never had) counts as 0.
 */
export function mergeSweep(sweep: SweepSpec, scenario: string, results: ReadonlyMap<string, RunRecord>, keyOf: (parameters: Parameters, seed: number) => string): { json: SweepJson; text: string; csv: string } {
  const runs = sweepRuns(sweep).map((r) => {
    const rec = results.get(keyOf(r.parameters, r.seed));
    if (rec === undefined) throw new Error(`internal: no result for ${JSON.stringify(r.parameters)} seed ${r.seed}`);
    return { ...r, rec };
  });
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.rec.figures ?? {})))].sort();
  const value = (f: Figures | undefined, n: string) => f?.[n] ?? 0;
  const json: SweepJson = {
    sweep: sweep.name,
    scenario,
    seeds: sweep.seeds,
    axes: sweep.axes.map((a) => ({ name: a.name, values: a.values })),
    runs: runs.map(({ parameters, seed, rec }) => (rec.figures ? { parameters, seed, ...Object.fromEntries(names.map((n) => [n, value(rec.figures, n)])) } : { parameters, seed, error: rec.error ?? 'unknown error' })),
    combinations: [],
  };
  const byCombination = new Map<number, typeof runs>();
  for (const r of runs) byCombination.set(r.combination, [...(byCombination.get(r.combination) ?? []), r]);
  const aggregates: Array<Record<string, Aggregate>> = [];
  for (const group of byCombination.values()) {
    const ok = group.filter((r) => r.rec.figures !== undefined);
    const figs: Record<string, Aggregate> = {};
    if (ok.length > 0) for (const n of names) figs[n] = aggregate(ok.map((r) => value(r.rec.figures, n)));
    aggregates.push(figs);
    json.combinations.push({ parameters: group[0]!.parameters, runs: ok.length, failed: group.length - ok.length, ...figs });
  }
  return { json, text: stableStringify(json), csv: sweepCsv(sweep, names, json, aggregates) };
}

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * One row per run (`row` = run: its parameters, seed and figures), then one per combination
 * (`row` = combination: the runs that finished, and per figure the mean in the figure's own
 * column, beside its standard deviation and 95 % interval).
 */
function sweepCsv(sweep: SweepSpec, names: string[], json: SweepJson, aggregates: Array<Record<string, Aggregate>>): string {
  const params = sweep.axes.map((a) => a.name);
  const header = ['row', ...params, 'seed', 'runs', 'failed', 'error', ...names.flatMap((n) => [n, `${n}.sd`, `${n}.ci95low`, `${n}.ci95high`])];
  const lines = [header.map(csvField).join(',')];
  for (const r of json.runs) {
    const cells = ['run', ...params.map((p) => r.parameters[p]), r.seed, 1, r.error !== undefined ? 1 : 0, r.error, ...names.flatMap((n) => [r.error !== undefined ? undefined : (r[n] as number), undefined, undefined, undefined])];
    lines.push(cells.map(csvField).join(','));
  }
  json.combinations.forEach((c, i) => {
    const agg = aggregates[i]!;
    const cells = ['combination', ...params.map((p) => c.parameters[p]), undefined, c.runs, c.failed, undefined, ...names.flatMap((n) => (agg[n] ? [agg[n].mean, agg[n].sd, agg[n].ci95?.[0], agg[n].ci95?.[1]] : [undefined, undefined, undefined, undefined]))];
    lines.push(cells.map(csvField).join(','));
  });
  return lines.join('\n') + '\n';
}
