import type { KnsimTraceEvent } from '@knsim/sim-core';
import { readyAtEnd } from '../stats.js';
import type { SummaryJson } from '../summary.js';
import { explainRequest, indexTrace, requestsTagged, type ExplainedRequest, type TraceIndex } from '../explain.js';
import { esc, num } from './escape.js';
import { binomialInterval, downsample, histogram, latencyOverTime, spans, stepSeries, type Point } from './prepare.js';
import { histogramChart, PALETTE, splitChart, timeChart, waterfallChart, type Band, type Marker, type SplitRow } from './svg.js';
import { chartId as id, page } from './page.js';

/** One step of the scenario as it ran (the scenario runner's StepRecord). */
export interface ReportStep {
  index: number;
  kind: string;
  what: string;
  name?: string;
  startMs: number;
  endMs: number;
}

/** What a run saved beside summary.json for its report: the scenario, how to rerun it, its steps and manifests. */
export interface ReportRun {
  scenario: string;
  description: string;
  seed: number;
  /** The command that reproduces the run. */
  command: string;
  simulatedMs: number;
  steps: readonly ReportStep[];
  manifests: ReadonlyArray<{ source: string; tMs: number; text: string }>;
}

/** The report's whole input: the run, its summary and its trace. Plain data; no cluster. */
export interface ReportInput {
  run: ReportRun;
  summary: SummaryJson;
  trace: readonly KnsimTraceEvent[];
}

/** Most points a series keeps in the report (long runs are downsampled, their shape kept). */
const MAX_POINTS = 1200;
/** Most scaling decisions listed per revision. */
const MAX_DECISIONS = 400;

const COMPONENT_COLOURS: Readonly<Record<string, string>> = { dns: PALETTE[4]!, gateway: PALETTE[0]!, activator: PALETTE[1]!, 'queue-proxy': PALETTE[2]!, app: PALETTE[3]! };
const PHASE_COLOURS: Readonly<Record<string, string>> = { Pending: PALETTE[6]!, ContainerCreating: PALETTE[1]!, Running: PALETTE[2]!, Terminating: PALETTE[5]!, Failed: PALETTE[7]!, CrashLoopBackOff: PALETTE[7]! };

/** `n/n` with n > 0: every container ready. */
const READY = /^([1-9]\d*)\/\1$/;
const secs = (t: number) => `${(t / 1000).toFixed(1)} s`;
const msText = (x: number) => `${num(x, 3)} ms`;

/** The self-contained HTML report of a run: inline CSS and SVG, no script, every user string escaped. */
export function renderReport(input: ReportInput): string {
  const { run, summary } = input;
  const ix = indexTrace(input.trace);
  const sections = [
    header(run),
    story(run, summary, input.trace),
    loads(run, summary, ix),
    split(run, summary, input.trace),
    revisions(summary, input.trace, run.simulatedMs),
    lifeOfARequest(run, summary, ix),
    checks(summary),
    manifests(run),
  ];
  return page(`knsim report: ${run.scenario}`, sections);
}

function header(run: ReportRun): string {
  return `<header><h1>${esc(run.scenario)}</h1><p class="description">${esc(run.description)}</p>
<dl><dt>seed</dt><dd>${esc(run.seed)}</dd><dt>simulated</dt><dd>${esc(secs(run.simulatedMs))}</dd><dt>reproduce</dt><dd><code>${esc(run.command)}</code></dd></dl></header>`;
}

/** What followed a step, from the trace: new revisions, routes, scaling, SKS modes, readiness. */
function followed(trace: readonly KnsimTraceEvent[], from: number, to: number): string[] {
  const out: string[] = [];
  for (const e of trace) {
    if (e.t < from || e.t >= to) continue;
    const at = `at ${secs(e.t)}`;
    if (e.type === 'revision.created') out.push(`${at}: revision ${e.revision} created (generation ${e.generation} of configuration ${e.configuration})`);
    else if (e.type === 'route.programmed') out.push(`${at}: route ${e.route} programmed: ${e.traffic.map((t) => `${t.revisionName} ${t.percent}%${t.tag ? ` (tag ${t.tag})` : ''}`).join(', ')}`);
    else if (e.type === 'route.blocked') out.push(`${at}: route ${e.route} blocked: ${e.reason} ${e.message}`);
    else if (e.type === 'kpa.scale') out.push(`${at}: ${e.revision} scaled ${e.from} → ${e.to} (${e.reason})`);
    else if (e.type === 'sks.mode') out.push(`${at}: ${e.revision}'s ServerlessService → ${e.mode} (${e.reason})`);
    else if (e.type === 'condition' && e.condition === 'Ready' && (e.kind === 'Service' || e.kind === 'Revision')) out.push(`${at}: ${e.kind} ${e.name} Ready=${e.status}${e.reason ? ` (${e.reason})` : ''}`);
    else if (e.type === 'object.deleted') out.push(`${at}: ${e.kind} ${e.namespace}/${e.name} deleted`);
  }
  return out;
}

