import type { Aggregate, SweepJson } from '../sweep.js';
import { esc, num } from './escape.js';
import { chartId, page } from './page.js';
import { intervalChart, PALETTE, type IntervalPoint } from './svg.js';

/** What the sweep report is made of: sweep.json, and the command that reproduces it. */
export interface SweepReportInput {
  sweep: SweepJson;
  /** `knsim sweep FILE`: how to get these numbers again (workers and the output folder change nothing). */
  command: string;
}

/** Most series a chart draws (one colour each); the table lists every combination. */
const MAX_SERIES = PALETTE.length;
/** Most cells of the table of every figure; past it, sweep.csv has them. */
const MAX_CELLS = 12_000;

/** A combination's figure as sweep.json holds it, or undefined (a combination whose every run failed has none). */
export function aggregateOf(c: SweepJson['combinations'][number], figure: string): Aggregate | undefined {
  const a = c[figure];
  return typeof a === 'object' && a !== null && typeof (a as Aggregate).mean === 'number' ? (a as Aggregate) : undefined;
}

/** Every figure the combinations aggregate, sorted by name. */
export function sweepFigures(sweep: SweepJson): string[] {
  return [...new Set(sweep.combinations.flatMap((c) => Object.keys(c).filter((k) => aggregateOf(c, k) !== undefined)))].sort();
}

const KEY_PATTERNS: readonly RegExp[] = [/^loads\..+\.latencyMs\.p50$/, /^loads\..+\.latencyMs\.p99$/, /^requests\..+\.latencyMs$/, /^coldStarts$/, /^maxReadyPods$/, /^loads\..+\.status\.(5\d\d|0)$/, /^checks\.passed$/, /^checks\.failed$/];

/**
 * The figures a reader compares first, in this order: latency p50 and p99 per load, each named
 * request's latency, cold starts, the most ready pods, each load's 5xx answers (and requests
 * with no answer), checks passed and failed.
 */
export function keyFigures(names: readonly string[]): string[] {
  return KEY_PATTERNS.flatMap((re) => names.filter((n) => re.test(n)));
}

/** A figure's name as a reader says it: `loads.burst.latencyMs.p99` → `load burst: p99 latency (ms)`. */
export function figureLabel(name: string): string {
  let m = /^loads\.(.+)\.latencyMs\.(\w+)$/.exec(name);
  if (m) return `load ${m[1]}: ${m[2]} latency (ms)`;
  m = /^loads\.(.+)\.status\.(\d+)$/.exec(name);
  if (m) return `load ${m[1]}: ${m[2] === '0' ? 'requests with no answer' : `${m[2]} answers`}`;
  m = /^requests\.(.+)\.latencyMs$/.exec(name);
  if (m) return `request ${m[1]}: latency (ms)`;
  return { coldStarts: 'cold starts', maxReadyPods: 'max ready pods', 'checks.passed': 'checks passed', 'checks.failed': 'checks failed' }[name] ?? name;
}

/** `1..8` for consecutive seeds, else the list. */
export function seedsText(seeds: readonly number[]): string {
  const consecutive = seeds.length > 2 && seeds.every((s, i) => i === 0 || s === seeds[i - 1]! + 1);
  return consecutive ? `${seeds[0]}..${seeds.at(-1)}` : seeds.join(', ');
}

/** A series of a figure against one axis: the combinations that share the other axes' values. */
export interface AxisSeries {
  /** The other axes' values (`name=value, …`), or the figure's label when the sweep has one axis. */
  name: string;
  points: Array<{ x: string; aggregate: Aggregate; runs: number }>;
}

/**
 * A figure against one axis: the combinations grouped by the values of every other axis (a
 * series each, in the combinations' order), each giving its mean and interval at its value of
 * this axis. Combinations without the figure (every run failed) leave a gap.
 */
export function axisSeries(sweep: SweepJson, axis: string, figure: string): AxisSeries[] {
  const others = sweep.axes.map((a) => a.name).filter((n) => n !== axis);
  const series = new Map<string, AxisSeries>();
  for (const c of sweep.combinations) {
    const name = others.length === 0 ? figureLabel(figure) : others.map((o) => `${o}=${c.parameters[o]}`).join(', ');
    const s = series.get(name) ?? { name, points: [] };
    series.set(name, s);
    const a = aggregateOf(c, figure);
    if (a !== undefined) s.points.push({ x: String(c.parameters[axis]), aggregate: a, runs: c.runs });
  }
  return [...series.values()].filter((s) => s.points.length > 0);
}

/** A mean and its interval as the tables print them: `678.677 ± 78.391` (the interval's half-width), or the mean alone with one run. */
export function meanText(a: Aggregate): string {
  return a.ci95 === null ? num(a.mean, 3) : `${num(a.mean, 3)} ± ${num((a.ci95[1] - a.ci95[0]) / 2, 3)}`;
}

const intervalText = (a: Aggregate) => (a.ci95 === null ? 'one run: no interval' : `95% interval ${num(a.ci95[0], 3)} to ${num(a.ci95[1], 3)}, sd ${num(a.sd ?? 0, 3)}`);

/**
 * The self-contained HTML report of a sweep: what ran, a table of the combinations with each
 * figure's mean ± 95 % interval, and each key figure against each axis with its intervals as
 * error bars. A pure function of sweep.json and the command: the same sweep gives the same bytes
 * whatever ran it. Inline CSS and SVG, no script, every user string escaped.
 */
