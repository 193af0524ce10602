import { scaleBand, scaleLinear, scalePoint, type ScaleLinear } from 'd3-scale';
import { curveStepAfter, line } from 'd3-shape';
import { esc, num } from './escape.js';
import type { Bin, Point } from './prepare.js';

/**
 * Charts as inline SVG strings: d3-scale for the scales and their ticks, d3-shape for the
 * paths (its generators return path strings, so no DOM is needed). Every text is escaped.
 */

/** Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

const W = 760;
const M = { top: 14, right: 16, bottom: 42, left: 58 };

export interface Series {
  name: string;
  points: readonly Point[];
  color: string;
  /** Drawn as a step function (a count that holds until it changes) rather than a line. */
  step?: boolean;
  dashed?: boolean;
}

export interface Band {
  from: number;
  to: number;
  color: string;
  label: string;
}

export interface Marker {
  t: number;
  color: string;
  label: string;
  /** The hover text (a <title>). */
  title: string;
  symbol?: 'triangle' | 'circle';
}

export interface TimeChart {
  id: string;
  title: string;
  xDomainMs: readonly [number, number];
  yLabel: string;
  series: readonly Series[];
  bands?: readonly Band[];
  /** Spans drawn as a strip above the plot (e.g. the SKS mode), with a legend entry each colour. */
  strip?: ReadonlyArray<Band>;
  markers?: readonly Marker[];
  integer?: boolean;
  height?: number;
}

const axisLabel = (x: number, y: number, text: string, rotate = false) =>
  `<text class="axis-label" x="${num(x)}" y="${num(y)}" text-anchor="middle"${rotate ? ` transform="rotate(-90 ${num(x)} ${num(y)})"` : ''}>${esc(text)}</text>`;

/** Horizontal grid lines and the y axis's tick labels, from the scale's ticks (a count's at whole numbers only, printed as such: 1, not 1.0). */
function yGrid(y: ScaleLinear<number, number>, integer = false): string {
  const format = integer ? String : y.tickFormat(5);
  return y
    .ticks(5)
    .filter((v) => !integer || Number.isInteger(v))
    .map((v) => `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${num(y(v))}" y2="${num(y(v))}"/><text class="tick" x="${M.left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${esc(format(v))}</text>`)
    .join('');
}

/** The x and y axis lines of a plot from `top` to the bottom margin, with their labels. */
const axes = (top: number, H: number, xLabel: string, yLabel: string) =>
  `<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/><line class="axis" x1="${M.left}" x2="${M.left}" y1="${top}" y2="${H - M.bottom}"/>` +
  axisLabel((M.left + W - M.right) / 2, H - 6, xLabel) +
  axisLabel(16, (top + H - M.bottom) / 2, yLabel, true);

function legend(items: ReadonlyArray<{ label: string; color: string; kind: 'line' | 'box' | 'dash' | 'marker' | 'dot' }>): string {
  return `<div class="legend">${items
    .map((i) => `<span class="key"><svg width="18" height="10" aria-hidden="true">${i.kind === 'box' ? `<rect width="18" height="10" fill="${i.color}" opacity="0.35"/>` : i.kind === 'marker' ? `<path d="M9 9L15 1H3Z" fill="${i.color}"/>` : i.kind === 'dot' ? `<circle cx="9" cy="5" r="4" fill="${i.color}"/>` : `<line x1="0" y1="5" x2="18" y2="5" stroke="${i.color}" stroke-width="2.5"${i.kind === 'dash' ? ' stroke-dasharray="4 2"' : ''}/>`}</svg>${esc(i.label)}</span>`)
    .join('')}</div>`;
}