function story(run: ReportRun, s: SummaryJson, trace: readonly KnsimTraceEvent[]): string {
  if (run.steps.length === 0 && run.manifests.length === 0) return '';
  const firstStep = run.steps[0]?.startMs ?? run.simulatedMs;
  const rows: string[] = [];
  const item = (t: number, what: string, outcome: string, after: string[]) => {
    const more = after.length > 12 ? [...after.slice(0, 12), `… and ${after.length - 12} more`] : after;
    rows.push(`<li><span class="t">${esc(secs(t))}</span> <strong>${esc(what)}</strong>${outcome ? ` → ${esc(outcome)}` : ''}${more.length > 0 ? `<ul>${more.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>` : ''}</li>`);
  };
  item(0, `apply ${run.manifests.filter((m) => m.tMs < firstStep || run.steps.length === 0).map((m) => m.source).join(', ') || 'nothing'} and wait until Ready`, '', followed(trace, 0, firstStep));
  run.steps.forEach((st, i) => {
    const next = run.steps[i + 1]?.startMs ?? run.simulatedMs + 1;
    let outcome = '';
    if (st.kind === 'request' && st.name !== undefined) {
      const q = s.requests[st.name];
      if (q) outcome = `${q.status === 0 ? q.error ?? 'no answer' : `HTTP ${q.status}`} in ${msText(q.latencyMs)}${q.revision ? ` from ${q.revision}` : ''}`;
    } else if (st.kind === 'load' && st.name !== undefined) {
      const l = s.loads[st.name];
      if (l) outcome = `${l.completed}/${l.sent} answered (${Object.entries(l.byStatus).map(([k, v]) => `${v}× ${k === '0' ? 'no answer' : k}`).join(', ')}), p99 ${msText(l.latencyMs.p99)}`;
    }
    item(st.startMs, st.what, outcome, followed(trace, st.startMs, next));
  });
  return `<section id="story"><h2>The story</h2><ol class="story">${rows.join('')}</ol></section>`;
}

/** The loads in the order their steps ran (summary.json sorts them by name). */
const loadsInStepOrder = (run: ReportRun, s: SummaryJson) => run.steps.filter((st) => st.kind === 'load' && st.name !== undefined && s.loads[st.name] !== undefined).map((st) => st.name!);

function loads(run: ReportRun, s: SummaryJson, ix: TraceIndex): string {
  const names = loadsInStepOrder(run, s);
  if (names.length === 0) return '';
  const parts = names.map((name) => {
    const l = s.loads[name]!;
    const samples: Array<{ tMs: number; latencyMs: number }> = [];
    for (const rid of requestsTagged(ix, name)) {
      const e = ix.ends.get(rid);
      if (e !== undefined) samples.push({ tMs: ix.starts.get(rid)!.t, latencyMs: e.latencyMs });
    }
    const over = latencyOverTime(samples, l.startMs, Math.max(l.endMs, l.startMs + 1));
    const lat = samples.map((x) => x.latencyMs);
    const status = Object.entries(l.byStatus).map(([k, v]) => `<tr><td>${esc(k === '0' ? 'no answer' : k)}</td><td>${v}</td><td>${num((100 * v) / Math.max(1, l.completed), 1)}%</td></tr>`).join('');
    const pct = (['p50', 'p90', 'p99', 'max', 'mean'] as const).map((k) => `<tr><td>${k}</td><td>${esc(msText(l.latencyMs[k]))}</td></tr>`).join('');
    return `<article class="load"><h3>load ${esc(name)}</h3>
<p>${l.sent} requests sent, ${l.completed} answered, from ${esc(secs(l.startMs))} to ${esc(secs(l.endMs))}.</p>
<div class="tables"><table><caption>status</caption><thead><tr><th>status</th><th>requests</th><th>share</th></tr></thead><tbody>${status}</tbody></table>
<table><caption>latency</caption><thead><tr><th>percentile</th><th>latency</th></tr></thead><tbody>${pct}</tbody></table></div>
${timeChart({
  id: id('latency-over-time', name),
  title: `load ${name}: latency over time (p50, p99 and max of the requests sent in each window)`,
  xDomainMs: [l.startMs, Math.max(l.endMs, l.startMs + 1)],
  yLabel: 'latency (ms)',
  series: [
    { name: 'p50', color: PALETTE[0]!, points: over.map((b): Point => [b.tMs, b.p50]) },
    { name: 'p99', color: PALETTE[1]!, points: over.map((b): Point => [b.tMs, b.p99]) },
    { name: 'max', color: PALETTE[5]!, dashed: true, points: over.map((b): Point => [b.tMs, b.max]) },
  ],
})}
${histogramChart(id('latency-histogram', name), `load ${name}: latency histogram`, histogram(lat, 40), 'latency (ms)')}</article>`;
  });
  return `<section id="loads"><h2>Loads</h2>${parts.join('\n')}</section>`;
}

/** The traffic block the route had when the load started (or the last one during the load) that names its revisions. */
function configuredSplit(trace: readonly KnsimTraceEvent[], revisions: readonly string[], startMs: number, endMs: number): Map<string, number> | undefined {
  let found: Extract<KnsimTraceEvent, { type: 'route.programmed' }> | undefined;
  for (const e of trace) {
    if (e.type !== 'route.programmed' || e.t > endMs) continue;
    if (e.t > startMs && found !== undefined) continue;
    const named = new Set(e.traffic.filter((t) => t.percent > 0).map((t) => t.revisionName));
    if (revisions.every((r) => named.has(r))) found = e;
  }
  if (found === undefined) return undefined;
  const m = new Map<string, number>();
  for (const t of found.traffic) if (t.percent > 0) m.set(t.revisionName, (m.get(t.revisionName) ?? 0) + t.percent);
  return m;
}

function split(run: ReportRun, s: SummaryJson, trace: readonly KnsimTraceEvent[]): string {
  const parts: string[] = [];
  for (const name of loadsInStepOrder(run, s)) {
    const l = s.loads[name]!;
    const observed = Object.keys(l.byRevision);
    if (observed.length === 0) continue;
    const conf = configuredSplit(trace, observed, l.startMs, l.endMs);
    if (conf === undefined || conf.size < 2) continue;
    const n = Object.values(l.byRevision).reduce((a, b) => a + b, 0);
    const rows: SplitRow[] = [...new Set([...conf.keys(), ...observed])].sort().map((rev) => {
      const ci = binomialInterval(l.byRevision[rev] ?? 0, n);
      return { revision: rev, configured: conf.get(rev) ?? 0, observed: 100 * ci.p, lo: 100 * ci.lo, hi: 100 * ci.hi };
    });
    const table = rows.map((r) => `<tr><td>${esc(r.revision)}</td><td>${num(r.configured, 1)}%</td><td>${num(r.observed, 1)}%</td><td>${num(r.lo, 1)}–${num(r.hi, 1)}%</td><td>${r.configured >= r.lo && r.configured <= r.hi ? '✓ inside' : '✗ outside'}</td></tr>`).join('');
    parts.push(`<article><h3>load ${esc(name)}</h3>${splitChart(id('traffic-split', name), `load ${name}: configured against observed share per revision (${n} answers)`, rows)}
<table><thead><tr><th>revision</th><th>configured</th><th>observed</th><th>95% interval</th><th>configured in the interval</th></tr></thead><tbody>${table}</tbody></table></article>`);
  }
  if (parts.length === 0) return '';
  return `<section id="split"><h2>Traffic split</h2><p>Each request draws its revision at random with the route's weights, so the observed share scatters around the configured percent; the interval is where a share of that many answers lands 95% of the time (Wilson score).</p>${parts.join('\n')}</section>`;
}

function revisions(s: SummaryJson, trace: readonly KnsimTraceEvent[], endMs: number): string {
  const names = Object.keys(s.revisions);
  if (names.length === 0) return '';
  const parts = names.map((name) => {
    const r = s.revisions[name]!;
    const created = trace.find((e) => e.type === 'revision.created' && e.revision === name)?.t ?? 0;
    // Desired: the timeline's samples and every change of the Deployment's replicas (kpa.scale);
    // ready: counted from the pod phases, so a pod that became ready between two samples shows.
    const desiredSamples: Point[] = r.timeline.map((x): Point => [x.tMs, x.desiredPods]);
    for (const e of trace) if (e.type === 'kpa.scale' && e.revision === name) desiredSamples.push([e.t, e.to]);
    const desired = downsample(stepSeries(desiredSamples, endMs), MAX_POINTS);
    const readySamples: Point[] = [[created, 0]];
    const readySet = new Set<string>();
    for (const e of trace) {
      if (e.type !== 'pod.phase' || e.revision !== name) continue;
      if (e.phase === 'Running' && READY.test(e.ready)) readySet.add(e.pod);
      else readySet.delete(e.pod);
      readySamples.push([e.t, readySet.size]);
    }
    const ready = downsample(stepSeries(readySamples, endMs), MAX_POINTS);
    const panic: Band[] = spans(r.timeline.map((x) => [x.tMs, x.panic] as const), endMs).map(([a, b]) => ({ from: a, to: b, color: PALETTE[5]!, label: `panic: ${secs(a)} → ${secs(b)}` }));
    // The SKS mode over time: Proxy (activator in path) from creation until a sks.mode event says otherwise.
    const modes: Array<[number, string]> = [[created, 'Proxy']];
    for (const e of trace) if (e.type === 'sks.mode' && e.revision === name) modes.push([e.t, e.mode]);
    const strip: Band[] = modes.map(([t, m], i) => ({ from: t, to: modes[i + 1]?.[0] ?? endMs, color: m === 'Proxy' ? PALETTE[1]! : PALETTE[4]!, label: `SKS ${m}: ${m === 'Proxy' ? 'activator in the path' : 'gateway to pods directly'} (${secs(t)})` }));
    const markers: Marker[] = [];
    for (const e of trace) {
      if (e.type === 'kpa.scale' && e.revision === name && e.from === 0 && e.to > 0) markers.push({ t: e.t, color: PALETTE[5]!, label: 'cold start', title: `cold start at ${secs(e.t)}: ${e.reason}` });
    }
    // Pods by phase: each pod's latest phase, counted after every change.
    const phaseOf = new Map<string, string>();
    const phaseSeries = new Map<string, Point[]>();
    for (const e of trace) {
      if (e.type !== 'pod.phase' || e.revision !== name) continue;
      if (e.phase === 'Terminated') phaseOf.delete(e.pod);
      else phaseOf.set(e.pod, e.phase);
      const counts = new Map<string, number>();
      for (const p of phaseOf.values()) counts.set(p, (counts.get(p) ?? 0) + 1);
      for (const p of new Set([...phaseSeries.keys(), ...counts.keys()])) {
        if (!phaseSeries.has(p)) phaseSeries.set(p, [[created, 0]]);
        phaseSeries.get(p)!.push([e.t, counts.get(p) ?? 0]);
      }
    }
    const decisions = trace.filter((e): e is Extract<KnsimTraceEvent, { type: 'autoscaler.decision' }> => e.type === 'autoscaler.decision' && e.revision === name);
    // The decisions that changed something (the desired count, panic, or the SKS mode), the rest is the same answer again.
    const changed = decisions.filter((d, i) => i === 0 || d.result.desiredPodCount !== decisions[i - 1]!.result.desiredPodCount || d.result.panicking !== decisions[i - 1]!.result.panicking || d.result.sksMode !== decisions[i - 1]!.result.sksMode);
    for (const d of changed) markers.push({ t: d.t, color: PALETTE[0]!, label: 'scaling decision', symbol: 'circle', title: `${secs(d.t)}: want ${d.result.desiredPodCount} — ${d.reason}` });
    const rows = changed.slice(0, MAX_DECISIONS).map((d) => `<tr><td>${esc(secs(d.t))}</td><td>${esc(d.inputs.stable === null ? '–' : num(d.inputs.stable, 2))}</td><td>${esc(d.inputs.panic === null ? '–' : num(d.inputs.panic, 2))}</td><td>${d.inputs.readyPods}</td><td>${esc(`${d.inputs.metric} ${d.inputs.targetValue}`)}</td><td>${d.result.desiredPodCount}</td><td>${d.result.excessBurstCapacity}</td><td>${d.result.panicking ? 'yes' : 'no'}</td><td>${esc(d.result.sksMode)}</td><td>${esc(d.reason)}${d.inputs.poke ? ' (activator poke)' : ''}</td></tr>`);
    const readyNow = readyAtEnd(r.pods);
    return `<article class="revision"><h3>revision ${esc(name)}</h3>
<p>Max ${r.maxReadyPods} ready pod${r.maxReadyPods === 1 ? '' : 's'}, ${r.coldStarts} cold start${r.coldStarts === 1 ? '' : 's'} (scale-ups from zero), ${readyNow} ready at the end.</p>
${timeChart({ id: id('pods', name), title: `revision ${name}: desired and ready pods (panic shaded; the strip on top is the ServerlessService mode)`, xDomainMs: [0, endMs], yLabel: 'pods', integer: true, series: [{ name: 'desired', color: PALETTE[0]!, step: true, points: desired, dashed: true }, { name: 'ready', color: PALETTE[2]!, step: true, points: ready }], bands: panic, strip, markers })}
${timeChart({ id: id('pods-by-phase', name), title: `revision ${name}: pods by phase`, xDomainMs: [0, endMs], yLabel: 'pods', integer: true, height: 200, series: [...phaseSeries.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, pts]) => ({ name: p, color: PHASE_COLOURS[p] ?? PALETTE[7]!, step: true, points: downsample(stepSeries(pts, endMs), MAX_POINTS) })) })}
<details><summary>scaling decisions that changed the answer (${changed.length} of ${decisions.length} decider ticks${changed.length > MAX_DECISIONS ? `; the first ${MAX_DECISIONS} shown` : ''})</summary>
<table class="decisions"><thead><tr><th>time</th><th>stable</th><th>panic</th><th>ready</th><th>target</th><th>want</th><th>excess burst capacity</th><th>panicking</th><th>SKS</th><th>why</th></tr></thead><tbody>${rows.join('')}</tbody></table></details></article>`;
  });
  return `<section id="revisions"><h2>Revisions</h2>${parts.join('\n')}</section>`;
}

function waterfall(q: ExplainedRequest, name: string): string {
  const rows = q.hops.map((h) => ({ label: `${h.label} ${shortName(h.name)}`, startMs: h.startMs, endMs: h.endMs, why: h.why, color: COMPONENT_COLOURS[h.component] ?? PALETTE[7]! }));
  const list = q.hops.map((h) => `<li><span class="hop" style="border-color:${COMPONENT_COLOURS[h.component] ?? PALETTE[7]!}">${esc(h.label)}</span> <code>${esc(h.name)}</code> +${esc(msText(h.startMs))} → +${esc(msText(h.endMs))}: ${esc(h.why)}</li>`).join('');
  return `<article class="request"><h3>request ${esc(name)}</h3><p><code>${esc(q.method)} ${esc(q.url)}</code> → ${esc(q.status === 0 ? q.error ?? 'no answer' : `HTTP ${q.status}`)} in ${esc(msText(q.latencyMs))}${q.revision ? ` from ${esc(q.revision)}` : ''}</p>
${waterfallChart(id('waterfall', name), `request ${name}: hops`, rows, q.latencyMs)}<ol class="hops">${list}</ol></article>`;
}

/** A pod or gateway name without its generated hash, for a chart label (the list keeps the full name). */
const shortName = (n: string) => (n.length > 18 ? `…${n.slice(-16)}` : n);

function lifeOfARequest(run: ReportRun, s: SummaryJson, ix: TraceIndex): string {
  const names = run.steps.filter((st) => st.kind === 'request' && st.name !== undefined && s.requests[st.name] !== undefined).map((st) => st.name!);
  const cards = names.flatMap((name) => {
    const rid = requestsTagged(ix, name)[0];
    const q = rid === undefined ? undefined : explainRequest(ix, rid);
    return q === undefined ? [] : [waterfall(q, name)];
  });
  if (cards.length === 0) return '';
  return `<section id="requests"><h2>Life of a request</h2><p>Each named request, hop by hop, times relative to when it was sent. Hover a bar, or read the list, for what each hop did and why.</p><div class="cards">${cards.join('\n')}</div></section>`;
}

function checks(s: SummaryJson): string {
  if (s.checks === undefined || s.checks.length === 0) return '';
  const rows = s.checks.map((c) => `<tr class="${c.ok ? 'ok' : 'bad'}"><td>${c.ok ? '✓' : '✗'}</td><td>${esc(c.check)}</td><td>${esc(c.observed === null ? 'nothing' : `${c.observed}${c.unit}`)}</td></tr>`).join('');
  const failed = s.checks.filter((c) => !c.ok).length;
  return `<section id="checks"><h2>Checks</h2><p>${s.checks.length - failed} passed, ${failed} failed.</p><table><thead><tr><th></th><th>check</th><th>observed</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function manifests(run: ReportRun): string {
  if (run.manifests.length === 0) return '';
  return `<section id="manifests"><h2>Applied manifests</h2>${run.manifests.map((m) => `<details><summary>${esc(m.source)} (at ${esc(secs(m.tMs))})</summary><pre>${esc(m.text)}</pre></details>`).join('')}</section>`;
}