export function renderSweepReport(input: SweepReportInput): string {
  const { sweep } = input;
  const names = sweepFigures(sweep);
  const keys = keyFigures(names);
  return page(`knsim sweep report: ${sweep.sweep}`, [header(input), combinationsTable(sweep, keys), axisCharts(sweep, keys), allFigures(sweep, names), failures(sweep)]);
}

function header({ sweep, command }: SweepReportInput): string {
  const failed = sweep.runs.filter((r) => r.error !== undefined).length;
  const axes = sweep.axes.map((a) => `<li><code>${esc(a.name)}</code>: ${a.values.map((v) => `<code>${esc(v)}</code>`).join(', ')}</li>`).join('');
  return `<header><h1>${esc(sweep.sweep)}</h1><p class="description">A sweep of scenario ${esc(sweep.scenario)}: ${sweep.combinations.length} combination(s) × ${sweep.seeds.length} seed(s). Means over the seeds with their 95% confidence interval (Student's t).</p>
<dl><dt>scenario</dt><dd>${esc(sweep.scenario)}</dd><dt>seeds</dt><dd>${esc(seedsText(sweep.seeds))}</dd><dt>runs</dt><dd>${sweep.runs.length}${failed > 0 ? `, ${failed} failed` : ''}</dd><dt>matrix</dt><dd>${axes === '' ? 'no axes: the seeds only' : `<ul class="axes">${axes}</ul>`}</dd><dt>reproduce</dt><dd><code>${esc(command)}</code></dd></dl></header>`;
}

function table(sweep: SweepJson, figures: readonly string[]): string {
  const params = sweep.axes.map((a) => a.name);
  const head = [...params.map((p) => `<th><code>${esc(p)}</code></th>`), '<th>runs</th><th>failed</th>', ...figures.map((f) => `<th>${esc(figureLabel(f))}</th>`)].join('');
  const rows = sweep.combinations.map((c) => {
    const cells = figures.map((f) => {
      const a = aggregateOf(c, f);
      return a === undefined ? '<td>–</td>' : `<td title="${esc(intervalText(a))}">${esc(meanText(a))}</td>`;
    });
    return `<tr>${params.map((p) => `<td>${esc(c.parameters[p])}</td>`).join('')}<td>${c.runs}</td><td>${c.failed}</td>${cells.join('')}</tr>`;
  });
  return `<table class="combinations"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function combinationsTable(sweep: SweepJson, keys: readonly string[]): string {
  return `<section id="combinations"><h2>Combinations</h2><p>Each figure's mean over the seeds that finished ± the half-width of its 95% interval (hover a cell for the interval and the standard deviation).</p>${table(sweep, keys)}</section>`;
}

function axisCharts(sweep: SweepJson, keys: readonly string[]): string {
  if (sweep.axes.length === 0 || keys.length === 0) return '';
  const parts = sweep.axes.map((axis) => {
    const charts = keys.map((f) => {
      const all = axisSeries(sweep, axis.name, f);
      const shown = all.slice(0, MAX_SERIES);
      const more = all.length > shown.length ? ` (the first ${shown.length} of ${all.length} combinations of the other axes; the table has them all)` : '';
      const series = shown.map((s, i) => ({
        name: s.name,
        color: PALETTE[i]!,
        points: s.points.map((p): IntervalPoint => ({ x: p.x, mean: p.aggregate.mean, ci95: p.aggregate.ci95, title: `${axis.name}=${p.x}${all.length > 1 ? `, ${s.name}` : ''}: ${meanText(p.aggregate)} (${intervalText(p.aggregate)}, ${p.runs} run(s))` })),
      }));
      return intervalChart({ id: chartId('sweep', axis.name, f), title: `${figureLabel(f)} against ${axis.name}${more}`, xLabel: axis.name, xValues: axis.values.map(String), yLabel: figureLabel(f), series, integer: !f.includes('latencyMs') });
    });
    return `<article class="axis"><h3>${esc(axis.name)}</h3><div class="cards">${charts.join('\n')}</div></article>`;
  });
  return `<section id="axes"><h2>Figures against each axis</h2><p>Each point is a combination's mean over the seeds; its bar is the 95% confidence interval of that mean (none with one seed). A line joins the combinations that share the other axes' values.</p>${parts.join('\n')}</section>`;
}

function allFigures(sweep: SweepJson, names: readonly string[]): string {
  if (names.length === 0) return '';
  const cells = sweep.combinations.length * names.length;
  const body = cells > MAX_CELLS ? `<p>${cells} cells: too many for this page; sweep.csv beside it has every figure of every combination and run.</p>` : `<details><summary>${names.length} figures × ${sweep.combinations.length} combination(s)</summary>${table(sweep, names)}</details>`;
  return `<section id="all-figures"><h2>Every figure</h2>${body}</section>`;
}

function failures(sweep: SweepJson): string {
  const failed = sweep.runs.filter((r) => r.error !== undefined);
  if (failed.length === 0) return '';
  const rows = failed.map((r) => `<tr><td>${esc(Object.entries(r.parameters).map(([k, v]) => `${k}=${v}`).join(', '))}</td><td>${r.seed}</td><td>${esc(r.error)}</td></tr>`);
  return `<section id="failed"><h2>Failed runs</h2><table><thead><tr><th>parameters</th><th>seed</th><th>error</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}