/** A chart over simulated time (seconds on the x axis): lines or steps, shaded spans, markers. */
export function timeChart(c: TimeChart): string {
  const H = c.height ?? 240;
  const stripH = c.strip && c.strip.length > 0 ? 10 : 0;
  const top = M.top + stripH;
  const [t0, t1] = c.xDomainMs;
  const x = scaleLinear().domain([t0 / 1000, Math.max(t1, t0 + 1) / 1000]).range([M.left, W - M.right]);
  const yMax = Math.max(1, ...c.series.flatMap((s) => s.points.map((p) => p[1])));
  const y = scaleLinear().domain([0, yMax]).range([H - M.bottom, top]).nice();
  const xs = (ms: number) => x(ms / 1000);
  const parts: string[] = [];
  for (const b of c.bands ?? []) parts.push(`<rect class="band" x="${num(xs(b.from))}" y="${top}" width="${num(Math.max(1, xs(b.to) - xs(b.from)))}" height="${num(H - M.bottom - top)}" fill="${b.color}" opacity="0.18"><title>${esc(b.label)}</title></rect>`);
  for (const b of c.strip ?? []) parts.push(`<rect class="strip" x="${num(xs(b.from))}" y="${M.top - 2}" width="${num(Math.max(1, xs(b.to) - xs(b.from)))}" height="${stripH}" fill="${b.color}"><title>${esc(b.label)}</title></rect>`);
  // Axes: ticks from the scales.
  parts.push(yGrid(y, c.integer));
  for (const v of x.ticks(8)) parts.push(`<line class="tickmark" x1="${num(x(v))}" x2="${num(x(v))}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}"/><text class="tick" x="${num(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(x.tickFormat(8)(v))}</text>`);
  parts.push(axes(top, H, 'simulated time (s)', c.yLabel));
  for (const s of c.series) {
    if (s.points.length === 0) continue;
    const gen = line<Point>()
      .x((p) => xs(p[0]))
      .y((p) => y(p[1]))
      .digits(1);
    if (s.step) gen.curve(curveStepAfter);
    parts.push(`<path class="series" d="${gen(s.points as Point[])}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${esc(s.name)}</title></path>`);
  }
  for (const m of c.markers ?? []) {
    const mx = xs(m.t);
    parts.push(`<g class="marker"><line x1="${num(mx)}" x2="${num(mx)}" y1="${top}" y2="${H - M.bottom}" stroke="${m.color}" stroke-width="1" stroke-dasharray="2 2"/>${m.symbol === 'circle' ? `<circle cx="${num(mx)}" cy="${top + 5}" r="4" fill="${m.color}"/>` : `<path d="M${num(mx)} ${top + 10}l-5 -9h10z" fill="${m.color}"/>`}<title>${esc(m.title)}</title></g>`);
  }
  const keys = [
    ...c.series.map((s) => ({ label: s.name, color: s.color, kind: s.dashed ? ('dash' as const) : ('line' as const) })),
    ...uniqueBy(c.bands ?? [], (b) => b.color).map((b) => ({ label: bandLegend(b.label), color: b.color, kind: 'box' as const })),
    ...uniqueBy(c.strip ?? [], (b) => b.color).map((b) => ({ label: bandLegend(b.label), color: b.color, kind: 'box' as const })),
    ...uniqueBy(c.markers ?? [], (m) => m.label).map((m) => ({ label: m.label, color: m.color, kind: m.symbol === 'circle' ? ('dot' as const) : ('marker' as const) })),
  ];
  return figure(c.id, c.title, W, H, parts.join(''), legend(keys));
}

/** A band's legend text: its label up to the first colon ("panic: 12.0 s → 18.0 s" → "panic"). */
const bandLegend = (label: string) => label.split(':')[0]!;

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => (seen.has(key(i)) ? false : (seen.add(key(i)), true)));
}

function figure(id: string, title: string, w: number, h: number, body: string, after = ''): string {
  return `<figure class="chart" data-chart="${esc(id)}"><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${body}</svg>${after}</figure>`;
}

/** A latency histogram: bars of counts over latency bins. */
export function histogramChart(id: string, title: string, bins: readonly Bin[], xLabel: string, color = PALETTE[0]!): string {
  const H = 220;
  if (bins.length === 0) return figure(id, title, W, H, axisLabel(W / 2, H / 2, 'no answers'));
  const x = scaleLinear().domain([bins[0]!.x0, bins.at(-1)!.x1]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, Math.max(...bins.map((b) => b.count))]).range([H - M.bottom, M.top]).nice();
  const parts: string[] = [];
  for (const v of y.ticks(5).filter(Number.isInteger)) parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${num(y(v))}" y2="${num(y(v))}"/><text class="tick" x="${M.left - 6}" y="${num(y(v) + 4)}" text-anchor="end">${v}</text>`);
  for (const v of x.ticks(8)) parts.push(`<text class="tick" x="${num(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(x.tickFormat(8)(v))}</text>`);
  // The bars as one path (an area per bin), so the chart has a path to check.
  const d = bins
    .filter((b) => b.count > 0)
    .map((b) => {
      const x0 = x(b.x0);
      const w = Math.max(1, x(b.x1) - x0 - 1);
      return `M${num(x0)},${num(y(0))}V${num(y(b.count))}h${num(w)}V${num(y(0))}Z`;
    })
    .join('');
  parts.push(`<path class="series bars" d="${d}" fill="${color}"/>`);
  for (const b of bins) if (b.count > 0) parts.push(`<rect x="${num(x(b.x0))}" y="${num(y(b.count))}" width="${num(Math.max(1, x(b.x1) - x(b.x0)))}" height="${num(y(0) - y(b.count))}" fill="transparent"><title>${esc(`${num(b.x0, 3)}–${num(b.x1, 3)} ms: ${b.count}`)}</title></rect>`);
  parts.push(axes(M.top, H, xLabel, 'requests'));
  return figure(id, title, W, H, parts.join(''));
}

export interface SplitRow {
  revision: string;
  configured: number;
  observed: number;
  lo: number;
  hi: number;
}

/** Configured against observed shares per revision (percent), with the observed share's confidence interval. */
export function splitChart(id: string, title: string, rows: readonly SplitRow[]): string {
  const rowH = 34;
  const H = M.top + rows.length * rowH + M.bottom;
  const left = 230;
  const x = scaleLinear().domain([0, 100]).range([left, W - M.right]);
  const y = scaleBand<string>().domain(rows.map((r) => r.revision)).range([M.top, H - M.bottom]).padding(0.3);
  const parts: string[] = [];
  for (const v of x.ticks(10)) parts.push(`<line class="grid" x1="${num(x(v))}" x2="${num(x(v))}" y1="${M.top}" y2="${H - M.bottom}"/><text class="tick" x="${num(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${v}</text>`);
  const bars: string[] = [];
  const whiskers: string[] = [];
  rows.forEach((r, i) => {
    const y0 = y(r.revision)!;
    const bh = y.bandwidth();
    const c = PALETTE[i % PALETTE.length]!;
    parts.push(`<text class="tick" x="${left - 8}" y="${num(y0 + bh / 2 + 4)}" text-anchor="end">${esc(r.revision)}</text>`);
    bars.push(`M${num(x(0))},${num(y0)}H${num(x(r.observed))}V${num(y0 + bh)}H${num(x(0))}Z`);
    parts.push(`<rect x="${num(x(0))}" y="${num(y0)}" width="${num(x(r.observed) - x(0))}" height="${num(bh)}" fill="${c}" opacity="0.8"><title>${esc(`${r.revision}: observed ${num(r.observed, 1)}% (95% interval ${num(r.lo, 1)}–${num(r.hi, 1)}%), configured ${num(r.configured, 1)}%`)}</title></rect>`);
    whiskers.push(`M${num(x(r.lo))},${num(y0 + bh / 2)}H${num(x(r.hi))}M${num(x(r.lo))},${num(y0 + 3)}V${num(y0 + bh - 3)}M${num(x(r.hi))},${num(y0 + 3)}V${num(y0 + bh - 3)}`);
    parts.push(`<path class="configured" d="M${num(x(r.configured))},${num(y0 - 4)}V${num(y0 + bh + 4)}" stroke="#000" stroke-width="3"/>`);
  });
  parts.push(`<path class="series" d="${bars.join('')}" fill="none" stroke="none"/>`);
  parts.push(`<path class="series ci" d="${whiskers.join('')}" stroke="#000" stroke-width="1.5" fill="none"/>`);
  parts.push(`<line class="axis" x1="${left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  parts.push(axisLabel((left + W - M.right) / 2, H - 6, 'share of answered requests (%)'));
  return figure(id, title, W, H, parts.join(''), legend([
    { label: 'observed share', color: PALETTE[0]!, kind: 'box' },
    { label: 'configured percent', color: '#000', kind: 'line' },
    { label: '95% binomial interval (Wilson)', color: '#000', kind: 'dash' },
  ]));
}

export interface WaterfallRow {
  label: string;
  startMs: number;
  endMs: number;
  /** What the hop did and why, shown on hover and listed under the chart. */
  why: string;
  color: string;
}

/** A request's hops as bars on a time axis relative to the request's start. */
export function waterfallChart(id: string, title: string, rows: readonly WaterfallRow[], totalMs: number): string {
  const rowH = 26;
  const left = 250;
  const H = M.top + Math.max(1, rows.length) * rowH + M.bottom;
  const x = scaleLinear().domain([0, Math.max(totalMs, 0.001)]).range([left, W - M.right]).nice();
  const parts: string[] = [];
  for (const v of x.ticks(6)) parts.push(`<line class="grid" x1="${num(x(v))}" x2="${num(x(v))}" y1="${M.top}" y2="${H - M.bottom}"/><text class="tick" x="${num(x(v))}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(x.tickFormat(6)(v))}</text>`);
  const d: string[] = [];
  rows.forEach((r, i) => {
    const y0 = M.top + i * rowH + 4;
    const x0 = x(r.startMs);
    const w = Math.max(2, x(r.endMs) - x0);
    parts.push(`<text class="tick" x="${left - 8}" y="${y0 + 13}" text-anchor="end">${esc(r.label)}</text>`);
    parts.push(`<rect class="hop" x="${num(x0)}" y="${y0}" width="${num(w)}" height="${rowH - 8}" fill="${r.color}"><title>${esc(r.why)}</title></rect>`);
    d.push(`M${num(x0)},${y0 + (rowH - 8) / 2}h${num(w)}`);
  });
  parts.push(`<path class="series" d="${d.join('')}" stroke="none" fill="none"/>`);
  parts.push(`<line class="axis" x1="${left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}"/>`);
  parts.push(axisLabel((left + W - M.right) / 2, H - 6, 'time since the request was sent (ms)'));
  return figure(id, title, W, H, parts.join(''));
}

/** A mean and its 95 % interval at one value of the x axis (no interval with one run). */
export interface IntervalPoint {
  x: string;
  mean: number;
  ci95: readonly [number, number] | null;
  /** The hover text (a <title>). */
  title: string;
}

export interface IntervalSeries {
  name: string;
  color: string;
  points: readonly IntervalPoint[];
}

export interface IntervalChart {
  id: string;
  title: string;
  xLabel: string;
  /** The x axis's values in their order (categories: a sweep's values are often text such as `30s`). */
  xValues: readonly string[];
  yLabel: string;
  series: readonly IntervalSeries[];
  /** A count: ticks at whole numbers only. */
  integer?: boolean;
}

/**
 * Means against a categorical x axis, a line per series, each mean with its 95 % interval as an
 * error bar. Series sit side by side around each value so their bars do not hide one another.
 */
export function intervalChart(c: IntervalChart): string {
  const H = 260;
  const x = scalePoint<string>().domain(c.xValues).range([M.left, W - M.right]).padding(0.5);
  const ends = c.series.flatMap((s) => s.points.flatMap((p) => [p.mean, ...(p.ci95 ?? [])]));
  const y = scaleLinear().domain([Math.min(0, ...ends), Math.max(1, ...ends)]).range([H - M.bottom, M.top]).nice();
  const dodge = Math.min(10, x.step() / (c.series.length + 1));
  const parts: string[] = [yGrid(y, c.integer)];
  // Past a dozen values, a label every few so they do not overlap (every value keeps its tick mark).
  const every = Math.ceil(c.xValues.length / 12);
  c.xValues.forEach((v, i) => parts.push(`<line class="tickmark" x1="${num(x(v)!)}" x2="${num(x(v)!)}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}"/>${i % every === 0 ? `<text class="tick" x="${num(x(v)!)}" y="${H - M.bottom + 18}" text-anchor="middle">${esc(v)}</text>` : ''}`));
  parts.push(axes(M.top, H, c.xLabel, c.yLabel));
  c.series.forEach((s, i) => {
    const at = (p: IntervalPoint) => x(p.x)! + (i - (c.series.length - 1) / 2) * dodge;
    const pts = s.points.filter((p) => x(p.x) !== undefined);
    if (pts.length === 0) return;
    const gen = line<IntervalPoint>().x(at).y((p) => y(p.mean)).digits(1);
    parts.push(`<path class="series" d="${gen(pts)}" fill="none" stroke="${s.color}" stroke-width="2"><title>${esc(s.name)}</title></path>`);
    const bars = pts
      .filter((p) => p.ci95 !== null)
      .map((p) => {
        const [lo, hi] = [y(p.ci95![0]), y(p.ci95![1])];
        return `M${num(at(p))},${num(lo)}V${num(hi)}M${num(at(p) - 4)},${num(lo)}h8M${num(at(p) - 4)},${num(hi)}h8`;
      })
      .join('');
    if (bars !== '') parts.push(`<path class="series ci" d="${bars}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    for (const p of pts) parts.push(`<circle cx="${num(at(p))}" cy="${num(y(p.mean))}" r="3.5" fill="${s.color}"><title>${esc(p.title)}</title></circle>`);
  });
  return figure(c.id, c.title, W, H, parts.join(''), legend(c.series.map((s) => ({ label: s.name, color: s.color, kind: 'line' as const }))));
}
